/**
 * Ingest records -> BigQuery rows, through the shared row core (functions/core/rows.ts): the same
 * validation, enrichment, statuses and partition day as on AWS and in the local mode. Each row
 * becomes one Pub/Sub message (the BigQuery subscription writes one message as one row), with
 * `event_day`, the partition column, from the core's year/month/day.
 */
import { RowBatch, type RowDeps } from "../core/rows";

/** The rows of one ingest record, or why it could not be read. */
export type RecordRows = { ok: true; rows: string[] } | { ok: false; reason: string };

/**
 * Rows of each record (newline-delimited ingest lines), in input order. A record whose lines
 * cannot be read is answered `ok: false` (the caller keeps it: dead letter or error answer).
 */
export async function rowsOfRecords(records: readonly string[], deps: RowDeps, arrivalMs?: number): Promise<RecordRows[]> {
    const batch = new RowBatch(deps);
    const out: RecordRows[] = [];
    for (const text of records) {
        const result = await batch.rowsOf(text, arrivalMs);
        if (!result.readable) {
            out.push({ ok: false, reason: "not a readable ingest record (JSON lines with application_id and event)" });
            continue;
        }
        const { year, month, day } = result.partition;
        const eventDay = `,"event_day":"${year}-${month}-${day}"}`;
        out.push({ ok: true, rows: result.text.split("\n").filter((line) => line !== "").map((row) => row.slice(0, -1) + eventDay) });
    }
    return out;
}
