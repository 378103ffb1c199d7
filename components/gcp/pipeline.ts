/**
 * The pipeline on Google Cloud, wired only through the tier contracts' outputs (plus the GCP
 * handles of the same cloud's tiers): key, storage, stream (KINESIS_DATA_STREAMS), registry,
 * processing, ingest, real-time, operations. Region and project come from the `gcp` provider
 * configuration (`gcp:region`, `gcp:project`).
 */
import * as gcp from "@pulumi/gcp";
import { deployedOidcSettings } from "../player-auth-settings";
import * as pulumi from "@pulumi/pulumi";
import type { IngestTierOutputs, OperationsTierOutputs, ProcessingTierOutputs, RealTimeTierOutputs, RegistryTierOutputs, StorageTierOutputs, StreamTierOutputs } from "../contracts";
import type { PipelineSettings } from "../contracts/settings";
import { GcpPrivateBucket } from "./bucket";
import { GcpBuildIdentity } from "./build-identity";
import { GcpIngestTier } from "./ingest-tier";
import { GcpDataKey } from "./kms";
import { uniqueBucketName } from "./names";
import { GcpOperationsTier } from "./operations-tier";
import { GcpProcessingTier } from "./processing-tier";
import { GcpRealTimeTier } from "./realtime-tier";
import { GcpRegistryTier } from "./registry-tier";
import { projectServiceAgents } from "./service-agents";
import { GcpStorageTier, type GcpViewSpec } from "./storage-tier";
import { GcpStreamTier } from "./stream-tier";

/** The tiers of the pipeline on Google Cloud. */
export interface GcpPipeline {
    ingest: IngestTierOutputs;
    registry: RegistryTierOutputs;
    stream?: StreamTierOutputs;
    storage: StorageTierOutputs;
    processing: ProcessingTierOutputs;
    realTime?: RealTimeTierOutputs;
    operations: OperationsTierOutputs;
}

/** Options of the GCP build beyond the settings. */
export interface GcpPipelineOptions {
    /**
     * Region of every resource.
     * @default the `gcp:region` config, else "us-central1"
     * @example "europe-west1"
     */
    region?: string;
    /**
     * Sample query views over the events table.
     * @default undefined (no views)
     * @example (p, d, t) => renderBigQueryViews(QUERY_DEFINITIONS, p, d, t)
     */
    views?: (projectId: string, datasetId: string, tableId: string) => readonly GcpViewSpec[];
    /**
     * Log level of every function.
     * @default "INFO"
     * @example "DEBUG"
     */
    logLevel?: "DEBUG" | "INFO" | "WARN" | "ERROR";
}

/**
 * Builds every tier under `parent`.
 * @example buildGcpPipeline("game", validateSettings({ workloadName: "game" }), this)
 */
export function buildGcpPipeline(name: string, s: PipelineSettings, parent: pulumi.ComponentResource, options: GcpPipelineOptions = {}): GcpPipeline {
    const child = { parent };
    const region = options.region ?? gcp.config.region ?? "us-central1";
    const agents = projectServiceAgents(parent);
    const w = s.workloadName;
    const dataKey = new GcpDataKey(`${name}-key`, { workloadName: w, location: region, agents }, child);
    const storage = new GcpStorageTier(`${name}-storage`, {
        workloadName: w, eventsDatabase: s.eventsDatabase, rawEventsTable: s.rawEventsTable, rawEventsPrefix: s.rawEventsPrefix,
        devMode: s.devMode, dataRetentionDays: s.dataRetentionDays, location: region, projectId: agents.projectId, dataKey, views: options.views,
    }, child);
    const sources = new GcpPrivateBucket(`${name}-sources`, {
        bucketName: agents.projectId.apply((p) => uniqueBucketName(w, "sources", p)),
        location: region, kmsKeyName: dataKey.keyId, devMode: s.devMode, dependsOn: dataKey.grants,
    }, child);
    const build = new GcpBuildIdentity(`${name}-build`, { workloadName: w, projectId: agents.projectId, sourceBucket: sources.bucketName }, child);
    const buildServiceAccount = build.name;
    const stream = s.ingestMode === "KINESIS_DATA_STREAMS"
        ? new GcpStreamTier(`${name}-stream`, { workloadName: w, region, dataKey, retentionHours: s.streamRetentionHours }, child)
        : undefined;
    const registry = new GcpRegistryTier(`${name}-registry`, { workloadName: w, devMode: s.devMode, location: region, dataKey }, child);
    const logLevel = options.logLevel ?? "INFO";
    const processing = new GcpProcessingTier(`${name}-processing`, {
        workloadName: w, storage, registry, source: stream, region, dataKey, agents, sourceBucket: sources.bucketName, buildServiceAccount,
        rawBackup: s.s3BackupMode, devMode: s.devMode, applicationCacheTtlSeconds: s.applicationCacheTtlSeconds, logLevel,
    }, child);
    const ingest = new GcpIngestTier(`${name}-ingest`, {
        workloadName: w,
        target: stream ? { ingestMode: "KINESIS_DATA_STREAMS", stream } : { ingestMode: "DIRECT_BATCH", processing },
        registry, region, agents, sourceBucket: sources.bucketName, buildServiceAccount, stageName: s.apiStageName,
        authorizerCacheTtlSeconds: s.authorizerCacheTtlSeconds, applicationCacheTtlSeconds: s.applicationCacheTtlSeconds,
        corsAllowOrigins: s.corsAllowOrigins, logLevel,
        // Player tokens (issue 16): /put-record and JWTs on the events route when an issuer is set.
        oidc: deployedOidcSettings(s),
    }, child);
    const realTime = stream && s.realTimeAnalytics
        ? new GcpRealTimeTier(`${name}-realtime`, { workloadName: w, stream, region, agents, sourceBucket: sources.bucketName, buildServiceAccount, logLevel, watermarkSeconds: s.realtimeWatermarkSeconds }, child)
        : undefined;
    const operations = new GcpOperationsTier(`${name}-operations`, {
        workloadName: w, ingest, processing, registry, stream, realTime, emailAddress: s.emailAddress,
        projectId: agents.projectId, region, logRetentionDays: s.cloudWatchRetentionDays,
    }, child);
    return { ingest, registry, stream, storage, processing, realTime, operations };
}
