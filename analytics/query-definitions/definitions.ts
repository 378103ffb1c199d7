/**
 * The 11 sample queries of the guidance, defined once for every engine: the Athena named queries
 * over the data lake and the Redshift views (and their local PostgreSQL rendering) use these same
 * definitions, rendered per dialect (see dialect.ts).
 *
 * Semantics shared by every rendering:
 * - events are counted by distinct `event_id`, so a record delivered twice never counts twice;
 * - every query reads a window of the event time (UTC), `QUERY_WINDOWS`: one calendar month, or
 *   the months from the first day of a past month up to today. The Athena rendering turns it
 *   into predicates on the `year`/`month` partition columns (Athena bills by bytes scanned, and
 *   without one it lists every partition of the projection); the warehouse renderings into a
 *   predicate on the event time or its year/month;
 * - LevelCompletionRate is completions / plays (level_completed / level_started) per level,
 *   NULL when a level has no plays: not the guidance's completions / (completions + starts).
 */
import { aliased, Dialect, QueryWindow, sqlLiteral } from "./dialect";

/** One sample query, independent of the engine. */
export interface QueryDefinition {
    /** Name of the Athena named query and of the Redshift view (PascalCase, as in the guidance). */
    name: string;
    /** One sentence saying what the query answers. */
    description: string;
    /** Which events the query looks at by default. */
    window: QueryWindow;
    /** Output columns, in order. */
    columns: readonly string[];
    /** ORDER BY over the output columns (views are ordered when read, see `orderedSelect`). */
    orderBy: string;
    /** Row limit, part of the query itself (LatestEvents). */
    limit?: number;
    /** The SELECT without ORDER BY / LIMIT, for a dialect and a window. */
    select(d: Dialect, window: QueryWindow): string;
}

/** `WHERE` clause of the window and of extra predicates; empty when there is nothing to filter. */
function where(d: Dialect, window: QueryWindow, ...predicates: string[]): string {
    const all = [...(window.kind === "all" ? [] : [d.windowPredicate(window)]), ...predicates];
    return all.length === 0 ? "" : `\nWHERE ${all.join("\n  AND ")}`;
}

/** `column AS column` only where the dialect's column is not already named so. */
function col(d: Dialect, name: string): string {
    return aliased(d.column(name), name);
}

/**
 * The window of each sample query: the current and previous calendar months (UTC) for the latest
 * events, the level, sentiment and report queries; the last twelve calendar months for the total;
 * one calendar month for the "Month" / "LastMonth" queries.
 */
export const QUERY_WINDOWS = {
    latest: { kind: "sinceMonth", monthsAgo: 1 },
    totals: { kind: "sinceMonth", monthsAgo: 11 },
    levels: { kind: "sinceMonth", monthsAgo: 1 },
    sentiment: { kind: "sinceMonth", monthsAgo: 1 },
    reports: { kind: "sinceMonth", monthsAgo: 1 },
    currentMonth: { kind: "calendarMonth", monthsAgo: 0 },
    previousMonth: { kind: "calendarMonth", monthsAgo: 1 },
} as const satisfies Record<string, QueryWindow>;

/** `count(DISTINCT event_id)` of one event type per application and level. */
function eventsByLevel(name: string, eventType: string, countColumn: string, description: string): QueryDefinition {
    return {
        name,
        description,
        window: QUERY_WINDOWS.levels,
        columns: ["application_id", "level_id", countColumn],
        orderBy: "application_id, level_id",
        select: (d, window) => `SELECT ${col(d, "application_id")},
  ${d.dataText("level_id")} AS level_id,
  count(DISTINCT ${d.column("event_id")}) AS ${countColumn}
FROM ${d.source}${where(d, window, `${d.column("event_type")} = ${sqlLiteral(eventType)}`)}
GROUP BY ${d.column("application_id")}, ${d.dataText("level_id")}`,
    };
}

export const QUERY_DEFINITIONS: readonly QueryDefinition[] = [
    {
        name: "LatestEvents",
        description: "The 10 most recent events of the current and previous calendar months (UTC) by event_timestamp, with their UTC time.",
        window: QUERY_WINDOWS.latest,
        columns: ["event_id", "event_type", "event_name", "event_version", "event_timestamp", "event_time_utc",
            "app_version", "application_id", "application_name", "event_data", "metadata", "year", "month", "day"],
        orderBy: "event_timestamp DESC, event_id",
        limit: 10,
        select: (d, window) => `SELECT ${["event_id", "event_type", "event_name", "event_version", "event_timestamp"].map((c) => col(d, c)).join(", ")},
  ${d.epochSecondsToTimestamp(d.column("event_timestamp"))} AS event_time_utc,
  ${["app_version", "application_id", "application_name"].map((c) => col(d, c)).join(", ")}, ${aliased(d.eventDataJson(), "event_data")}, ${aliased(d.metadataJson(), "metadata")},
  ${["year", "month", "day"].map((c) => col(d, c)).join(", ")}
FROM ${d.source}${where(d, window)}`,
    },
    {
        name: "TotalEvents",
        description: "Total number of distinct events per application over the last twelve calendar months (UTC).",
        window: QUERY_WINDOWS.totals,
        columns: ["application_id", "event_count"],
        orderBy: "application_id",
        select: (d, window) => `SELECT ${col(d, "application_id")}, count(DISTINCT ${d.column("event_id")}) AS event_count
FROM ${d.source}${where(d, window)}
GROUP BY ${d.column("application_id")}`,
    },
    {
        name: "TotalEventsMonth",
        description: "Number of distinct events per application in the current calendar month (UTC), scanning that month's partitions only.",
        window: QUERY_WINDOWS.currentMonth,
        columns: ["application_id", "year", "month", "event_count"],
        orderBy: "application_id",
        select: (d, window) => `SELECT ${col(d, "application_id")}, ${col(d, "year")}, ${col(d, "month")}, count(DISTINCT ${d.column("event_id")}) AS event_count
FROM ${d.source}${where(d, window)}
GROUP BY ${d.column("application_id")}, ${d.column("year")}, ${d.column("month")}`,
    },
    {
        name: "TotalIapTransactionsLastMonth",
        description: "Number of distinct in-app purchase transactions (event_data.transaction_id) per application in the previous calendar month (UTC).",
        window: QUERY_WINDOWS.previousMonth,
        columns: ["application_id", "transaction_count"],
        orderBy: "application_id",
        select: (d, window) => `SELECT ${col(d, "application_id")}, count(DISTINCT ${d.dataText("transaction_id")}) AS transaction_count
FROM ${d.source}${where(d, window, `${d.column("event_type")} = 'iap_transaction'`)}
GROUP BY ${d.column("application_id")}`,
    },
    {
        name: "NewUsersLastMonth",
        description: "Number of user registrations (user_registration events) per application in the previous calendar month (UTC).",
        window: QUERY_WINDOWS.previousMonth,
        columns: ["application_id", "new_user_count"],
        orderBy: "application_id",
        select: (d, window) => `SELECT ${col(d, "application_id")}, count(DISTINCT ${d.column("event_id")}) AS new_user_count
FROM ${d.source}${where(d, window, `${d.column("event_type")} = 'user_registration'`)}
GROUP BY ${d.column("application_id")}`,
    },
    eventsByLevel("TotalPlaysByLevel", "level_started", "play_count",
        "Number of level_started events per application and event_data.level_id over the current and previous calendar months (UTC)."),
    eventsByLevel("TotalFailuresByLevel", "level_failed", "failure_count",
        "Number of level_failed events per application and event_data.level_id over the current and previous calendar months (UTC)."),
    eventsByLevel("TotalCompletionsByLevel", "level_completed", "completion_count",
        "Number of level_completed events per application and event_data.level_id over the current and previous calendar months (UTC)."),
    {
        name: "LevelCompletionRate",
        description: "Per application and level, over the current and previous calendar months (UTC): plays (level_started), completions (level_completed) and completions / plays.",
        window: QUERY_WINDOWS.levels,
        columns: ["application_id", "level_id", "play_count", "completion_count", "completion_rate"],
        orderBy: "application_id, level_id",
        select: (d, window) => `SELECT application_id, level_id, play_count, completion_count,
  CASE WHEN play_count = 0 THEN NULL
       ELSE ${d.round4(`${d.toDouble("completion_count")} / ${d.toDouble("play_count")}`)} END AS completion_rate
FROM (
  SELECT ${col(d, "application_id")},
    ${d.dataText("level_id")} AS level_id,
    count(DISTINCT CASE WHEN ${d.column("event_type")} = 'level_started' THEN ${d.column("event_id")} END) AS play_count,
    count(DISTINCT CASE WHEN ${d.column("event_type")} = 'level_completed' THEN ${d.column("event_id")} END) AS completion_count
  FROM ${d.source}${where(d, window, `${d.column("event_type")} IN ('level_started', 'level_completed')`).replace(/\n/g, "\n  ")}
  GROUP BY ${d.column("application_id")}, ${d.dataText("level_id")}
) AS per_level`,
    },
    {
        name: "AverageUserSentimentPerDay",
        description: "Average event_data.user_rating (1-5) of user_sentiment events per application and UTC day, over the current and previous calendar months.",
        window: QUERY_WINDOWS.sentiment,
        columns: ["application_id", "event_day", "average_user_rating", "rating_count"],
        orderBy: "application_id, event_day",
        select: (d, window) => `SELECT ${col(d, "application_id")}, ${d.column("year")} || '-' || ${d.column("month")} || '-' || ${d.column("day")} AS event_day,
  ${d.round4(`avg(${d.dataNumber("user_rating")})`)} AS average_user_rating,
  count(DISTINCT ${d.column("event_id")}) AS rating_count
FROM ${d.source}${where(d, window, `${d.column("event_type")} = 'user_sentiment'`)}
GROUP BY ${d.column("application_id")}, ${d.column("year")}, ${d.column("month")}, ${d.column("day")}`,
    },
    {
        name: "UserReportedReasonsCount",
        description: "Number of user_report events per application and event_data.report_reason over the current and previous calendar months (UTC), most frequent first.",
        window: QUERY_WINDOWS.reports,
        columns: ["application_id", "report_reason", "report_count"],
        orderBy: "application_id, report_count DESC, report_reason",
        select: (d, window) => `SELECT ${col(d, "application_id")},
  ${d.dataText("report_reason")} AS report_reason,
  count(DISTINCT ${d.column("event_id")}) AS report_count
FROM ${d.source}${where(d, window, `${d.column("event_type")} = 'user_report'`)}
GROUP BY ${d.column("application_id")}, ${d.dataText("report_reason")}`,
    },
];

/** The definition called `name` (case-insensitive), or undefined. */
export function findQueryDefinition(name: string): QueryDefinition | undefined {
    const wanted = name.toLowerCase();
    return QUERY_DEFINITIONS.find((q) => q.name.toLowerCase() === wanted);
}

/** The query's SELECT with its ORDER BY and LIMIT: the full query text of a dialect. */
export function fullQuery(definition: QueryDefinition, d: Dialect, window: QueryWindow = definition.window): string {
    const limit = definition.limit === undefined ? "" : `\nLIMIT ${definition.limit}`;
    return `${definition.select(d, window)}\nORDER BY ${definition.orderBy}${limit}`;
}
