/**
 * Athena over the Iceberg events table.
 *
 * The Iceberg table stores `event_timestamp` as a real timestamp and has no year/month/day
 * columns (its partitions are hidden: `day(event_timestamp)`, `identity(application_id)`), so the
 * Hive table's SQL does not run on it as is: `from_unixtime(event_timestamp)` fails on a
 * timestamp, and `year = '2026'` names a column that does not exist.
 *
 * The design: the Iceberg table is `<table>_iceberg`, and `<table>` (the name every sample query
 * and every studio query already uses) is an Athena view over it with the Hive table's exact
 * columns: `event_timestamp` as epoch seconds (bigint), `year`/`month`/`day` as the zero-padded UTC
 * strings of the Hive partitions, plus one more column, `event_time`, the raw timestamp.
 * - The 11 named queries' Hive SQL therefore runs unchanged on the view (same columns, same types).
 * - Pruning: Athena inlines a view, but a predicate on a computed string (`year = '2026'`) is not a
 *   predicate on `event_timestamp`, so Iceberg cannot prune by `day(event_timestamp)` and the
 *   query reads the whole table. So the named queries created on an Iceberg stack are the SAME
 *   text with only the window predicates rewritten to `event_time` ranges ({@link icebergQuerySql}),
 *   which reach the table's timestamp column unchanged and prune by day: one SQL text, two
 *   partition-predicate variants, as hidden partitioning needs no partition columns.
 * - The view is a Glue table of type VIRTUAL_VIEW carrying the Trino view definition
 *   ({@link prestoViewText}), created by Pulumi with the stack: no DDL to run after deploy.
 */
import { EVENT_COLUMNS } from "../functions/core/contracts";
import { qualifiedTable } from "./named-queries";

/** Suffix of the Iceberg table behind the view named like the Hive table. */
export const ICEBERG_TABLE_SUFFIX = "_iceberg";

/** Extra column of the view: the Iceberg table's timestamp, for predicates that prune. */
export const EVENT_TIME_COLUMN = "event_time";

/** Trino type of each view column, in order (the Hive table's columns, its partitions, event_time). */
export function viewColumns(): { name: string; trinoType: string; glueType: string }[] {
    return [
        ...EVENT_COLUMNS.map((c) => ({ name: c.name, trinoType: c.glueType === "bigint" ? "bigint" : "varchar", glueType: c.glueType })),
        ...["year", "month", "day"].map((name) => ({ name, trinoType: "varchar", glueType: "string" })),
        { name: EVENT_TIME_COLUMN, trinoType: "timestamp(6) with time zone", glueType: "timestamp" },
    ];
}

/** The view's SELECT: Hive-shaped columns over the Iceberg table. */
export function compatibilityViewSql(database: string, icebergTable: string): string {
    const utc = "event_timestamp AT TIME ZONE 'UTC'";
    const columns = EVENT_COLUMNS.map((c) => c.name === "event_timestamp"
        ? "  CAST(floor(to_unixtime(event_timestamp)) AS bigint) AS event_timestamp"
        : `  ${c.name}`);
    return [
        "SELECT",
        [
            ...columns,
            `  date_format(${utc}, '%Y') AS year`,
            `  date_format(${utc}, '%m') AS month`,
            `  date_format(${utc}, '%d') AS day`,
            `  event_timestamp AS ${EVENT_TIME_COLUMN}`,
        ].join(",\n"),
        `FROM ${qualifiedTable(database, icebergTable)}`,
    ].join("\n");
}

/**
 * The `ViewOriginalText` Athena writes for a view in the Glue catalog: the Trino view definition
 * (SQL, catalog, schema, columns) as base64 JSON in a comment. Athena reads a view back from it.
 */
export function prestoViewText(database: string, icebergTable: string): string {
    const definition = {
        originalSql: compatibilityViewSql(database, icebergTable),
        catalog: "awsdatacatalog",
        schema: database,
        columns: viewColumns().map((c) => ({ name: c.name, type: c.trinoType })),
    };
    return `/* Presto View: ${Buffer.from(JSON.stringify(definition)).toString("base64")} */`;
}

/** Decodes {@link prestoViewText} (tests, and a reader checking a deployed view). */
export function decodePrestoView(text: string): { originalSql: string; catalog: string; schema: string; columns: { name: string; type: string }[] } {
    const match = /^\/\* Presto View: ([A-Za-z0-9+/=]+) \*\/$/.exec(text);
    if (!match) throw new Error("not a Presto view text");
    return JSON.parse(Buffer.from(match[1]!, "base64").toString("utf8"));
}

const DAY = String.raw`(current_date|\(current_date - interval '\d+' month\))`;

/** The three window predicates the Hive SQL uses, and their event_time form (prunes by day). */
const REWRITES: { hive: RegExp; iceberg: (first: string, second: string) => string }[] = [
    {
        // One calendar month (named-queries.ts monthPartition, query-definitions "calendarMonth").
        hive: new RegExp(String.raw`year = cast\(year\(${DAY}\) AS varchar\)\n(\s*)AND month = lpad\(cast\(month\(\1\) AS varchar\), 2, '0'\)`, "g"),
        iceberg: (day, indent) => `${EVENT_TIME_COLUMN} >= CAST(date_trunc('month', ${day}) AS timestamp)\n${indent}AND ${EVENT_TIME_COLUMN} < CAST(date_trunc('month', ${day}) + interval '1' month AS timestamp)`,
    },
    {
        // From the first day of a month up to now (named-queries.ts sinceMonthPartition).
        hive: new RegExp(String.raw`year >= cast\(year\(${DAY}\) AS varchar\)\n(\s*)AND year \|\| '-' \|\| month >= cast\(year\(\1\) AS varchar\) \|\| '-' \|\| lpad\(cast\(month\(\1\) AS varchar\), 2, '0'\)`, "g"),
        iceberg: (day) => `${EVENT_TIME_COLUMN} >= CAST(date_trunc('month', ${day}) AS timestamp)`,
    },
    {
        // The last n days (query-definitions "lastDays").
        hive: /year \|\| '-' \|\| month \|\| '-' \|\| day >= cast\(cast\(current_date - interval '(\d+)' day AS date\) AS varchar\)/g,
        iceberg: (days) => `${EVENT_TIME_COLUMN} >= CAST(current_date - interval '${days}' day AS timestamp)`,
    },
];

/**
 * The Iceberg variant of a Hive query over `<table>`: the same text, with each window predicate
 * on year/month/day replaced by a range on `event_time` (which the view passes through to the
 * Iceberg timestamp column, so Athena prunes by `day(event_timestamp)`). Throws when the text still
 * filters on a partition column afterwards: such a query would scan the whole table.
 */
export function icebergQuerySql(hiveSql: string): string {
    let sql = hiveSql;
    for (const { hive, iceberg } of REWRITES) {
        sql = sql.replace(hive, (_match: string, first: string, second: unknown) => iceberg(first, typeof second === "string" ? second : ""));
    }
    const leftover = /\b(WHERE|AND|OR)\s+\(?\s*(year|month|day)\b\s*(=|>=|<=|<|>|\|\|)/i.exec(sql);
    if (leftover) throw new Error(`query still filters on the Hive partition column "${leftover[2]}" after the Iceberg rewrite: ${leftover[0]}`);
    return sql;
}

/**
 * The guidance's CTAS sample, on the Iceberg side: a per-application daily summary written as a
 * new Iceberg table (Athena `table_type = 'ICEBERG'`), partitioned by day at creation.
 */
export function icebergCtasSql(database: string, sourceTable: string, targetTable: string, location: string): string {
    return `CREATE TABLE ${qualifiedTable(database, targetTable)}
WITH (
  table_type = 'ICEBERG',
  is_external = false,
  location = '${location.replace(/'/g, "''")}',
  partitioning = ARRAY['event_date']
) AS
SELECT application_id,
  CAST(${EVENT_TIME_COLUMN} AS date) AS event_date,
  event_type,
  count(DISTINCT event_id) AS event_count
FROM ${qualifiedTable(database, sourceTable)}
WHERE ${EVENT_TIME_COLUMN} >= CAST(current_date - interval '30' day AS timestamp)
GROUP BY application_id, CAST(${EVENT_TIME_COLUMN} AS date), event_type`;
}
