/**
 * What a stream reader hands on: the records of one shard batch, and the observers that see each
 * batch (the real-time stage). Types shared by both readers, StreamReader (embedded-kinesis.ts) and
 * the stream thread's reader (stream-thread.ts), and by batch-observers.ts; no imports, so the
 * main thread loads no kinesalite through them.
 */

/** One record read from a shard. */
export interface StreamRecord {
    partitionKey: string;
    sequenceNumber: string;
    data: Buffer;
    /** Epoch ms. */
    arrival: number;
}

/** One non-empty batch read from one shard. */
export interface ShardBatch {
    shardId: string;
    records: readonly StreamRecord[];
}

/**
 * Sees every batch after the consumer took it. Called synchronously and never awaited: it must
 * only queue the batch. What it throws is logged and goes no further.
 */
export type BatchObserver = (batch: ShardBatch) => void;
