/**
 * EventSink on Amazon Data Firehose (DIRECT_BATCH mode): PutRecordBatch, packed records.
 */
import { type FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import type { SinkLimits } from "../../core/packing";
import { PackingEventSink } from "./packing-sink";

/** Firehose record limit: 1,000 KiB. */
export const FIREHOSE_MAX_RECORD_BYTES = 1_000 * 1024;
/** PutRecordBatch limits: 500 records, 4 MiB. */
export const FIREHOSE_MAX_RECORDS_PER_CALL = 500;
export const FIREHOSE_MAX_BYTES_PER_CALL = 4 * 1024 * 1024;
/** Firehose limits as this sink declares them (it packs events). */
export const FIREHOSE_SINK_LIMITS: SinkLimits = {
    packsEvents: true, maxRecordBytes: FIREHOSE_MAX_RECORD_BYTES, maxRecordsPerCall: FIREHOSE_MAX_RECORDS_PER_CALL, maxBytesPerCall: FIREHOSE_MAX_BYTES_PER_CALL,
};

/** Sends records to a delivery stream. Firehose bills per 5 KB of each record, so events are packed. */
export class FirehoseEventSink extends PackingEventSink {
    /**
     * @param client the Firehose client
     * @param deliveryStreamName the delivery stream's name
     * @param packsEvents false: one event per record (ICEBERG: the Iceberg destination reads one JSON row per record)
     * @default packsEvents FIREHOSE_SINK_LIMITS.packsEvents (true)
     * @example new FirehoseEventSink(new FirehoseClient({}), "game1-raw-events")
     */
    constructor(client: FirehoseClient, deliveryStreamName: string, packsEvents: boolean = FIREHOSE_SINK_LIMITS.packsEvents) {
        super(FIREHOSE_SINK_LIMITS, packsEvents, async (records) => (await client.send(
            new PutRecordBatchCommand({ DeliveryStreamName: deliveryStreamName, Records: records.map((r) => ({ Data: r.data })) }),
        )).RequestResponses);
    }
}
