/**
 * Builders of ingest records, stream records and tumbling-window events for the real-time tests.
 */
import { randomUUID } from "node:crypto";
import type { GameEvent, IngestRecord } from "../../../functions/core/contracts";
import type { StreamRecord } from "../../../functions/core/realtime-metrics";
import type { RealtimeWindowEvent } from "../../../functions/aws/handlers/realtime-metrics";

export const APP_A = "8d0f9f3e-6f0e-4d5c-9a57-1b2c3d4e5f60";
export const APP_B = "1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b";
export const WINDOW_START = "2026-01-05T12:00:00Z";
/** Epoch seconds of WINDOW_START. */
export const WINDOW_START_SECONDS = Date.parse(WINDOW_START) / 1000;

/** A game event of `type` (event_name = type) at `timestamp`, with `data`. */
export function gameEvent(type: string, data: Record<string, unknown> = {}, timestamp = WINDOW_START_SECONDS - 2): GameEvent {
    return { event_id: randomUUID(), event_type: type, event_name: type, event_timestamp: timestamp, event_version: "1.0.0", app_version: "1.2.0", event_data: data };
}

/** The line the ingest stage writes for `event` of `applicationId`. */
export function ingestLine(applicationId: string, event: GameEvent): string {
    const record: IngestRecord = { application_id: applicationId, event, request_id: "req-1", request_time_epoch: event.event_timestamp * 1000 };
    return JSON.stringify(record);
}

let sequence = 1000;

/** One stream record holding `lines` (newline-delimited), arrived at `arrival` epoch seconds. */
export function streamRecord(lines: string[], arrival = WINDOW_START_SECONDS + 1): StreamRecord {
    sequence++;
    return { sequenceNumber: `4963${sequence}`, text: lines.map((l) => l + "\n").join(""), approximateArrivalTimestamp: arrival };
}

/** Stream records of one ingest line each. */
export function recordsOf(applicationId: string, events: GameEvent[], arrival?: number): StreamRecord[] {
    return events.map((e) => streamRecord([ingestLine(applicationId, e)], arrival));
}

/** A tumbling-window event as Lambda sends it for a Kinesis source. */
export function windowEvent(records: StreamRecord[], state: unknown, final: boolean, windowStart = WINDOW_START): RealtimeWindowEvent {
    const end = new Date(Date.parse(windowStart) + 60_000).toISOString();
    return {
        Records: records.map((r) => ({
            awsRegion: "us-east-1",
            eventID: `shardId-000000000000:${r.sequenceNumber}`,
            eventName: "aws:kinesis:record",
            eventSource: "aws:kinesis",
            eventSourceARN: "arn:aws:kinesis:us-east-1:123456789012:stream/test-events",
            eventVersion: "1.0",
            invokeIdentityArn: "arn:aws:iam::123456789012:role/test",
            kinesis: {
                approximateArrivalTimestamp: r.approximateArrivalTimestamp,
                data: Buffer.from(r.text, "utf8").toString("base64"),
                kinesisSchemaVersion: "1.0",
                partitionKey: "pk",
                sequenceNumber: r.sequenceNumber,
            },
        })),
        window: { start: windowStart, end },
        state: state as Record<string, unknown>,
        isFinalInvokeForWindow: final,
        isWindowTerminatedEarly: false,
        shardId: "shardId-000000000000",
        eventSourceARN: "arn:aws:kinesis:us-east-1:123456789012:stream/test-events",
    };
}

/** A JSON round trip, as Lambda does with the state between invocations. */
export function throughLambda<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}
