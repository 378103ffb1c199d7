/**
 * The two designs the model prices with the same code and the same prices:
 * - `ours`: this project as built (functions/, components/).
 * - `guidance`: the Guidance for Game Analytics Pipeline on AWS as its published cost table counts it.
 *
 * Every number here is an assumption of the model, named and explained; where it describes this
 * project (Lambda memory, alarms, metrics) it must follow components/ when those change.
 */
import type { PipelineSettings } from "../components/contracts/settings";
import { KINESIS_PACKS_EVENTS } from "../functions/aws/adapters/kinesis-sink";

/** Which design to price. */
export type DesignName = "ours" | "guidance";
export const DESIGN_NAMES: readonly DesignName[] = ["ours", "guidance"];

/** REST API (default) or HTTP API. */
export type ApiType = "rest" | "http";
export const API_TYPES: readonly ApiType[] = ["rest", "http"];

/** A Lambda function's billed shape. */
export interface LambdaProfile {
    architecture: "arm64" | "x86_64";
    memoryMb: number;
    /** Billed milliseconds per invocation independent of the work (I/O waits, runtime overhead). */
    fixedMs: number;
    /** CPU microseconds per event on one full vCPU; scaled by the vCPU share of `memoryMb`. */
    cpuMicrosPerEvent: number;
}

/** Lambda gets one full vCPU at 1,769 MB; less memory gets a proportional share. */
export const MB_PER_VCPU = 1769;

/**
 * The guidance's transform cost per event: REFERENCE section 7 measured 147,000 records/s per core
 * for the guidance's transform code with a warm application cache (its records are smaller than
 * our 1 KB reference event with its ingest wrapper).
 */
const GUIDANCE_TRANSFORM_CPU_MICROS_PER_EVENT = 1e6 / 147_000;

/**
 * Our transform's cost per event at the reference event size, measured: the transform baseline of
 * `npm run bench -- stream-archiver` (transformRecords over ~1.2 KB one-event records in 2 MB
 * processor batches), medians of three runs 18.8 / 21.7 / 15.8 µs on this x86 machine under load
 * (BENCHMARKS.md); the middle one is used. Smaller events cost less (the `transform` benchmark's
 * ~0.4 KB records: ~7.5 µs), so the figure is conservative for them.
 */
export const TRANSFORM_CPU_MICROS_PER_EVENT = 18.8;

export interface Design {
    name: DesignName;
    /** How the events route reaches the sink: our ingest Lambda, or the guidance's API Gateway service integration (VTL). */
    eventsRoute: "ingest-lambda" | "service-integration";
    /** Many events per Firehose record (our ingest Lambda) or one record per event. */
    firehosePacking: boolean;
    /** Many events per Kinesis record (ours: as functions/aws/adapters/kinesis-sink.ts declares) or one record per event. */
    kinesisPacking: boolean;
    /** Record content: our IngestRecord JSON lines, or exactly the event bytes (what the guidance's table assumes). */
    recordContent: "ingest-record" | "event-only";
    authorizer: LambdaProfile;
    ingest?: LambdaProfile;
    transform: LambdaProfile;
    /** Authorizer result cache TTL, seconds. */
    authorizerCacheTtlSeconds: number;
    apiType: ApiType;
    /** CloudWatch alarm metrics (metric-math alarms count each metric). */
    alarmMetrics: number;
    /** Custom metrics published by the handlers through EMF. */
    customMetrics: number;
    /** Customer managed KMS keys. */
    kmsKeys: number;
    /**
     * The lake bucket uses S3 Bucket Keys (components/aws/storage-tier.ts `bucketKeyEnabled`), so S3
     * calls KMS for a short-lived bucket-level key per requester instead of once per object.
     */
    s3BucketKeys: boolean;
    /** Lambda log groups expire (ours: cloudWatchRetentionDays everywhere) or never (the guidance's defect). */
    lambdaLogsExpire: boolean;
    /** API Gateway access log bytes per request (0 = no access logging). */
    accessLogBytesPerRequest: number;
    /** Partition projection on the events table (no partitions registered in the catalog). */
    partitionProjection: boolean;
    /** Real-time analytics implementation priced when enabled. */
    realtime: "lambda-tumbling-windows" | "flink-opensearch";
}

/**
 * Alarm metrics of our operations tier as components/operations-tier.ts builds it (metric-math
 * alarms are billed per metric they read): API 4XX and 5XX rates (2 x 2 metrics), Firehose failed
 * conversion, processing success, delivery success, data freshness (4), DynamoDB account user
 * errors (1) and system errors per table over 7 operations (2 x 7), Lambda errors + throttles of
 * authorizer, admin, events and processing (8). The stream adds write/read throttling and iterator
 * age (3); the real-time tier is assumed to add its Lambda's errors, throttles and iterator age (3).
 */
export function ourAlarmMetrics(s: PipelineSettings): number {
    const dynamoDbOperations = 7;
    let n = 2 * 2 + 4 + 1 + 2 * dynamoDbOperations + 4 * 2;
    if (s.ingestMode === "KINESIS_DATA_STREAMS") n += 3;
    if (s.realTimeAnalytics) n += 3;
    // REDSHIFT: the stream archiver replaces Firehose (its 4 alarms) and alarms on its iterator age (1);
    // its errors and throttles take the transform's place among the Lambdas.
    if (s.dataStack === "REDSHIFT" && s.ingestMode === "KINESIS_DATA_STREAMS") n += 1 - 4;
    return n;
}

/**
 * The guidance's alarms (REFERENCE section 6): stream read/write throughput exceeded (KDS),
 * FailedConversion, DataFreshness, DynamoDB user/system errors, API 4XX/5XX (metric math), Lambda
 * errors/throttles of its transform and authorizer.
 */
export function guidanceAlarmMetrics(s: PipelineSettings): number {
    return 2 + 2 + 4 + 4 + (s.ingestMode === "KINESIS_DATA_STREAMS" ? 2 : 0);
}

/** This project's design for the given settings. */
export function ourDesign(s: PipelineSettings, options: { apiType?: ApiType } = {}): Design {
    return {
        name: "ours",
        eventsRoute: "ingest-lambda",
        // ICEBERG: one event per record (Firehose's Iceberg destination reads one JSON row per
        // record; components/aws/pipeline.ts sets FIREHOSE_PACK_EVENTS / KINESIS_PACK_EVENTS false).
        firehosePacking: s.tableFormat !== "ICEBERG",
        // Follows the sink: the model never prices a packing the code does not do.
        // REDSHIFT: one event per record (the streaming materialized view parses one JSON document per record).
        kinesisPacking: KINESIS_PACKS_EVENTS && s.dataStack !== "REDSHIFT" && s.tableFormat !== "ICEBERG",
        recordContent: "ingest-record",
        // Memory as components/ingest-tier.ts and processing-tier.ts set it; every Lambda is arm64.
        authorizer: { architecture: "arm64", memoryMb: 256, fixedMs: 12, cpuMicrosPerEvent: 0 },
        // One PutRecordBatch round trip (~20 ms) plus JSON parse, ajv validation, stringify per event.
        ingest: { architecture: "arm64", memoryMb: 512, fixedMs: 20, cpuMicrosPerEvent: 15 },
        transform: { architecture: "arm64", memoryMb: 256, fixedMs: 15, cpuMicrosPerEvent: TRANSFORM_CPU_MICROS_PER_EVENT },
        authorizerCacheTtlSeconds: s.authorizerCacheTtlSeconds,
        apiType: options.apiType ?? "rest",
        alarmMetrics: ourAlarmMetrics(s),
        // functions/aws/handlers: events (EventsReceived, EventsFailed), processing (RecordsProcessed,
        // RecordsProcessingFailed, EventsOk, EventsSchemaMismatch, EventsUnregistered).
        customMetrics: 7,
        // The lake key (S3, Firehose, Glue, Athena results, DynamoDB, Kinesis) and the alarm topic key.
        kmsKeys: 2,
        s3BucketKeys: true,
        lambdaLogsExpire: true,
        // JSON access log line: requestId, ip, time, method, path, status, latency, authorizer error.
        accessLogBytesPerRequest: 350,
        partitionProjection: true,
        realtime: "lambda-tumbling-windows",
    };
}

/** The guidance's design (REFERENCE sections 1-7) as its published cost table counts it. */
export function guidanceDesign(): Design {
    return {
        name: "guidance",
        eventsRoute: "service-integration",
        firehosePacking: false,
        kinesisPacking: false,
        recordContent: "event-only",
        authorizer: { architecture: "x86_64", memoryMb: 128, fixedMs: 20, cpuMicrosPerEvent: 0 },
        transform: { architecture: "x86_64", memoryMb: 256, fixedMs: 15, cpuMicrosPerEvent: GUIDANCE_TRANSFORM_CPU_MICROS_PER_EVENT },
        authorizerCacheTtlSeconds: 300,
        apiType: "rest",
        alarmMetrics: 0, // set per settings in estimate()
        customMetrics: 0,
        kmsKeys: 1,
        // Not published by the guidance: priced as one KMS request per object (the conservative reading).
        s3BucketKeys: false,
        lambdaLogsExpire: false,
        accessLogBytesPerRequest: 0,
        partitionProjection: false,
        realtime: "flink-opensearch",
    };
}

/** The design for a name and settings. */
export function designFor(name: DesignName, s: PipelineSettings, options: { apiType?: ApiType } = {}): Design {
    if (name === "ours") return ourDesign(s, options);
    return { ...guidanceDesign(), alarmMetrics: guidanceAlarmMetrics(s) };
}

/** Billed milliseconds of one invocation handling `events` events (Lambda bills per 1 ms). */
export function billedMs(profile: LambdaProfile, events: number): number {
    const vcpuShare = Math.min(1, profile.memoryMb / MB_PER_VCPU);
    return Math.ceil(profile.fixedMs + (events * profile.cpuMicrosPerEvent) / 1000 / vcpuShare);
}
