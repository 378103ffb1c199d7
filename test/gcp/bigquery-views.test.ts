/**
 * The shared query definitions (analytics/query-definitions) rendered for BigQuery, as the
 * pipeline does on gcp: every definition renders (the `sinceMonth` windows included), each view
 * reads only the partitions of its window.
 */
import * as assert from "node:assert/strict";
import { QUERY_DEFINITIONS } from "../../analytics/query-definitions/definitions";
import { bigQueryWindowPredicate, renderBigQueryViews } from "../../analytics/query-definitions/bigquery";
import { EVENTS_TABLE_SCHEMA } from "../../components/gcp/bigquery-schema";

describe("BigQuery views of QUERY_DEFINITIONS", () => {
    it("renders every definition in GoogleSQL over the events table", () => {
        const views = renderBigQueryViews(QUERY_DEFINITIONS, "studio", "game_events", "raw_events");
        assert.deepEqual(views.map((v) => v.name), QUERY_DEFINITIONS.map((d) => d.name));
        for (const v of views) assert.match(v.query, /`studio\.game_events\.raw_events`/, v.name);
    });

    it("bounds a sinceMonth window below by the first day of the month, with no upper bound", () => {
        assert.equal(bigQueryWindowPredicate({ kind: "sinceMonth", monthsAgo: 11 }), "event_day >= DATE_TRUNC(DATE_SUB(CURRENT_DATE(), INTERVAL 11 MONTH), MONTH)");
        assert.throws(() => bigQueryWindowPredicate({ kind: "sinceMonth", monthsAgo: -1 }), /window.monthsAgo: must be an integer >= 0/);
        const sinceMonth = QUERY_DEFINITIONS.filter((d) => d.window.kind === "sinceMonth");
        assert.ok(sinceMonth.length > 0);
        for (const v of renderBigQueryViews(sinceMonth, "studio", "game_events", "raw_events")) {
            assert.match(v.query, /event_day >= DATE_TRUNC\(DATE_SUB\(CURRENT_DATE\(\), INTERVAL \d+ MONTH\), MONTH\)/, v.name);
        }
    });
});

describe("BigQuery events table schema", () => {
    it("appends player_id and source_event_id (nullable strings) after metadata, before the partition day", () => {
        assert.deepEqual(EVENTS_TABLE_SCHEMA.slice(-4).map((f) => [f.name, f.type, f.mode]), [
            ["metadata", "STRING", "REQUIRED"], ["player_id", "STRING", "NULLABLE"], ["source_event_id", "STRING", "NULLABLE"], ["event_day", "DATE", "REQUIRED"],
        ]);
    });
});
