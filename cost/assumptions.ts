/**
 * Assumptions of the cost model that are not prices and not settings: sizes, ratios and rates
 * nobody publishes exactly. Each is stated with its reason; change one here and re-run
 * `npm run cost` (docs/cost.md lists them).
 */
import { MIB } from "./units";

export const ASSUMPTIONS = Object.freeze({
    /** Parquet (Snappy) size over the JSON rows it holds: UUIDs and free-form event_data compress ~3:1. */
    parquetToJsonRatio: 0.3,
    /** Share of a Parquet row group's bytes an average sample query reads (most read event_data, the widest column). */
    athenaColumnFraction: 0.5,
    /** Firehose S3 buffer size; the interval is 60 s in devMode and 900 s otherwise (REFERENCE section 7). */
    firehoseS3BufferBytes: 128 * MIB,
    /** Firehose Lambda processor buffer: 3 MB or 60 s, whichever comes first. */
    transformBufferBytes: 3 * MIB,
    transformBufferSeconds: 60,
    /** Partitions (UTC days) receiving data at a time; late events add more. */
    activePartitions: 1,
    /** Warm transform containers, each with its own application cache. */
    transformContainers: 2,
    /** Platform log bytes per Lambda invocation (JSON platform.start + platform.report). */
    platformLogBytesPerInvocation: 500,
    /** Application log + EMF bytes per invocation of a handler that logs a summary and flushes metrics. */
    handlerLogBytesPerInvocation: 400,
    /** CloudWatch Logs stores compressed data: assumed 6:1 for JSON logs. */
    logsCompressionRatio: 1 / 6,
    /** Alarm notifications per month (SNS publishes and emails). */
    alarmNotificationsPerMonth: 100,
    /** KMS requests per month not tied to data volume: data keys of DynamoDB, Kinesis, Lambda env, SNS. */
    kmsBaselineRequests: 30_000,
    /**
     * Share of the per-object KMS requests S3 still makes when the bucket uses S3 Bucket Keys. S3
     * reuses a short-lived bucket-level key for the writes and reads of one requester, so requests
     * follow requesters and time, not objects; AWS's own proof of concept
     * (https://github.com/aws-samples/s3-bucketkey-poc: 50 uploads and 100 downloads) measured 97.3 %
     * fewer requests than without. Its 2.7 % is used, conservative for a month of objects (more
     * objects per bucket-key lifetime save more).
     */
    kmsRequestShareWithBucketKeys: 0.027,
    /** Glue Data Catalog requests per Athena query (GetDatabase, GetTable...). */
    glueRequestsPerQuery: 4,
    /** Glue Data Catalog requests per Firehose object delivered with format conversion (GetTableVersion). */
    glueRequestsPerDeliveredObject: 1,
    /** Glue ETL job: 2 G.1X workers = 2 DPU; 1.5 min start + 0.5 min per GB of Parquet; billed per second, 1 min minimum. */
    etlDpus: 2,
    etlFixedMinutes: 1.5,
    etlMinutesPerGb: 0.5,
    /** Crawler after each ETL run: 1 DPU, 10-minute minimum. */
    crawlerDpus: 1,
    crawlerMinutes: 10,
    /** Real-time tier (our Lambda tumbling windows): an on-demand stream starts with 4 shards, the event source mapping polls each once a second. */
    onDemandShards: 4,
    realtimePollsPerShardPerSecond: 1,
    /** Custom metrics per application: TotalEvents, TotalLogins, 2 x (top 20 + "other") breakdowns, EventLagSeconds, MalformedRecords, DedupSaturated. */
    realtimeMetricsPerApplication: 2 + 2 * 21 + 3,
    /** EMF bytes per window per shard of the real-time Lambda. */
    realtimeEmfBytesPerWindow: 5 * 1024,
    /** Guidance real-time: Flink 1 KPU + 1 orchestration KPU, 50 GB running storage per KPU; OpenSearch Serverless 2 OCU; Ingestion 1 OCU. */
    flinkKpus: 2,
    flinkStorageGb: 50,
    openSearchServerlessOcus: 2,
    openSearchIngestionOcus: 1,
});
