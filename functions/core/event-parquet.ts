/**
 * Parquet encoding of event rows with exactly the Glue columns of the events table
 * (EVENT_COLUMNS: `string` as BYTE_ARRAY UTF8, `bigint` as INT64, every column OPTIONAL), Snappy
 * compressed like Firehose's record format conversion writes them (its ParquetSerDe compression
 * SNAPPY), so Athena's table, the Glue ETL job and Redshift's COPY read the stream archiver's files
 * like Firehose's. Pure computation; the encoder is hyparquet-writer, an ES module loaded once
 * with `import()` (the Lambda bundle inlines it).
 *
 * Deterministic: the same rows give the same bytes (no write time in the file), so a retried
 * batch overwrites an object with identical content.
 */
import { EVENT_COLUMNS, type EventRow } from "./contracts";

/** A row as the row core writes it: schema_mismatch rows may have null required columns. */
export type ParquetEventRow = { [K in keyof EventRow]: EventRow[K] | null };

/** Encodes rows into one Parquet file (one row group). */
export type EventParquetEncoder = (rows: readonly ParquetEventRow[]) => Uint8Array;

/** The Parquet schema of the events table: a root and one OPTIONAL leaf per EVENT_COLUMNS entry. */
export function eventParquetSchema(): { name: string; type?: string; converted_type?: string; repetition_type?: string; num_children?: number }[] {
    return [
        { name: "root", num_children: EVENT_COLUMNS.length },
        ...EVENT_COLUMNS.map((c) => c.glueType === "bigint"
            ? { name: c.name, type: "INT64", repetition_type: "OPTIONAL" }
            : { name: c.name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" }),
    ];
}

type HyparquetWriter = typeof import("hyparquet-writer");
let writer: Promise<HyparquetWriter> | undefined;

/**
 * The encoder, hyparquet-writer loaded on first use.
 * @example const encode = await loadEventParquetEncoder(); const bytes = encode(rows);
 */
export async function loadEventParquetEncoder(): Promise<EventParquetEncoder> {
    writer ??= import("hyparquet-writer");
    const { parquetWriteBuffer } = await writer;
    const schema = eventParquetSchema();
    return (rows) => {
        if (rows.length === 0) throw new RangeError("rows: a Parquet file of the events table needs at least one row");
        const columnData = EVENT_COLUMNS.map((c) => ({
            name: c.name,
            data: rows.map((r) => {
                const value = r[c.name];
                if (value === null || value === undefined) return null;
                if (c.glueType === "bigint") return BigInt(value as number);
                return value;
            }),
        }));
        // The schema elements are the package's SchemaElement (types from hyparquet).
        const buffer = parquetWriteBuffer({ columnData, schema: schema as Parameters<typeof parquetWriteBuffer>[0]["schema"], codec: "SNAPPY", statistics: true });
        return new Uint8Array(buffer);
    };
}
