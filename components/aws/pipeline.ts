/**
 * The pipeline on AWS: every tier, wired only through the other tiers' contract outputs (names
 * and ResourceAccess handles, whose ids are ARNs here). Reads top-down: storage, stream
 * (KINESIS_DATA_STREAMS), registry tables, processing, ingest, real-time, operations.
 *
 * Not a component of its own: the tiers are children of the caller's component, so their URNs
 * are the ones deployments already have.
 */
import type * as pulumi from "@pulumi/pulumi";
import { deployedOidcSettings } from "../player-auth-settings";
import { stripUndefined, type LogLevel } from "../contracts/common";
import type { PipelineTiers } from "../contracts/pipeline";
import type { PipelineSettings } from "../contracts/settings";
import { arnOf } from "./access";
import { EventStream } from "./event-stream";
import { IngestTier } from "./ingest-tier";
import { OperationsTier } from "./operations-tier";
import { ProcessingTier } from "./processing-tier";
import { RealTimeTier } from "./realtime-tier";
import { RegistryTables } from "./registry-tables";
import { AWS_NAMESPACE_DEFAULTS, AWS_OPTION_DEFAULTS, AwsDeploymentOptions, AwsNamespaceOptions, AwsWarehouseOptions } from "./settings";
import { StorageTier } from "./storage-tier";
import { warehouseAdminEnvironment, WarehouseTier } from "./warehouse-tier";

/** The tiers of the pipeline on AWS (each also its contract's outputs). */
export interface AwsPipeline extends PipelineTiers {
    storage: StorageTier;
    stream?: EventStream;
    registry: RegistryTables;
    processing: ProcessingTier;
    ingest: IngestTier;
    realTime?: RealTimeTier;
    operations: OperationsTier;
    /** The Redshift Serverless warehouse; present when `dataStack` is REDSHIFT. */
    warehouse?: WarehouseTier;
}

/** Options of the AWS build beyond the neutral settings. */
export interface AwsPipelineOptions extends AwsDeploymentOptions, AwsNamespaceOptions {
    /**
     * Log level of every Lambda.
     * @default "INFO"
     * @example "DEBUG"
     */
    logLevel?: LogLevel;
    /**
     * The Glue database, when the stack names one.
     * @default undefined (derived from workloadName: defaultEventsDatabase)
     * @example "game_events"
     */
    eventsDatabase?: string;
    /**
     * Warehouse options of the REDSHIFT data stack (capacity, usage limits, the studio's VPC).
     * @default {} (the WarehouseTier defaults: 4 RPU, 8 and 40 RPU-hours, deactivate, a new VPC)
     * @example { baseCapacityRpu: 8, usageLimitRpuHoursPerDay: 24 }
     */
    warehouse?: AwsWarehouseOptions;
}

/**
 * Builds every AWS tier under `parent`. Each tier takes its contract's arguments (the neutral
 * settings in the contract's words, and the other tiers' contract outputs) plus its AWS wiring
 * part (what another AWS tier hands it, the AWS-only options).
 * @example buildAwsPipeline("game", validateSettings({ workloadName: "game" }), this)
 */
export function buildAwsPipeline(name: string, s: PipelineSettings, parent: pulumi.ComponentResource, options: AwsPipelineOptions = {}): AwsPipeline {
    const { apiAccessLogging, apiGatewayAccountRole, tracing, icebergOptimizerLogGroups } = { ...AWS_OPTION_DEFAULTS, ...stripUndefined(options) };
    const logLevel = options.logLevel ?? "INFO";
    const apiType = options.apiType ?? AWS_NAMESPACE_DEFAULTS.apiType;
    const child = { parent };
    const workloadName = s.workloadName;
    const logRetentionDays = s.cloudWatchRetentionDays;

    const storage = new StorageTier(`${name}-storage`, {
        workloadName,
        eventsDatabase: options.eventsDatabase,
        rawEventsTable: s.rawEventsTable,
        rawEventsPrefix: s.rawEventsPrefix,
        glueTmpPrefix: s.glueTmpPrefix,
        devMode: s.devMode,
        dataRetentionDays: s.dataRetentionDays,
        tableFormat: s.tableFormat,
        icebergMaintenance: {
            snapshotRetentionDays: s.icebergSnapshotRetentionDays,
            snapshotsToKeep: s.icebergSnapshotsToKeep,
            orphanFileRetentionDays: s.icebergOrphanFileRetentionDays,
            maintenanceRunHours: s.icebergMaintenanceRunHours,
        },
        icebergOptimizerLogGroups,
        logRetentionDays,
    }, child);

    const stream = s.ingestMode === "KINESIS_DATA_STREAMS" ? new EventStream(`${name}-stream`, {
        workloadName,
        provisioned: s.streamProvisioned,
        shardCount: s.streamShardCount,
        retentionHours: s.streamRetentionHours,
    }, child) : undefined;

    const registry = new RegistryTables(`${name}-registry`, { workloadName, devMode: s.devMode }, child);

    const processing = new ProcessingTier(`${name}-processing`, {
        workloadName,
        storage,
        registry,
        source: stream,
        processedEventsPrefix: s.processedEventsPrefix,
        devMode: s.devMode,
        rawBackup: s.s3BackupMode,
        logRetentionDays,
        applicationCacheTtlSeconds: s.applicationCacheTtlSeconds,
        batchSchedule: s.etlSchedule,
        logLevel,
        tracing,
        lake: storage.lakeWiring,
        // REDSHIFT: the raw copy of the stream is the stream archiver, not Firehose (issue 13's cost goal).
        ...(s.dataStack === "REDSHIFT" ? { rawCopy: "STREAM_ARCHIVER" as const, sourceRetentionHours: s.streamRetentionHours } : {}),
    }, child);

    const ingest = new IngestTier(`${name}-ingest`, {
        workloadName,
        target: stream ? { ingestMode: "KINESIS_DATA_STREAMS", stream } : { ingestMode: "DIRECT_BATCH", processing },
        registry,
        stageName: s.apiStageName,
        authorizerCacheTtlSeconds: s.authorizerCacheTtlSeconds,
        throttlingRateLimit: s.apiThrottlingRateLimit,
        throttlingBurstLimit: s.apiThrottlingBurstLimit,
        corsAllowOrigins: s.corsAllowOrigins,
        logRetentionDays,
        logLevel,
        tracing,
        // Player tokens (issue 16): POST /put-record and JWTs on the events route when an issuer is set.
        oidc: deployedOidcSettings(s),
        adminEnvironment: s.dataStack === "REDSHIFT" ? warehouseAdminEnvironment(s.workloadName) : undefined,
        accessLogging: apiAccessLogging,
        manageAccountLogRole: apiGatewayAccountRole,
        logsKeyArn: arnOf(storage.dataKey),
        // One event per record: REDSHIFT's streaming materialized view parses one JSON document per
        // record, and Firehose's Iceberg destination reads one JSON row per record.
        packEvents: s.dataStack === "REDSHIFT" || s.tableFormat === "ICEBERG" ? false : undefined,
        // aws.apiType: the REST API (default) or the HTTP API (components/aws/http-api.ts).
        apiType,
    }, child);

    // Not traced: the real-time function has never had X-Ray, and tracing it would change deployed stacks.
    const realTime = stream && s.realTimeAnalytics ? new RealTimeTier(`${name}-realtime`, {
        workloadName,
        stream,
        logRetentionDays,
        logLevel,
        watermarkSeconds: s.realtimeWatermarkSeconds,
        destination: s.realTimeDestination,
        openSearch: { standbyReplicas: !s.devMode },
    }, child) : undefined;

    // REDSHIFT: the warehouse reads the stream (validation requires KINESIS_DATA_STREAMS); storage
    // and processing stay, the stream archiver keeping the raw copy of every event in the lake.
    const warehouse = s.dataStack === "REDSHIFT" && stream ? new WarehouseTier(`${name}-warehouse`, {
        workloadName,
        stream,
        logRetentionDays,
        adminRoleName: ingest.adminFunction.role.name,
        logLevel,
        ...stripUndefined(options.warehouse ?? {}),
    }, child) : undefined;

    const operations = new OperationsTier(`${name}-operations`, {
        workloadName,
        ingest,
        processing,
        registry,
        stream,
        realTime,
        emailAddress: s.emailAddress,
        warehouse: warehouse ? { ...warehouse.watch, streamRetentionHours: s.streamRetentionHours } : undefined,
        // The HTTP API's metrics (ApiId, Stage; 4xx, 5xx); unset for the REST API.
        apiMetrics: ingest.apiMetrics,
        ...(processing.streamArchiver ? { rawCopy: "STREAM_ARCHIVER" as const } : {}),
    }, child);

    return { storage, stream, registry, processing, ingest, realTime, operations, warehouse };
}
