/**
 * `StreamArchiver`: the REDSHIFT data stack's raw copy of the stream in the lake, without Firehose
 * (which bills each one-event record rounded up to 5 KB). A Lambda reads the Kinesis stream through
 * an event source mapping in large batches, runs the row core on every record and writes Parquet
 * into the events table's partitions (functions/aws/handlers/stream-archiver.ts).
 *
 * The mapping's settings, each decided (https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html):
 *
 * - `batchSize` 10,000 (Kinesis's maximum) and `maximumBatchingWindowInSeconds` 300 (the maximum;
 *   60 in development): few, large invocations and objects. Lambda also cuts a batch at the 6 MB
 *   invocation payload, about 2,900 one-event records of ~1.2 KB (base64 and the record envelope).
 * - `startingPosition` TRIM_HORIZON: a new mapping archives what the stream still retains.
 * - `bisectBatchOnFunctionError` false and no `ReportBatchItemFailures`: object keys derive from the
 *   shard and the batch's first sequence number, so a retry of the same batch overwrites what a
 *   failed attempt wrote; a bisected half (or a batch restarted mid-way) would start elsewhere and
 *   write rows a failed attempt already wrote under another key (duplicates). The archiver fails a
 *   batch only when a dependency does not answer (registry, S3, KMS), never for a record's content
 *   (unreadable records go to the error prefix), so there is no bad record to isolate.
 * - `maximumRetryAttempts` 10,000 (the maximum): an outage of hours heals by itself, in order.
 * - `maximumRecordAgeInSeconds`: the stream's retention less one hour (at most 604,800): a batch
 *   still failing then is discarded BEFORE the stream expires it, so it reaches the on-failure
 *   destination instead of vanishing (-1 would let it expire silently).
 * - `destinationConfig.onFailure`: the lake bucket. For an S3 destination Lambda writes the whole
 *   invocation record, payload included, under `aws/lambda/<ESM-UUID>/<shardID>/...`
 *   (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html), so a
 *   discarded batch's records stay readable after the stream's retention.
 * - `parallelizationFactor` 1: one batch per shard at a time, in order (what the keys assume).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { APPLICATION_CACHE_TTL_SECONDS, APPLICATIONS_TABLE, ERRORS_PREFIX, LAKE_BUCKET, LAKE_KEY_ARN, RAW_BACKUP_PREFIX, RAW_EVENTS_PREFIX } from "../../functions/core/environment-names";
import { type ArchiverSdkResource, STREAM_ARCHIVER_SDK_USAGE } from "../../functions/aws/sdk-usage";
import type { PolicyStatement } from "./iam";
import { LambdaFunction } from "./lambda-function";
import { type LogLevel, powertoolsEnvironment } from "./lambda-environment";
import { FIREHOSE_ERRORS_PREFIX, RAW_BACKUP_PREFIX as RAW_BACKUP_FOLDER } from "./layout";
import { NAME_LIMITS, physicalName } from "./names";

export interface StreamArchiverArgs {
    /**
     * Prefix of every physical name.
     * @example "game-analytics"
     */
    workloadName: string;
    /**
     * The Kinesis stream to archive.
     * @example stream.streamArn
     */
    streamArn: pulumi.Input<string>;
    /**
     * The stream's customer-managed key, when it has one (the mapping decrypts with the function's role).
     * @default undefined (the AWS-managed alias/aws/kinesis key: no grant needed)
     * @example key.arn
     */
    streamKeyArn?: pulumi.Input<string>;
    /**
     * The stream's retention, hours: the mapping discards (to the on-failure bucket) a batch older than this less one hour.
     * @default 24
     * @example 168
     */
    streamRetentionHours?: number;
    /**
     * The lake bucket's name and ARN.
     * @example { name: storage.bucketName, arn: storage.bucketArn }
     */
    bucket: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    /**
     * The lake's KMS key (SSE-KMS of every object written, the function's log group).
     * @example storage.keyArn
     */
    dataKeyArn: pulumi.Input<string>;
    /**
     * Folder of the events table.
     * @default "raw_events"
     * @example "events"
     */
    rawEventsPrefix?: string;
    /**
     * The applications table the row core reads.
     * @example { name: registry.applicationsTableName, arn: registry.applicationsTableArn }
     */
    applicationsTable: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    /**
     * How long the row core caches application lookups, seconds.
     * @default 60
     * @example 300
     */
    applicationCacheTtlSeconds?: number;
    /**
     * Also keep every record as received, gzipped, under `raw_backup/` by arrival day (s3BackupMode).
     * @default false
     * @example true
     */
    rawBackup?: boolean;
    /**
     * Batching window 60 s instead of 300 s.
     * @default false
     * @example true
     */
    devMode?: boolean;
    /**
     * Retention of the function's log group, days.
     * @default 30
     * @example 90
     */
    logRetentionDays?: number;
    /**
     * Log level of the function.
     * @default "INFO"
     * @example "DEBUG"
     */
    logLevel?: LogLevel;
    /**
     * Active X-Ray tracing.
     * @default false
     * @example true
     */
    tracing?: boolean;
}

/** The mapping's batch size: Kinesis's maximum. */
export const ARCHIVER_BATCH_SIZE = 10_000;
/** The mapping's batching window, seconds: Lambda's maximum (production). */
export const ARCHIVER_BATCHING_WINDOW_SECONDS = 300;
/** The batching window in development, seconds. */
export const ARCHIVER_DEV_BATCHING_WINDOW_SECONDS = 60;
/** Retries of a failing batch: Lambda's maximum. */
export const ARCHIVER_MAXIMUM_RETRY_ATTEMPTS = 10_000;
/** Memory of the function, MB: the batch (up to 6 MB) decoded, its rows and Parquet encoded. */
export const ARCHIVER_MEMORY_MB = 1024;
/** Largest maximumRecordAgeInSeconds Lambda accepts (7 days). */
const MAX_RECORD_AGE_SECONDS = 604_800;

/** The mapping's maximum record age for a stream retention: one hour under it, within Lambda's 60..604,800 s. */
export function archiverMaximumRecordAgeSeconds(streamRetentionHours: number): number {
    return Math.max(60, Math.min(MAX_RECORD_AGE_SECONDS, (streamRetentionHours - 1) * 3600));
}

const SIDS: Record<ArchiverSdkResource, string> = {
    applicationsTable: "ReadTheApplicationsTable",
    stream: "ReadTheEventStream",
    rawEventsFolder: "WriteRawEvents",
    errorsFolder: "WriteErrorOutput",
    rawBackupFolder: "WriteRawBackup",
    failedBatchesFolder: "WriteDiscardedBatches",
    lakeBucket: "FindTheLakeBucket",
    lakeKey: "EncryptWithTheLakeKey",
};

/** The Lambda reading the stream and its event source mapping. */
export class StreamArchiver extends pulumi.ComponentResource {
    readonly archiver: LambdaFunction;
    readonly eventSourceMapping: aws.lambda.EventSourceMapping;
    readonly functionName: pulumi.Output<string>;
    /** Batching window of the mapping, seconds. */
    readonly batchingWindowSeconds: number;

    constructor(name: string, args: StreamArchiverArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:StreamArchiver", name, {}, opts);
        const rawEventsPrefix = args.rawEventsPrefix ?? "raw_events";
        const retentionHours = args.streamRetentionHours ?? 24;
        const logLevel = args.logLevel ?? "INFO";
        this.batchingWindowSeconds = args.devMode ? ARCHIVER_DEV_BATCHING_WINDOW_SECONDS : ARCHIVER_BATCHING_WINDOW_SECONDS;
        const arns: Record<ArchiverSdkResource, pulumi.Input<string>> = {
            applicationsTable: args.applicationsTable.arn,
            stream: args.streamArn,
            rawEventsFolder: pulumi.interpolate`${args.bucket.arn}/${rawEventsPrefix}/*`,
            errorsFolder: pulumi.interpolate`${args.bucket.arn}/${FIREHOSE_ERRORS_PREFIX}/*`,
            rawBackupFolder: pulumi.interpolate`${args.bucket.arn}/${RAW_BACKUP_FOLDER}/*`,
            failedBatchesFolder: pulumi.interpolate`${args.bucket.arn}/aws/lambda/*`,
            lakeBucket: args.bucket.arn,
            lakeKey: args.dataKeyArn,
        };
        const statements: PolicyStatement[] = STREAM_ARCHIVER_SDK_USAGE.filter((u) => !u.rawBackupOnly || args.rawBackup).map((u) => ({ Sid: SIDS[u.resource], Effect: "Allow", Action: [...u.actions], Resource: [arns[u.resource]] }));
        if (args.streamKeyArn !== undefined) statements.push({ Sid: "DecryptTheEventStream", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [args.streamKeyArn] });

        const functionName = physicalName(args.workloadName, "stream-archiver", NAME_LIMITS.lambdaFunction);
        this.archiver = new LambdaFunction(`${name}-function`, {
            entry: "functions/aws/handlers/stream-archiver.ts",
            functionName,
            description: "Archives the event stream into the lake as Parquet (REDSHIFT data stack's raw copy)",
            memorySize: ARCHIVER_MEMORY_MB,
            timeout: 300,
            logRetentionDays: args.logRetentionDays ?? 30,
            logLevel,
            tracing: args.tracing ?? false,
            environment: {
                [APPLICATIONS_TABLE]: args.applicationsTable.name,
                [APPLICATION_CACHE_TTL_SECONDS]: String(args.applicationCacheTtlSeconds ?? 60),
                [LAKE_BUCKET]: args.bucket.name,
                [LAKE_KEY_ARN]: args.dataKeyArn,
                [RAW_EVENTS_PREFIX]: rawEventsPrefix,
                [ERRORS_PREFIX]: FIREHOSE_ERRORS_PREFIX,
                ...(args.rawBackup ? { [RAW_BACKUP_PREFIX]: RAW_BACKUP_FOLDER } : {}),
                ...powertoolsEnvironment(args.workloadName, "stream-archiver", logLevel),
            },
            statements,
        }, { parent: this });

        this.eventSourceMapping = new aws.lambda.EventSourceMapping(`${name}-stream-mapping`, {
            eventSourceArn: args.streamArn,
            functionName: this.archiver.arn,
            startingPosition: "TRIM_HORIZON",
            batchSize: ARCHIVER_BATCH_SIZE,
            maximumBatchingWindowInSeconds: this.batchingWindowSeconds,
            parallelizationFactor: 1,
            bisectBatchOnFunctionError: false,
            maximumRetryAttempts: ARCHIVER_MAXIMUM_RETRY_ATTEMPTS,
            maximumRecordAgeInSeconds: archiverMaximumRecordAgeSeconds(retentionHours),
            destinationConfig: { onFailure: { destinationArn: args.bucket.arn } },
        }, { parent: this, dependsOn: [this.archiver] });

        this.functionName = this.archiver.functionName;
        this.registerOutputs({ functionName: this.functionName });
    }
}
