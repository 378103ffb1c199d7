/**
 * The Athena named queries (REFERENCE section 4): the Athena rendering of the one definition of the
 * 11 sample queries (analytics/query-definitions/definitions.ts), which the Redshift views and the
 * local warehouse render too.
 *
 * They are the text of the Athena named queries the data-lake component creates and of the local
 * mode's query tool, which runs the same text in DuckDB (see analytics/duckdb-athena.ts for the few
 * Trino functions it emulates). To stay portable the queries use only:
 * `json_extract_scalar`, `from_unixtime(<epoch seconds>)`, `current_date`, `interval 'n' month`,
 * `year()`, `month()`, `lpad`, `cast`, `try_cast`, `count(DISTINCT ...)`, `avg`, `round`, `||`.
 *
 * Events are counted by distinct `event_id`, so a record delivered twice never counts twice.
 * Every query carries a predicate on the partition columns for its window (one calendar month, or
 * the months up to the current one, `QUERY_WINDOWS`): Athena bills by bytes scanned, and without
 * one it enumerates every partition of the projection (an S3 LIST each). A test fails for a query
 * without one.
 */
import { athenaDialect, athenaPartitionPredicate } from "./query-definitions/athena";
import { QUERY_DEFINITIONS, QUERY_WINDOWS, fullQuery } from "./query-definitions/definitions";
import { sqlIdentifier } from "./query-definitions/dialect";

/** One sample query over the events table. */
export interface NamedQuery {
    /** Name of the Athena named query (PascalCase, as in the guidance). */
    name: string;
    /** One sentence saying what the query answers. */
    description: string;
    /** The SQL text, given the Glue database and the events table names. */
    sql(database: string, table: string): string;
}

/** `"database"."table"`, with embedded double quotes doubled. */
export function qualifiedTable(database: string, table: string): string {
    return `${sqlIdentifier(database)}.${sqlIdentifier(table)}`;
}

/**
 * Calendar months each windowed query reads before the current one (UTC): 1 = the previous and
 * the current month, 11 = the last twelve months (the `sinceMonth` windows of QUERY_WINDOWS).
 */
export const QUERY_WINDOW_MONTHS = {
    latest: QUERY_WINDOWS.latest.monthsAgo,
    levels: QUERY_WINDOWS.levels.monthsAgo,
    sentiment: QUERY_WINDOWS.sentiment.monthsAgo,
    reports: QUERY_WINDOWS.reports.monthsAgo,
    totals: QUERY_WINDOWS.totals.monthsAgo,
} as const;

/**
 * Partition predicates selecting every day from the first day of the calendar month `monthsAgo`
 * months before the current one (UTC) up to today: the Athena rendering of a `sinceMonth` window.
 */
export function sinceMonthPartition(monthsAgo: number): string {
    return athenaPartitionPredicate({ kind: "sinceMonth", monthsAgo });
}

export const NAMED_QUERIES: readonly NamedQuery[] = QUERY_DEFINITIONS.map((definition) => ({
    name: definition.name,
    description: definition.description,
    sql: (database: string, table: string) => fullQuery(definition, athenaDialect(database, table)),
}));

/** The named query called `name` (case-insensitive), or undefined. */
export function findNamedQuery(name: string): NamedQuery | undefined {
    const wanted = name.toLowerCase();
    return NAMED_QUERIES.find((q) => q.name.toLowerCase() === wanted);
}
