/**
 * Firehose delivery to the Iceberg events table: the stream's `icebergConfiguration` and the
 * statements its role needs, for either ingest mode (the source block is the stream's own, set by
 * the processing tier as for the Hive destination).
 *
 * - Append only, no `uniqueKeys`: unique keys drive Firehose's update/delete (merge-on-read)
 *   path and do nothing in append-only mode (the guidance sets both); `appendOnly` can only be
 *   set when the stream is created, and lets Firehose scale past the 5 MiB/s Direct PUT limit
 *   of the update/delete mode.
 * - The same Lambda transform (the neutral row core) with the same processor buffers. It must
 *   emit `event_timestamp` in MICROseconds for the Iceberg destination ("For Timestamp data
 *   types, you must always send in microseconds", Firehose supported data types): see
 *   functions/aws/iceberg-record.ts. No dynamic partitioning: the table's spec partitions.
 * - `ProcessingFailed` records and records the table refuses go to the same error folder as
 *   with Hive (`firehose-errors/<error-output-type>/year=/month=/day=/`), through s3Configuration.
 *
 * Buffering: every flush is one Iceberg commit, i.e. one snapshot plus at least one data file per
 * partition written (day x application). 900 s in production: 96 commits a day, data visible at
 * worst ~15 min + the processor's 60 s after arrival; with 5 days of snapshot retention about 480
 * snapshots exist at once, and compaction merges ~96 small files per partition-day. 60 s in
 * development: data in about a minute, at 1,440 snapshots (and files per partition) a day. The size
 * bound is the maximum, 128 MB, so the interval decides: the reference workload (100 events/s of
 * 1 KB, ~0.1 MB/s) fills ~88 MB in 900 s. A busier studio reaching 128 MB first commits more often
 * (e.g. 1 MB/s: every ~128 s, ~675 commits a day): freshness improves, snapshots and small files
 * grow, which the compaction and retention optimizers absorb.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KMS_DATA_ACTIONS, PolicyStatement } from "../iam";
import { errorObjectPrefix, FIREHOSE_ERRORS_PREFIX, PROCESSOR_BUFFER_INTERVAL_SECONDS } from "../layout";
import { TRANSFORM_BUFFER_MB } from "../../../functions/core/contracts";

/** Firehose's bounds for the Iceberg destination's buffering (FirehoseDeliveryStream docs). */
export const ICEBERG_BUFFERING_LIMITS = { intervalSeconds: { min: 0, max: 900 }, sizeMb: { min: 1, max: 128 } } as const;

export interface FirehoseIcebergArgs {
    /**
     * ARN of the role Firehose assumes (the processing tier's Firehose role).
     * @example firehoseRole.arn
     */
    roleArn: pulumi.Input<string>;
    /**
     * The analytics bucket (errors land there).
     * @example storage.bucketArn
     */
    bucketArn: pulumi.Input<string>;
    /**
     * ARN of the lake's key.
     * @example storage.keyArn
     */
    dataKeyArn: pulumi.Input<string>;
    /**
     * Glue database and Iceberg table (`<table>_iceberg`).
     * @example { databaseName: storage.databaseName, tableName: iceberg.icebergTableName }
     */
    destination: { databaseName: pulumi.Input<string>; tableName: pulumi.Input<string> };
    /**
     * The account, region and partition (the Glue catalog ARN is built from them).
     * @example awsContext(this)
     */
    accountId: pulumi.Input<string>;
    region: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /**
     * ARN of the transform Lambda.
     * @example transform.arn
     */
    transformArn: pulumi.Input<string>;
    /**
     * Seconds between commits.
     * @default 900
     * @example 60
     */
    bufferingIntervalSeconds?: number;
    /**
     * MB per commit at most.
     * @default 128
     * @example 64
     */
    bufferingSizeMb?: number;
    /**
     * CloudWatch log group and stream of delivery errors.
     * @example { logGroupName: firehoseLogGroup.name, logStreamName: "DestinationDelivery" }
     */
    logging: { logGroupName: pulumi.Input<string>; logStreamName: string };
}

/** The Glue Data Catalog ARN (`arn:<partition>:glue:<region>:<account>:catalog`). */
export function catalogArn(partition: pulumi.Input<string>, region: pulumi.Input<string>, accountId: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`arn:${partition}:glue:${region}:${accountId}:catalog`;
}

/** The stream's `icebergConfiguration` (use with `destination: "iceberg"`). */
export function firehoseIcebergConfiguration(a: FirehoseIcebergArgs): aws.types.input.kinesis.FirehoseDeliveryStreamIcebergConfiguration {
    const bufferingInterval = a.bufferingIntervalSeconds ?? 900;
    const bufferingSize = a.bufferingSizeMb ?? 128;
    const { intervalSeconds, sizeMb } = ICEBERG_BUFFERING_LIMITS;
    if (!Number.isInteger(bufferingInterval) || bufferingInterval < intervalSeconds.min || bufferingInterval > intervalSeconds.max) {
        throw new Error(`bufferingIntervalSeconds: must be an integer from ${intervalSeconds.min} to ${intervalSeconds.max} (got ${bufferingInterval})`);
    }
    if (!Number.isInteger(bufferingSize) || bufferingSize < sizeMb.min || bufferingSize > sizeMb.max) {
        throw new Error(`bufferingSizeMb: must be an integer from ${sizeMb.min} to ${sizeMb.max} (got ${bufferingSize})`);
    }
    const logging = { enabled: true, logGroupName: a.logging.logGroupName, logStreamName: a.logging.logStreamName };
    return {
        roleArn: a.roleArn,
        catalogArn: catalogArn(a.partition, a.region, a.accountId),
        appendOnly: true,
        bufferingInterval,
        bufferingSize,
        retryDuration: 300,
        s3BackupMode: "FailedDataOnly",
        destinationTableConfigurations: [{
            databaseName: a.destination.databaseName,
            tableName: a.destination.tableName,
            s3ErrorOutputPrefix: errorObjectPrefix(FIREHOSE_ERRORS_PREFIX),
        }],
        processingConfiguration: {
            enabled: true,
            processors: [{
                type: "Lambda",
                parameters: [
                    { parameterName: "LambdaArn", parameterValue: a.transformArn },
                    { parameterName: "BufferSizeInMBs", parameterValue: String(TRANSFORM_BUFFER_MB) },
                    { parameterName: "BufferIntervalInSeconds", parameterValue: String(PROCESSOR_BUFFER_INTERVAL_SECONDS) },
                    { parameterName: "NumberOfRetries", parameterValue: "3" },
                ],
            }],
        },
        cloudwatchLoggingOptions: logging,
        s3Configuration: {
            roleArn: a.roleArn,
            bucketArn: a.bucketArn,
            kmsKeyArn: a.dataKeyArn,
            errorOutputPrefix: errorObjectPrefix(FIREHOSE_ERRORS_PREFIX),
            bufferingInterval,
            bufferingSize: Math.min(bufferingSize, 128),
            compressionFormat: "UNCOMPRESSED",
            cloudwatchLoggingOptions: logging,
        },
    };
}

/** What the Firehose role needs beyond its source and logs. */
export interface FirehoseIcebergScope {
    bucketArn: pulumi.Input<string>;
    dataKeyArn: pulumi.Input<string>;
    /** Folder of the Iceberg table (IcebergEventsTable.tablePrefix). */
    tablePrefix: string;
    databaseName: pulumi.Input<string>;
    tableName: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    region: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    transformArn: pulumi.Input<string>;
}

/**
 * Statements of the Firehose role for the Iceberg destination ("Grant Firehose access to Apache
 * Iceberg Tables"): read the catalog, database and this table and commit to it (UpdateTable);
 * write data/metadata files under the table's folder (DeleteObject: Firehose removes the files of
 * a failed commit) and error records under the error folder; the lake key; the transform. No
 * CreateTable/CreateDatabase (the table is the stack's), no access to other tables or folders.
 */
export function firehoseIcebergStatements(s: FirehoseIcebergScope): PolicyStatement[] {
    const glue = (resource: pulumi.Input<string>) => pulumi.interpolate`arn:${s.partition}:glue:${s.region}:${s.accountId}:${resource}`;
    return [
        {
            Sid: "FindTheBucket",
            Effect: "Allow",
            Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
            Resource: [s.bucketArn],
        },
        {
            Sid: "WriteTableFiles",
            Effect: "Allow",
            Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: [pulumi.interpolate`${s.bucketArn}/${s.tablePrefix}/*`],
        },
        {
            Sid: "WriteFailedRecords",
            Effect: "Allow",
            Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
            Resource: [pulumi.interpolate`${s.bucketArn}/${FIREHOSE_ERRORS_PREFIX}/*`],
        },
        { Sid: "EncryptWithTheLakeKey", Effect: "Allow", Action: KMS_DATA_ACTIONS, Resource: [s.dataKeyArn] },
        {
            Sid: "CommitToTheIcebergTable",
            Effect: "Allow",
            Action: ["glue:GetTable", "glue:GetDatabase", "glue:UpdateTable"],
            Resource: [glue("catalog"), pulumi.interpolate`${glue("database")}/${s.databaseName}`, pulumi.interpolate`${glue("table")}/${s.databaseName}/${s.tableName}`],
        },
        {
            Sid: "InvokeTheTransform",
            Effect: "Allow",
            Action: ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"],
            Resource: [s.transformArn],
        },
    ];
}
