/**
 * The BigQuery schema of the events table: the columns of every other implementation
 * (functions/core/contracts.ts EVENT_COLUMNS) plus `event_day`, the UTC day of the event the table
 * is partitioned by (the Hive year/month/day partitions of the lake, as one DATE).
 *
 * Columns are appended, never inserted: BigQuery adds a NULLABLE column to an existing table in
 * place (existing rows read NULL; a REQUIRED column cannot be added), so player_id and
 * source_event_id are NULLABLE and sit after metadata, before event_day ("Modifying table schemas:
 * Add an empty column", BigQuery documentation).
 */
import { EVENT_COLUMNS } from "../../functions/core/contracts";

/** A BigQuery column. */
export interface BigQueryField {
    name: string;
    type: "STRING" | "INT64" | "DATE";
    mode: "NULLABLE" | "REQUIRED";
    description?: string;
}

/** Partition column of the events table. */
export const EVENT_DAY_COLUMN = "event_day";
/** Clustering columns, in order: queries filter by application, then by event type. */
export const CLUSTERING_COLUMNS = ["application_id", "event_type"] as const;

const REQUIRED = new Set(["application_id", "metadata"]);

/** The events table's columns, in order. */
export const EVENTS_TABLE_SCHEMA: readonly BigQueryField[] = [
    ...EVENT_COLUMNS.map((c): BigQueryField => ({
        name: c.name,
        type: c.glueType === "bigint" ? "INT64" : "STRING",
        mode: REQUIRED.has(c.name) ? "REQUIRED" : "NULLABLE",
    })),
    { name: EVENT_DAY_COLUMN, type: "DATE", mode: "REQUIRED", description: "UTC day of event_timestamp (arrival day when absent); the partition" },
];
