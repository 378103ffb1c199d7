/**
 * The BigQuery rendering of the sample query definitions: fragments, partition predicates on
 * event_day, guards on identifiers and event_data keys. (The 11 definitions live on branch
 * `warehouse`; rendered there with renderBigQueryViews they give 11 views, see docs/gcp.md.)
 */
import * as assert from "node:assert/strict";
import { bigQueryDialect, bigQueryWindowPredicate, renderBigQueryViews, type ViewDefinition } from "../../analytics/query-definitions/bigquery";

const perLevel: ViewDefinition = {
    name: "TotalPlaysByLevel",
    description: "plays",
    window: { kind: "calendarMonth", monthsAgo: 1 },
    orderBy: "application_id, level_id",
    limit: 5,
    select: (d, w) => `SELECT ${d.column("application_id")} AS application_id, ${d.dataText("level_id")} AS level_id, ${d.column("year")} AS year FROM ${d.source} WHERE ${d.windowPredicate(w)}`,
};

describe("BigQuery dialect of the sample queries", () => {
    it("reads event_data with JSON_VALUE, derives year/month/day from event_day, orders and limits", () => {
        const [view] = renderBigQueryViews([perLevel], "studio-analytics", "game_events", "raw_events");
        assert.equal(view!.name, "TotalPlaysByLevel");
        assert.match(view!.query, /JSON_VALUE\(event_data, '\$\.level_id'\) AS level_id/);
        assert.match(view!.query, /FORMAT_DATE\('%Y', event_day\) AS year/);
        assert.match(view!.query, /FROM `studio-analytics\.game_events\.raw_events`\)/);
        assert.match(view!.query, /ORDER BY application_id, level_id\nLIMIT 5$/);
        assert.match(view!.query, /event_day BETWEEN DATE_TRUNC\(DATE_SUB\(CURRENT_DATE\(\), INTERVAL 1 MONTH\), MONTH\)/);
    });

    it("windows are predicates on the partition column", () => {
        assert.equal(bigQueryWindowPredicate({ kind: "all" }), "TRUE");
        assert.equal(bigQueryWindowPredicate({ kind: "lastDays", days: 7 }), "event_day >= DATE_SUB(CURRENT_DATE(), INTERVAL 6 DAY)");
        assert.throws(() => bigQueryWindowPredicate({ kind: "lastDays", days: 0 }), /days/);
    });

    it("refuses identifiers and keys that would break out of the SQL", () => {
        assert.throws(() => bigQueryDialect("p`; DROP", "d", "t"), /project/);
        assert.throws(() => bigQueryDialect("p", "d", "t").dataText("a') OR ('1"), /event_data key/);
        const d = bigQueryDialect("p", "d", "t");
        assert.equal(d.dataNumber("user_rating"), "SAFE_CAST(JSON_VALUE(event_data, '$.user_rating') AS FLOAT64)");
        assert.equal(d.epochSecondsToTimestamp("event_timestamp"), "TIMESTAMP_SECONDS(event_timestamp)");
    });
});
