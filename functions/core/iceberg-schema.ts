/**
 * The Iceberg shape of the events table: the stored columns of the Hive table (EVENT_COLUMNS) with
 * stable field ids 1..n in column order, `event_timestamp` as a real timestamp (`timestamptz`,
 * microseconds, UTC), and the partition spec `day(event_timestamp), identity(application_id)`.
 *
 * Schema evolution: columns are only appended, so a field keeps its id forever and a new column
 * takes the next one. Schema 0 had the first ten columns (event_id ... metadata, ids 1-10);
 * schema 1 appends player_id (11) and source_event_id (12). Data files written under schema 0
 * lack those fields and read them as null (Iceberg's rule for a field a file does not have).
 *
 * Why this spec: the Hive table is partitioned by the UTC day of event_timestamp (year/month/day),
 * so `day(event_timestamp)` keeps the same pruning grain with one hidden column instead of three
 * strings; every named query groups or filters by application, and studios have few applications,
 * so `identity(application_id)` splits files by a low-cardinality key that queries use. It is also
 * the partitioning the guidance's Glue job adds to its Iceberg table, declared here at creation.
 */
import { EVENT_COLUMNS, EventRow } from "./contracts";

/** One field of an Iceberg struct schema (spec "Schemas and Data Types"). */
export interface IcebergField {
    id: number;
    name: string;
    required: boolean;
    /** Iceberg primitive type name: "string", "long", "timestamptz", ... */
    type: string;
    doc?: string;
}

/** An Iceberg schema (a struct with an id). */
export interface IcebergSchema {
    type: "struct";
    "schema-id": number;
    fields: IcebergField[];
}

/** One partition field: a transform of a source column. */
export interface PartitionField {
    name: string;
    transform: "identity" | "day";
    "source-id": number;
    "field-id": number;
}

export interface PartitionSpec {
    "spec-id": number;
    fields: PartitionField[];
}

/** The Iceberg type of a stored column: event_timestamp becomes a timestamp, the other BIGINTs longs. */
function icebergType(column: (typeof EVENT_COLUMNS)[number]): string {
    if (column.name === "event_timestamp") return "timestamptz";
    return column.duckdbType === "BIGINT" ? "long" : "string";
}

/** DuckDB type of each Iceberg primitive used here. */
export const DUCKDB_TYPE_OF: Readonly<Record<string, string>> = { string: "VARCHAR", long: "BIGINT", timestamptz: "TIMESTAMPTZ" };

/** Number of columns of each schema version, by schema id: the first `n` of EVENT_COLUMNS. */
const SCHEMA_COLUMN_COUNTS: readonly number[] = [10, 12];

/**
 * Every version of the events schema, oldest first (schema id = index). Every field is optional,
 * like the Hive table's columns (a row the transform keeps with a schema mismatch may lack a
 * column; it must not be refused by the table).
 */
export const EVENTS_SCHEMA_VERSIONS: readonly IcebergSchema[] = SCHEMA_COLUMN_COUNTS.map((count, schemaId) => ({
    type: "struct",
    "schema-id": schemaId,
    fields: EVENT_COLUMNS.slice(0, count).map((column, index) => ({
        id: index + 1,
        name: column.name,
        required: false,
        type: icebergType(column),
    })),
}));

/** The current events table schema (every column of EVENT_COLUMNS): the last of {@link EVENTS_SCHEMA_VERSIONS}. */
export const EVENTS_SCHEMA: IcebergSchema = EVENTS_SCHEMA_VERSIONS[EVENTS_SCHEMA_VERSIONS.length - 1]!;
if (EVENTS_SCHEMA.fields.length !== EVENT_COLUMNS.length) throw new Error("iceberg-schema: a column was added to EVENT_COLUMNS without a new schema version");

/** Field id of a column of EVENTS_SCHEMA. */
export function fieldId(name: keyof EventRow): number {
    const field = EVENTS_SCHEMA.fields.find((f) => f.name === name);
    if (!field) throw new Error(`no column ${name} in the events schema`);
    return field.id;
}

/** First id of partition fields (spec: partition field ids start at 1000). */
const PARTITION_FIELD_BASE = 1000;

/** `day(event_timestamp)`, `identity(application_id)`. */
export const EVENTS_PARTITION_SPEC: PartitionSpec = {
    "spec-id": 0,
    fields: [
        { name: "event_timestamp_day", transform: "day", "source-id": fieldId("event_timestamp"), "field-id": PARTITION_FIELD_BASE },
        { name: "application_id", transform: "identity", "source-id": fieldId("application_id"), "field-id": PARTITION_FIELD_BASE + 1 },
    ],
};

/** A data file's partition: days since 1970-01-01 (UTC) of event_timestamp, and application_id. */
export interface EventPartition {
    event_timestamp_day: number | null;
    application_id: string | null;
}

/** `YYYY-MM-DD` of a day number (the human form of the day transform, used in folder names). */
export function dayText(day: number): string {
    return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Folder of a partition under `data/`, Iceberg style: `event_timestamp_day=2026-11-24/application_id=<id>`. */
export function partitionPath(partition: EventPartition): string {
    const day = partition.event_timestamp_day === null ? "null" : dayText(partition.event_timestamp_day);
    const app = partition.application_id === null ? "null" : encodeURIComponent(partition.application_id);
    return `event_timestamp_day=${day}/application_id=${app}`;
}

/** DuckDB's FIELD_IDS argument of COPY ... (FORMAT parquet): every column with its Iceberg id. */
export const DUCKDB_FIELD_IDS = `{${EVENTS_SCHEMA.fields.map((f) => `${f.name}: ${f.id}`).join(", ")}}`;
