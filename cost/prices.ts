/**
 * Every unit price the cost model uses, in one place: AWS list prices for us-east-1 (US East,
 * N. Virginia), on-demand, without free tiers (free tiers are per account and shared with every
 * other workload in it, so an estimate of one pipeline must not spend them).
 *
 * Each price names the public AWS pricing page it comes from (https://aws.amazon.com + `source`)
 * and the date of the figures. "GB" on AWS bills is 2^30 bytes and "KB" 1,024 bytes, which is how
 * the AWS Pricing Calculator converts too (the guidance's published Firehose figure of 58.90 USD is
 * reproduced exactly only with these binary units, see test/cost/guidance-reproduction.test.ts).
 *
 * Update a price here and every estimate, test and docs/cost.md table follows.
 */

/** One unit price with its provenance. */
export interface UnitPrice {
    /** USD per `unit`. */
    readonly usd: number;
    /** What one unit is, e.g. "million requests", "GB-second", "GB-month". */
    readonly unit: string;
    /** Path of the public pricing page on aws.amazon.com. */
    readonly source: string;
    /** Year-month of the published figure this value was taken from. */
    readonly asOf: string;
    /** Tiering or billing rules the model applies with this price. */
    readonly note?: string;
}

const AS_OF = "2025-06";

function price(usd: number, unit: string, source: string, note?: string): UnitPrice {
    return Object.freeze({ usd, unit, source, asOf: AS_OF, note });
}

export const PRICES = Object.freeze({
    apiGateway: {
        /** REST API requests, first 333 million per month. */
        restFirst333M: price(3.5, "million requests", "/api-gateway/pricing/", "REST tier 1: first 333 M requests/month"),
        /** REST API requests, next 667 million. */
        restNext667M: price(2.8, "million requests", "/api-gateway/pricing/", "REST tier 2: 333 M - 1 B"),
        /** REST API requests, next 19 billion. */
        restNext19B: price(2.38, "million requests", "/api-gateway/pricing/", "REST tier 3: 1 B - 20 B"),
        /** REST API requests over 20 billion. */
        restOver20B: price(1.51, "million requests", "/api-gateway/pricing/", "REST tier 4: over 20 B"),
        /** HTTP API requests, first 300 million; metered in 512 KB increments. */
        httpFirst300M: price(1.0, "million requests", "/api-gateway/pricing/", "HTTP API: each 512 KB of a request is one request"),
        /** HTTP API requests over 300 million. */
        httpOver300M: price(0.9, "million requests", "/api-gateway/pricing/"),
    },
    lambda: {
        requests: price(0.2, "million requests", "/lambda/pricing/"),
        arm64Compute: price(0.0000133334, "GB-second", "/lambda/pricing/", "Arm (Graviton2), first 7.5 B GB-s/month"),
        x86Compute: price(0.0000166667, "GB-second", "/lambda/pricing/", "x86, first 6 B GB-s/month"),
    },
    dynamodb: {
        /** On-demand read request units (price cut of 2024-11-01). */
        readRequestUnits: price(0.125, "million read request units", "/dynamodb/pricing/on-demand/"),
        writeRequestUnits: price(0.625, "million write request units", "/dynamodb/pricing/on-demand/"),
        storage: price(0.25, "GB-month", "/dynamodb/pricing/on-demand/"),
    },
    kinesis: {
        onDemandStreamHour: price(0.04, "stream-hour", "/kinesis/data-streams/pricing/"),
        onDemandIngest: price(0.08, "GB", "/kinesis/data-streams/pricing/", "each record rounded up to 1 KB (1,024 bytes)"),
        onDemandRetrieval: price(0.04, "GB", "/kinesis/data-streams/pricing/", "per consumer reading the data; rounded like data-in"),
        onDemandExtendedRetention: price(0.1, "GB-month", "/kinesis/data-streams/pricing/", "retention beyond 24 h up to 7 days"),
        provisionedShardHour: price(0.015, "shard-hour", "/kinesis/data-streams/pricing/"),
        provisionedPutPayloadUnits: price(0.014, "million PUT payload units", "/kinesis/data-streams/pricing/", "one unit per 25 KB of a record"),
        provisionedExtendedRetention: price(0.02, "shard-hour", "/kinesis/data-streams/pricing/", "retention beyond 24 h up to 7 days"),
        longTermRetention: price(0.023, "GB-month", "/kinesis/data-streams/pricing/", "retention beyond 7 days"),
    },
    firehose: {
        /** Direct PUT and Kinesis Data Streams sources, first 500 TB/month. */
        ingestion: price(0.029, "GB", "/firehose/pricing/", "each record rounded up to 5 KB; first 500 TB/month"),
        formatConversion: price(0.018, "GB", "/firehose/pricing/", "per GB billed for ingestion (5 KB rounding applies)"),
        dynamicPartitioning: price(0.02, "GB", "/firehose/pricing/", "per GB processed through dynamic partitioning"),
        dynamicPartitioningObjects: price(0.005, "1,000 S3 objects", "/firehose/pricing/", "objects delivered by dynamic partitioning"),
    },
    s3: {
        standardStorage: price(0.023, "GB-month", "/s3/pricing/", "S3 Standard, first 50 TB/month"),
        putRequests: price(0.005, "1,000 requests", "/s3/pricing/", "PUT, COPY, POST, LIST"),
        getRequests: price(0.0004, "1,000 requests", "/s3/pricing/", "GET, SELECT and all other requests"),
    },
    glue: {
        catalogObjects: price(1.0, "100,000 objects-month", "/glue/pricing/", "databases, tables, partitions (free tier not applied)"),
        catalogRequests: price(1.0, "million requests", "/glue/pricing/", "free tier not applied"),
        etlDpuHour: price(0.44, "DPU-hour", "/glue/pricing/", "Spark jobs, billed per second, 1-minute minimum"),
        crawlerDpuHour: price(0.44, "DPU-hour", "/glue/pricing/", "billed per second, 10-minute minimum per run"),
    },
    athena: {
        scanned: price(5.0, "TB scanned", "/athena/pricing/", "10 MB minimum per query"),
    },
    kms: {
        keyMonth: price(1.0, "key-month", "/kms/pricing/", "customer managed key; rotations add up to 2 USD/month after the first year"),
        requests: price(0.03, "10,000 requests", "/kms/pricing/"),
    },
    cloudWatch: {
        logsIngestion: price(0.5, "GB", "/cloudwatch/pricing/", "standard log class"),
        logsStorage: price(0.03, "GB-month", "/cloudwatch/pricing/", "archived, billed on compressed size"),
        alarmMetric: price(0.1, "alarm metric-month", "/cloudwatch/pricing/", "standard resolution; metric-math alarms pay per metric"),
        dashboard: price(3.0, "dashboard-month", "/cloudwatch/pricing/"),
        customMetric: price(0.3, "metric-month", "/cloudwatch/pricing/", "first 10,000 metrics; EMF metrics count too"),
    },
    sns: {
        publishes: price(0.5, "million publishes", "/sns/pricing/"),
        emailNotifications: price(2.0, "100,000 notifications", "/sns/pricing/"),
    },
    /** The guidance's real-time add-on (priced for comparison; this project computes metrics with Lambda). */
    realtimeGuidance: {
        flinkKpuHour: price(0.11, "KPU-hour", "/managed-service-apache-flink/pricing/", "plus 1 orchestration KPU per application"),
        flinkRunningStorage: price(0.1, "GB-month", "/managed-service-apache-flink/pricing/", "50 GB per KPU"),
        openSearchServerlessOcuHour: price(0.24, "OCU-hour", "/opensearch-service/pricing/", "serverless: minimum 1 indexing + 1 search OCU"),
        openSearchIngestionOcuHour: price(0.24, "OCU-hour", "/opensearch-service/pricing/", "ingestion pipeline, minimum 1 OCU"),
    },
});

/** Firehose bills every record in increments of this many bytes. */
export const FIREHOSE_BILLING_INCREMENT_BYTES = 5 * 1024;
/** Kinesis on-demand bills every record in increments of this many bytes. */
export const KINESIS_ON_DEMAND_INCREMENT_BYTES = 1024;
/** Size of one Kinesis PUT payload unit (provisioned mode). */
export const KINESIS_PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;
/** HTTP APIs meter a request per started 512 KB. */
export const HTTP_API_METERING_BYTES = 512 * 1024;
/** Athena bills at least this many bytes per query. */
export const ATHENA_MINIMUM_BYTES_PER_QUERY = 10 * 1024 * 1024;
