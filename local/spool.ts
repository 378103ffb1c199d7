/**
 * The local mode's write-ahead spool: an append-only log of the records the API accepted. A record is
 * answered `Result: "Ok"` only after its frame is written and fsynced here, so an acknowledged event
 * survives a crash; the delivery stage's checkpoint says which frames already reached the lake.
 *
 * Layout: `<dir>/segment-<base offset, 16 digits>.log` files, each a sequence of frames:
 * `[u32 payload length][u32 CRC-32 of payload][f64 arrival epoch ms][payload]` (little-endian).
 * A frame's offset is its global byte position (segment base + position), unique for the spool's
 * lifetime; `<dir>/epoch` holds a random id naming this spool, so lake file names derived from
 * offsets never collide with those of an earlier, deleted spool. Segments may leave gaps between
 * them (see {@link Spool.skipTo}); offsets only grow.
 *
 * Faults (see docs/local-mode.md, "Durability contract"):
 * - A failed write or fsync (ENOSPC, EIO) truncates the segment back to its last good frame before
 *   the appends are rejected, so a torn frame never sits in front of later ones; the appends are
 *   rejected with {@link SpoolUnavailableError} (answered 503 with Retry-After) and nothing of them
 *   is acknowledged. If even the truncation fails, the spool refuses every append until a later one
 *   manages to truncate.
 * - A failed segment rotation (the next file cannot be created) leaves the current segment open
 *   and in use: the frames just written are durable and acknowledged; rotation is tried again later.
 * - A corrupt frame (bad CRC, impossible length) is skipped: reading resynchronises on the next
 *   valid frame, counts the skipped region and logs a warning naming the segment and byte position.
 *   Only a torn tail of the last segment (a frame running past the file's end: a crash during a
 *   write, never acknowledged) is cut off when the spool opens.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { crc32 } from "node:zlib";
import { fsyncDirectory, writeFileDurably } from "./durable-files";

/** Bytes of a frame header: payload length, CRC-32, arrival time. */
export const FRAME_HEADER_BYTES = 16;
const HEADER_BYTES = FRAME_HEADER_BYTES;
const SEGMENT_PATTERN = /^segment-(\d{16})\.log$/;
/** Arrival times outside [2000-01-01, 2200-01-01) mark a header as corrupt (cheap check before the CRC). */
const MIN_ARRIVAL_MS = 946_684_800_000;
const MAX_ARRIVAL_MS = 7_258_118_400_000;

/** One record of the spool. */
export interface SpoolEntry {
    /** Global byte offset of the frame: the record's identity. */
    offset: number;
    /** Offset just past the frame (the next frame's offset). */
    end: number;
    /** Epoch milliseconds when the record was spooled. */
    arrival: number;
    data: Buffer;
}

/** The file operations the spool needs on its segments (a port, so tests can inject faults). */
export interface SpoolFileHandle {
    write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
    datasync(): Promise<void>;
    truncate(length: number): Promise<void>;
    close(): Promise<void>;
}

/** Opens segment files; the default is `fs.promises.open`. */
export interface SpoolFileSystem {
    /** Opens `file` for appending, creating it. */
    openForAppend(file: string): Promise<SpoolFileHandle>;
}

/** The real file system. */
export const NODE_SPOOL_FILES: SpoolFileSystem = { openForAppend: (file) => fs.promises.open(file, "a") };

export interface SpoolOptions {
    /** A segment is closed and a new one started once it holds this many bytes. @default 16 MiB */
    maxSegmentBytes?: number;
    /** File operations (tests inject faults here). @default NODE_SPOOL_FILES */
    files?: SpoolFileSystem;
    /** Receives warnings (corrupt frames, failed writes, failed rotations). @default stderr */
    log?(message: string): void;
}

/**
 * Thrown by {@link Spool.append} when the records could not be made durable (disk full, I/O
 * error, spool closed): none of them is stored, so the caller may retry them.
 */
export class SpoolUnavailableError extends Error {
    override readonly name = "ServiceUnavailable";
    constructor(message: string, readonly retryAfterSeconds: number, readonly cause?: unknown) {
        super(message);
    }
}

/** What reading found wrong in the spool since it opened. */
export interface SpoolFaultStats {
    /** Corrupt regions skipped (each one bad frame, or a run of unreadable bytes). */
    corruptRegions: number;
    /** Bytes in those regions. */
    corruptBytes: number;
    /** Appends rejected because a write or fsync failed. */
    failedWrites: number;
    /** Segment rotations that failed (the current segment stayed in use). */
    failedRotations: number;
}

interface Segment {
    base: number;
    file: string;
}

interface PendingAppend {
    payloads: Buffer[];
    resolve(entries: SpoolEntry[]): void;
    reject(error: unknown): void;
}

export class Spool {
    readonly faults: SpoolFaultStats = { corruptRegions: 0, corruptBytes: 0, failedWrites: 0, failedRotations: 0 };
    private pending: PendingAppend[] = [];
    private writing = false;
    private closed = false;
    /** Set when a failed write could not be truncated away: the file may hold bytes past `segmentSize`. */
    private needsRepair = false;
    private rotationFailing = false;
    /** Corrupt regions already logged, by global offset. */
    private readonly reported = new Set<number>();

    private constructor(
        private readonly dir: string,
        readonly epoch: string,
        private segments: Segment[],
        private handle: SpoolFileHandle,
        private segmentSize: number,
        private readonly maxSegmentBytes: number,
        private readonly files: SpoolFileSystem,
        private readonly log: (message: string) => void,
    ) {}

    /** Opens (or creates) the spool in `dir`, cutting off a torn last frame. */
    static async open(dir: string, options: number | SpoolOptions = {}): Promise<Spool> {
        const opts: SpoolOptions = typeof options === "number" ? { maxSegmentBytes: options } : options;
        const files = opts.files ?? NODE_SPOOL_FILES;
        const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
        fs.mkdirSync(dir, { recursive: true });
        const epochFile = path.join(dir, "epoch");
        if (!fs.existsSync(epochFile)) writeFileDurably(epochFile, crypto.randomBytes(6).toString("hex"));
        const epoch = fs.readFileSync(epochFile, "utf8").trim();
        const segments = listSegments(dir);
        if (segments.length === 0) {
            segments.push({ base: 0, file: segmentPath(dir, 0) });
            fs.writeFileSync(segments[0].file, Buffer.alloc(0));
            fsyncDirectory(dir);
        }
        const last = segments[segments.length - 1];
        const content = fs.readFileSync(last.file);
        const validBytes = validPrefix(content);
        if (validBytes < content.length) {
            const tail = content.subarray(validBytes);
            const kind = tornTail(tail) ? "a torn frame (a write cut short, never acknowledged)" : "corrupt bytes";
            log(`spool: ${path.basename(last.file)}: cutting off ${tail.length} bytes at byte ${validBytes}: ${kind}`);
            fs.truncateSync(last.file, validBytes);
        }
        const handle = await files.openForAppend(last.file);
        const spool = new Spool(dir, epoch, segments, handle, validBytes, opts.maxSegmentBytes ?? 16 * 1024 * 1024, files, log);
        if (validBytes < content.length && !tornTail(content.subarray(validBytes))) {
            spool.faults.corruptRegions += 1;
            spool.faults.corruptBytes += content.length - validBytes;
        }
        return spool;
    }

    /** Offset the next appended frame will get. */
    get endOffset(): number {
        return this.segments[this.segments.length - 1].base + this.segmentSize;
    }

    /**
     * Appends records and resolves once they are fsynced, in order. Concurrent calls are grouped
     * into one write and one fsync. Rejects with {@link SpoolUnavailableError} when they could not
     * be stored (then none of them is).
     */
    append(payloads: Buffer[]): Promise<SpoolEntry[]> {
        if (this.closed) return Promise.reject(new SpoolUnavailableError("spool is closed", 1));
        if (payloads.some((p) => p.length === 0)) return Promise.reject(new Error("spool: an empty record cannot be appended"));
        return new Promise((resolve, reject) => {
            this.pending.push({ payloads, resolve, reject });
            void this.drain();
        });
    }

    private async drain(): Promise<void> {
        if (this.writing) return;
        this.writing = true;
        try {
            while (this.pending.length > 0) {
                const group = this.pending;
                this.pending = [];
                try {
                    const results = await this.writeGroup(group);
                    group.forEach((p, i) => p.resolve(results[i]));
                } catch (error) {
                    group.forEach((p) => p.reject(error));
                }
                // The group is durable (or rejected): a failed rotation only delays the next segment.
                if (this.segmentSize >= this.maxSegmentBytes && !this.needsRepair) await this.rotate();
            }
        } finally {
            this.writing = false;
        }
    }

    private async writeGroup(group: PendingAppend[]): Promise<SpoolEntry[][]> {
        if (this.needsRepair) await this.repair();
        const arrival = Date.now();
        const buffers: Buffer[] = [];
        const results: SpoolEntry[][] = [];
        let offset = this.endOffset;
        for (const p of group) {
            const entries: SpoolEntry[] = [];
            for (const data of p.payloads) {
                const header = Buffer.alloc(HEADER_BYTES);
                header.writeUInt32LE(data.length, 0);
                header.writeUInt32LE(crc32(data), 4);
                header.writeDoubleLE(arrival, 8);
                buffers.push(header, data);
                const end = offset + HEADER_BYTES + data.length;
                entries.push({ offset, end, arrival, data });
                offset = end;
            }
            results.push(entries);
        }
        const bytes = Buffer.concat(buffers);
        try {
            let written = 0;
            while (written < bytes.length) {
                const { bytesWritten } = await this.handle.write(bytes, written, bytes.length - written);
                if (bytesWritten <= 0) throw Object.assign(new Error("write wrote nothing"), { code: "EIO" });
                written += bytesWritten;
            }
            await this.handle.datasync();
        } catch (error) {
            this.faults.failedWrites += 1;
            this.needsRepair = true;
            const code = (error as NodeJS.ErrnoException).code;
            const reason = code === "ENOSPC" || code === "EDQUOT" ? "the disk is full" : `the write failed (${(error as Error).message})`;
            this.log(`spool: ${group.length} append(s) of ${bytes.length} bytes not stored: ${reason}; the segment is cut back to byte ${this.segmentSize}`);
            try {
                await this.repair();
            } catch (repairError) {
                this.log(`spool: cutting back failed (${(repairError as Error).message}); appends are refused until it succeeds`);
            }
            throw new SpoolUnavailableError(`local spool: ${reason}; nothing of this request was stored, retry later`, code === "ENOSPC" ? 5 : 1, error);
        }
        this.segmentSize += bytes.length;
        return results;
    }

    /** Truncates the segment back to its last good frame (after a failed write). */
    private async repair(): Promise<void> {
        try {
            await this.handle.truncate(this.segmentSize);
            await this.handle.datasync();
        } catch (error) {
            throw new SpoolUnavailableError(`local spool: a failed write could not be cut back (${(error as Error).message}); retry later`, 5, error);
        }
        this.needsRepair = false;
    }

    /** Starts the next segment: opens it first, so a failure leaves the current one in use. */
    private async rotate(): Promise<void> {
        await this.startSegment(this.endOffset);
    }

    private async startSegment(base: number): Promise<boolean> {
        const file = segmentPath(this.dir, base);
        let next: SpoolFileHandle;
        try {
            next = await this.files.openForAppend(file);
        } catch (error) {
            this.faults.failedRotations += 1;
            if (!this.rotationFailing) {
                this.log(`spool: cannot start ${path.basename(file)} (${(error as Error).message}); ` +
                    `${path.basename(this.segments[this.segments.length - 1].file)} stays in use, retried at each append`);
            }
            this.rotationFailing = true;
            return false;
        }
        if (this.rotationFailing) this.log(`spool: started ${path.basename(file)}; segment rotation works again`);
        this.rotationFailing = false;
        fsyncDirectory(this.dir);
        const previous = this.handle;
        this.handle = next;
        this.segments.push({ base, file });
        this.segmentSize = 0;
        await previous.close().catch((error: Error) => this.log(`spool: closing the previous segment: ${error.message}`));
        return true;
    }

    /**
     * Makes the next frame's offset at least `offset` by starting a segment there (no-op when the
     * spool already reaches it). Used when the delivery checkpoint knows offsets beyond the spool's
     * end (the spool lost its tail to corruption or deletion): new frames must never reuse them.
     */
    async skipTo(offset: number): Promise<void> {
        if (offset <= this.endOffset) return;
        await this.whenIdle();
        if (!(await this.startSegment(offset))) throw new Error(`spool: cannot start a segment at offset ${offset}`);
    }

    /** Every entry at or after `fromOffset`, in offset order; corrupt frames are skipped, counted and logged. */
    *readFrom(fromOffset: number): Generator<SpoolEntry> {
        for (let i = 0; i < this.segments.length; i++) {
            const segment = this.segments[i];
            const segmentEnd = i + 1 < this.segments.length ? this.segments[i + 1].base : this.endOffset;
            if (segmentEnd <= fromOffset) continue;
            let content: Buffer;
            try {
                content = fs.readFileSync(segment.file);
            } catch (error) {
                // Released meanwhile by the delivery stage (everything in it is delivered).
                if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
                throw error;
            }
            const last = i === this.segments.length - 1;
            content = content.subarray(0, last ? this.segmentSize : segmentEnd - segment.base);
            for (const item of scanFrames(content, segment.base)) {
                if ("corrupt" in item) {
                    this.report(segment, item.corrupt);
                    continue;
                }
                if (item.offset >= fromOffset) yield item;
            }
        }
    }

    private report(segment: Segment, region: CorruptRegion): void {
        const at = segment.base + region.position;
        if (this.reported.has(at)) return;
        this.reported.add(at);
        this.faults.corruptRegions += 1;
        this.faults.corruptBytes += region.bytes;
        this.log(`spool: WARNING ${path.basename(segment.file)}: skipped a corrupt frame at byte ${region.position} ` +
            `(${region.bytes} bytes up to the next valid frame, ${region.reason}); the records in it are lost`);
    }

    /** Deletes whole segments whose frames all lie before `offset` (never the segment being written). */
    releaseBefore(offset: number): void {
        while (this.segments.length > 1 && this.segments[1].base <= offset) {
            const done = this.segments.shift()!;
            fs.rmSync(done.file, { force: true });
        }
    }

    private async whenIdle(): Promise<void> {
        while (this.writing || this.pending.length > 0) await new Promise((r) => setTimeout(r, 5));
    }

    /** Waits for pending appends, then closes the file. */
    async close(): Promise<void> {
        await this.whenIdle();
        this.closed = true;
        await this.handle.close();
    }
}

function segmentPath(dir: string, base: number): string {
    return path.join(dir, `segment-${String(base).padStart(16, "0")}.log`);
}

function listSegments(dir: string): Segment[] {
    return fs.readdirSync(dir)
        .map((name) => SEGMENT_PATTERN.exec(name))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ base: Number(m[1]), file: path.join(dir, m[0]) }))
        .sort((a, b) => a.base - b.base);
}

interface CorruptRegion {
    /** Byte position in the segment. */
    position: number;
    bytes: number;
    reason: string;
}

/** The frame at `position` if it is valid (length fits, plausible arrival, CRC matches). */
function frameAt(content: Buffer, position: number, base: number): SpoolEntry | string {
    if (position + HEADER_BYTES > content.length) return "truncated header";
    const length = content.readUInt32LE(position);
    const start = position + HEADER_BYTES;
    if (length === 0 || start + length > content.length) return "impossible length";
    const arrival = content.readDoubleLE(position + 8);
    if (!(arrival >= MIN_ARRIVAL_MS && arrival < MAX_ARRIVAL_MS)) return "impossible arrival time";
    const data = content.subarray(start, start + length);
    if (crc32(data) !== content.readUInt32LE(position + 4)) return "checksum mismatch";
    return { offset: base + position, end: base + start + length, arrival, data: Buffer.from(data) };
}

/**
 * Frames of a segment's content, and the corrupt regions between them: after a bad frame, reading
 * resumes at the next position holding a valid frame (tried first where the bad header's length
 * points, then byte by byte). Bytes after the last valid frame are reported as one region.
 */
function* scanFrames(content: Buffer, base: number): Generator<SpoolEntry | { corrupt: CorruptRegion }> {
    let position = 0;
    while (position < content.length) {
        const frame = frameAt(content, position, base);
        if (typeof frame !== "string") {
            yield frame;
            position = frame.end - base;
            continue;
        }
        const next = resync(content, position);
        yield { corrupt: { position, bytes: next - position, reason: frame } };
        position = next;
    }
}

/** The position of the next valid frame after a bad one at `position` (content.length if none). */
function resync(content: Buffer, position: number): number {
    const claimed = position + HEADER_BYTES + content.readUInt32LE(position);
    if (content.length - position >= HEADER_BYTES && claimed < content.length && chainValid(content, claimed)) return claimed;
    for (let p = position + 1; p + HEADER_BYTES < content.length; p++) {
        if (chainValid(content, p)) return p;
    }
    return content.length;
}

/** Whether a valid frame starts at `position` (length, arrival time and CRC-32 all check out). */
function chainValid(content: Buffer, position: number): boolean {
    return typeof frameAt(content, position, 0) !== "string";
}

/** Length of the content up to the end of its last valid frame (what survives at open). */
function validPrefix(content: Buffer): number {
    let valid = 0;
    for (const item of scanFrames(content, 0)) if (!("corrupt" in item)) valid = item.end;
    return valid;
}

/** Whether bytes after the last valid frame look like a frame cut short (rather than corruption). */
function tornTail(tail: Buffer): boolean {
    if (tail.length < HEADER_BYTES) return true;
    return HEADER_BYTES + tail.readUInt32LE(0) > tail.length;
}
