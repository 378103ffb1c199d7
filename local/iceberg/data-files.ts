/**
 * Writes Iceberg data files with DuckDB: Parquet (snappy) whose columns carry the schema's field
 * ids (`FIELD_IDS`), written under a temporary name, fsynced and renamed; then the manifest's
 * `data_file` struct with the file's real size, row count, per-column value/null counts and the
 * lower/upper bounds of event_timestamp and application_id, measured on the written file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DuckDBConnection } from "@duckdb/node-api";
import { sqlString } from "../../analytics/duckdb-athena";
import { renameDurably } from "../durable-files";
import { DataFile, bound } from "./manifest";
import { fileUri } from "./metadata";
import { DUCKDB_FIELD_IDS, DUCKDB_TYPE_OF, EVENTS_SCHEMA, EventPartition, fieldId } from "../../functions/core/iceberg-schema";

/** The schema's columns, typed, in order: the SELECT list every data file is written from. */
export const DATA_FILE_COLUMNS = EVENTS_SCHEMA.fields.map((f) => `CAST(${f.name} AS ${DUCKDB_TYPE_OF[f.type]}) AS ${f.name}`).join(", ");

/**
 * The rows of data files as one relation holding every column of the schema: a file written
 * before a column was appended reads it as null (Iceberg's rule for a field a file lacks; columns
 * are never renamed, so matching by name is matching by field id).
 */
export function dataFilesRelation(files: readonly string[]): string {
    const empty = EVENTS_SCHEMA.fields.map((f) => `CAST(NULL AS ${DUCKDB_TYPE_OF[f.type]}) AS ${f.name}`).join(", ");
    return `(SELECT ${empty} WHERE false UNION ALL BY NAME SELECT * FROM read_parquet([${files.map(sqlString).join(", ")}], union_by_name = true))`;
}

/** SQL predicate selecting one partition's rows of a relation with columns `__day` and application_id. */
export function partitionPredicate(partition: EventPartition): string {
    const day = partition.event_timestamp_day === null ? "__day IS NULL" : `__day = ${partition.event_timestamp_day}`;
    const app = partition.application_id === null ? "application_id IS NULL" : `application_id = ${sqlString(partition.application_id)}`;
    return `${day} AND ${app}`;
}

/** SQL expression of the day transform (days since 1970-01-01 UTC) of a TIMESTAMPTZ column. */
export const DAY_TRANSFORM_SQL = (column: string): string =>
    `CAST(datediff('day', DATE '1970-01-01', CAST(timezone('UTC', ${column}) AS DATE)) AS INTEGER)`;

/**
 * Writes the rows of `selectSql` (which must yield DATA_FILE_COLUMNS) to `filePath` and returns its
 * data_file struct for `partition`.
 */
export async function writeDataFile(connection: DuckDBConnection, selectSql: string, filePath: string, partition: EventPartition): Promise<DataFile> {
    fs.mkdirSync(path.dirname(filePath), { recursive: true });
    const tempPath = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.tmp`);
    await connection.run(`COPY (${selectSql}) TO ${sqlString(tempPath)} (FORMAT parquet, COMPRESSION snappy, FIELD_IDS ${DUCKDB_FIELD_IDS})`);
    renameDurably(tempPath, filePath);
    return describeDataFile(connection, filePath, partition);
}

/** The data_file struct of a written Parquet file, with statistics read from the file itself. */
async function describeDataFile(connection: DuckDBConnection, filePath: string, partition: EventPartition): Promise<DataFile> {
    const counts = EVENTS_SCHEMA.fields.map((f) => `count(${f.name})`).join(", ");
    const reader = await connection.runAndReadAll(
        `SELECT count(*), ${counts}, epoch_us(min(event_timestamp)), epoch_us(max(event_timestamp)), min(application_id), max(application_id) ` +
            `FROM read_parquet(${sqlString(filePath)})`,
    );
    const row = reader.getRows()[0];
    const total = Number(row[0]);
    const nonNull = EVENTS_SCHEMA.fields.map((_, i) => Number(row[1 + i]));
    const [minTs, maxTs, minApp, maxApp] = row.slice(1 + EVENTS_SCHEMA.fields.length) as [bigint | null, bigint | null, string | null, string | null];
    const lower: { key: number; value: Buffer }[] = [];
    const upper: { key: number; value: Buffer }[] = [];
    if (minTs !== null && maxTs !== null) {
        lower.push({ key: fieldId("event_timestamp"), value: bound.long(BigInt(minTs)) });
        upper.push({ key: fieldId("event_timestamp"), value: bound.long(BigInt(maxTs)) });
    }
    if (minApp !== null && maxApp !== null) {
        lower.push({ key: fieldId("application_id"), value: bound.string(minApp) });
        upper.push({ key: fieldId("application_id"), value: bound.string(maxApp) });
    }
    return {
        content: 0,
        file_path: fileUri(filePath),
        file_format: "PARQUET",
        partition: { event_timestamp_day: partition.event_timestamp_day, application_id: partition.application_id },
        record_count: total,
        file_size_in_bytes: fs.statSync(filePath).size,
        column_sizes: null,
        value_counts: EVENTS_SCHEMA.fields.map((f) => ({ key: f.id, value: total })),
        null_value_counts: EVENTS_SCHEMA.fields.map((f, i) => ({ key: f.id, value: total - nonNull[i] })),
        nan_value_counts: null,
        lower_bounds: lower,
        upper_bounds: upper,
        key_metadata: null,
        split_offsets: null,
        equality_ids: null,
        sort_order_id: 0,
    };
}
