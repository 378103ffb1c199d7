/**
 * Sizes of what actually travels through the pipeline for an event of a given size, computed from
 * the real shapes: the IngestRecord line the ingest Lambda writes (functions/core/contracts.ts),
 * the records the real packing code builds from one request (functions/core/packing.ts), and the
 * EventRow the transform hands to Parquet conversion.
 */
import type { EventRow, GameEvent, IngestRecord } from "../functions/core/contracts";
import { packLines, type PendingLine, type SinkLimits } from "../functions/core/packing";
import { FIREHOSE_SINK_LIMITS } from "../functions/aws/adapters/firehose-sink";
import { KINESIS_SINK_LIMITS } from "../functions/aws/adapters/kinesis-sink";
import { roundUpTo } from "./units";

export { FIREHOSE_SINK_LIMITS, KINESIS_SINK_LIMITS };

const SAMPLE_UUID = "3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60";
/** 2026-01-01T00:00:00Z: every sample event of a request falls on the same UTC day. */
const SAMPLE_EPOCH_SECONDS = 1_767_225_600;
/** An application name of typical length (the transform adds it to every row). */
const SAMPLE_APPLICATION_NAME = "my-awesome-game";

/** The smallest event size the model accepts: a level_completed event with an empty padding field. */
export const MIN_EVENT_SIZE_BYTES = Buffer.byteLength(JSON.stringify(sampleEvent(0)));

function sampleEvent(padding: number): GameEvent {
    return {
        event_id: SAMPLE_UUID,
        event_type: "level_completed",
        event_name: "level_completed",
        event_timestamp: SAMPLE_EPOCH_SECONDS,
        event_version: "1.0.0",
        app_version: "1.2.0",
        event_data: { level_id: "level_42", level_version: "1.0.0", detail: "x".repeat(padding) },
    };
}

/** A realistic event whose JSON is exactly `sizeBytes` long (padding in event_data). */
export function eventOfSize(sizeBytes: number): GameEvent {
    if (!Number.isInteger(sizeBytes) || sizeBytes < MIN_EVENT_SIZE_BYTES) {
        throw new RangeError(`event size must be a whole number of bytes >= ${MIN_EVENT_SIZE_BYTES}`);
    }
    return sampleEvent(sizeBytes - MIN_EVENT_SIZE_BYTES);
}

/** The JSON line the ingest Lambda writes for one event (without the trailing newline). */
export function ingestLine(event: GameEvent): string {
    const record: IngestRecord = {
        application_id: SAMPLE_UUID,
        event,
        request_id: SAMPLE_UUID,
        request_time_epoch: SAMPLE_EPOCH_SECONDS * 1000 + 123,
    };
    return JSON.stringify(record);
}

/** The stored row (newline-delimited JSON) the transform emits for one event, before Parquet. */
export function rowLine(event: GameEvent): string {
    const row: EventRow = {
        event_id: event.event_id,
        event_type: event.event_type,
        event_name: event.event_name,
        event_version: event.event_version ?? null,
        event_timestamp: event.event_timestamp,
        app_version: event.app_version ?? null,
        application_id: SAMPLE_UUID,
        application_name: SAMPLE_APPLICATION_NAME,
        event_data: event.event_data === undefined ? null : JSON.stringify(event.event_data),
        metadata: JSON.stringify({
            ingestion_id: SAMPLE_UUID,
            processing_timestamp: SAMPLE_EPOCH_SECONDS * 1000 + 456,
            processing_status: "ok",
            api: { request_id: SAMPLE_UUID, request_time_epoch: SAMPLE_EPOCH_SECONDS * 1000 + 123 },
        }),
        player_id: null,
        source_event_id: null,
    };
    return JSON.stringify(row) + "\n";
}

/** Records of one request and their billable sizes. */
export interface RequestRecords {
    /** Sink records one request produces. */
    records: number;
    /** Sum of record sizes (data + partition key), bytes. */
    bytes: number;
    /** Sum of record sizes rounded up per record to `increment`. */
    billedBytes(increment: number): number;
}

/**
 * Runs the real packing code on one request of `eventsPerRequest` events of `eventSizeBytes`
 * with the sink's limits. With `pack` false every event becomes its own record. Kinesis counts
 * the partition key in the record size; Firehose records have none.
 */
export function recordsOfRequest(eventSizeBytes: number, eventsPerRequest: number, sink: "firehose" | "kinesis", pack: boolean): RequestRecords {
    const limits: SinkLimits = { ...(sink === "firehose" ? FIREHOSE_SINK_LIMITS : KINESIS_SINK_LIMITS), packsEvents: pack };
    const event = eventOfSize(eventSizeBytes);
    const line = ingestLine(event);
    const day = Math.floor(event.event_timestamp / 86_400);
    const lines: PendingLine[] = Array.from({ length: eventsPerRequest }, (_, index) => ({ index, line, partitionKey: event.event_id, day }));
    const packed = packLines(lines, limits);
    if (packed.tooLarge.length > 0) {
        throw new RangeError(`an event of ${eventSizeBytes} bytes does not fit one sink record (${packed.tooLarge[0].bytes} > ${limits.maxRecordBytes} bytes)`);
    }
    const sizes = packed.records.map((r) => r.record.data.length + (sink === "kinesis" ? Buffer.byteLength(r.record.partitionKey) : 0));
    return {
        records: sizes.length,
        bytes: sizes.reduce((a, b) => a + b, 0),
        billedBytes: (increment: number) => sizes.reduce((a, s) => a + roundUpTo(s, increment), 0),
    };
}

/**
 * One record per event of exactly the event's size: how the guidance's published table counts
 * (it ignores the wrapper its API mapping template adds around each event).
 */
export function unpackedEventRecords(eventSizeBytes: number, eventsPerRequest: number): RequestRecords {
    return {
        records: eventsPerRequest,
        bytes: eventsPerRequest * eventSizeBytes,
        billedBytes: (increment: number) => eventsPerRequest * roundUpTo(eventSizeBytes, increment),
    };
}
