/**
 * The local mode's event sinks. Both write the records to the spool (fsynced) before answering,
 * so a record reported ok survives a crash:
 * - {@link SpoolSink} (DIRECT_BATCH): the spool stands for Firehose; records go to the delivery stage.
 * - {@link SpoolingKinesisSink} (KINESIS_DATA_STREAMS): spools, then puts the records into the
 *   embedded stream through the same KinesisEventSink as in AWS, with the spool offset as partition
 *   key so the stream reader can checkpoint by offset.
 */
import {
    FIREHOSE_MAX_BYTES_PER_CALL,
    FIREHOSE_MAX_RECORD_BYTES,
    FIREHOSE_MAX_RECORDS_PER_CALL,
} from "../functions/adapters/firehose-sink";
import type { EventSink, SinkRecord, SinkRecordResult } from "../functions/core/ports";
import { Spool, SpoolEntry } from "./spool";

function spoolFailure(error: unknown, count: number): SinkRecordResult[] {
    const result: SinkRecordResult = { ok: false, errorCode: "ServiceUnavailable", errorMessage: `local spool: ${(error as Error).message}` };
    return Array.from({ length: count }, () => result);
}

/** DIRECT_BATCH: Firehose limits, events packed; spooled records go to `onSpooled`. */
export class SpoolSink implements EventSink {
    readonly maxRecordsPerCall = FIREHOSE_MAX_RECORDS_PER_CALL;
    readonly maxBytesPerCall = FIREHOSE_MAX_BYTES_PER_CALL;
    readonly maxRecordBytes = FIREHOSE_MAX_RECORD_BYTES;
    readonly packsEvents = true;

    constructor(private readonly spool: Spool, private readonly onSpooled: (entries: SpoolEntry[]) => void) {}

    async putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]> {
        let entries: SpoolEntry[];
        try {
            entries = await this.spool.append(records.map((r) => r.data));
        } catch (error) {
            return spoolFailure(error, records.length);
        }
        this.onSpooled(entries);
        return entries.map(() => ({ ok: true }));
    }
}

const FORWARD_DELAYS_MS = [20, 100, 500, 1000];

/** KINESIS_DATA_STREAMS: the stream's limits; spools, then forwards to the stream. */
export class SpoolingKinesisSink implements EventSink {
    readonly maxRecordsPerCall: number;
    readonly maxBytesPerCall: number;
    readonly maxRecordBytes: number;
    readonly packsEvents: boolean;
    /** Records the stream accepted (the reader is caught up when it has read as many). */
    forwarded = 0;
    private retryQueue: SpoolEntry[] = [];
    private retryTimer: NodeJS.Timeout | undefined;

    constructor(
        private readonly spool: Spool,
        private readonly stream: EventSink,
        private readonly log: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
    ) {
        this.maxRecordsPerCall = stream.maxRecordsPerCall;
        this.maxBytesPerCall = stream.maxBytesPerCall;
        this.maxRecordBytes = stream.maxRecordBytes;
        this.packsEvents = stream.packsEvents;
    }

    async putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]> {
        let entries: SpoolEntry[];
        try {
            entries = await this.spool.append(records.map((r) => r.data));
        } catch (error) {
            return spoolFailure(error, records.length);
        }
        await this.forward(entries);
        // Durable in the spool: ok even if the stream put is still being retried.
        return entries.map(() => ({ ok: true }));
    }

    /** Puts spooled entries into the stream, retrying failures; what still fails is retried later. */
    async forward(entries: SpoolEntry[]): Promise<void> {
        let pending = entries;
        for (let attempt = 0; pending.length > 0 && attempt <= FORWARD_DELAYS_MS.length; attempt++) {
            if (attempt > 0) await new Promise((r) => setTimeout(r, FORWARD_DELAYS_MS[attempt - 1]));
            const failed: SpoolEntry[] = [];
            for (let i = 0; i < pending.length; i += this.maxRecordsPerCall) {
                const chunk = pending.slice(i, i + this.maxRecordsPerCall);
                let results: SinkRecordResult[];
                try {
                    results = await this.stream.putRecords(chunk.map((e) => ({ data: e.data, partitionKey: String(e.offset) })));
                } catch (error) {
                    this.log(`stream put failed: ${(error as Error).message}`);
                    failed.push(...chunk);
                    continue;
                }
                results.forEach((r, j) => {
                    if (r.ok) this.forwarded += 1;
                    else failed.push(chunk[j]);
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
        return this.retryQueue.length === 0 && this.retryTimer === undefined;
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
