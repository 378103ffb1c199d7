/**
 * EventSink over a Pub/Sub topic; the answer of each publish is the answer of the events it carries.
 * Two modes:
 * - `records` (KINESIS_DATA_STREAMS): ingest record lines are packed as on Kinesis (one UTC day per
 *   message, up to 1 MiB) and published to the events topic: one push to the processing function
 *   per message, not per event (Cloud Run bills requests);
 * - `rows` (DIRECT_BATCH): one event per record; its line goes through the shared row core and the
 *   row is published to the rows topic, whose BigQuery subscription writes one message as one row.
 * The client library batches publishes itself; this adapter only maps results.
 */
import type { EventSink, SinkRecord, SinkRecordResult } from "../core/ports";
import type { RowDeps as TransformDeps } from "../core/rows";
import { rowsOfRecords } from "./rows";

/** The one call of the client library the sink makes (`Topic.publishMessage` of @google-cloud/pubsub). */
export interface TopicPublisher {
    publishMessage(message: { data: Buffer; attributes?: Record<string, string> }): Promise<string>;
}

/** Pub/Sub limits: 1,000 messages and 10 MB per publish request; records are held to 1 MiB like Kinesis. */
export const PUBSUB_MAX_MESSAGES_PER_CALL = 1000;
export const PUBSUB_MAX_BYTES_PER_CALL = 9 * 1024 * 1024;
export const PUBSUB_MAX_RECORD_BYTES = 1024 * 1024;

/** Error code of an event that the row core could not turn into a row. */
export const ROW_REJECTED = "RowRejected";

export class PubSubEventSink implements EventSink {
    readonly maxRecordsPerCall = PUBSUB_MAX_MESSAGES_PER_CALL;
    readonly maxBytesPerCall = PUBSUB_MAX_BYTES_PER_CALL;
    readonly maxRecordBytes = PUBSUB_MAX_RECORD_BYTES;
    readonly packsEvents: boolean;

    /**
     * @param topic publisher of the target topic
     * @param mode `records` publishes ingest records; `rows` publishes rows built with `transform`
     * @param transform the row core's dependencies (rows mode only)
     */
    constructor(private readonly topic: TopicPublisher, private readonly mode: "records" | "rows", private readonly transform?: TransformDeps) {
        if (mode === "rows" && transform === undefined) throw new Error("PubSubEventSink: rows mode needs the row core's dependencies");
        this.packsEvents = mode === "records";
    }

    async putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]> {
        const texts = records.map((r) => r.data.toString("utf8"));
        if (this.mode === "records") return this.publishAll(texts.map((t) => [t]));
        const rows = await rowsOfRecords(texts, this.transform!);
        const results: SinkRecordResult[] = new Array(records.length);
        const publishable: string[][] = [];
        const indexes: number[] = [];
        rows.forEach((r, i) => {
            if (r.ok) {
                publishable.push(r.rows);
                indexes.push(i);
            } else {
                results[i] = { ok: false, errorCode: ROW_REJECTED, errorMessage: r.reason };
            }
        });
        const published = await this.publishAll(publishable);
        published.forEach((result, j) => { results[indexes[j]!] = result; });
        return results;
    }

    /** Publishes every message of each record; a record is ok when all its messages are. */
    private async publishAll(messagesOfRecords: string[][]): Promise<SinkRecordResult[]> {
        return Promise.all(messagesOfRecords.map(async (messages): Promise<SinkRecordResult> => {
            const settled = await Promise.allSettled(messages.map((m) => this.topic.publishMessage({ data: Buffer.from(m, "utf8") })));
            const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
            if (!failure) return { ok: true };
            const err = failure.reason as { code?: unknown; name?: string; message?: string };
            const code = typeof err?.code === "number" ? `PubSub${err.code}` : err?.name && err.name !== "Error" ? err.name : "ServiceUnavailable";
            return { ok: false, errorCode: code, errorMessage: "the event topic rejected the message" };
        }));
    }
}
