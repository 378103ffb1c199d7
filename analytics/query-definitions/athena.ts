/**
 * Athena (Trino) rendering of the sample queries, over the data-lake events table: the text of the
 * Athena named queries, and what the local query tool runs in DuckDB with the Athena emulation
 * (analytics/duckdb-athena.ts). Portable functions only: `json_extract_scalar`, `from_unixtime`,
 * `current_date`, `interval`, `year()`, `month()`, `lpad`, `cast`, `try_cast`, `round`, `||`.
 *
 * A window becomes predicates on the Hive partition columns year/month/day (strings derived from
 * the event time, "2026", "04", "09"), so Athena reads only the partitions of the window.
 */
import { checkedKey, checkedMonthsAgo, Dialect, QueryWindow, sqlIdentifier } from "./dialect";
import { fullQuery, QueryDefinition } from "./definitions";

/** A date `monthsAgo` calendar months before today (UTC), in Trino syntax. */
function monthsBefore(monthsAgo: number): string {
    return monthsAgo === 0 ? "current_date" : `(current_date - interval '${monthsAgo}' month)`;
}

/** Partition predicates of a window (TRUE for all events). */
export function athenaPartitionPredicate(window: QueryWindow): string {
    switch (window.kind) {
        case "all":
            return "TRUE";
        case "calendarMonth": {
            const day = monthsBefore(checkedMonthsAgo(window));
            return `year = cast(year(${day}) AS varchar)\n  AND month = lpad(cast(month(${day}) AS varchar), 2, '0')`;
        }
        case "sinceMonth": {
            // The year first (so the projection enumerates only those years), then year-month
            // (`YYYY-MM` strings compare in date order).
            const start = `(current_date - interval '${checkedMonthsAgo(window)}' month)`;
            return `year >= cast(year(${start}) AS varchar)
  AND year || '-' || month >= cast(year(${start}) AS varchar) || '-' || lpad(cast(month(${start}) AS varchar), 2, '0')`;
        }
        case "lastDays": {
            if (!Number.isInteger(window.days) || window.days < 1) throw new Error("window.days: must be an integer >= 1");
            // Partition values compared as one "YYYY-MM-DD" string; a date cast to varchar has the same
            // form (the inner cast keeps engines where date - interval is a timestamp, DuckDB, in step).
            return `year || '-' || month || '-' || day >= cast(cast(current_date - interval '${window.days - 1}' day AS date) AS varchar)`;
        }
    }
}

/** The Athena dialect over `"database"."table"`. */
export function athenaDialect(database: string, table: string): Dialect {
    const json = (key: string): string => `json_extract_scalar(event_data, '$.${checkedKey(key)}')`;
    return {
        name: "athena",
        source: `${sqlIdentifier(database)}.${sqlIdentifier(table)}`,
        column: (name) => name,
        dataText: json,
        dataNumber: (key) => `try_cast(${json(key)} AS double)`,
        eventDataJson: () => "event_data",
        metadataJson: () => "metadata",
        epochSecondsToTimestamp: (expression) => `from_unixtime(${expression})`,
        toDouble: (expression) => `cast(${expression} AS double)`,
        round4: (expression) => `round(${expression}, 4)`,
        windowPredicate: athenaPartitionPredicate,
    };
}

/** Options of the Athena rendering. */
export interface AthenaRenderOptions {
    /**
     * The window of the query, rendered as partition predicates.
     * @default the definition's window (all events, or its calendar month)
     * @example { kind: "lastDays", days: 7 }
     */
    window?: QueryWindow;
}

/** The Athena SQL of a definition over `"database"."table"`. */
export function renderAthena(definition: QueryDefinition, database: string, table: string, options: AthenaRenderOptions = {}): string {
    return fullQuery(definition, athenaDialect(database, table), options.window ?? definition.window);
}
