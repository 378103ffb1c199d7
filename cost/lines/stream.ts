/** Kinesis Data Streams (KDS mode) and the real-time analytics tier. */
import { ASSUMPTIONS } from "../assumptions";
import type { CostContext } from "../context";
import type { LambdaProfile } from "../design";
import { count, line, type LineItem } from "../line-item";
import { PRICES } from "../prices";
import { GIB, MIB } from "../units";
import { lambdaLines } from "./lambda";

/** Shards a provisioned stream needs: 1 MB/s and 1,000 records/s of writes per shard. */
export function shardsNeeded(recordsPerSecond: number, bytesPerSecond: number): number {
    return Math.max(1, Math.ceil(recordsPerSecond / 1000), Math.ceil(bytesPerSecond / MIB));
}

export function streamLines(c: CostContext): LineItem[] {
    const k = c.kinesis;
    if (!k) return [];
    const s = c.settings;
    const items: LineItem[] = [];
    const hours = c.workload.hoursPerMonth;
    const consumers = 1 + (s.realTimeAnalytics ? 1 : 0) + (s.dataStack === "REDSHIFT" ? 1 : 0);
    const extraHours = Math.max(0, Math.min(s.streamRetentionHours, 168) - 24);
    const longTermHours = Math.max(0, s.streamRetentionHours - 168);
    const bytesPerHour = k.billedBytes / hours;
    const packing = c.design.kinesisPacking ? "events packed per record" : "one record per event";
    if (!s.streamProvisioned) {
        items.push(line("Kinesis Data Streams", "on-demand stream-hours", hours, PRICES.kinesis.onDemandStreamHour, "one stream"));
        items.push(line("Kinesis Data Streams", "on-demand data in", k.billedBytes / GIB, PRICES.kinesis.onDemandIngest,
            `${count(k.records)} records (${packing}), each rounded up to 1 KB`));
        items.push(line("Kinesis Data Streams", "on-demand data out", (k.billedBytes * consumers) / GIB, PRICES.kinesis.onDemandRetrieval,
            `${consumers} consumer(s): Firehose${s.realTimeAnalytics ? " + real-time" : ""}${s.dataStack === "REDSHIFT" ? " + warehouse" : ""}`));
        if (extraHours > 0) {
            items.push(line("Kinesis Data Streams", "extended retention", (bytesPerHour * extraHours) / GIB, PRICES.kinesis.onDemandExtendedRetention,
                `${extraHours} h beyond 24 h kept at steady state`));
        }
    } else {
        const needed = shardsNeeded(k.records / c.seconds, k.bytes / c.seconds);
        const under = needed > s.streamShardCount ? `; UNDER-PROVISIONED: this workload needs ${needed} shards` : "";
        items.push(line("Kinesis Data Streams", "provisioned shard-hours", s.streamShardCount * hours, PRICES.kinesis.provisionedShardHour,
            `${s.streamShardCount} shard(s)${under}`));
        items.push(line("Kinesis Data Streams", "PUT payload units", k.putPayloadUnits / 1e6, PRICES.kinesis.provisionedPutPayloadUnits,
            `${count(k.records)} records (${packing}), 25 KB units`));
        if (extraHours > 0) {
            items.push(line("Kinesis Data Streams", "extended retention", s.streamShardCount * hours, PRICES.kinesis.provisionedExtendedRetention,
                `retention ${s.streamRetentionHours} h > 24 h`));
        }
    }
    if (longTermHours > 0) {
        items.push(line("Kinesis Data Streams", "long-term retention", (bytesPerHour * longTermHours) / GIB, PRICES.kinesis.longTermRetention,
            `${longTermHours} h beyond 7 days kept at steady state`));
    }
    if (s.realTimeAnalytics) items.push(...realtimeLines(c));
    return items;
}

/** Real-time metrics: our Lambda with tumbling windows, or the guidance's Flink + OpenSearch. */
function realtimeLines(c: CostContext): LineItem[] {
    const hours = c.workload.hoursPerMonth;
    if (c.design.realtime === "flink-opensearch") {
        const rt = PRICES.realtimeGuidance;
        return [
            line("Managed Service for Apache Flink", "KPU-hours", ASSUMPTIONS.flinkKpus * hours, rt.flinkKpuHour, "1 KPU + 1 orchestration KPU"),
            line("Managed Service for Apache Flink", "running application storage", ASSUMPTIONS.flinkStorageGb, rt.flinkRunningStorage, "50 GB per KPU"),
            line("OpenSearch Serverless", "OCU-hours", ASSUMPTIONS.openSearchServerlessOcus * hours, rt.openSearchServerlessOcuHour, "minimum 1 indexing + 1 search OCU"),
            line("OpenSearch Ingestion", "OCU-hours", ASSUMPTIONS.openSearchIngestionOcus * hours, rt.openSearchIngestionOcuHour, "minimum 1 OCU"),
        ];
    }
    const shards = c.settings.streamProvisioned ? c.settings.streamShardCount : ASSUMPTIONS.onDemandShards;
    const invocations = shards * c.seconds * ASSUMPTIONS.realtimePollsPerShardPerSecond;
    const eventsPerInvocation = c.events / invocations;
    const profile: LambdaProfile = { architecture: "arm64", memoryMb: 256, fixedMs: 5, cpuMicrosPerEvent: 5 };
    const windows = shards * (c.seconds / 60);
    const metrics = ASSUMPTIONS.realtimeMetricsPerApplication * c.workload.applications;
    const lambda = lambdaLines("real-time metrics", profile, invocations, eventsPerInvocation,
        `${shards} shards polled ${ASSUMPTIONS.realtimePollsPerShardPerSecond}/s, 60 s tumbling windows`);
    // OPENSEARCH: the window metrics go to the collection (cost/lines/realtime-opensearch.ts, added by estimate()).
    if (c.settings.realTimeDestination === "OPENSEARCH") return lambda;
    return [
        ...lambda,
        line("CloudWatch", "real-time custom metrics", metrics, PRICES.cloudWatch.customMetric,
            `${ASSUMPTIONS.realtimeMetricsPerApplication} EMF metrics per application (top-20 dimension values + "other")`),
        line("CloudWatch", "real-time EMF log ingestion", (windows * ASSUMPTIONS.realtimeEmfBytesPerWindow) / GIB, PRICES.cloudWatch.logsIngestion,
            `${count(windows)} windows x ${ASSUMPTIONS.realtimeEmfBytesPerWindow / 1024} KB of EMF`),
    ];
}
