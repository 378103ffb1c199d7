/**
 * BigQuery (GoogleSQL) rendering of the sample queries, over the GCP events table: the fragments
 * of the shared query definitions' `Dialect` (analytics/query-definitions/dialect.ts on branch
 * `warehouse`), so the BigQuery views are rendered from the same definitions as the Athena named
 * queries and the Redshift views. The events relation is the table with the Hive partition columns
 * year/month/day added ("2026", "04", "09", derived from `event_day`, the table's partition
 * column), and a window becomes a predicate on `event_day`, so BigQuery reads only the partitions
 * of the window.
 *
 * Declared structurally (no import of the warehouse module, not on this branch): `BigQueryDialect`
 * has the same members as `Dialect`; plugging in is `renderBigQueryViews(QUERY_DEFINITIONS, ...)`.
 */
import type { GcpViewSpec } from "./storage-tier";

/** Which events a query looks at (the definitions' QueryWindow). */
export type BigQueryWindow = { kind: "all" } | { kind: "calendarMonth"; monthsAgo: number } | { kind: "sinceMonth"; monthsAgo: number } | { kind: "lastDays"; days: number };

/** The definitions' Dialect, for BigQuery. */
export interface BigQueryDialect {
    readonly name: "bigquery";
    readonly source: string;
    column(name: string): string;
    dataText(key: string): string;
    dataNumber(key: string): string;
    eventDataJson(): string;
    metadataJson(): string;
    epochSecondsToTimestamp(expression: string): string;
    toDouble(expression: string): string;
    round4(expression: string): string;
    windowPredicate(window: BigQueryWindow): string;
}

/** The parts of a query definition the rendering uses (the definitions' QueryDefinition). */
export interface ViewDefinition {
    name: string;
    description: string;
    window: BigQueryWindow;
    orderBy: string;
    limit?: number;
    select(d: any, window: any): string;
}

const EVENT_DATA_KEY = /^[a-z][a-z0-9_]*$/;
const BIGQUERY_ID = /^[A-Za-z0-9_-]+$/;

function checkedKey(key: string): string {
    if (!EVENT_DATA_KEY.test(key)) throw new Error(`event_data key ${JSON.stringify(key)}: must match ${EVENT_DATA_KEY}`);
    return key;
}

/** Partition predicate of a window on `event_day`. */
export function bigQueryWindowPredicate(window: BigQueryWindow): string {
    switch (window.kind) {
        case "all":
            return "TRUE";
        case "calendarMonth": {
            if (!Number.isInteger(window.monthsAgo) || window.monthsAgo < 0) throw new Error("window.monthsAgo: must be an integer >= 0");
            const month = `DATE_TRUNC(DATE_SUB(CURRENT_DATE(), INTERVAL ${window.monthsAgo} MONTH), MONTH)`;
            return `event_day BETWEEN ${month} AND LAST_DAY(${month}, MONTH)`;
        }
        case "sinceMonth": {
            // No upper bound: an event stamped after today (a client clock ahead) counts, as in every rendering.
            if (!Number.isInteger(window.monthsAgo) || window.monthsAgo < 0) throw new Error("window.monthsAgo: must be an integer >= 0");
            return `event_day >= DATE_TRUNC(DATE_SUB(CURRENT_DATE(), INTERVAL ${window.monthsAgo} MONTH), MONTH)`;
        }
        case "lastDays":
            if (!Number.isInteger(window.days) || window.days < 1) throw new Error("window.days: must be an integer >= 1");
            return `event_day >= DATE_SUB(CURRENT_DATE(), INTERVAL ${window.days - 1} DAY)`;
    }
}

/** The BigQuery dialect over `` `project.dataset.table` ``. */
export function bigQueryDialect(project: string, dataset: string, table: string): BigQueryDialect {
    for (const [what, id] of [["project", project], ["dataset", dataset], ["table", table]] as const) {
        if (!BIGQUERY_ID.test(id)) throw new Error(`${what} ${JSON.stringify(id)}: must match ${BIGQUERY_ID}`);
    }
    const json = (key: string) => `JSON_VALUE(event_data, '$.${checkedKey(key)}')`;
    return {
        name: "bigquery",
        source: `(SELECT *, FORMAT_DATE('%Y', event_day) AS year, FORMAT_DATE('%m', event_day) AS month, FORMAT_DATE('%d', event_day) AS day\n  FROM \`${project}.${dataset}.${table}\`)`,
        column: (name) => name,
        dataText: json,
        dataNumber: (key) => `SAFE_CAST(${json(key)} AS FLOAT64)`,
        eventDataJson: () => "event_data",
        metadataJson: () => "metadata",
        epochSecondsToTimestamp: (expression) => `TIMESTAMP_SECONDS(${expression})`,
        toDouble: (expression) => `CAST(${expression} AS FLOAT64)`,
        round4: (expression) => `ROUND(${expression}, 4)`,
        windowPredicate: bigQueryWindowPredicate,
    };
}

/** The view of each definition, in GoogleSQL (ORDER BY and LIMIT included, as in `fullQuery`). */
export function renderBigQueryViews(definitions: readonly ViewDefinition[], project: string, dataset: string, table: string): GcpViewSpec[] {
    const d = bigQueryDialect(project, dataset, table);
    return definitions.map((def) => ({
        name: def.name,
        description: def.description,
        query: `${def.select(d, def.window)}\nORDER BY ${def.orderBy}${def.limit === undefined ? "" : `\nLIMIT ${def.limit}`}`,
    }));
}
