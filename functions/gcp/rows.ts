/**
 * Ingest records -> BigQuery rows, through the shared row core (functions/core/transform.ts): the
 * same validation, enrichment, statuses and partition day as on AWS. Each row becomes one Pub/Sub
 * message (the BigQuery subscription writes one message as one row), with `event_day`, the
 * partition column, from the core's year/month/day.
 *
 * The core speaks Firehose's record shape today (base64 in and out); this adapter wraps each
 * record in that shape. When the protocol-free row core lands (issue 11), call it instead.
 */
import { base64OfText, textOfBase64 } from "../core/base64-text";
import type { FirehoseTransformInput } from "../core/contracts";
import { type TransformDeps, transformRecords } from "../core/transform";

/** The rows of one ingest record, or why it could not be read. */
export type RecordRows = { ok: true; rows: string[] } | { ok: false; reason: string };

/**
 * Rows of each record (newline-delimited ingest lines), in input order. A record whose lines
 * cannot be read is answered `ok: false` (the caller keeps it: dead letter or error answer).
 */
export async function rowsOfRecords(records: readonly string[], deps: TransformDeps, arrivalMs?: number): Promise<RecordRows[]> {
    const inputs: FirehoseTransformInput[] = records.map((text, i) => ({
        recordId: String(i),
        data: base64OfText(text),
        ...(arrivalMs !== undefined ? { approximateArrivalTimestamp: arrivalMs } : {}),
    }));
    const outputs = await transformRecords(inputs, deps);
    return outputs.map((out): RecordRows => {
        if (out.result !== "Ok" || !out.metadata) return { ok: false, reason: "not a readable ingest record (JSON lines with application_id and event)" };
        const { year, month, day } = out.metadata.partitionKeys;
        const eventDay = `,"event_day":"${year}-${month}-${day}"}`;
        const rows = textOfBase64(out.data).split("\n").filter((line) => line !== "").map((row) => row.slice(0, -1) + eventDay);
        return { ok: true, rows };
    });
}
