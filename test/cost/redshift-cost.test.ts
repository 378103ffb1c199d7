/**
 * The REDSHIFT stack's cost at the reference workload against the goal (under half the
 * guidance's 252.50 USD): the warehouse's own operations are priced, and the gap is stated, not hidden.
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

    it("misses the goal with an on-demand stream, and by less with a provisioned one-shard stream: what weighs is the stream and the raw copy, one record per event", () => {
        const onDemand = redshift();
        const shard = redshift({ streamProvisioned: "true", streamShardCount: "1" });
        assert.ok(onDemand.totalUsdPerMonth > GOAL && shard.totalUsdPerMonth > GOAL, `${onDemand.totalUsdPerMonth} / ${shard.totalUsdPerMonth}`);
        assert.ok(onDemand.totalUsdPerMonth - shard.totalUsdPerMonth > 90, "the provisioned shard saves the on-demand data lines");
        const stream = serviceTotal(shard, "Kinesis Data Streams");
        const rawCopy = serviceTotal(shard, "Data Firehose");
        const compute = line(shard, "compute").usdPerMonth;
        // Without the raw copy's Firehose (the issue keeps it) the provisioned stack would be under the goal.
        assert.ok(shard.totalUsdPerMonth - rawCopy < GOAL, `${shard.totalUsdPerMonth} - ${rawCopy}`);
        assert.ok(rawCopy > 60 && compute > 60 && stream < 15, `raw copy ${rawCopy}, compute ${compute}, stream ${stream}`);
    });
});
