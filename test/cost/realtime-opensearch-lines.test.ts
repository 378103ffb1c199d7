/** Cost lines of the OPENSEARCH real-time destination next to CLOUDWATCH and the guidance's add-on. */
import * as assert from "node:assert/strict";
import { validateSettings } from "../../components/contracts/settings";
import { estimate, serviceTotal } from "../../cost/estimate";
import { openSearchOcus } from "../../cost/lines/realtime-opensearch";
import { DEFAULT_WORKLOAD } from "../../cost/workload";

const run = (raw: Record<string, string>, design?: "guidance") =>
    estimate(validateSettings({ workloadName: "cost", ...raw }), { ...DEFAULT_WORKLOAD }, design ? { design } : {});

describe("cost model: realTimeDestination OPENSEARCH", () => {
    const hours = DEFAULT_WORKLOAD.hoursPerMonth;

    it("prices the steady-state minimum OCUs: 1 indexing + 1 search with standby replicas (production), 0.5 + 0.5 without (devMode)", () => {
        assert.deepEqual([openSearchOcus(true), openSearchOcus(false)], [{ indexing: 1, search: 1 }, { indexing: 0.5, search: 0.5 }]);
        const prod = run({ realTimeDestination: "OPENSEARCH" });
        const dev = run({ realTimeDestination: "OPENSEARCH", devMode: "true" });
        const ocuHours = (e: ReturnType<typeof run>) => e.lineItems.filter((l) => l.service === "OpenSearch Serverless" && l.item.endsWith("OCU-hours")).reduce((n, l) => n + l.quantity, 0);
        assert.deepEqual([ocuHours(prod), ocuHours(dev)], [2 * hours, hours]);
        assert.equal(Math.round(serviceTotal(prod, "OpenSearch Serverless")), Math.round(2 * hours * 0.24));
    });

    it("drops the per-application CloudWatch metrics (the collection holds them) and keeps the real-time Lambda", () => {
        const cw = run({});
        const os = run({ realTimeDestination: "OPENSEARCH" });
        const items = (e: ReturnType<typeof run>) => e.lineItems.map((l) => `${l.service}/${l.item}`);
        assert.ok(items(cw).includes("CloudWatch/real-time custom metrics"));
        assert.ok(!items(os).includes("CloudWatch/real-time custom metrics"));
        assert.ok(items(os).includes("Lambda/real-time metrics requests"));
        assert.deepEqual(items(cw).filter((i) => i.startsWith("OpenSearch")), []);
    });

    it("costs more than CLOUDWATCH and less than half the guidance's real-time add-on (+770.94 published)", () => {
        const base = run({ realTimeAnalytics: "false" }).totalUsdPerMonth;
        const cloudwatch = run({}).totalUsdPerMonth - base;
        const opensearch = run({ realTimeDestination: "OPENSEARCH" }).totalUsdPerMonth - base;
        assert.ok(cloudwatch > 0 && cloudwatch < 50, `CLOUDWATCH add-on ${cloudwatch}`);
        assert.ok(opensearch > 300 && opensearch < 770.94 / 2, `OPENSEARCH add-on ${opensearch}`);
    });

    it("leaves the guidance design's own Flink + OpenSearch lines alone", () => {
        assert.equal(run({ realTimeDestination: "OPENSEARCH" }, "guidance").totalUsdPerMonth, run({}, "guidance").totalUsdPerMonth);
    });
});
