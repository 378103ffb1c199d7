/**
 * The ready dashboard of the real-time metrics as OpenSearch Dashboards saved objects (NDJSON):
 * an index pattern on the metrics index, one visualization per metric, and a dashboard of them.
 * Pulumi has no resource for saved objects (they live inside OpenSearch UI, behind its own API),
 * so the file `realtime-dashboard.ndjson` next to this one is imported once after deploy
 * (docs/real-time.md "OpenSearch dashboard"). test/realtime/opensearch-dashboard.test.ts keeps the
 * file equal to `dashboardNdjson()`.
 *
 * Regenerate: `npx tsx components/aws/opensearch/saved-objects.ts > components/aws/opensearch/realtime-dashboard.ndjson`
 */
import { REALTIME_METRICS } from "../../../functions/core/realtime-metrics";
import { METRICS_INDEX } from "./metrics-collection";

/** Id of the index pattern (stable: re-importing overwrites instead of duplicating). */
export const INDEX_PATTERN_ID = "game-analytics-realtime-metrics";
export const DASHBOARD_ID = "game-analytics-realtime-dashboard";

interface Panel {
    id: string;
    title: string;
    metric: string;
    /** Field the series are split by. */
    splitBy: "application_id" | "dimension_value";
    /** Sum (counts) or max (lag, saturation). */
    aggregation: "sum" | "max";
}

/** One panel per metric a live-ops team watches (and the data quality counters). */
export const PANELS: readonly Panel[] = [
    { id: "rt-total-events", title: "Events per minute by application", metric: REALTIME_METRICS.totalEvents, splitBy: "application_id", aggregation: "sum" },
    { id: "rt-total-logins", title: "Logins per minute by application", metric: REALTIME_METRICS.totalLogins, splitBy: "application_id", aggregation: "sum" },
    { id: "rt-active-players", title: "Active players per minute (sum over shards)", metric: REALTIME_METRICS.activePlayers, splitBy: "application_id", aggregation: "sum" },
    { id: "rt-knockouts-by-spell", title: "Knockouts by spell", metric: REALTIME_METRICS.knockoutsBySpell, splitBy: "dimension_value", aggregation: "sum" },
    { id: "rt-purchases-by-item", title: "Purchases by item", metric: REALTIME_METRICS.purchases, splitBy: "dimension_value", aggregation: "sum" },
    { id: "rt-revenue-by-currency", title: "Revenue per minute by currency", metric: REALTIME_METRICS.revenue, splitBy: "dimension_value", aggregation: "sum" },
    { id: "rt-match-starts-by-map", title: "Match starts by map", metric: REALTIME_METRICS.matchStarts, splitBy: "dimension_value", aggregation: "sum" },
    { id: "rt-late-events", title: "Late events (behind the watermark) by window", metric: REALTIME_METRICS.lateEvents, splitBy: "application_id", aggregation: "sum" },
    { id: "rt-duplicate-events", title: "Duplicate events by window", metric: REALTIME_METRICS.duplicateEvents, splitBy: "application_id", aggregation: "sum" },
    { id: "rt-event-lag", title: "Event lag (s, max)", metric: REALTIME_METRICS.eventLagSeconds, splitBy: "application_id", aggregation: "max" },
];

function visualization(p: Panel): object {
    const visState = {
        title: p.title,
        type: "line",
        aggs: [
            { id: "1", enabled: true, type: p.aggregation, schema: "metric", params: { field: "value" } },
            { id: "2", enabled: true, type: "date_histogram", schema: "segment", params: { field: "@timestamp", interval: "auto", min_doc_count: 1, extended_bounds: {} } },
            { id: "3", enabled: true, type: "terms", schema: "group", params: { field: p.splitBy, size: 20, order: "desc", orderBy: "1", otherBucket: true, otherBucketLabel: "other", missingBucket: false } },
        ],
        params: { type: "line", addLegend: true, legendPosition: "right", addTooltip: true, seriesParams: [{ show: true, type: "line", mode: "normal", data: { id: "1", label: p.metric }, valueAxis: "ValueAxis-1" }] },
    };
    const search = { query: { query: `metric:"${p.metric}"`, language: "kuery" }, filter: [], indexRefName: "kibanaSavedObjectMeta.searchSourceJSON.index" };
    return {
        type: "visualization",
        id: p.id,
        attributes: { title: p.title, description: `${p.metric} documents of the ${METRICS_INDEX} index`, version: 1, uiStateJSON: "{}", visState: JSON.stringify(visState), kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify(search) } },
        references: [{ name: "kibanaSavedObjectMeta.searchSourceJSON.index", type: "index-pattern", id: INDEX_PATTERN_ID }],
    };
}

/** The saved objects, in import order (index pattern, visualizations, dashboard). */
export function dashboardSavedObjects(): object[] {
    const indexPattern = {
        type: "index-pattern",
        id: INDEX_PATTERN_ID,
        attributes: { title: METRICS_INDEX, timeFieldName: "@timestamp" },
        references: [],
    };
    const panels = PANELS.map((p, i) => ({ panelIndex: String(i + 1), gridData: { x: (i % 2) * 24, y: Math.floor(i / 2) * 15, w: 24, h: 15, i: String(i + 1) }, version: "2.19.0", panelRefName: `panel_${i}`, embeddableConfig: {} }));
    const dashboard = {
        type: "dashboard",
        id: DASHBOARD_ID,
        attributes: {
            title: "Real-time game metrics",
            description: "1-minute event-time windows (watermark: realtimeWatermarkSeconds); values summed over the stream's shards. docs/real-time.md",
            panelsJSON: JSON.stringify(panels),
            optionsJSON: JSON.stringify({ useMargins: true, hidePanelTitles: false }),
            timeRestore: true,
            timeFrom: "now-3h",
            timeTo: "now",
            refreshInterval: { pause: false, value: 60_000 },
            kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query: "", language: "kuery" }, filter: [] }) },
        },
        references: PANELS.map((p, i) => ({ name: `panel_${i}`, type: "visualization", id: p.id })),
    };
    return [indexPattern, ...PANELS.map(visualization), dashboard];
}

/** The NDJSON file's text (one object per line, ending with a newline). */
export function dashboardNdjson(): string {
    return dashboardSavedObjects().map((o) => JSON.stringify(o)).join("\n") + "\n";
}

if (require.main === module) process.stdout.write(dashboardNdjson());
