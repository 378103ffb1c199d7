/** The Iceberg cost lines on the reference workload, composed as cost/estimate.ts will once ICEBERG is registered. */
import { strict as assert } from "node:assert";
import { validateSettings, type PipelineSettings } from "../../components/contracts/settings";
import { buildContext } from "../../cost/context";
import { designFor } from "../../cost/design";
import { NOT_IMPLEMENTED_PUBLISHED_USD } from "../../cost/estimate";
import type { LineItem } from "../../cost/line-item";
import { deliveryLines } from "../../cost/lines/delivery";
import { commitsPerMonth, HIVE_ONLY_ITEMS, icebergLines } from "../../cost/lines/iceberg";
import { ingestLines } from "../../cost/lines/ingest";
import { lakeLines } from "../../cost/lines/lake";
import { operationsLines } from "../../cost/lines/operations";
import { streamLines } from "../../cost/lines/stream";
import { DEFAULT_WORKLOAD } from "../../cost/workload";

function icebergTotal(settings: PipelineSettings): { total: number; lines: LineItem[] } {
    const c = buildContext(settings, DEFAULT_WORKLOAD, designFor("ours", settings, {}));
    const lines = [
        ...ingestLines(c), ...streamLines(c),
        ...deliveryLines(c).filter((l) => !HIVE_ONLY_ITEMS.includes(l.item)),
        ...lakeLines(c).filter((l) => !/ETL|crawler/.test(l.item)),
        ...operationsLines(c), ...icebergLines(c),
    ];
    return { total: lines.reduce((s, l) => s + l.usdPerMonth, 0), lines };
}

// validateSettings refuses nothing about HIVE here; the lines only read the settings the Hive design reads.
const directBatch = validateSettings({ workloadName: "cost", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false });

describe("cost lines of the Iceberg table format", () => {
    it("drops the Hive delivery items and prices delivery, optimizers and commits instead", () => {
        const { lines } = icebergTotal(directBatch);
        assert.deepEqual(lines.filter((l) => HIVE_ONLY_ITEMS.includes(l.item) && l.service === "Data Firehose"), []);
        const items = lines.map((l) => l.item);
        for (const item of ["delivery to Apache Iceberg tables", "table optimizer: compaction DPU-hours", "Data Catalog requests (Iceberg commits)"]) assert.ok(items.includes(item), item);
    });

    it("commits once per 900 s flush in production (the reference workload never fills 128 MB first), every 60 s in development", () => {
        const c = buildContext(directBatch, DEFAULT_WORKLOAD, designFor("ours", directBatch, {}));
        assert.equal(commitsPerMonth(c), 720 * 4);
        const dev = validateSettings({ workloadName: "cost", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, devMode: true });
        assert.equal(commitsPerMonth(buildContext(dev, DEFAULT_WORKLOAD, designFor("ours", dev, {}))), 720 * 60);
    });

    it("stays below the guidance's published Iceberg total on the reference workload (DIRECT_BATCH)", () => {
        const { total } = icebergTotal(directBatch);
        assert.ok(total < NOT_IMPLEMENTED_PUBLISHED_USD.ICEBERG, `${total.toFixed(2)} USD`);
        console.log(`      Iceberg, DIRECT_BATCH, reference workload: ${total.toFixed(2)} USD/month (guidance ${NOT_IMPLEMENTED_PUBLISHED_USD.ICEBERG}, half ${(NOT_IMPLEMENTED_PUBLISHED_USD.ICEBERG / 2).toFixed(2)})`);
    });
});

describe("Iceberg compaction in the cost model", () => {
    it("bills compaction only where a partition-day reaches minInputFiles (development's 1,440 commits a day), not production's 96", () => {
        const prod = buildContext(directBatch, DEFAULT_WORKLOAD, designFor("ours", directBatch, {}));
        const dev = validateSettings({ workloadName: "cost", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, devMode: true });
        const devContext = buildContext(dev, DEFAULT_WORKLOAD, designFor("ours", dev, {}));
        const compaction = (lines: LineItem[]) => lines.find((l) => l.item === "table optimizer: compaction DPU-hours")!;
        assert.equal(compaction(icebergLines(prod)).usdPerMonth, 0);
        assert.ok(compaction(icebergLines(devContext)).usdPerMonth > 1);
    });
});
