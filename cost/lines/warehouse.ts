/**
 * The REDSHIFT data stack's own lines: Redshift Serverless compute and managed storage, the
 * Kinesis interface endpoint that replaces the guidance's NAT gateways, the managed admin secret
 * and the namespace's KMS key. The rest of a REDSHIFT estimate is the usual ingest, stream
 * (one event per record: `kinesisPacking` false, and the warehouse is one more stream consumer),
 * delivery and lake lines: the raw copy of the stream in the data lake is kept.
 *
 * Compute is the one line nobody can know in advance: Redshift Serverless bills RPU-seconds while
 * anything runs, the streaming view's AUTO REFRESH included. The model therefore prices the demand
 * it is told (`activeHoursPerDay` at the base capacity) and caps it with the usage limits, which
 * the workgroup enforces: the compute line never exceeds min(daily limit x days, weekly limit x
 * weeks). With the defaults (8 RPU-hours a day, 40 a week) that is at most 171.4 RPU-hours in a
 * 30-day month, 64.29 USD; the guidance's 181.90 USD is 485 RPU-hours without any limit.
 *
 * Also priced here: the warehouse's operations (its 4 alarms, the refresh monitor's 2 EMF metrics,
 * its invocations every 5 minutes). The monitor's query runs on the workgroup: whether Redshift
 * Serverless bills a query that reads only system views is not documented; if it does, it is
 * demand like any other and stays inside the usage limits' bound.
 */
import type { CostContext } from "../context";
import { line, type LineItem } from "../line-item";
import { PRICES, type UnitPrice } from "../prices";
import { GIB } from "../units";

function price(usd: number, unit: string, source: string, note?: string): UnitPrice {
    return Object.freeze({ usd, unit, source, asOf: "2025-06", note });
}

/** Unit prices of the warehouse lines (us-east-1; to move into cost/prices.ts as PRICES.redshift). */
export const WAREHOUSE_PRICES = Object.freeze({
    rpuHour: price(0.375, "RPU-hour", "/redshift/pricing/", "Serverless compute, billed per second with a 60 s minimum"),
    managedStorage: price(0.024, "GB-month", "/redshift/pricing/", "Redshift Managed Storage"),
    interfaceEndpointHour: price(0.01, "endpoint-hour per AZ", "/privatelink/pricing/"),
    interfaceEndpointData: price(0.01, "GB processed", "/privatelink/pricing/", "first PB per month"),
    secretMonth: price(0.4, "secret-month", "/secrets-manager/pricing/"),
    natGatewayHour: price(0.045, "NAT gateway-hour", "/vpc/pricing/", "for comparison: the guidance's default VPC"),
    natGatewayData: price(0.045, "GB processed", "/vpc/pricing/", "for comparison"),
});

/** What the warehouse lines need beyond the pipeline's settings. */
export interface WarehouseCostOptions {
    /** Base capacity, RPUs. @default 4 */
    baseCapacityRpu: number;
    /** Daily compute usage limit, RPU-hours. @default 8 */
    usageLimitRpuHoursPerDay: number;
    /** Weekly compute usage limit, RPU-hours. @default 40 */
    usageLimitRpuHoursPerWeek: number;
    /**
     * Assumed hours a day the workgroup runs at its base capacity (streaming-view refreshes,
     * dashboards, analysts). Not measurable here; the usage limits bound what it can cost.
     * @default 4 (the guidance's 181.90 USD at 4 RPU is ~4 h a day)
     */
    activeHoursPerDay: number;
    /** AZs of the Kinesis interface endpoint. @default 1 */
    kinesisEndpointAzs: number;
    /** Stored bytes per event byte (SUPER payload and record metadata; no compression assumed). @default 1 */
    storedBytesPerEventByte: number;
    /** Billed duration of one refresh-monitor run, ms (start + poll the Data API + result). @default 3000 */
    monitorBilledMs: number;
}

/** The refresh monitor: every 5 minutes, 256 MB arm64 (components/aws/warehouse/refresh-monitor.ts). */
export const REFRESH_MONITOR_RUNS_PER_DAY = 288;
const MONITOR_MEMORY_GB = 0.25;
/** Alarms of the warehouse: usage limit, refresh failures, refresh lag, stream iterator age. */
export const WAREHOUSE_ALARMS = 4;
/** EMF metrics of the refresh monitor (MaterializedViewRefreshFailures, MaterializedViewLagSeconds). */
export const WAREHOUSE_CUSTOM_METRICS = 2;

export const WAREHOUSE_COST_DEFAULTS: Readonly<WarehouseCostOptions> = Object.freeze({
    baseCapacityRpu: 4,
    usageLimitRpuHoursPerDay: 8,
    usageLimitRpuHoursPerWeek: 40,
    activeHoursPerDay: 4,
    kinesisEndpointAzs: 1,
    storedBytesPerEventByte: 1,
    monitorBilledMs: 3000,
});

/** RPU-hours billed in the month: the demand, capped by the daily and weekly usage limits. */
export function billedRpuHours(days: number, o: WarehouseCostOptions): { rpuHours: number; bound: "demand" | "daily limit" | "weekly limit" } {
    const candidates = [
        { rpuHours: o.activeHoursPerDay * o.baseCapacityRpu * days, bound: "demand" as const },
        { rpuHours: o.usageLimitRpuHoursPerDay * days, bound: "daily limit" as const },
        { rpuHours: (o.usageLimitRpuHoursPerWeek * days) / 7, bound: "weekly limit" as const },
    ];
    return candidates.reduce((low, c) => (c.rpuHours < low.rpuHours ? c : low));
}

/** The warehouse's lines for one month (empty unless `dataStack` is REDSHIFT). */
export function warehouseLines(c: CostContext, options: Partial<WarehouseCostOptions> = {}): LineItem[] {
    if (c.settings.dataStack !== "REDSHIFT") return [];
    const o: WarehouseCostOptions = { ...WAREHOUSE_COST_DEFAULTS, ...options };
    const hours = c.workload.hoursPerMonth;
    const compute = billedRpuHours(c.days, o);
    const eventBytes = c.events * c.workload.eventSizeBytes;
    const streamBytes = c.kinesis?.bytes ?? eventBytes;
    return [
        line("Redshift Serverless", "compute", compute.rpuHours, WAREHOUSE_PRICES.rpuHour,
            `${o.activeHoursPerDay} h/day at ${o.baseCapacityRpu} RPU assumed, bounded by the ${compute.bound} (limits ${o.usageLimitRpuHoursPerDay} RPU-h/day, ${o.usageLimitRpuHoursPerWeek} RPU-h/week)`),
        line("Redshift Serverless", "managed storage", (eventBytes * o.storedBytesPerEventByte) / GIB, WAREHOUSE_PRICES.managedStorage,
            "one month of events at month end (the streaming view keeps every record; storage grows each month)"),
        line("VPC", "Kinesis interface endpoint hours", o.kinesisEndpointAzs * hours, WAREHOUSE_PRICES.interfaceEndpointHour,
            `${o.kinesisEndpointAzs} AZ; no NAT gateway`),
        line("VPC", "Kinesis interface endpoint data", streamBytes / GIB, WAREHOUSE_PRICES.interfaceEndpointData, "the stream read once by the warehouse"),
        line("Secrets Manager", "admin secret", 1, WAREHOUSE_PRICES.secretMonth, "managed by Redshift"),
        line("KMS", "warehouse key", 1, PRICES.kms.keyMonth, "namespace, admin secret and audit log groups"),
        line("CloudWatch", "warehouse alarms", WAREHOUSE_ALARMS, PRICES.cloudWatch.alarmMetric, "usage limit, refresh failures, refresh lag, stream iterator age"),
        line("CloudWatch", "refresh monitor custom metrics", WAREHOUSE_CUSTOM_METRICS, PRICES.cloudWatch.customMetric, "MaterializedViewRefreshFailures and MaterializedViewLagSeconds (EMF)"),
        line("Lambda", "refresh monitor requests", (REFRESH_MONITOR_RUNS_PER_DAY * c.days) / 1e6, PRICES.lambda.requests, "every 5 minutes"),
        line("Lambda", "refresh monitor compute", REFRESH_MONITOR_RUNS_PER_DAY * c.days * (o.monitorBilledMs / 1000) * MONITOR_MEMORY_GB, PRICES.lambda.arm64Compute,
            `arm64 256 MB x ${o.monitorBilledMs} ms (mostly waiting on the Data API)`),
    ];
}

/** What the guidance's default VPC would add for the same traffic: one NAT gateway per AZ (comparison only). */
export function natGatewayComparison(c: CostContext, azs = 3): LineItem[] {
    const streamBytes = c.kinesis?.bytes ?? c.events * c.workload.eventSizeBytes;
    return [
        line("VPC", "NAT gateway hours (not deployed)", azs * c.workload.hoursPerMonth, WAREHOUSE_PRICES.natGatewayHour, `${azs} AZs`),
        line("VPC", "NAT gateway data (not deployed)", streamBytes / GIB, WAREHOUSE_PRICES.natGatewayData, "the stream read through NAT"),
    ];
}
