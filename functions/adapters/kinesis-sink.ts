/**
 * EventSink on Amazon Kinesis Data Streams (KINESIS_DATA_STREAMS mode): PutRecords, one event per
 * record, partition key = event_id.
 */
import { type KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import type { EventSink, SinkRecord, SinkRecordResult } from "../core/ports";

/** Kinesis record limit: 1 MiB of data plus partition key (keys are at most 256 bytes, ids 36). */
export const KINESIS_MAX_RECORD_BYTES = 1024 * 1024;
/** PutRecords limits: 500 records, 5 MiB including partition keys. */
export const KINESIS_MAX_RECORDS_PER_CALL = 500;
export const KINESIS_MAX_BYTES_PER_CALL = 5 * 1024 * 1024;

/** Sends records to a stream; the real-time consumers expect one event per record. */
export class KinesisEventSink implements EventSink {
    readonly maxRecordsPerCall = KINESIS_MAX_RECORDS_PER_CALL;
    readonly maxBytesPerCall = KINESIS_MAX_BYTES_PER_CALL;
    readonly maxRecordBytes = KINESIS_MAX_RECORD_BYTES;
    readonly packsEvents = false;

    constructor(
        private readonly client: KinesisClient,
        private readonly streamName: string,
    ) {}

    async putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]> {
        const out = await this.client.send(
            new PutRecordsCommand({
                StreamName: this.streamName,
                Records: records.map((r) => ({ Data: r.data, PartitionKey: r.partitionKey })),
            }),
        );
        const results = out.Records ?? [];
        return records.map((_, i) => {
            const result = results[i];
            if (result === undefined) return { ok: false, errorMessage: "no response for this record" };
            if (result.ErrorCode) return { ok: false, errorCode: result.ErrorCode, errorMessage: result.ErrorMessage };
            return { ok: true };
        });
    }
}
