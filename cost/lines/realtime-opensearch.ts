/**
 * The OPENSEARCH real-time destination (our design): the real-time Lambda writes its window
 * metrics straight to an OpenSearch Serverless collection (docs/real-time.md), so the lines are
 * the collection's OCU-hours and storage, the function's VPC endpoint, and the health metrics
 * still in CloudWatch. The Lambda lines are the CLOUDWATCH destination's (cost/lines/stream.ts).
 *
 * OCUs (serverless-scaling in the OpenSearch Service developer guide): a collection with its own
 * KMS key gets its own OCUs (no sharing with the account's other collections); at steady state
 * they scale down to 1 indexing OCU (0.5 x 2) + 1 search OCU (0.5 x 2) with redundancy (standby
 * replicas, production) and 0.5 + 0.5 without (devMode). At creation OpenSearch Serverless
 * instantiates 4 (2 + 2), or 2 without redundancy, before it scales down: the first hours cost more.
 *
 * Why no OpenSearch Ingestion pipeline (the guidance's path): an OSI pipeline bills at least one
 * OCU-hour every hour (0.24 USD, ~173 USD/month), and the guidance's Flink + metrics stream in
 * front of it another ~200; the function already holds the windows and signs its own `_bulk`
 * writes, with retries and per-item failure handling. The figure below prices that choice.
 */
import { ASSUMPTIONS } from "../assumptions";
import type { CostContext } from "../context";
import { count, line, type LineItem } from "../line-item";
import { PRICES, type UnitPrice } from "../prices";
import { GIB } from "../units";
import { firstMonthAverageBytes } from "./lake";

const OPENSEARCH_PRICES = Object.freeze({
    ocuHour: PRICES.realtimeGuidance.openSearchServerlessOcuHour,
    managedStorage: { usd: 0.024, unit: "GB-month", source: "/opensearch-service/pricing/", asOf: "2025-06", note: "OpenSearch Serverless managed storage (S3)" } satisfies UnitPrice,
    vpcEndpointHour: { usd: 0.01, unit: "endpoint-AZ-hour", source: "/privatelink/pricing/", asOf: "2025-06", note: "interface endpoint, per Availability Zone" } satisfies UnitPrice,
});

/** Steady-state OCUs of the collection: indexing and search each 0.5 x 2 with standby replicas, 0.5 without. */
export function openSearchOcus(standbyReplicas: boolean): { indexing: number; search: number } {
    const each = standbyReplicas ? 1 : 0.5;
    return { indexing: each, search: each };
}

/** Documents one shard writes per window and application: 3 totals + 4 breakdowns of top 20 + "other". */
export const DOCUMENTS_PER_APPLICATION_WINDOW = 3 + 4 * 21;
/** Bytes one metric document takes in the index (source, ids, keyword doc values). */
export const BYTES_PER_DOCUMENT = 400;
/** Health metrics left in CloudWatch: DuplicateEvents, DedupSaturated, EventLagSeconds, LateEvents, MalformedRecords, FutureEvents, OpenSearchDocumentsWritten, OpenSearchWriteErrors. */
export const OPENSEARCH_HEALTH_METRICS = 8;
/** Subnets (Availability Zones) of the collection's VPC endpoint (components/aws/opensearch/metrics-collection.ts). */
export const VPC_ENDPOINT_AZS = 2;

/** The OPENSEARCH destination's lines (production keeps standby replicas, devMode does not). */
export function openSearchDestinationLines(c: CostContext): LineItem[] {
    const hours = c.workload.hoursPerMonth;
    const standby = !c.settings.devMode;
    const ocus = openSearchOcus(standby);
    const shards = c.settings.streamProvisioned ? c.settings.streamShardCount : ASSUMPTIONS.onDemandShards;
    const windows = shards * (c.seconds / 60);
    const documents = windows * c.workload.applications * DOCUMENTS_PER_APPLICATION_WINDOW;
    const storedBytes = firstMonthAverageBytes((documents * BYTES_PER_DOCUMENT) / c.days, c.days, 0);
    const redundancy = standby ? "standby replicas on (production)" : "standby replicas off (devMode)";
    return [
        line("OpenSearch Serverless", "indexing OCU-hours", ocus.indexing * hours, OPENSEARCH_PRICES.ocuHour, `steady-state minimum ${ocus.indexing} OCU, ${redundancy}; own KMS key = own OCUs`),
        line("OpenSearch Serverless", "search OCU-hours", ocus.search * hours, OPENSEARCH_PRICES.ocuHour, `steady-state minimum ${ocus.search} OCU, ${redundancy}`),
        line("OpenSearch Serverless", "managed storage", storedBytes / GIB, OPENSEARCH_PRICES.managedStorage,
            `first-month average of ${count(documents)} metric documents (${BYTES_PER_DOCUMENT} B each), kept until deleted`),
        line("VPC", "OpenSearch Serverless VPC endpoint", VPC_ENDPOINT_AZS * hours, OPENSEARCH_PRICES.vpcEndpointHour, `${VPC_ENDPOINT_AZS} Availability Zones`),
        line("CloudWatch", "real-time health metrics", OPENSEARCH_HEALTH_METRICS, PRICES.cloudWatch.customMetric, "window health, late/malformed/future counts, OpenSearch writes and errors (EMF)"),
        line("CloudWatch", "real-time EMF log ingestion", (windows * 1024) / GIB, PRICES.cloudWatch.logsIngestion, `${count(windows)} windows x 1 KB of health EMF`),
    ];
}
