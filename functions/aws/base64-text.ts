/**
 * Base64 <-> UTF-8 text through one reusable scratch buffer. `Buffer.from(...)` allocates a new
 * buffer (and, under 4 KiB, carves it from the shared pool) for every conversion; the Firehose
 * transform converts two strings per record, 500 records per batch, so those allocations were a
 * tenth of its time. The scratch buffer grows to the largest record seen and is reused; the
 * strings returned never share memory with it (`toString` copies).
 *
 * Not re-entrant across `await`: each function finishes with the buffer before it returns.
 */

/** Initial scratch size: a Firehose record is at most 1,000 KiB, most are far smaller. */
const INITIAL_BYTES = 64 * 1024;

let scratch: Buffer = Buffer.allocUnsafe(INITIAL_BYTES);

function scratchOf(bytes: number): Buffer {
    if (scratch.length < bytes) {
        scratch = Buffer.allocUnsafe(Math.max(bytes, scratch.length * 2));
    }
    return scratch;
}

/**
 * The UTF-8 text that base64 `data` encodes (same result as
 * `Buffer.from(data, "base64").toString("utf8")`, including Node's lenient base64 decoding).
 */
export function textOfBase64(data: string): string {
    // Decoded bytes never exceed 3/4 of the characters (rounded up).
    const buffer = scratchOf(Math.ceil((data.length * 3) / 4) + 3);
    const length = buffer.write(data, 0, "base64");
    return buffer.toString("utf8", 0, length);
}

/** Base64 of the UTF-8 bytes of `text` (same result as `Buffer.from(text, "utf8").toString("base64")`). */
export function base64OfText(text: string): string {
    // A UTF-16 code unit becomes at most 3 UTF-8 bytes.
    const buffer = scratchOf(text.length * 3);
    const length = buffer.write(text, 0, "utf8");
    return buffer.toString("base64", 0, length);
}

