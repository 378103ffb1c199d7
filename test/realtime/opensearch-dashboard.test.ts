/**
 * The OpenSearch UI dashboard shipped as saved objects (components/aws/opensearch/realtime-dashboard.ndjson):
 * the file is the generator's output, every object is importable NDJSON, every reference resolves,
 * and every visualization reads a field of the index mappings and a metric the function writes.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { dashboardNdjson, DASHBOARD_ID, INDEX_PATTERN_ID, PANELS } from "../../components/aws/opensearch/saved-objects";
import { METRICS_INDEX } from "../../components/aws/opensearch/metrics-collection";
import { REALTIME_METRICS } from "../../functions/core/realtime-metrics";
import { METRIC_INDEX_MAPPINGS } from "../../functions/core/realtime-sink";

const FILE = path.resolve(__dirname, "../../components/aws/opensearch/realtime-dashboard.ndjson");

describe("OpenSearch UI dashboard (saved objects)", () => {
    const text = fs.readFileSync(FILE, "utf8");
    const objects = text.trimEnd().split("\n").map((line) => JSON.parse(line) as { type: string; id: string; attributes: Record<string, any>; references: Array<{ name: string; type: string; id: string }> });

    it("the shipped file is the generator's output (regenerate with the command in saved-objects.ts)", () => {
        assert.equal(text, dashboardNdjson());
    });

    it("holds the index pattern on the metrics index, one visualization per panel and the dashboard, every reference resolving", () => {
        assert.deepEqual(objects.map((o) => o.type), ["index-pattern", ...PANELS.map(() => "visualization"), "dashboard"]);
        const pattern = objects[0]!;
        assert.deepEqual([pattern.id, pattern.attributes.title, pattern.attributes.timeFieldName], [INDEX_PATTERN_ID, METRICS_INDEX, "@timestamp"]);
        const ids = new Set(objects.map((o) => `${o.type}:${o.id}`));
        for (const o of objects) for (const r of o.references) assert.ok(ids.has(`${r.type}:${r.id}`), `${o.id} -> ${r.type}:${r.id}`);
        const dashboard = objects.at(-1)!;
        assert.equal(dashboard.id, DASHBOARD_ID);
        const panels = JSON.parse(dashboard.attributes.panelsJSON) as Array<{ panelRefName: string }>;
        assert.deepEqual(panels.map((p) => p.panelRefName).sort(), dashboard.references.map((r) => r.name).sort());
    });

    it("every visualization filters on a metric the function writes and aggregates fields of the index mappings", () => {
        const metrics = new Set<string>(Object.values(REALTIME_METRICS));
        const fields = new Set(Object.keys(METRIC_INDEX_MAPPINGS.properties));
        for (const o of objects.filter((x) => x.type === "visualization")) {
            const search = JSON.parse(o.attributes.kibanaSavedObjectMeta.searchSourceJSON) as { query: { query: string } };
            const metric = /^metric:"(.+)"$/.exec(search.query.query)?.[1];
            assert.ok(metric !== undefined && metrics.has(metric), `${o.id}: ${search.query.query}`);
            const vis = JSON.parse(o.attributes.visState) as { aggs: Array<{ params: { field?: string } }> };
            for (const agg of vis.aggs) assert.ok(agg.params.field === undefined || fields.has(agg.params.field), `${o.id}: field ${agg.params.field}`);
        }
        for (const m of [REALTIME_METRICS.totalEvents, REALTIME_METRICS.totalLogins, REALTIME_METRICS.knockoutsBySpell, REALTIME_METRICS.purchases, REALTIME_METRICS.lateEvents]) {
            assert.ok(PANELS.some((p) => p.metric === m), `a panel for ${m}`);
        }
    });
});
