/** The REDSHIFT data stack's cost lines (cost/lines/warehouse.ts): compute bounded by the usage limits. */
import { strict as assert } from "node:assert";
import { validateSettings } from "../../components/contracts/settings";
import { buildContext } from "../../cost/context";
import { designFor } from "../../cost/design";
import { billedRpuHours, natGatewayComparison, WAREHOUSE_COST_DEFAULTS, WAREHOUSE_PRICES, warehouseLines } from "../../cost/lines/warehouse";
import { DEFAULT_WORKLOAD } from "../../cost/workload";

const redshift = validateSettings({ workloadName: "cost", dataStack: "REDSHIFT", realTimeAnalytics: false });
const lake = validateSettings({ workloadName: "cost", realTimeAnalytics: false });
const context = (s: typeof redshift) => buildContext(s, DEFAULT_WORKLOAD, { ...designFor("ours", s, {}), kinesisPacking: false });
const item = (lines: ReturnType<typeof warehouseLines>, name: string) => lines.find((l) => l.item === name)!;

describe("cost model: Redshift Serverless warehouse lines", () => {
    it("prices nothing for the data lake stack", () => {
        assert.deepEqual(warehouseLines(context(lake)), []);
    });

    it("bounds compute by the weekly limit with the defaults (40 RPU-hours a week, 30-day month)", () => {
        const compute = item(warehouseLines(context(redshift)), "compute");
        assert.ok(Math.abs(compute.quantity - 40 * 30 / 7) < 1e-6, String(compute.quantity));
        assert.ok(Math.abs(compute.usdPerMonth - 64.29) < 0.01, String(compute.usdPerMonth));
        assert.match(compute.note, /bounded by the weekly limit/);
    });

    it("prices the assumed demand when it is under both limits, and the daily limit when that binds", () => {
        assert.deepEqual(billedRpuHours(30, { ...WAREHOUSE_COST_DEFAULTS, activeHoursPerDay: 1 }), { rpuHours: 120, bound: "demand" });
        assert.deepEqual(billedRpuHours(30, { ...WAREHOUSE_COST_DEFAULTS, usageLimitRpuHoursPerWeek: 1000 }), { rpuHours: 240, bound: "daily limit" });
        // The guidance: 4 RPU, no limit, 181.90 USD = 485 RPU-hours.
        const unbounded = billedRpuHours(30, { ...WAREHOUSE_COST_DEFAULTS, usageLimitRpuHoursPerDay: 1e9, usageLimitRpuHoursPerWeek: 1e9 });
        assert.equal(unbounded.bound, "demand");
        assert.ok(Math.abs(485 * WAREHOUSE_PRICES.rpuHour.usd - 181.9) < 0.1);
    });

    it("replaces NAT gateways by one interface endpoint, and keeps the warehouse under half the guidance's Redshift line", () => {
        const c = context(redshift);
        const lines = warehouseLines(c);
        assert.equal(item(lines, "Kinesis interface endpoint hours").usdPerMonth, 7.2);
        const nat = natGatewayComparison(c).reduce((s, l) => s + l.usdPerMonth, 0);
        const endpoint = lines.filter((l) => l.service === "VPC").reduce((s, l) => s + l.usdPerMonth, 0);
        assert.ok(endpoint < nat / 5, `endpoint ${endpoint} vs NAT ${nat}`);
        const total = lines.reduce((s, l) => s + l.usdPerMonth, 0);
        assert.ok(total < 181.9 / 2, `warehouse lines ${total}`);
    });
});

describe("cost estimate: a REDSHIFT stack", () => {
    it("is priced with the warehouse lines, one event per record and the warehouse as one more stream consumer", () => {
        const { estimate, serviceTotal } = require("../../cost/estimate") as typeof import("../../cost/estimate");
        const e = estimate(redshift, DEFAULT_WORKLOAD);
        const l = estimate(lake, DEFAULT_WORKLOAD);
        assert.ok(serviceTotal(e, "Redshift Serverless") > 0);
        assert.equal(serviceTotal(l, "Redshift Serverless"), 0);
        assert.equal(e.design.kinesisPacking, false);
        assert.equal(l.design.kinesisPacking, true);
        assert.match(e.lineItems.find((x) => x.item === "on-demand data out")?.note ?? "", /Firehose \+ warehouse/);
    });
});
