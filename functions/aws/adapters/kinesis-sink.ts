/**
 * EventSink on Amazon Kinesis Data Streams (KINESIS_DATA_STREAMS mode): PutRecords of packed
 * records. functions/core/packing.ts puts the events of a request into records of newline-delimited
 * IngestRecord lines, up to the 1 MiB record limit (partition key included), never mixing two UTC
 * days; a record's partition key is its first event's event_id (a random UUID, so records spread
 * evenly over the shards). Both consumers read several lines per record: the Firehose transform
 * (functions/core/rows.ts) and the real-time metrics (functions/core/realtime-metrics.ts).
 */
import { type KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import type { SinkLimits } from "../../core/packing";
import { PackingEventSink } from "./packing-sink";

/** Kinesis record limit: 1 MiB of data plus partition key (keys are at most 256 bytes, ids 36). */
export const KINESIS_MAX_RECORD_BYTES = 1024 * 1024;
/**
 * Whether the Kinesis sink packs several events per record. On-demand Kinesis bills each record
 * rounded up to 1 KB in and out, and Firehose reading the stream bills each record rounded up to
 * 5 KB, so one ~1.2 KB event per record would be billed 2 KB and 5 KB. The cost model reads this.
 */
export const KINESIS_PACKS_EVENTS = true;
/** PutRecords limits: 500 records, 5 MiB including partition keys. */
export const KINESIS_MAX_RECORDS_PER_CALL = 500;
export const KINESIS_MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
/** Kinesis limits as this sink declares them (1 MiB records including the partition key). */
export const KINESIS_SINK_LIMITS: SinkLimits = {
    packsEvents: KINESIS_PACKS_EVENTS, maxRecordBytes: KINESIS_MAX_RECORD_BYTES, maxRecordsPerCall: KINESIS_MAX_RECORDS_PER_CALL, maxBytesPerCall: KINESIS_MAX_BYTES_PER_CALL,
};

/** Sends packed records to a stream (see the module comment for the record format). */
export class KinesisEventSink extends PackingEventSink {
    /**
     * @param client the Kinesis client
     * @param streamName the stream's name
     * @param packsEvents false: one event per record (REDSHIFT: the streaming materialized view reads one JSON document per record)
     * @default packsEvents KINESIS_SINK_LIMITS.packsEvents (KINESIS_PACKS_EVENTS, true)
     * @example new KinesisEventSink(new KinesisClient({}), "game1-events")
     */
    constructor(client: KinesisClient, streamName: string, packsEvents: boolean = KINESIS_SINK_LIMITS.packsEvents) {
        super(KINESIS_SINK_LIMITS, packsEvents, async (records) => (await client.send(
            new PutRecordsCommand({ StreamName: streamName, Records: records.map((r) => ({ Data: r.data, PartitionKey: r.partitionKey })) }),
        )).Records);
    }
}
