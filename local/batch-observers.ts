/**
 * Notifying the observers of a stream reader (the real-time stage watches each shard batch), for
 * both readers: StreamReader (embedded-kinesis.ts) and the stream thread's reader (stream-thread.ts).
 * Its types come from stream-batches.ts (not embedded-kinesis.ts, which imports this module), so
 * there is no import circle and the main thread does not load kinesalite through this module.
 */
import type { BatchObserver, ShardBatch } from "./stream-batches";

/** Hands `batch` to every observer; one that throws is logged and does not stop the others. */
export function notifyBatchObservers(observers: Iterable<BatchObserver>, batch: ShardBatch, log: (message: string) => void): void {
    for (const observer of observers) {
        try {
            observer(batch);
        } catch (error) {
            log(`stream reader (${batch.shardId}): an observer failed: ${(error as Error).message}`);
        }
    }
}
