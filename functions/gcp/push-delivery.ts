/**
 * Delivery of one Pub/Sub push message of the events topic (KINESIS_DATA_STREAMS mode): the
 * ingest record goes through the shared row core and its rows are published to the rows topic.
 * The HTTP status is the acknowledgement: 2xx acks; anything else makes Pub/Sub redeliver, and
 * after the subscription's delivery attempts the message goes to the dead-letter topic (kept in
 * the lake): an unreadable record is never dropped.
 */
import type { RowDeps as TransformDeps } from "../core/rows";
import { rowsOfRecords } from "./rows";
import type { TopicPublisher } from "./pubsub-sink";

/** The push request body Pub/Sub sends. */
export interface PushBody {
    message?: { data?: string; messageId?: string; publishTime?: string };
    subscription?: string;
}

/** Outcome: the status to answer and why. */
export interface PushOutcome {
    status: 204 | 400 | 503;
    rows: number;
    reason?: string;
}

/** Handles one push message. */
export async function deliverPushMessage(body: unknown, rowsTopic: TopicPublisher, deps: TransformDeps): Promise<PushOutcome> {
    const message = (body as PushBody | undefined)?.message;
    if (typeof message?.data !== "string") return { status: 400, rows: 0, reason: "message.data: required (base64)" };
    const text = Buffer.from(message.data, "base64").toString("utf8");
    const arrival = message.publishTime ? Date.parse(message.publishTime) : undefined;
    let result;
    try {
        [result] = await rowsOfRecords([text], deps, Number.isNaN(arrival) ? undefined : arrival);
    } catch (err) {
        return { status: 503, rows: 0, reason: `registry unavailable: ${(err as Error).message}` };
    }
    if (!result || !result.ok) return { status: 400, rows: 0, reason: result?.reason ?? "no rows" };
    try {
        await Promise.all(result.rows.map((row) => rowsTopic.publishMessage({ data: Buffer.from(row, "utf8") })));
    } catch (err) {
        return { status: 503, rows: 0, reason: `rows topic unavailable: ${(err as Error).message}` };
    }
    return { status: 204, rows: result.rows.length };
}
