/**
 * The messages between the pipeline's main thread and the stream thread (stream-thread.ts and
 * stream-worker.ts), and the packing of record bytes into one transferable buffer: every batch of
 * records crosses the thread boundary as one ArrayBuffer moved (not copied) plus the records' lengths.
 */
import type { SinkRecordResult } from "../functions/core/ports";

/** Records' bytes laid end to end in one buffer of their own, with each record's length. */
export interface PackedBytes {
    bytes: ArrayBuffer;
    lengths: number[];
}

/** Copies the buffers into one new ArrayBuffer (never a pooled one, so it can be transferred). */
export function packBytes(buffers: readonly Uint8Array[]): PackedBytes {
    let total = 0;
    for (const b of buffers) total += b.byteLength;
    const out = Buffer.allocUnsafeSlow(total);
    let position = 0;
    const lengths = new Array<number>(buffers.length);
    buffers.forEach((b, i) => {
        out.set(b, position);
        position += b.byteLength;
        lengths[i] = b.byteLength;
    });
    return { bytes: out.buffer as ArrayBuffer, lengths };
}

/** Views of the packed records, in order (no copy). */
export function unpackBytes(packed: PackedBytes): Buffer[] {
    const out = new Array<Buffer>(packed.lengths.length);
    let position = 0;
    packed.lengths.forEach((length, i) => {
        out[i] = Buffer.from(packed.bytes, position, length);
        position += length;
    });
    return out;
}

/** Settings of the stream thread, given at its start. */
export interface StreamThreadSettings {
    streamName: string;
    shardCount: number;
    /**
     * Retention of the stream in hours (the `streamRetentionHours` setting): older records are
     * dropped from the embedded stream, read or not.
     * @default 24
     * @example 168
     */
    retentionHours?: number;
    /**
     * How often the stream thread drops the records past the retention, in ms.
     * @default 60000
     * @example 1000
     */
    retentionSweepMs?: number;
}

/** The stream thread's own heap (its V8 isolate) and the process's external memory, in bytes. */
export interface StreamThreadMemory {
    heapUsed: number;
    heapTotal: number;
    external: number;
    arrayBuffers: number;
}

/** Main thread -> stream thread. */
export type ToStreamThread =
    | { type: "put"; id: number; records: PackedBytes; partitionKeys: string[] }
    | { type: "start-reading"; id: number; idleMs: number; pollMs: number }
    | { type: "stop-reading"; id: number }
    | { type: "close"; id: number }
    | { type: "stored-records"; id: number }
    | { type: "memory"; id: number; collect?: boolean }
    | { type: "batch-taken"; batch: number };

/** Stream thread -> main thread. */
export type FromStreamThread =
    | { type: "ready" }
    | { type: "failed"; message: string }
    | { type: "done"; id: number; results?: SinkRecordResult[]; error?: string; count?: number; memory?: StreamThreadMemory }
    | { type: "batch"; batch: number; shardId: string; records: PackedBytes; partitionKeys: string[]; sequenceNumbers: string[]; arrivals: number[] }
    | { type: "log"; message: string };
