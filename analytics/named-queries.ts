/**
 * The sample analytics queries (REFERENCE section 4), written once in Athena (Trino) SQL.
 *
 * They are the single source for the Athena named queries the data-lake component creates and for
 * the local mode's query tool, which runs the same text in DuckDB (see analytics/duckdb-athena.ts
 * for the few Trino functions it emulates). To stay portable the queries use only:
 * `json_extract_scalar`, `from_unixtime(<epoch seconds>)`, `current_date`, `interval 'n' month`,
 * `year()`, `month()`, `lpad`, `cast`, `try_cast`, `count(DISTINCT ...)`, `avg`, `round`, `||`.
 *
 * Events are counted by distinct `event_id`, so a record delivered twice never counts twice.
 * Every query carries a predicate on the partition columns for its window (one calendar month, or
 * the months up to the current one): Athena bills by bytes scanned, and without one it enumerates every partition
 * of the projection (an S3 LIST each). A test fails for a query without one.
 */

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
    const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;
    return `${quote(database)}.${quote(table)}`;
}

/** Partition predicates selecting the calendar month `monthsAgo` months before the current one (UTC). */
function monthPartition(monthsAgo: number): string {
    const day = monthsAgo === 0 ? "current_date" : `(current_date - interval '${monthsAgo}' month)`;
    return `year = cast(year(${day}) AS varchar)\n  AND month = lpad(cast(month(${day}) AS varchar), 2, '0')`;
}

/**
 * Calendar months each windowed query reads before the current one (UTC): 1 = the previous and
 * the current month, 11 = the last twelve months.
 */
export const QUERY_WINDOW_MONTHS = { latest: 1, levels: 1, sentiment: 1, reports: 1, totals: 11 } as const;

/**
 * Partition predicates selecting every day from the first day of the calendar month `monthsAgo`
 * months before the current one (UTC) up to today: the year first (so the projection enumerates
 * only those years), then year-month (`YYYY-MM` strings compare in date order).
 */
export function sinceMonthPartition(monthsAgo: number): string {
    const start = `(current_date - interval '${monthsAgo}' month)`;
    return `year >= cast(year(${start}) AS varchar)
  AND year || '-' || month >= cast(year(${start}) AS varchar) || '-' || lpad(cast(month(${start}) AS varchar), 2, '0')`;
}

/** `count(DISTINCT event_id)` of rows of one event type per level, shared by the three level queries. */
function eventsByLevel(eventType: string, countColumn: string): (database: string, table: string) => string {
    return (database, table) => `SELECT application_id,
  json_extract_scalar(event_data, '$.level_id') AS level_id,
  count(DISTINCT event_id) AS ${countColumn}
FROM ${qualifiedTable(database, table)}
WHERE ${sinceMonthPartition(QUERY_WINDOW_MONTHS.levels)}
  AND event_type = '${eventType}'
GROUP BY application_id, json_extract_scalar(event_data, '$.level_id')
ORDER BY application_id, level_id`;
}

export const NAMED_QUERIES: readonly NamedQuery[] = [
    {
        name: "LatestEvents",
        description: "The 10 most recent events of the current and previous calendar months (UTC) by event_timestamp, with their UTC time.",
        sql: (database, table) => `SELECT event_id, event_type, event_name, event_version, event_timestamp,
  from_unixtime(event_timestamp) AS event_time_utc,
  app_version, application_id, application_name, event_data, metadata,
  year, month, day
FROM ${qualifiedTable(database, table)}
WHERE ${sinceMonthPartition(QUERY_WINDOW_MONTHS.latest)}
ORDER BY event_timestamp DESC, event_id
LIMIT 10`,
    },
    {
        name: "TotalEvents",
        description: "Total number of distinct events per application over the last twelve calendar months (UTC).",
        sql: (database, table) => `SELECT application_id, count(DISTINCT event_id) AS event_count
FROM ${qualifiedTable(database, table)}
WHERE ${sinceMonthPartition(QUERY_WINDOW_MONTHS.totals)}
GROUP BY application_id
ORDER BY application_id`,
    },
    {
        name: "TotalEventsMonth",
        description: "Number of distinct events per application in the current calendar month (UTC), scanning that month's partitions only.",
        sql: (database, table) => `SELECT application_id, year, month, count(DISTINCT event_id) AS event_count
FROM ${qualifiedTable(database, table)}
WHERE ${monthPartition(0)}
GROUP BY application_id, year, month
ORDER BY application_id`,
    },
    {
        name: "TotalIapTransactionsLastMonth",
        description: "Number of distinct in-app purchase transactions (event_data.transaction_id) per application in the previous calendar month (UTC).",
        sql: (database, table) => `SELECT application_id, count(DISTINCT json_extract_scalar(event_data, '$.transaction_id')) AS transaction_count
FROM ${qualifiedTable(database, table)}
WHERE ${monthPartition(1)}
  AND event_type = 'iap_transaction'
GROUP BY application_id
ORDER BY application_id`,
    },
    {
        name: "NewUsersLastMonth",
        description: "Number of user registrations (user_registration events) per application in the previous calendar month (UTC).",
        sql: (database, table) => `SELECT application_id, count(DISTINCT event_id) AS new_user_count
FROM ${qualifiedTable(database, table)}
WHERE ${monthPartition(1)}
  AND event_type = 'user_registration'
GROUP BY application_id
ORDER BY application_id`,
    },
    {
        name: "TotalPlaysByLevel",
        description: "Number of level_started events per application and event_data.level_id over the current and previous calendar months (UTC).",
        sql: eventsByLevel("level_started", "play_count"),
    },
    {
        name: "TotalFailuresByLevel",
        description: "Number of level_failed events per application and event_data.level_id over the current and previous calendar months (UTC).",
        sql: eventsByLevel("level_failed", "failure_count"),
    },
    {
        name: "TotalCompletionsByLevel",
        description: "Number of level_completed events per application and event_data.level_id over the current and previous calendar months (UTC).",
        sql: eventsByLevel("level_completed", "completion_count"),
    },
    {
        name: "LevelCompletionRate",
        description: "Per application and level, over the current and previous calendar months (UTC): plays (level_started), completions (level_completed) and completions / plays.",
        sql: (database, table) => `SELECT application_id, level_id, play_count, completion_count,
  CASE WHEN play_count = 0 THEN NULL
       ELSE round(cast(completion_count AS double) / cast(play_count AS double), 4) END AS completion_rate
FROM (
  SELECT application_id,
    json_extract_scalar(event_data, '$.level_id') AS level_id,
    count(DISTINCT CASE WHEN event_type = 'level_started' THEN event_id END) AS play_count,
    count(DISTINCT CASE WHEN event_type = 'level_completed' THEN event_id END) AS completion_count
  FROM ${qualifiedTable(database, table)}
  WHERE ${sinceMonthPartition(QUERY_WINDOW_MONTHS.levels).replace(/\n/g, "\n  ")}
    AND event_type IN ('level_started', 'level_completed')
  GROUP BY application_id, json_extract_scalar(event_data, '$.level_id')
) AS per_level
ORDER BY application_id, level_id`,
    },
    {
        name: "AverageUserSentimentPerDay",
        description: "Average event_data.user_rating (1-5) of user_sentiment events per application and UTC day, over the current and previous calendar months.",
        sql: (database, table) => `SELECT application_id, year || '-' || month || '-' || day AS event_day,
  round(avg(try_cast(json_extract_scalar(event_data, '$.user_rating') AS double)), 4) AS average_user_rating,
  count(DISTINCT event_id) AS rating_count
FROM ${qualifiedTable(database, table)}
WHERE ${sinceMonthPartition(QUERY_WINDOW_MONTHS.sentiment)}
  AND event_type = 'user_sentiment'
GROUP BY application_id, year, month, day
ORDER BY application_id, event_day`,
    },
    {
        name: "UserReportedReasonsCount",
        description: "Number of user_report events per application and event_data.report_reason over the current and previous calendar months (UTC), most frequent first.",
        sql: (database, table) => `SELECT application_id,
  json_extract_scalar(event_data, '$.report_reason') AS report_reason,
  count(DISTINCT event_id) AS report_count
FROM ${qualifiedTable(database, table)}
WHERE ${sinceMonthPartition(QUERY_WINDOW_MONTHS.reports)}
  AND event_type = 'user_report'
GROUP BY application_id, json_extract_scalar(event_data, '$.report_reason')
ORDER BY application_id, report_count DESC, report_reason`,
    },
];

/** The named query called `name` (case-insensitive), or undefined. */
export function findNamedQuery(name: string): NamedQuery | undefined {
    const wanted = name.toLowerCase();
    return NAMED_QUERIES.find((q) => q.name.toLowerCase() === wanted);
}
