/**
 * The warehouse rendering shared by Redshift and the local PostgreSQL (pglite): the events view
 * over the stream's materialized view, and the 11 sample views over the events view.
 *
 * Objects, in the warehouse schema (default `game_events`):
 * - `kinesis_events`: one row per Kinesis record (Redshift: the streaming materialized view; local:
 *   a table of the same columns), the record parsed into `payload` (SUPER / jsonb), or, when it is
 *   not one JSON document, kept as `unparsed_data` so that nothing disappears silently;
 * - `events`: a view with the columns of the data-lake table (event_id ... metadata, player_id,
 *   source_event_id, year, month, day), navigated out of `payload` (player_id and
 *   source_event_id are top-level keys of the ingest record, absent = NULL for API-key traffic);
 *   `event_data` and `metadata` stay SUPER / jsonb;
 * - the 11 sample views, named like the Athena named queries ("LatestEvents", ...).
 *
 * The two engines differ only in the fragments of `WarehouseDialect`: SUPER navigation
 * (`k.payload.event.event_id`) versus jsonb paths (`k.payload #>> '{event,event_id}'`), `OBJECT`
 * versus `jsonb_build_object`, `JSON_SERIALIZE` versus a text cast, `ROUND(double, 4)` versus a
 * numeric round, `DATEADD` versus interval arithmetic, and `WITH NO SCHEMA BINDING` (late-binding
 * views, Redshift only).
 */
import { checkedKey, checkedMonthsAgo, Dialect, QueryWindow, sqlIdentifier } from "./dialect";
import { QUERY_DEFINITIONS, QueryDefinition } from "./definitions";

/** Names of the warehouse objects. */
export interface WarehouseNames {
    /**
     * Schema holding the stream's materialized view, the events view and the sample views.
     * @default "game_events"
     * @example "game_events"
     */
    schema: string;
    /**
     * The one-row-per-record relation (the streaming materialized view).
     * @default "kinesis_events"
     */
    recordsRelation: string;
    /**
     * The view with the data-lake columns.
     * @default "events"
     */
    eventsView: string;
}

export const DEFAULT_WAREHOUSE_NAMES: WarehouseNames = { schema: "game_events", recordsRelation: "kinesis_events", eventsView: "events" };

/** The engine-specific fragments of the warehouse SQL. */
export interface WarehouseDialect {
    readonly name: "redshift" | "local-postgres";
    /**
     * A path into a SUPER/jsonb column, e.g. (`k.payload`, ["event", "event_id"], "VARCHAR").
     * Without `cast` the result stays SUPER / jsonb.
     */
    navigate(base: string, path: readonly string[], cast?: "VARCHAR" | "BIGINT"): string;
    /** The numeric value at a path as a double, NULL when absent or not a JSON number. */
    navigateNumber(base: string, path: readonly string[]): string;
    /** A SUPER/jsonb object of (key, value expression) pairs. */
    object(pairs: ReadonlyArray<readonly [string, string]>): string;
    /** A SUPER/jsonb value as JSON text. */
    serialize(expression: string): string;
    /** `expression` (a double) rounded to 4 decimals, still a double. */
    round4(expression: string): string;
    /** The date (or timestamp) `count` months or days before today, UTC. */
    beforeToday(count: number, unit: "month" | "day"): string;
    /** Appended to every CREATE VIEW statement. */
    readonly viewSuffix: string;
}

/** `"schema"."name"`. */
export function qualified(names: WarehouseNames, relation: string): string {
    return `${sqlIdentifier(names.schema)}.${sqlIdentifier(relation)}`;
}

/** The UTC timestamp of an epoch-seconds expression (the same text in Redshift and PostgreSQL). */
function eventTime(epochSeconds: string): string {
    return `TIMESTAMP 'epoch' + ${epochSeconds} * INTERVAL '1 second'`;
}

/** UTC year/month/day strings of an epoch-seconds expression ("2026", "04", "09"). */
function datePart(epochSeconds: string, format: "YYYY" | "MM" | "DD"): string {
    return `TO_CHAR(${eventTime(epochSeconds)}, '${format}')`;
}

/** The window as predicates on the events view's year/month/day columns (derived from event time). */
export function warehouseWindowPredicate(w: WarehouseDialect, window: QueryWindow): string {
    switch (window.kind) {
        case "all":
            return "TRUE";
        case "calendarMonth": {
            const monthsAgo = checkedMonthsAgo(window);
            const day = monthsAgo === 0 ? "CURRENT_DATE" : w.beforeToday(monthsAgo, "month");
            return `e.year = TO_CHAR(${day}, 'YYYY')\n  AND e.month = TO_CHAR(${day}, 'MM')`;
        }
        case "sinceMonth": {
            // On the event time itself: the warehouse has no partitions to prune.
            const monthsAgo = checkedMonthsAgo(window);
            const day = monthsAgo === 0 ? "CURRENT_DATE" : w.beforeToday(monthsAgo, "month");
            return `${eventTime("e.event_timestamp")} >= DATE_TRUNC('month', ${day})`;
        }
        case "lastDays": {
            if (!Number.isInteger(window.days) || window.days < 1) throw new Error("window.days: must be an integer >= 1");
            const first = window.days === 1 ? "CURRENT_DATE" : w.beforeToday(window.days - 1, "day");
            return `e.year || '-' || e.month || '-' || e.day >= TO_CHAR(${first}, 'YYYY-MM-DD')`;
        }
    }
}

/** The query dialect of the sample views: reads the events view as `e`. */
export function warehouseQueryDialect(w: WarehouseDialect, names: WarehouseNames): Dialect {
    return {
        name: w.name,
        source: `${qualified(names, names.eventsView)} AS e`,
        column: (name) => `e.${name}`,
        dataText: (key) => w.navigate("e.event_data", [checkedKey(key)], "VARCHAR"),
        dataNumber: (key) => w.navigateNumber("e.event_data", [checkedKey(key)]),
        eventDataJson: () => w.serialize("e.event_data"),
        metadataJson: () => w.serialize("e.metadata"),
        epochSecondsToTimestamp: eventTime,
        toDouble: (expression) => `CAST(${expression} AS DOUBLE PRECISION)`,
        round4: (expression) => w.round4(expression),
        windowPredicate: (window) => warehouseWindowPredicate(w, window),
    };
}

/** CREATE OR REPLACE VIEW of the events view: the data-lake columns out of each record's payload. */
export function eventsViewStatement(w: WarehouseDialect, names: WarehouseNames): string {
    const event = (key: string, cast?: "VARCHAR" | "BIGINT"): string => w.navigate("k.payload", ["event", key], cast);
    const timestamp = event("event_timestamp", "BIGINT");
    const metadata = w.object([
        ["api", w.object([["request_id", w.navigate("k.payload", ["request_id"])], ["request_time_epoch", w.navigate("k.payload", ["request_time_epoch"])]])],
        ["kinesis", w.object([["shard_id", "k.shard_id"], ["sequence_number", "k.sequence_number"], ["partition_key", "k.partition_key"]])],
    ]);
    return `CREATE OR REPLACE VIEW ${qualified(names, names.eventsView)} AS
SELECT ${event("event_id", "VARCHAR")} AS event_id,
  ${event("event_type", "VARCHAR")} AS event_type,
  ${event("event_name", "VARCHAR")} AS event_name,
  ${event("event_version", "VARCHAR")} AS event_version,
  ${timestamp} AS event_timestamp,
  ${event("app_version", "VARCHAR")} AS app_version,
  ${w.navigate("k.payload", ["application_id"], "VARCHAR")} AS application_id,
  CAST(NULL AS VARCHAR) AS application_name,
  ${event("event_data")} AS event_data,
  ${metadata} AS metadata,
  ${w.navigate("k.payload", ["player_id"], "VARCHAR")} AS player_id,
  ${w.navigate("k.payload", ["source_event_id"], "VARCHAR")} AS source_event_id,
  ${datePart(timestamp, "YYYY")} AS year,
  ${datePart(timestamp, "MM")} AS month,
  ${datePart(timestamp, "DD")} AS day
FROM ${qualified(names, names.recordsRelation)} AS k
WHERE k.payload IS NOT NULL${w.viewSuffix}`;
}

/** CREATE OR REPLACE VIEW of one sample view (ordered inside only when it has a LIMIT). */
export function sampleViewStatement(definition: QueryDefinition, w: WarehouseDialect, names: WarehouseNames): string {
    const d = warehouseQueryDialect(w, names);
    const order = definition.limit === undefined ? "" : `\nORDER BY ${definition.orderBy}\nLIMIT ${definition.limit}`;
    return `CREATE OR REPLACE VIEW ${qualified(names, definition.name)} AS\n${definition.select(d, definition.window)}${order}${w.viewSuffix}`;
}

/** The events view, then the 11 sample views: CREATE OR REPLACE, so running them again is harmless. */
export function viewStatements(w: WarehouseDialect, names: WarehouseNames): string[] {
    return [eventsViewStatement(w, names), ...QUERY_DEFINITIONS.map((q) => sampleViewStatement(q, w, names))];
}

/** `SELECT * FROM "schema"."View" ORDER BY ...`: reads a sample view in its defined order. */
export function orderedSelect(definition: QueryDefinition, names: WarehouseNames): string {
    return `SELECT * FROM ${qualified(names, definition.name)} ORDER BY ${definition.orderBy}`;
}
