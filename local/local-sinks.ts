/**
 * The local mode's event sinks. Both write the records to the spool (fsynced) before answering,
 * so a record reported ok survives a crash:
 * - {@link SpoolSink} (DIRECT_BATCH): the spool stands for Firehose; records go to the delivery stage.
 * - {@link SpoolingKinesisSink} (KINESIS_DATA_STREAMS): spools, then puts the records into the
 *   embedded stream through the same KinesisEventSink as in AWS, with the spool offset as partition
 *   key so the stream reader can checkpoint by offset.
 * Records are packed (several event lines each) in both modes: one spool entry is one sink record,
 * so the delivery bookkeeping (by spool offset) is per record whatever it holds.
 */
import { FIREHOSE_SINK_LIMITS } from "../functions/aws/adapters/firehose-sink";
import { chunkRecords } from "../functions/core/packing";
import type { EventSink, SinkRecord, SinkRecordResult } from "../functions/core/ports";
import { Spool, SpoolEntry, SpoolUnavailableError } from "./spool";

/** Appends the records to the spool: their entries, or one failure per record when the spool write failed. */
async function spoolRecords(spool: Spool, records: SinkRecord[]): Promise<{ entries: SpoolEntry[] } | { failed: SinkRecordResult[] }> {
    try {
        return { entries: await spool.append(records.map((r) => r.data)) };
    } catch (error) {
        // Nothing of these records is stored (the spool cut a failed write back): the API answers
        // 503 with Retry-After when no record of the request was stored, and the client retries.
        const message = error instanceof SpoolUnavailableError ? error.message : `local spool: ${(error as Error).message}`;
        const result: SinkRecordResult = { ok: false, errorCode: "ServiceUnavailable", errorMessage: message };
        return { failed: Array.from({ length: records.length }, () => result) };
    }
}

/** DIRECT_BATCH: Firehose limits, events packed; spooled records go to `onSpooled`. */
export class SpoolSink implements EventSink {
    readonly maxRecordsPerCall = FIREHOSE_SINK_LIMITS.maxRecordsPerCall;
    readonly maxBytesPerCall = FIREHOSE_SINK_LIMITS.maxBytesPerCall;
    readonly maxRecordBytes = FIREHOSE_SINK_LIMITS.maxRecordBytes;
    readonly packsEvents = FIREHOSE_SINK_LIMITS.packsEvents;

    constructor(private readonly spool: Spool, private readonly onSpooled: (entries: SpoolEntry[]) => void) {}

    async putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]> {
        const spooled = await spoolRecords(this.spool, records);
        if ("failed" in spooled) return spooled.failed;
        const { entries } = spooled;
        this.onSpooled(entries);
        return entries.map(() => ({ ok: true }));
    }
}

const FORWARD_DELAYS_MS = [20, 100, 500, 1000];

/** When the spooling Kinesis sink answers; the default is after each request's put. */
export interface SpoolingKinesisOptions {
    /**
     * Bytes of spooled records that may still wait for their put when a request is answered. A
     * request whose records bring the backlog above it is answered only after its put (the API
     * slows down to the stream's pace). 0 (the default): every answer waits for its put.
     */
    answerAheadBytes?: number;
    /**
     * Whether the ingest packs several events per record; false for `dataStack: REDSHIFT` (the
     * streaming view makes one row per record). @default the stream's (true)
     */
    packsEvents?: boolean;
}

/**
 * KINESIS_DATA_STREAMS: the stream's limits (packing included); spools, then forwards to the stream.
 * The packer sized each record with its first event_id as partition key (a UUID, 36 bytes); the
 * spool offset that replaces it here has at most 16 digits, so every record still fits the limit.
 *
 * A record is durable once spooled (fsynced): records not yet put, or put but not yet delivered,
 * are put again from the spool at the next start (the embedded stream keeps nothing), and the
 * delivery checkpoint (by spool offset) lands each once. Waiting for the put before answering adds
 * no durability; with `answerAheadBytes` a request is answered once spooled while the stream is
 * less than that far behind, and after its put otherwise.
 */
export class SpoolingKinesisSink implements EventSink {
    readonly maxRecordsPerCall: number;
    readonly maxBytesPerCall: number;
    readonly maxRecordBytes: number;
    readonly packsEvents: boolean;
    /** Records the stream accepted (the reader is caught up when it has read as many). */
    forwarded = 0;
    private retryQueue: SpoolEntry[] = [];
    /** Spooled entries waiting for the put in flight to finish; the next put takes them all. */
    private waiting: { entries: SpoolEntry[]; resolve(): void; reject(error: unknown): void }[] = [];
    private putting = false;
    private retryTimer: NodeJS.Timeout | undefined;
    /** Bytes of the entries waiting and of the group being put. */
    private unputBytes = 0;
    private readonly answerAheadBytes: number;

    constructor(
        private readonly spool: Spool,
        private readonly stream: EventSink,
        private readonly log: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
        options: SpoolingKinesisOptions = {},
    ) {
        this.maxRecordsPerCall = stream.maxRecordsPerCall;
        this.maxBytesPerCall = stream.maxBytesPerCall;
        this.maxRecordBytes = stream.maxRecordBytes;
        this.packsEvents = options.packsEvents ?? stream.packsEvents;
        this.answerAheadBytes = Math.max(0, options.answerAheadBytes ?? 0);
    }

    async putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]> {
        const spooled = await spoolRecords(this.spool, records);
        if ("failed" in spooled) return spooled.failed;
        const { entries } = spooled;
        const put = this.forwardGrouped(entries);
        if (this.unputBytes > this.answerAheadBytes) {
            await put;
        } else {
            put.catch((error: Error) => this.log(`stream put failed, the records go at the next start: ${error.message}`));
        }
        // Durable in the spool: ok even if the stream put is still being retried.
        return entries.map(() => ({ ok: true }));
    }

    /**
     * Forwards entries together with those of the requests that were spooled while the previous
     * put was in flight: one PutRecords (split by the stream's limits) for many requests, as the
     * spool takes one fsync for them. Resolves once this call's entries were put (or queued for a
     * later retry).
     */
    private forwardGrouped(entries: SpoolEntry[]): Promise<void> {
        let bytes = 0;
        for (const e of entries) bytes += e.data.length;
        this.unputBytes += bytes;
        const done = (): void => {
            this.unputBytes -= bytes;
        };
        return new Promise<void>((resolve, reject) => {
            this.waiting.push({ entries, resolve: () => (done(), resolve()), reject: (error) => (done(), reject(error)) });
            void this.putWaiting();
        });
    }

    private async putWaiting(): Promise<void> {
        if (this.putting) return;
        this.putting = true;
        try {
            while (this.waiting.length > 0) {
                const group = this.waiting;
                this.waiting = [];
                try {
                    await this.forward(group.flatMap((g) => g.entries));
                    group.forEach((g) => g.resolve());
                } catch (error) {
                    // forward() retries failed puts itself: what throws here fails every request of the group.
                    group.forEach((g) => g.reject(error));
                }
            }
        } finally {
            this.putting = false;
        }
    }

    /** Puts spooled entries into the stream, retrying failures; what still fails is retried later. */
    async forward(entries: SpoolEntry[]): Promise<void> {
        let pending = entries;
        for (let attempt = 0; pending.length > 0 && attempt <= FORWARD_DELAYS_MS.length; attempt++) {
            if (attempt > 0) await new Promise((r) => setTimeout(r, FORWARD_DELAYS_MS[attempt - 1]));
            const failed: SpoolEntry[] = [];
            // Replays and retries gather entries of many requests: split by count and bytes.
            const items = pending.map((entry) => ({ entry, record: { data: entry.data, partitionKey: String(entry.offset) } }));
            for (const chunk of chunkRecords(items, this)) {
                let results: SinkRecordResult[];
                try {
                    results = await this.stream.putRecords(chunk.map((c) => c.record));
                } catch (error) {
                    this.log(`stream put failed: ${(error as Error).message}`);
                    failed.push(...chunk.map((c) => c.entry));
                    continue;
                }
                results.forEach((r, j) => {
                    if (r.ok) this.forwarded += 1;
                    else failed.push(chunk[j].entry);
                });
            }
            pending = failed;
        }
        if (pending.length > 0) {
            this.retryQueue.push(...pending);
            this.retryTimer ??= setTimeout(() => void this.retryLater(), 1000);
        }
    }

    /** Whether every spooled record has been accepted by the stream. */
    get idle(): boolean {
        return this.retryQueue.length === 0 && this.retryTimer === undefined && !this.putting && this.waiting.length === 0;
    }

    private async retryLater(): Promise<void> {
        const entries = this.retryQueue;
        this.retryQueue = [];
        this.retryTimer = undefined;
        await this.forward(entries);
    }

    /** Stops the background retry; records left are redone from the spool at the next start. */
    stop(): void {
        if (this.retryTimer) clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
    }
}
