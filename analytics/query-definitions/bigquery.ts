/**
 * BigQuery (GoogleSQL) rendering of the sample queries, over the Google Cloud events table, from
 * the same definitions as the Athena named queries and the Redshift views. The events relation is
 * the table with the Hive partition columns year/month/day added ("2026", "04", "09", derived from
 * `event_day`, the table's partition column), and a window becomes a predicate on `event_day`, so
 * BigQuery reads only the partitions of the window. The GCP storage tier creates one view each
 * (components/gcp/storage-tier.ts).
 */
import { checkedKey, checkedMonthsAgo, type Dialect, type QueryWindow } from "./dialect";
import type { QueryDefinition } from "./definitions";

/** The parts of a query definition a view is rendered from. */
export type ViewDefinition = Pick<QueryDefinition, "name" | "description" | "window" | "orderBy" | "limit" | "select">;

/** A rendered view: its name, description and GoogleSQL. */
export interface BigQueryView {
    name: string;
    description: string;
    query: string;
}

const BIGQUERY_ID = /^[A-Za-z0-9_-]+$/;

/** Partition predicate of a window on `event_day`. */
export function bigQueryWindowPredicate(window: QueryWindow): string {
    switch (window.kind) {
        case "all":
            return "TRUE";
        case "calendarMonth": {
            const month = `DATE_TRUNC(DATE_SUB(CURRENT_DATE(), INTERVAL ${checkedMonthsAgo(window)} MONTH), MONTH)`;
            return `event_day BETWEEN ${month} AND LAST_DAY(${month}, MONTH)`;
        }
        case "sinceMonth":
            // No upper bound: an event stamped after today (a client clock ahead) counts, as in every rendering.
            return `event_day >= DATE_TRUNC(DATE_SUB(CURRENT_DATE(), INTERVAL ${checkedMonthsAgo(window)} MONTH), MONTH)`;
        case "lastDays":
            if (!Number.isInteger(window.days) || window.days < 1) throw new Error("window.days: must be an integer >= 1");
            return `event_day >= DATE_SUB(CURRENT_DATE(), INTERVAL ${window.days - 1} DAY)`;
    }
}

/** The BigQuery dialect over `` `project.dataset.table` ``. */
export function bigQueryDialect(project: string, dataset: string, table: string): Dialect {
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
export function renderBigQueryViews(definitions: readonly ViewDefinition[], project: string, dataset: string, table: string): BigQueryView[] {
    const d = bigQueryDialect(project, dataset, table);
    return definitions.map((def) => ({
        name: def.name,
        description: def.description,
        query: `${def.select(d, def.window)}\nORDER BY ${def.orderBy}${def.limit === undefined ? "" : `\nLIMIT ${def.limit}`}`,
    }));
}
