/** Plain-text rendering of an estimate for the terminal. */
import type { PipelineSettings } from "../components/contracts/settings";
import type { Estimate } from "./estimate";
import type { GcpEstimate } from "./lines/gcp-estimate";

function money(usd: number): string {
    return usd.toFixed(2);
}

function quantity(q: number): string {
    if (q === 0) return "0";
    if (Math.abs(q) >= 1000) return q.toLocaleString("en-US", { maximumFractionDigits: 0 });
    return q.toPrecision(4).replace(/\.?0+$/, "");
}

/** A Google Cloud estimate (no design) in the same table, with its prices' origin. */
export function formatGcpEstimate(e: GcpEstimate, settings: PipelineSettings, notes: readonly string[] = []): string {
    return table({ ...e, settings }, `Cloud: gcp (${settings.ingestMode}, BigQuery)`, "Google Cloud list prices, no free tier; prices in cost/lines/gcp-prices.ts", notes);
}

/** A table of line items with their notes, and the total. */
export function formatEstimate(e: Estimate, notes: readonly string[] = []): string {
    const head = `Design: ${e.design.name}${e.design.name === "ours" ? ` (${e.design.apiType.toUpperCase()} API)` : " (as its published cost table counts)"}`;
    return table(e, head, "us-east-1 list prices, no free tier; prices in cost/prices.ts", notes);
}

function table(e: Pick<Estimate, "settings" | "workload" | "lineItems" | "totalUsdPerMonth">, head: string, prices: string, notes: readonly string[]): string {
    const s = e.settings;
    const w = e.workload;
    const out: string[] = [];
    out.push(head);
    out.push(`Settings: ${s.ingestMode}, ${s.dataStack} ${s.tableFormat}, real-time ${s.realTimeAnalytics}, devMode ${s.devMode}, s3BackupMode ${s.s3BackupMode}, authorizer cache ${s.authorizerCacheTtlSeconds} s`);
    out.push(`Workload: ${w.eventsPerSecond} events/s x ${w.eventSizeBytes} B, ${w.eventsPerRequest} per request, ${w.hoursPerMonth} h/month, ${w.apiKeys} API keys, ${w.athenaQueriesPerDay} Athena queries/day over ${w.athenaQueryDays} day(s)`);
    for (const n of notes) out.push(`Note: ${n}`);
    out.push("");
    const rows = e.lineItems.map((l) => [l.service, l.item, `${quantity(l.quantity)} ${l.unit}`, `${l.unitPriceUsd}`, money(l.usdPerMonth)]);
    const header = ["service", "item", "quantity", "USD/unit", "USD/month"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (r: string[]) => r.map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
    out.push(fmt(header));
    out.push(widths.map((n) => "-".repeat(n)).join("  "));
    e.lineItems.forEach((l, i) => {
        out.push(fmt(rows[i]));
        out.push(`    ${l.note}`);
    });
    out.push(widths.map((n) => "-".repeat(n)).join("  "));
    out.push(`Total: ${money(e.totalUsdPerMonth)} USD/month (${prices})`);
    return out.join("\n");
}
