/**
 * The few places where the SQL of the sample queries differs between engines. A query definition
 * (definitions.ts) is written once against this interface; each renderer (athena.ts, redshift.ts,
 * local-postgres.ts, bigquery.ts) supplies the fragments of its engine.
 *
 * Every query reads one relation, the events relation, under the alias `e`, with the columns of the
 * data-lake table (EVENT_COLUMNS plus year/month/day strings). What differs is how `event_data` is
 * read: a JSON string in the lake (Athena), a SUPER value in Redshift, a jsonb value locally.
 */

/** Which events a query looks at. `year`/`month`/`day` are derived from the event time (UTC). */
export type QueryWindow =
    /** All events. */
    | { kind: "all" }
    /** The calendar month `monthsAgo` months before the current one (0 = this month). */
    | { kind: "calendarMonth"; monthsAgo: number }
    /**
     * From the first day of the calendar month `monthsAgo` months before the current one up to
     * today (1 = the previous and the current month, 11 = the last twelve months). No upper bound:
     * an event stamped later than today (a client clock ahead) counts too, in every rendering.
     */
    | { kind: "sinceMonth"; monthsAgo: number }
    /** Today and the `days - 1` days before it (UTC). */
    | { kind: "lastDays"; days: number };

export interface Dialect {
    /** Engine name, for messages. */
    readonly name: "athena" | "redshift" | "local-postgres" | "bigquery";
    /** The events relation (with its alias where `column` uses one), e.g. `"game_events"."events" AS e`. */
    readonly source: string;
    /** A column of the events relation (a plain column, not inside event_data). */
    column(name: string): string;
    /** The text value of the top-level key `key` of event_data (NULL when absent). */
    dataText(key: string): string;
    /** The numeric value of `key` in event_data as a double (NULL when absent or not a number). */
    dataNumber(key: string): string;
    /** event_data as JSON text (NULL when absent). */
    eventDataJson(): string;
    /** metadata as JSON text. */
    metadataJson(): string;
    /** The UTC timestamp of an epoch-seconds expression. */
    epochSecondsToTimestamp(expression: string): string;
    /** `expression` as a double. */
    toDouble(expression: string): string;
    /** `expression` (a double) rounded to 4 decimals, still a double. */
    round4(expression: string): string;
    /** A boolean predicate selecting the window; `TRUE` for all events. */
    windowPredicate(window: QueryWindow): string;
}

/** `expression AS alias`, or just `expression` when it already is the column `alias`. */
export function aliased(expression: string, alias: string): string {
    return expression === alias ? expression : `${expression} AS ${alias}`;
}

/** Throws unless `monthsAgo` of a month window is an integer >= 0. */
export function checkedMonthsAgo(window: { monthsAgo: number }): number {
    if (!Number.isInteger(window.monthsAgo) || window.monthsAgo < 0) throw new Error("window.monthsAgo: must be an integer >= 0");
    return window.monthsAgo;
}

/** A single-quoted SQL string literal, embedded quotes doubled. */
export function sqlLiteral(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
}

/** A double-quoted SQL identifier, embedded quotes doubled. */
export function sqlIdentifier(identifier: string): string {
    return `"${identifier.replace(/"/g, '""')}"`;
}

/** Keys of event_data the queries read: plain identifiers, so they can be embedded in paths. */
export const EVENT_DATA_KEY = /^[a-z][a-z0-9_]*$/;

/** Throws unless `key` is a plain event_data key (guards the path syntax of every dialect). */
export function checkedKey(key: string): string {
    if (!EVENT_DATA_KEY.test(key)) throw new Error(`event_data key ${JSON.stringify(key)}: must match ${EVENT_DATA_KEY}`);
    return key;
}
