/**
 * The EventSink shape both batch-put adapters share (Firehose PutRecordBatch in firehose-sink.ts,
 * Kinesis PutRecords in kinesis-sink.ts): the service's limits, whether events are packed
 * (functions/core/packing.ts), and one put call per batch whose answer holds one entry per record.
 */
import type { SinkLimits } from "../../core/packing";
import type { EventSink, SinkRecord, SinkRecordResult } from "../../core/ports";
import { type BatchPutEntry, batchResults } from "./batch-results";

/** One service call putting `records`; resolves to the service's per-record entries, in input order. */
export type BatchPut = (records: SinkRecord[]) => Promise<readonly BatchPutEntry[] | undefined>;

/** A sink with the limits it declares and the batch put of its service. */
export class PackingEventSink implements EventSink {
    readonly maxRecordsPerCall: number;
    readonly maxBytesPerCall: number;
    readonly maxRecordBytes: number;

    /**
     * @param limits the service's limits (records and bytes per call, bytes per record)
     * @param packsEvents false: one event per record; true: several newline-delimited events per record
     * @param put the service call for one batch
     * @example new PackingEventSink(KINESIS_SINK_LIMITS, true, async (records) => (await client.send(command(records))).Records)
     */
    constructor(limits: SinkLimits, readonly packsEvents: boolean, private readonly put: BatchPut) {
        this.maxRecordsPerCall = limits.maxRecordsPerCall;
        this.maxBytesPerCall = limits.maxBytesPerCall;
        this.maxRecordBytes = limits.maxRecordBytes;
    }

    /** Puts the records in one call; a record the answer has no entry for counts as failed. */
    async putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]> {
        return batchResults(records.length, await this.put(records));
    }
}
