/**
 * The REDSHIFT stack's cost at the reference workload against the goal (under half the
 * guidance's 252.50 USD): the warehouse's own operations are priced, the raw copy is the stream
 * archiver's (not Firehose's), and the remaining gap is stated, not hidden.
 */
import { strict as assert } from "node:assert";
import { validateSettings } from "../../components/contracts/settings";
import { estimate, serviceTotal } from "../../cost/estimate";
import { REFRESH_MONITOR_RUNS_PER_DAY, WAREHOUSE_ALARMS, WAREHOUSE_CUSTOM_METRICS } from "../../cost/lines/warehouse";
import { DEFAULT_WORKLOAD } from "../../cost/workload";

const GOAL = 252.5 / 2;
const redshift = (extra: Record<string, string> = {}) => estimate(validateSettings({ workloadName: "cost", dataStack: "REDSHIFT", realTimeAnalytics: "false", ...extra }), DEFAULT_WORKLOAD);
const line = (e: ReturnType<typeof estimate>, item: string) => e.lineItems.find((l) => l.item === item)!;

describe("cost model: the REDSHIFT stack against the goal", () => {
    it("prices the warehouse's alarms, the refresh monitor's metrics and its runs every 5 minutes", () => {
        const e = redshift();
        assert.equal(line(e, "warehouse alarms").quantity, WAREHOUSE_ALARMS);
        assert.equal(line(e, "refresh monitor custom metrics").quantity, WAREHOUSE_CUSTOM_METRICS);
        assert.equal(line(e, "refresh monitor requests").quantity, REFRESH_MONITOR_RUNS_PER_DAY * 30 / 1e6);
        assert.equal(REFRESH_MONITOR_RUNS_PER_DAY, 24 * 60 / 5);
        const monitoring = ["warehouse alarms", "refresh monitor custom metrics", "refresh monitor requests", "refresh monitor compute"].reduce((s, i) => s + line(e, i).usdPerMonth, 0);
        assert.ok(monitoring > 1 && monitoring < 1.5, String(monitoring));
    });

    it("the stream archiver replaces Firehose's raw copy: the provisioned one-shard stack comes to 127.75 USD, 1.50 over the goal, the gap in the per-object lines of its many small objects", () => {
        const onDemand = redshift();
        const shard = redshift({ streamProvisioned: "true", streamShardCount: "1" });
        assert.equal(serviceTotal(shard, "Data Firehose"), 0, "no Firehose: it billed each one-event record as 5 KB (~64 USD)");
        assert.equal(serviceTotal(onDemand, "Data Firehose"), 0);
        assert.ok(!shard.lineItems.some((l) => l.item.startsWith("processing (transform)")), "nor its transform Lambda");
        const archiver = line(shard, "stream archiver requests").usdPerMonth + line(shard, "stream archiver compute").usdPerMonth;
        assert.ok(archiver > 0.3 && archiver < 0.6, String(archiver));
        assert.equal(shard.totalUsdPerMonth, 127.75);
        assert.equal(onDemand.totalUsdPerMonth, 221.22);
        assert.ok(shard.totalUsdPerMonth > GOAL && shard.totalUsdPerMonth - GOAL < 1.6, `${shard.totalUsdPerMonth} vs ${GOAL}`);
        assert.ok(onDemand.totalUsdPerMonth - shard.totalUsdPerMonth > 90, "the provisioned shard saves the on-demand data lines");
        // What the gap is made of: ~3,040 objects a day instead of Firehose's 96, each read by every
        // Athena query of the day (S3 GETs, and one KMS request per object read under the model's rule).
        const kms = line(shard, "requests");
        assert.ok(kms.usdPerMonth > 2.5 && kms.usdPerMonth < 3.5, String(kms.usdPerMonth));
        assert.ok(line(shard, "GET requests").usdPerMonth > 0.6, "Athena's ranged GETs over the small objects");
        const compute = line(shard, "compute").usdPerMonth;
        assert.ok(compute > 60 && serviceTotal(shard, "Kinesis Data Streams") < 15, `compute ${compute}`);
    });
});
