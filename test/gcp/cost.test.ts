/** The GCP cost model: lines follow the settings, sizes follow the real shapes, totals add up. */
import * as assert from "node:assert/strict";
import { validateSettings } from "../../components/contracts/settings";
import { estimateGcp } from "../../cost/lines/gcp-estimate";
import { DEFAULT_WORKLOAD } from "../../cost/workload";

const items = (extra: Record<string, unknown>, w = DEFAULT_WORKLOAD) => estimateGcp(validateSettings({ workloadName: "g", ...extra }), { ...w });

describe("GCP cost model", () => {
    it("the total is the sum of the lines, and each mode prices only what it builds", () => {
        const kds = items({});
        assert.equal(kds.totalUsdPerMonth, Math.round(kds.lineItems.reduce((s, l) => s + l.usdPerMonth, 0) * 100) / 100);
        assert.ok(kds.lineItems.some((l) => l.item === "processing requests"));
        assert.ok(kds.lineItems.some((l) => l.item === "real-time requests"));
        const direct = items({ ingestMode: "DIRECT_BATCH", realTimeAnalytics: false });
        assert.ok(!direct.lineItems.some((l) => l.item.startsWith("processing") || l.item.startsWith("events topic")));
        assert.ok(direct.totalUsdPerMonth < kds.totalUsdPerMonth);
    });

    it("packs events on the events topic: one processing push per request at the reference workload", () => {
        const kds = items({ realTimeAnalytics: false });
        const pushes = kds.lineItems.find((l) => l.item === "processing requests")!;
        assert.equal(pushes.quantity, 2.592, "2.592 M requests of 100 events -> 2.592 M messages");
    });

    it("longer authorizer caches read Firestore less; bigger events cost more Pub/Sub", () => {
        const reads = (ttl: number) => items({ authorizerCacheTtlSeconds: ttl }).lineItems.find((l) => l.item.startsWith("API key reads"))!.usdPerMonth;
        assert.ok(reads(300) < reads(60));
        const pubsub = (size: number) => items({}, { ...DEFAULT_WORKLOAD, eventSizeBytes: size }).lineItems.filter((l) => l.service === "Pub/Sub").reduce((s, l) => s + l.usdPerMonth, 0);
        assert.ok(pubsub(2048) > pubsub(1024) * 1.5);
    });
});
