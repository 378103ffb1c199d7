/**
 * Google Cloud list prices the GCP cost model uses: us-central1 (tier 1 region), on-demand,
 * without free tiers (they are per billing account, shared with every other workload). Each price
 * names its public pricing page (https://cloud.google.com + `source`).
 *
 * These figures were written from the public price lists as known at writing (2025) and were not
 * re-read from the pages in this session: check them before quoting an estimate.
 */
import type { UnitPrice } from "../prices";

const AS_OF = "2025-06";
function price(usd: number, unit: string, source: string, note?: string): UnitPrice {
    return Object.freeze({ usd, unit, source, asOf: AS_OF, note });
}

export const GCP_PRICES = Object.freeze({
    cloudRun: {
        /** Cloud Run functions (2nd gen) are billed as Cloud Run services, request-based billing. */
        requests: price(0.4, "million requests", "/run/pricing", "request-based billing"),
        cpu: price(0.000024, "vCPU-second", "/run/pricing", "tier 1, request-based, billed per 100 ms"),
        memory: price(0.0000025, "GiB-second", "/run/pricing", "tier 1, request-based"),
    },
    pubsub: {
        /** Message delivery: publish, and each pull/push subscription, on the same rate. */
        throughput: price(40, "TiB", "/pubsub/pricing", "publish and each standard subscription; 1,000 bytes minimum per request"),
        /** BigQuery and Cloud Storage (export) subscriptions. */
        exportThroughput: price(50, "TiB", "/pubsub/pricing", "BigQuery and Cloud Storage subscriptions"),
        /** Topic message retention (replay window). */
        retainedStorage: price(0.27, "GiB-month", "/pubsub/pricing", "topic message retention"),
    },
    bigquery: {
        activeStorage: price(0.02, "GiB-month", "/bigquery/pricing", "active logical storage"),
        onDemandQuery: price(6.25, "TiB scanned", "/bigquery/pricing", "on-demand; 10 MiB minimum per table per query"),
    },
    firestore: {
        reads: price(0.03, "100k document reads", "/firestore/pricing", "regional (us-central1)"),
        writes: price(0.09, "100k document writes", "/firestore/pricing", "regional (us-central1)"),
    },
    kms: {
        keyVersion: price(0.06, "active key version-month", "/kms/pricing", "software key"),
        operations: price(0.03, "10k operations", "/kms/pricing"),
    },
    logging: { ingestion: price(0.5, "GiB", "/stackdriver/pricing", "Cloud Logging ingestion, 30-day storage included") },
    monitoring: { customMetrics: price(0.258, "MiB ingested", "/stackdriver/pricing", "first tier beyond the free allotment") },
    scheduler: { job: price(0.1, "job-month", "/scheduler/pricing") },
    storage: { standard: price(0.02, "GB-month", "/storage/pricing", "Standard, regional") },
});
