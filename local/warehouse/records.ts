/**
 * Turns the stream's records into rows of the warehouse's records relation (the local stand-in of
 * Redshift's streaming materialized view, see analytics/query-definitions/local-postgres.ts).
 *
 * Redshift gets one event per Kinesis record (the ingest does not pack in REDSHIFT mode). The local
 * stream reader may still see packed records (several newline-terminated JSON lines, see
 * functions/core/packing.ts), so each line becomes its own row: one row per event either way.
 * A line that is not one JSON object is kept as `unparsedData` (Redshift keeps such a record in
 * `unparsed_data`), never dropped.
 */

/** One row of the records relation. */
export interface WarehouseRecordRow {
    /** Epoch milliseconds when the record reached the stream. */
    arrivalMs: number;
    partitionKey: string;
    shardId: string;
    sequenceNumber: string;
    /** The parsed JSON object, or undefined when the line is not one. */
    payload?: Record<string, unknown>;
    /** The line's bytes when it could not be parsed. */
    unparsedData?: Buffer;
}

/** A record as the stream reader sees it. */
export interface StreamRecord {
    data: Buffer;
    /** Epoch milliseconds. */
    arrivalMs: number;
    partitionKey: string;
    /** @default "shardId-000000000000" */
    shardId?: string;
    sequenceNumber: string;
}

/** One row per non-empty line of the record. */
export function rowsOfRecord(record: StreamRecord): WarehouseRecordRow[] {
    const rows: WarehouseRecordRow[] = [];
    const text = record.data.toString("utf8");
    const base = {
        arrivalMs: record.arrivalMs,
        partitionKey: record.partitionKey,
        shardId: record.shardId ?? "shardId-000000000000",
        sequenceNumber: record.sequenceNumber,
    };
    for (const line of text.split("\n")) {
        if (line.trim() === "") continue;
        let parsed: unknown;
        try {
            parsed = JSON.parse(line);
        } catch {
            parsed = undefined;
        }
        if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
            rows.push({ ...base, payload: parsed as Record<string, unknown> });
        } else {
            rows.push({ ...base, unparsedData: Buffer.from(line, "utf8") });
        }
    }
    return rows;
}
