/**
 * The 11 sample queries of the guidance, defined once for every engine: the Athena named queries
 * over the data lake and the Redshift views (and their local PostgreSQL rendering) use these same
 * definitions, rendered per dialect (see dialect.ts).
 *
 * Semantics shared by every rendering:
 * - events are counted by distinct `event_id`, so a record delivered twice never counts twice;
 * - "month" queries select a calendar month of the event time (UTC): the Athena rendering turns
 *   that into `year`/`month` partition predicates (Athena bills by bytes scanned);
 * - LevelCompletionRate is completions / plays (level_completed / level_started) per level,
 *   NULL when a level has no plays: not the guidance's completions / (completions + starts).
 */
import { Dialect, QueryWindow, sqlLiteral } from "./dialect";

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

/** `count(DISTINCT event_id)` of one event type per application and level. */
function eventsByLevel(name: string, eventType: string, countColumn: string, description: string): QueryDefinition {
    return {
        name,
        description,
        window: { kind: "all" },
        columns: ["application_id", "level_id", countColumn],
        orderBy: "application_id, level_id",
        select: (d, window) => `SELECT ${d.column("application_id")} AS application_id,
  ${d.dataText("level_id")} AS level_id,
  count(DISTINCT ${d.column("event_id")}) AS ${countColumn}
FROM ${d.source}${where(d, window, `${d.column("event_type")} = ${sqlLiteral(eventType)}`)}
GROUP BY 1, 2`,
    };
}

export const QUERY_DEFINITIONS: readonly QueryDefinition[] = [
    {
        name: "LatestEvents",
        description: "The 10 most recent events by event_timestamp, with their UTC time.",
        window: { kind: "all" },
        columns: ["event_id", "event_type", "event_name", "event_version", "event_timestamp", "event_time_utc",
            "app_version", "application_id", "application_name", "event_data", "metadata", "year", "month", "day"],
        orderBy: "event_timestamp DESC, event_id",
        limit: 10,
        select: (d, window) => `SELECT ${d.column("event_id")} AS event_id, ${d.column("event_type")} AS event_type, ${d.column("event_name")} AS event_name,
  ${d.column("event_version")} AS event_version, ${d.column("event_timestamp")} AS event_timestamp,
  ${d.epochSecondsToTimestamp(d.column("event_timestamp"))} AS event_time_utc,
  ${d.column("app_version")} AS app_version, ${d.column("application_id")} AS application_id, ${d.column("application_name")} AS application_name,
  ${d.eventDataJson()} AS event_data, ${d.metadataJson()} AS metadata,
  ${d.column("year")} AS year, ${d.column("month")} AS month, ${d.column("day")} AS day
FROM ${d.source}${where(d, window)}`,
    },
    {
        name: "TotalEvents",
        description: "Total number of distinct events per application, over all data.",
        window: { kind: "all" },
        columns: ["application_id", "event_count"],
        orderBy: "application_id",
        select: (d, window) => `SELECT ${d.column("application_id")} AS application_id, count(DISTINCT ${d.column("event_id")}) AS event_count
FROM ${d.source}${where(d, window)}
GROUP BY 1`,
    },
    {
        name: "TotalEventsMonth",
        description: "Number of distinct events per application in the current calendar month (UTC), scanning that month's partitions only.",
        window: { kind: "calendarMonth", monthsAgo: 0 },
        columns: ["application_id", "year", "month", "event_count"],
        orderBy: "application_id",
        select: (d, window) => `SELECT ${d.column("application_id")} AS application_id, ${d.column("year")} AS year, ${d.column("month")} AS month,
  count(DISTINCT ${d.column("event_id")}) AS event_count
FROM ${d.source}${where(d, window)}
GROUP BY 1, 2, 3`,
    },
    {
        name: "TotalIapTransactionsLastMonth",
        description: "Number of distinct in-app purchase transactions (event_data.transaction_id) per application in the previous calendar month (UTC).",
        window: { kind: "calendarMonth", monthsAgo: 1 },
        columns: ["application_id", "transaction_count"],
        orderBy: "application_id",
        select: (d, window) => `SELECT ${d.column("application_id")} AS application_id,
  count(DISTINCT ${d.dataText("transaction_id")}) AS transaction_count
FROM ${d.source}${where(d, window, `${d.column("event_type")} = 'iap_transaction'`)}
GROUP BY 1`,
    },
    {
        name: "NewUsersLastMonth",
        description: "Number of user registrations (user_registration events) per application in the previous calendar month (UTC).",
        window: { kind: "calendarMonth", monthsAgo: 1 },
        columns: ["application_id", "new_user_count"],
        orderBy: "application_id",
        select: (d, window) => `SELECT ${d.column("application_id")} AS application_id, count(DISTINCT ${d.column("event_id")}) AS new_user_count
FROM ${d.source}${where(d, window, `${d.column("event_type")} = 'user_registration'`)}
GROUP BY 1`,
    },
    eventsByLevel("TotalPlaysByLevel", "level_started", "play_count",
        "Number of level_started events per application and event_data.level_id."),
    eventsByLevel("TotalFailuresByLevel", "level_failed", "failure_count",
        "Number of level_failed events per application and event_data.level_id."),
    eventsByLevel("TotalCompletionsByLevel", "level_completed", "completion_count",
        "Number of level_completed events per application and event_data.level_id."),
    {
        name: "LevelCompletionRate",
        description: "Per application and level: plays (level_started), completions (level_completed) and completions / plays.",
        window: { kind: "all" },
        columns: ["application_id", "level_id", "play_count", "completion_count", "completion_rate"],
        orderBy: "application_id, level_id",
        select: (d, window) => `SELECT application_id, level_id, play_count, completion_count,
  CASE WHEN play_count = 0 THEN NULL
       ELSE ${d.round4(`${d.toDouble("completion_count")} / ${d.toDouble("play_count")}`)} END AS completion_rate
FROM (
  SELECT ${d.column("application_id")} AS application_id,
    ${d.dataText("level_id")} AS level_id,
    count(DISTINCT CASE WHEN ${d.column("event_type")} = 'level_started' THEN ${d.column("event_id")} END) AS play_count,
    count(DISTINCT CASE WHEN ${d.column("event_type")} = 'level_completed' THEN ${d.column("event_id")} END) AS completion_count
  FROM ${d.source}${where(d, window, `${d.column("event_type")} IN ('level_started', 'level_completed')`).replace(/\n/g, "\n  ")}
  GROUP BY 1, 2
) AS per_level`,
    },
    {
        name: "AverageUserSentimentPerDay",
        description: "Average event_data.user_rating (1-5) of user_sentiment events per application and UTC day.",
        window: { kind: "all" },
        columns: ["application_id", "event_day", "average_user_rating", "rating_count"],
        orderBy: "application_id, event_day",
        select: (d, window) => `SELECT ${d.column("application_id")} AS application_id,
  ${d.column("year")} || '-' || ${d.column("month")} || '-' || ${d.column("day")} AS event_day,
  ${d.round4(`avg(${d.dataNumber("user_rating")})`)} AS average_user_rating,
  count(DISTINCT ${d.column("event_id")}) AS rating_count
FROM ${d.source}${where(d, window, `${d.column("event_type")} = 'user_sentiment'`)}
GROUP BY ${d.column("application_id")}, ${d.column("year")}, ${d.column("month")}, ${d.column("day")}`,
    },
    {
        name: "UserReportedReasonsCount",
        description: "Number of user_report events per application and event_data.report_reason, most frequent first.",
        window: { kind: "all" },
        columns: ["application_id", "report_reason", "report_count"],
        orderBy: "application_id, report_count DESC, report_reason",
        select: (d, window) => `SELECT ${d.column("application_id")} AS application_id,
  ${d.dataText("report_reason")} AS report_reason,
  count(DISTINCT ${d.column("event_id")}) AS report_count
FROM ${d.source}${where(d, window, `${d.column("event_type")} = 'user_report'`)}
GROUP BY 1, 2`,
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
