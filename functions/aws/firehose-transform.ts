/**
 * Firehose's data-transformation protocol, a thin adapter over the row core (functions/core/rows.ts):
 * base64 record data in and out, the record id, the result (Ok / ProcessingFailed) and the
 * partition keys Firehose's dynamic partitioning reads from the metadata. Exactly one output per
 * input record, in input order; a record that cannot be read is returned unchanged as
 * ProcessingFailed (Firehose keeps it under its error prefix), so nothing is lost.
 */
import { base64OfText, textOfBase64 } from "./base64-text";
import { newRowStats, RowBatch, type RowDeps, type RowStats } from "../core/rows";
import { MICROS_PER_SECOND } from "./iceberg-record";

/** Environment variable of the transform: the unit of event_timestamp in the rows it returns. */
export const TIMESTAMP_UNIT = "TIMESTAMP_UNIT";
/** seconds: the Hive table (Parquet bigint); microseconds: Firehose's Iceberg destination (timestamp column). */
export type TimestampUnit = "seconds" | "microseconds";

/** A Firehose data-transformation input record. */
export interface FirehoseTransformInput {
    recordId: string;
    /** base64 */
    data: string;
    approximateArrivalTimestamp?: number;
}

/** A Firehose data-transformation output record. */
export interface FirehoseTransformOutput {
    recordId: string;
    result: "Ok" | "Dropped" | "ProcessingFailed";
    /** base64; for Ok, newline-delimited JSON rows of the events table. */
    data: string;
    metadata?: { partitionKeys: Record<string, string> };
}

/** What the transform needs: the row core's dependencies. */
export type TransformDeps = RowDeps;
/** The row core's counters, for the processing function's metrics. */
export type TransformStats = RowStats;
/** Fresh zeroed {@link TransformStats}. */
export const newTransformStats = newRowStats;

/**
 * Transforms one Firehose batch.
 * @returns one output per input `recordId`, same order.
 */
export async function transformRecords(records: readonly FirehoseTransformInput[], deps: TransformDeps, timestampUnit: TimestampUnit = "seconds"): Promise<FirehoseTransformOutput[]> {
    const batch = new RowBatch(deps);
    const out: FirehoseTransformOutput[] = new Array(records.length);
    for (let r = 0; r < records.length; r++) {
        const input = records[r]!;
        const rows = await batch.rowsOf(textOfBase64(input.data), input.approximateArrivalTimestamp);
        // Firehose's Iceberg destination reads one JSON row per record (docs/iceberg.md): a packed
        // record (an ingest deployed before one-event records) is kept under the error prefix
        // rather than handed over as several rows in one record.
        const oneRowPerRecord = timestampUnit !== "microseconds" || !rows.readable || rows.rows === 1;
        out[r] = rows.readable && oneRowPerRecord
            ? { recordId: input.recordId, result: "Ok", data: base64OfText(timestampUnit === "microseconds" ? inMicroseconds(rows.text) : rows.text), metadata: { partitionKeys: rows.partition } }
            : { recordId: input.recordId, result: "ProcessingFailed", data: input.data };
    }
    return out;
}

/**
 * The row text with every row's event_timestamp in epoch microseconds (toIcebergRow's rule; a null
 * timestamp stays null). The Hive path never calls it, so its rows stay byte-identical.
 */
export function inMicroseconds(text: string): string {
    return text.split("\n").map((line) => {
        if (line.length === 0) return line;
        const row = JSON.parse(line) as { event_timestamp: number | null };
        if (row.event_timestamp !== null) {
            const micros = row.event_timestamp * MICROS_PER_SECOND;
            if (!Number.isSafeInteger(micros)) throw new RangeError(`event_timestamp: ${row.event_timestamp} seconds is out of the range of an Iceberg timestamp in microseconds`);
            row.event_timestamp = micros;
        }
        return JSON.stringify(row);
    }).join("\n");
}
