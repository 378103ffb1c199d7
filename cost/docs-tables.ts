/**
 * The tables of docs/cost.md, generated from the model (never typed by hand).
 * `npx tsx cost/docs-tables.ts` prints them; `--write` replaces the generated block of docs/cost.md.
 * test/cost/docs.test.ts fails when docs/cost.md is out of date.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type PipelineSettings, validateSettings } from "../components/contracts/settings";
import { type Estimate, estimate, type EstimateOptions } from "./estimate";
import type { LineItem } from "./line-item";
import { DEFAULT_WORKLOAD } from "./workload";

export const BEGIN_MARKER = "<!-- BEGIN GENERATED: npx tsx cost/docs-tables.ts --write -->";
export const END_MARKER = "<!-- END GENERATED -->";

/** The guidance's published figures (REFERENCE section 7), USD/month. */
const PUBLISHED = {
    hiveDirectBatch: 92.06,
    kdsOnDemand: 58.87,
    realtimeAddOn: 770.94,
    iceberg: 65.88,
    redshift: 252.5,
    lines: { apiGateway: 9.07, authorizer: 2.25, dynamodb: 0.41, firehose: 58.9, transform: 1.56, s3: 7.27, glueCatalog: 11.0, glueEtl: 0.15, athena: 1.45 },
};

function settings(raw: Record<string, string>): PipelineSettings {
    return validateSettings({ workloadName: "cost", ...raw });
}

function total(s: PipelineSettings, options: EstimateOptions = {}): number {
    return estimate(s, { ...DEFAULT_WORKLOAD }, options).totalUsdPerMonth;
}

const usd = (n: number) => n.toFixed(2);

/** Per-mode totals for the reference workload. */
export function modesTable(): string {
    const hive = settings({ ingestMode: "DIRECT_BATCH", realTimeAnalytics: "false" });
    const kds = settings({ ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: "false" });
    const rt = settings({ ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: "true" });
    const iceberg = settings({ ingestMode: "DIRECT_BATCH", realTimeAnalytics: "false", tableFormat: "ICEBERG" });
    // REDSHIFT with the raw copy in the lake, no real-time (the guidance's 252.50 has neither).
    const redshift = settings({ dataStack: "REDSHIFT", realTimeAnalytics: "false" });
    const redshiftShard = settings({ dataStack: "REDSHIFT", realTimeAnalytics: "false", streamProvisioned: "true", streamShardCount: "1" });
    const rows = [
        "| mode | guidance, published | guidance design, our model | ours (REST API) | ours with HTTP API |",
        "| --- | ---: | ---: | ---: | ---: |",
        `| Data lake Hive, DIRECT_BATCH | ${usd(PUBLISHED.hiveDirectBatch)} | ${usd(total(hive, { design: "guidance" }))} | **${usd(total(hive))}** | ${usd(total(hive, { apiType: "http" }))} |`,
        `| Data lake Hive, KINESIS_DATA_STREAMS on-demand | ${usd(PUBLISHED.hiveDirectBatch + PUBLISHED.kdsOnDemand)} | ${usd(total(kds, { design: "guidance" }))} | ${usd(total(kds))} | ${usd(total(kds, { apiType: "http" }))} |`,
        `| ... + real-time analytics | ${usd(PUBLISHED.hiveDirectBatch + PUBLISHED.kdsOnDemand + PUBLISHED.realtimeAddOn)} | ${usd(total(rt, { design: "guidance" }))} | ${usd(total(rt))} | ${usd(total(rt, { apiType: "http" }))} |`,
        `| Data lake Iceberg, DIRECT_BATCH | ${usd(PUBLISHED.iceberg)} | ${usd(total(iceberg, { design: "guidance" }))} | ${usd(total(iceberg))} | ${usd(total(iceberg, { apiType: "http" }))} |`,
        `| Redshift, KINESIS_DATA_STREAMS on-demand | ${usd(PUBLISHED.redshift)} | not modelled | ${usd(total(redshift))} | ${usd(total(redshift, { apiType: "http" }))} |`,
        `| Redshift, provisioned 1-shard stream | | not modelled | ${usd(total(redshiftShard))} | ${usd(total(redshiftShard, { apiType: "http" }))} |`,
    ];
    return rows.join("\n");
}

type Group = { label: string; published?: number; match(l: LineItem): boolean };
const GROUPS: Group[] = [
    { label: "API Gateway", published: PUBLISHED.lines.apiGateway, match: (l) => l.service === "API Gateway" },
    { label: "Lambda authorizer", published: PUBLISHED.lines.authorizer, match: (l) => l.item.startsWith("authorizer") },
    { label: "Lambda events (ingest)", match: (l) => l.item.startsWith("events (ingest)") },
    { label: "DynamoDB", published: PUBLISHED.lines.dynamodb, match: (l) => l.service === "DynamoDB" },
    { label: "Firehose ingestion + Parquet conversion", published: PUBLISHED.lines.firehose, match: (l) => l.service === "Data Firehose" && !l.item.startsWith("dynamic") },
    { label: "Firehose dynamic partitioning", match: (l) => l.service === "Data Firehose" && l.item.startsWith("dynamic") },
    { label: "Lambda transform", published: PUBLISHED.lines.transform, match: (l) => l.item.startsWith("processing (transform)") },
    { label: "S3", published: PUBLISHED.lines.s3, match: (l) => l.service === "S3" },
    { label: "Glue Data Catalog", published: PUBLISHED.lines.glueCatalog, match: (l) => l.service === "Glue" && l.item.startsWith("Data Catalog") },
    { label: "Glue ETL", published: PUBLISHED.lines.glueEtl, match: (l) => l.service === "Glue" && !l.item.startsWith("Data Catalog") },
    { label: "Athena", published: PUBLISHED.lines.athena, match: (l) => l.service === "Athena" },
    { label: "CloudWatch (logs, alarms, dashboard, metrics)", match: (l) => l.service === "CloudWatch" },
    { label: "KMS", match: (l) => l.service === "KMS" },
    { label: "SNS", match: (l) => l.service === "SNS" },
];

function groupUsd(e: Estimate, g: Group): string {
    const lines = e.lineItems.filter(g.match);
    return lines.length === 0 ? "none" : usd(lines.reduce((s, l) => s + l.usdPerMonth, 0));
}

/** Line items of the Hive DIRECT_BATCH reference case, side by side. */
export function lineItemsTable(): string {
    const hive = settings({ ingestMode: "DIRECT_BATCH", realTimeAnalytics: "false" });
    const guidance = estimate(hive, { ...DEFAULT_WORKLOAD }, { design: "guidance" });
    const ours = estimate(hive, { ...DEFAULT_WORKLOAD });
    const rows = [
        "| line | guidance, published | guidance design, our model | ours |",
        "| --- | ---: | ---: | ---: |",
        ...GROUPS.map((g) => `| ${g.label} | ${g.published === undefined ? "not in its table" : usd(g.published)} | ${groupUsd(guidance, g)} | ${groupUsd(ours, g)} |`),
        `| **Total** | **${usd(PUBLISHED.hiveDirectBatch)}** | **${usd(guidance.totalUsdPerMonth)}** | **${usd(ours.totalUsdPerMonth)}** |`,
    ];
    return rows.join("\n");
}

/** The whole generated block. */
export function generatedBlock(): string {
    return [
        BEGIN_MARKER,
        "",
        "Reference workload: 100 events/s of 1,024 bytes, 100 events per request, 30-day month (259.2 M events), 10 API keys, 10 Athena queries a day over 1 day of data. USD/month, us-east-1.",
        "",
        "### Totals per mode",
        "",
        modesTable(),
        "",
        "### Line items, data lake Hive with DIRECT_BATCH",
        "",
        lineItemsTable(),
        "",
        END_MARKER,
    ].join("\n");
}

/** docs/cost.md with its generated block replaced. */
export function withGeneratedBlock(markdown: string): string {
    const start = markdown.indexOf(BEGIN_MARKER);
    const end = markdown.indexOf(END_MARKER);
    if (start < 0 || end < start) throw new Error(`docs/cost.md: markers ${BEGIN_MARKER} ... ${END_MARKER} not found`);
    return markdown.slice(0, start) + generatedBlock() + markdown.slice(end + END_MARKER.length);
}

if (require.main === module) {
    if (process.argv.includes("--write")) {
        const file = path.resolve(__dirname, "../docs/cost.md");
        fs.writeFileSync(file, withGeneratedBlock(fs.readFileSync(file, "utf8")));
        process.stdout.write(`updated ${file}\n`);
    } else {
        process.stdout.write(generatedBlock() + "\n");
    }
}
