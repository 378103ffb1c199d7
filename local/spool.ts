/**
 * The local mode's write-ahead spool: an append-only log of the records the API accepted. A record is
 * answered `Result: "Ok"` only after its frame is written and fsynced here, so an acknowledged event
 * survives a crash; the delivery stage's checkpoint says which frames already reached the lake.
 *
 * Layout: `<dir>/segment-<base offset, 16 digits>.log` files, each a sequence of frames:
 * `[u32 payload length][u32 CRC-32 of payload][f64 arrival epoch ms][payload]` (little-endian).
 * A frame's offset is its global byte position (segment base + position), unique for the spool's
 * lifetime; `<dir>/epoch` holds a random id naming this spool, so lake file names derived from
 * offsets never collide with those of an earlier, deleted spool.
 * A torn frame at the end of the last segment (crash during a write, never acknowledged) is cut off
 * when the spool opens.
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
    private pending: PendingAppend[] = [];
    private writing = false;
    private closed = false;

    private constructor(
        private readonly dir: string,
        readonly epoch: string,
        private segments: Segment[],
        private handle: fs.promises.FileHandle,
        private segmentSize: number,
        private readonly maxSegmentBytes: number,
    ) {}

    /** Opens (or creates) the spool in `dir`, cutting off a torn last frame. */
    static async open(dir: string, maxSegmentBytes = 16 * 1024 * 1024): Promise<Spool> {
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
        const validBytes = scanValidBytes(last.file);
        if (validBytes < fs.statSync(last.file).size) fs.truncateSync(last.file, validBytes);
        const handle = await fs.promises.open(last.file, "a");
        return new Spool(dir, epoch, segments, handle, validBytes, maxSegmentBytes);
    }

    /** Offset the next appended frame will get. */
    get endOffset(): number {
        return this.segments[this.segments.length - 1].base + this.segmentSize;
    }

    /**
     * Appends records and resolves once they are fsynced, in order. Concurrent calls are grouped
     * into one write and one fsync.
     */
    append(payloads: Buffer[]): Promise<SpoolEntry[]> {
        if (this.closed) return Promise.reject(new Error("spool is closed"));
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
            }
        } finally {
            this.writing = false;
        }
    }

    private async writeGroup(group: PendingAppend[]): Promise<SpoolEntry[][]> {
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
        let written = 0;
        while (written < bytes.length) {
            const { bytesWritten } = await this.handle.write(bytes, written, bytes.length - written);
            written += bytesWritten;
        }
        await this.handle.datasync();
        this.segmentSize += bytes.length;
        if (this.segmentSize >= this.maxSegmentBytes) await this.rotate();
        return results;
    }

    private async rotate(): Promise<void> {
        const base = this.endOffset;
        await this.handle.close();
        const file = segmentPath(this.dir, base);
        this.handle = await fs.promises.open(file, "a");
        this.segments.push({ base, file });
        this.segmentSize = 0;
        fsyncDirectory(this.dir);
    }

    /** Every entry at or after `fromOffset`, in offset order. */
    *readFrom(fromOffset: number): Generator<SpoolEntry> {
        for (let i = 0; i < this.segments.length; i++) {
            const segment = this.segments[i];
            const segmentEnd = i + 1 < this.segments.length ? this.segments[i + 1].base : this.endOffset;
            if (segmentEnd <= fromOffset) continue;
            const content = fs.readFileSync(segment.file).subarray(0, segmentEnd - segment.base);
            for (const entry of parseFrames(content, segment.base)) {
                if (entry.offset >= fromOffset) yield entry;
            }
        }
    }

    /** Deletes whole segments whose frames all lie before `offset` (never the segment being written). */
    releaseBefore(offset: number): void {
        while (this.segments.length > 1 && this.segments[1].base <= offset) {
            const done = this.segments.shift()!;
            fs.rmSync(done.file, { force: true });
        }
    }

    /** Waits for pending appends, then closes the file. */
    async close(): Promise<void> {
        while (this.writing || this.pending.length > 0) await new Promise((r) => setTimeout(r, 5));
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

/** Frames of a segment's content; stops at the first torn or corrupt frame. */
function* parseFrames(content: Buffer, base: number): Generator<SpoolEntry> {
    let position = 0;
    while (position + HEADER_BYTES <= content.length) {
        const length = content.readUInt32LE(position);
        const checksum = content.readUInt32LE(position + 4);
        const arrival = content.readDoubleLE(position + 8);
        const start = position + HEADER_BYTES;
        if (start + length > content.length) return;
        const data = content.subarray(start, start + length);
        if (crc32(data) !== checksum) return;
        yield { offset: base + position, end: base + start + length, arrival, data: Buffer.from(data) };
        position = start + length;
    }
}

/** Length of the valid prefix of a segment file. */
function scanValidBytes(file: string): number {
    const content = fs.readFileSync(file);
    let valid = 0;
    for (const entry of parseFrames(content, 0)) valid = entry.end;
    return valid;
}
