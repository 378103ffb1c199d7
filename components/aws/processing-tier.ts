/**
 * `ProcessingTier`: from ingested records to query-ready Parquet. A Firehose delivery stream
 * (fed directly by the API, or reading the Kinesis stream) runs the transform Lambda, partitions
 * by event date with the keys the Lambda returns, converts JSON to Parquet against the Glue table
 * and writes to the lake. A Glue ETL workflow (job, then crawler) builds the processed copy
 * partitioned by application.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { APPLICATION_CACHE_TTL_SECONDS, APPLICATIONS_TABLE } from "../../functions/core/environment-names";
import * as path from "node:path";
import { awsContext, AwsContext } from "./aws-context";
import { handlerStatements } from "./function-permissions";
import { assumeRolePolicy, KMS_DATA_ACTIONS, policyDocument, PolicyStatement } from "./iam";
import { LambdaFunction } from "./lambda-function";
import { LogLevel, powertoolsEnvironment } from "./lambda-environment";
import { NAME_LIMITS, physicalName } from "./names";
import type { ResourceAccess } from "../contracts/access";
import { stripUndefined, type WatchedFunctions } from "../contracts/common";
import type { ProcessingTierArgs as ProcessingContractArgs, ProcessingTierOutputs } from "../contracts/processing";
import { arnOf, awsAccess } from "./access";
import { glueSchedule } from "./schedule";
import type { AwsLakeWiring } from "./wiring";
import { FIREHOSE_ERRORS_PREFIX, RAW_BACKUP_PREFIX, type RawCopy } from "./layout";
export type { RawCopy } from "./layout";
import { TRANSFORM_BUFFER_MB } from "../../functions/core/contracts";
import type { TableFormat } from "../contracts/settings";
import { firehoseIcebergConfiguration, firehoseIcebergStatements } from "./iceberg/firehose-iceberg";
import { TIMESTAMP_UNIT } from "../../functions/aws/firehose-transform";
import { StreamArchiver } from "./stream-archiver";

// Shared with the Iceberg delivery (components/aws/iceberg/firehose-iceberg.ts) through layout.ts.
import { errorObjectPrefix, PROCESSOR_BUFFER_INTERVAL_SECONDS } from "./layout";
export { errorObjectPrefix, PROCESSOR_BUFFER_INTERVAL_SECONDS } from "./layout";

/**
 * Threshold of the Firehose DeliveryToS3.DataFreshness alarm derived from the buffers: with
 * dynamic partitioning Firehose may hold a record up to 1.5x the S3 buffering hint, and the
 * Lambda processor buffers it before that for up to its own interval
 * (https://docs.aws.amazon.com/firehose/latest/dev/buffering.html: "end-to-end delay of a batch
 * of records might be 1.5 times of the configured buffering hint time"):
 *
 *   threshold = ceil(1.5 * bufferingInterval + processorBufferInterval) + one 300 s alarm period
 *
 * 900 s in production -> 1350 + 60 + 300 = 1710 s; 60 s in development -> 90 + 60 + 300 = 450 s.
 */
export function dataFreshnessThresholdSeconds(bufferingIntervalSeconds: number, processorBufferIntervalSeconds = PROCESSOR_BUFFER_INTERVAL_SECONDS): number {
    return longestDeliveryDelaySeconds(bufferingIntervalSeconds, processorBufferIntervalSeconds) + FRESHNESS_MARGIN_SECONDS;
}

/**
 * Longest time delivery may hold a record before writing it: 1.5x Firehose's buffering interval
 * (dynamic partitioning) plus the Lambda processor's own interval.
 * @example longestDeliveryDelaySeconds(900, 60) // 1410
 */
export function longestDeliveryDelaySeconds(bufferingIntervalSeconds: number, processorBufferIntervalSeconds = PROCESSOR_BUFFER_INTERVAL_SECONDS): number {
    return Math.ceil(1.5 * bufferingIntervalSeconds + processorBufferIntervalSeconds);
}

/** Slack above the worst buffering delay: one period of the freshness alarm. */
export const FRESHNESS_MARGIN_SECONDS = 300;

/** Key of the Glue ETL script in the analytics bucket. */
export const GLUE_SCRIPT_KEY = "glue-scripts/process_events.py";


/** The AWS part of the processing tier's arguments, beside the contract's. */
export interface AwsProcessingWiring {
    /**
     * What the AWS storage tier hands over about the lake (Glue scratch folder, Iceberg folder).
     * @example storage.lakeWiring
     */
    lake: AwsLakeWiring;
    /**
     * Glue G.1X workers of the ETL job.
     * @default 2
     * @example 10
     */
    glueWorkers?: number;
    /**
     * How the stream reaches the lake (KINESIS_DATA_STREAMS only). FIREHOSE: a Firehose delivery
     * stream reading the stream, with the transform Lambda. STREAM_ARCHIVER (the REDSHIFT data
     * stack): a Lambda reading the stream in large batches and writing the same Parquet partitions
     * (components/aws/stream-archiver.ts); no Firehose, no transform.
     * @default "FIREHOSE"
     * @example "STREAM_ARCHIVER"
     */
    rawCopy?: RawCopy;
    /**
     * Retention of the source stream, hours (STREAM_ARCHIVER: the mapping discards a batch to the
     * on-failure bucket an hour before the stream would expire it).
     * @default 24
     * @example 168
     */
    sourceRetentionHours?: number;
}

/** The processing tier's arguments on AWS: the contract's (storage, registry, source outputs) and AWS's own part. */
export interface ProcessingTierArgs extends ProcessingContractArgs, AwsProcessingWiring {}

/** The arguments as the tier's body reads them: the contract outputs resolved to names and ARNs. */
interface ProcessingSettings {
    workloadName: string;
    /** Analytics bucket. */
    bucketName: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    /** The lake's KMS key: Firehose and Glue encrypt what they write with it. */
    dataKeyArn: pulumi.Input<string>;
    /** Glue database and table (Firehose converts records to the table's schema). */
    eventsDatabase: pulumi.Input<string>;
    rawEventsTable: pulumi.Input<string>;
    /** Applications table, read by the transform Lambda. */
    applicationsTableName: pulumi.Input<string>;
    applicationsTableArn: pulumi.Input<string>;
    /** The Kinesis stream Firehose reads (KINESIS_DATA_STREAMS); without it Firehose accepts direct puts. */
    sourceStream?: { arn: pulumi.Input<string>; customerKeyArn?: pulumi.Input<string> };
    rawEventsPrefix: string;
    processedEventsPrefix?: string;
    glueTmpPrefix: string;
    devMode?: boolean;
    /** Back up the raw, untransformed records under `raw_backup/`. */
    s3BackupMode?: boolean;
    logRetentionDays?: number;
    applicationCacheTtlSeconds?: number;
    /** Glue trigger schedule (`cron(...)`); on demand when not given. */
    etlSchedule?: string;
    glueWorkers?: number;
    logLevel?: LogLevel;
    tracing?: boolean;
    /** HIVE: extended S3 with Parquet conversion, then the Glue ETL workflow; ICEBERG: Firehose's Iceberg destination, no ETL. */
    tableFormat: TableFormat;
    icebergTablePrefix?: string;
    rawCopy?: RawCopy;
    sourceRetentionHours?: number;
}

/** The contract's outputs as names and ARNs, the batch schedule in Glue's syntax. */
function settingsOf(args: ProcessingTierArgs): ProcessingSettings {
    const { storage, registry, source, lake } = args;
    return {
        workloadName: args.workloadName,
        bucketName: storage.lakeName,
        bucketArn: arnOf(storage.lake),
        dataKeyArn: arnOf(storage.dataKey),
        eventsDatabase: storage.databaseName,
        rawEventsTable: storage.rawEventsTableName,
        applicationsTableName: registry.applicationsTableName,
        applicationsTableArn: arnOf(registry.applications),
        sourceStream: source ? { arn: arnOf(source.stream), customerKeyArn: source.stream.encryptionKey } : undefined,
        rawEventsPrefix: storage.rawEventsPrefix,
        processedEventsPrefix: args.processedEventsPrefix,
        glueTmpPrefix: lake.glueTmpPrefix,
        devMode: args.devMode,
        s3BackupMode: args.rawBackup,
        logRetentionDays: args.logRetentionDays,
        applicationCacheTtlSeconds: args.applicationCacheTtlSeconds,
        etlSchedule: args.batchSchedule === undefined ? undefined : glueSchedule(args.batchSchedule),
        glueWorkers: args.glueWorkers,
        logLevel: args.logLevel,
        tracing: args.tracing,
        tableFormat: storage.tableFormat,
        icebergTablePrefix: lake.icebergTablePrefix,
        rawCopy: args.rawCopy,
        sourceRetentionHours: args.sourceRetentionHours,
    };
}

const DEFAULTS = {
    rawEventsPrefix: "raw_events",
    processedEventsPrefix: "processed_events",
    glueTmpPrefix: "glueetl-tmp",
    devMode: false,
    s3BackupMode: false,
    logRetentionDays: 30,
    applicationCacheTtlSeconds: 60,
    glueWorkers: 2,
    logLevel: "INFO" as LogLevel,
    tracing: false,
    tableFormat: "HIVE" as TableFormat,
    rawCopy: "FIREHOSE" as RawCopy,
};

type Resolved = typeof DEFAULTS & ProcessingSettings;

/** Firehose delivery to the lake, the transform Lambda and the Glue ETL workflow. */
export class ProcessingTier extends pulumi.ComponentResource implements ProcessingTierOutputs {
    /** The Firehose transform (FIREHOSE raw copy only). */
    readonly transform?: LambdaFunction;
    readonly firehoseLogGroup?: aws.cloudwatch.LogGroup;
    readonly firehoseRole?: aws.iam.Role;
    /** The Firehose role's inline policy: the stream is created after it (Firehose checks its permissions at creation). */
    firehosePolicy!: aws.iam.RolePolicy;
    /** The Firehose delivery stream (FIREHOSE raw copy only). */
    readonly deliveryStream?: aws.kinesis.FirehoseDeliveryStream;
    /** The stream archiver (STREAM_ARCHIVER raw copy: the REDSHIFT data stack). */
    readonly streamArchiver?: StreamArchiver;
    /** The Glue ETL role (HIVE only). */
    readonly glueRole?: aws.iam.Role;
    /** The Glue role's inline policy: the job and crawler are created after it (HIVE only). */
    gluePolicy?: aws.iam.RolePolicy;
    /** Firehose's S3 buffering interval, in seconds (60 in development, 900 otherwise). */
    readonly bufferingIntervalSeconds: number;
    /** Buffering interval of the Lambda processor, in seconds. */
    readonly processorBufferIntervalSeconds = PROCESSOR_BUFFER_INTERVAL_SECONDS;
    /** The Glue ETL job, crawler and workflow (HIVE only: Iceberg needs no ETL). */
    readonly glueJob?: aws.glue.Job;
    readonly crawler?: aws.glue.Crawler;
    readonly workflow?: aws.glue.Workflow;

    readonly deliveryStreamName: pulumi.Output<string>;
    readonly deliveryStreamArn: pulumi.Output<string>;
    readonly transformFunctionName: pulumi.Output<string>;
    readonly glueWorkflowName: pulumi.Output<string>;
    readonly glueJobName: pulumi.Output<string>;
    /** Name of the Firehose delivery stream. */
    readonly deliveryName: pulumi.Output<string>;
    /** Access handle of the Firehose delivery stream (DIRECT_BATCH ingest writes to it). */
    readonly delivery: ResourceAccess;
    /** Longest hold of a record before it is written (longestDeliveryDelaySeconds): 1410 s in production, 150 s in development. */
    readonly bufferingSeconds: number;
    /** Name of the Glue workflow. */
    readonly batchWorkflowName: pulumi.Output<string>;
    /** The transform Lambda, for operations' alarms. */
    readonly functions: WatchedFunctions;

    private readonly ctx: AwsContext;

    constructor(name: string, args: ProcessingTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:ProcessingTier", name, {}, opts);
        const a: Resolved = { ...DEFAULTS, ...stripUndefined(settingsOf(args)) };
        this.ctx = awsContext(this);
        const deliveryStreamName = physicalName(a.workloadName, "events", NAME_LIMITS.firehose);
        this.bufferingIntervalSeconds = a.devMode ? 60 : 900;

        if (a.rawCopy === "STREAM_ARCHIVER") {
            if (a.sourceStream === undefined || a.tableFormat !== "HIVE") throw new Error("rawCopy STREAM_ARCHIVER: requires a source stream and tableFormat HIVE (the REDSHIFT data stack)");
            this.streamArchiver = new StreamArchiver(`${name}-archiver`, {
                workloadName: a.workloadName,
                streamArn: a.sourceStream.arn,
                streamKeyArn: a.sourceStream.customerKeyArn,
                streamRetentionHours: a.sourceRetentionHours,
                bucket: { name: a.bucketName, arn: a.bucketArn },
                dataKeyArn: a.dataKeyArn,
                rawEventsPrefix: a.rawEventsPrefix,
                applicationsTable: { name: a.applicationsTableName, arn: a.applicationsTableArn },
                applicationCacheTtlSeconds: a.applicationCacheTtlSeconds,
                devMode: a.devMode,
                rawBackup: a.s3BackupMode,
                logRetentionDays: a.logRetentionDays,
                logLevel: a.logLevel,
                tracing: a.tracing,
            }, { parent: this });
        } else {
            this.transform = this.createTransform(name, a);
            const firehoseLogGroup = new aws.cloudwatch.LogGroup(`${name}-firehose-logs`, {
                name: `/aws/kinesisfirehose/${deliveryStreamName}`,
                retentionInDays: a.logRetentionDays,
            }, { parent: this });
            this.firehoseLogGroup = firehoseLogGroup;
            const logStreams = ["DestinationDelivery", ...(a.s3BackupMode ? ["BackupDelivery"] : [])].map((stream) =>
                new aws.cloudwatch.LogStream(`${name}-firehose-${stream}`, { name: stream, logGroupName: firehoseLogGroup.name }, { parent: this }));
            this.firehoseRole = this.createFirehoseRole(name, a, this.transform, firehoseLogGroup);
            this.deliveryStream = this.createDeliveryStream(name, a, deliveryStreamName, logStreams, this.transform, this.firehoseRole, firehoseLogGroup);
        }

        if (a.tableFormat !== "ICEBERG") {
            const glueRole = this.createGlueRole(name, a);
            this.glueRole = glueRole;
            const { job, crawler, workflow } = this.createEtl(name, a, glueRole, this.gluePolicy!);
            this.glueJob = job;
            this.crawler = crawler;
            this.workflow = workflow;
        }

        // STREAM_ARCHIVER: the archiver is what lands rows (delivery) and turns records into rows (transform).
        const archiver = this.streamArchiver;
        this.deliveryStreamName = archiver ? archiver.functionName : this.deliveryStream!.name;
        this.deliveryStreamArn = archiver ? archiver.archiver.arn : this.deliveryStream!.arn;
        this.transformFunctionName = archiver ? archiver.functionName : this.transform!.functionName;
        // ICEBERG has no batch workflow: the names are empty strings, as on Google Cloud.
        this.glueWorkflowName = this.workflow ? this.workflow.name : pulumi.output("");
        this.glueJobName = this.glueJob ? this.glueJob.name : pulumi.output("");
        this.deliveryName = this.deliveryStreamName;
        this.delivery = awsAccess(this.deliveryStreamArn);
        this.bufferingSeconds = archiver ? archiver.batchingWindowSeconds : longestDeliveryDelaySeconds(this.bufferingIntervalSeconds, this.processorBufferIntervalSeconds);
        this.batchWorkflowName = this.glueWorkflowName;
        this.functions = archiver ? { "stream-archiver": this.transformFunctionName } : { "events-processing": this.transformFunctionName };
        this.registerOutputs({
            deliveryStreamName: this.deliveryStreamName,
            transformFunctionName: this.transformFunctionName,
            glueWorkflowName: this.glueWorkflowName,
        });
    }

    /** The transform Lambda: reads the applications table, nothing else. */
    private createTransform(name: string, a: Resolved): LambdaFunction {
        const functionName = physicalName(a.workloadName, "events-processing", NAME_LIMITS.lambdaFunction);
        return new LambdaFunction(`${name}-transform`, {
            entry: "functions/aws/handlers/processing.ts",
            functionName,
            description: "Firehose transform: validates game events, adds metadata and date partitions",
            memorySize: 256,
            timeout: 120,
            logRetentionDays: a.logRetentionDays,
            logLevel: a.logLevel,
            tracing: a.tracing,
            environment: {
                [APPLICATIONS_TABLE]: a.applicationsTableName,
                [APPLICATION_CACHE_TTL_SECONDS]: String(a.applicationCacheTtlSeconds),
                ...powertoolsEnvironment(a.workloadName, "events-processing", a.logLevel),
                // Firehose's Iceberg destination reads a timestamp column's number as microseconds.
                ...(a.tableFormat === "ICEBERG" ? { [TIMESTAMP_UNIT]: "microseconds" } : {}),
            },
            statements: handlerStatements("processing", { applicationsTable: a.applicationsTableArn }),
        }, { parent: this });
    }

    /** Firehose's role: its bucket folders, the key, the Glue table, the Lambda, the stream and its log streams. */
    private createFirehoseRole(name: string, a: Resolved, transform: LambdaFunction, firehoseLogGroup: aws.cloudwatch.LogGroup): aws.iam.Role {
        const role = new aws.iam.Role(`${name}-firehose-role`, {
            name: physicalName(a.workloadName, "firehose", NAME_LIMITS.iamRole),
            description: "Delivery of game events from Firehose to the data lake",
            // Firehose documents one condition on its role's trust policy: sts:ExternalId equal to the
            // account id ("Allow Firehose to assume an IAM role",
            // https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#firehose-assume-role).
            // Not aws:SourceAccount: a role Firehose cannot assume fails the stream's creation.
            assumeRolePolicy: assumeRolePolicy("firehose.amazonaws.com", { externalId: this.ctx.accountId }),
        }, { parent: this });
        const { accountId, region, partition } = this.ctx;
        const writablePrefixes = [a.rawEventsPrefix, FIREHOSE_ERRORS_PREFIX, ...(a.s3BackupMode ? [RAW_BACKUP_PREFIX] : [])];
        const statements: PolicyStatement[] = a.tableFormat === "ICEBERG" ? [
            ...firehoseIcebergStatements({
                bucketArn: a.bucketArn, dataKeyArn: a.dataKeyArn, tablePrefix: icebergPrefixOf(a),
                databaseName: a.eventsDatabase, tableName: a.rawEventsTable, accountId, region, partition,
                transformArn: transform.arn,
            }),
            {
                Sid: "WriteDeliveryLogs",
                Effect: "Allow",
                Action: ["logs:PutLogEvents"],
                Resource: [pulumi.interpolate`${firehoseLogGroup.arn}:log-stream:*`],
            },
        ] : [
            {
                Sid: "FindTheBucket",
                Effect: "Allow",
                Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
                Resource: [a.bucketArn],
            },
            {
                Sid: "WriteEventFolders",
                Effect: "Allow",
                Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
                Resource: writablePrefixes.map((prefix) => pulumi.interpolate`${a.bucketArn}/${prefix}/*`),
            },
            {
                Sid: "EncryptWithTheLakeKey",
                Effect: "Allow",
                Action: KMS_DATA_ACTIONS,
                Resource: [a.dataKeyArn],
            },
            {
                Sid: "ReadTheEventsTableSchema",
                Effect: "Allow",
                Action: ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"],
                Resource: [
                    pulumi.interpolate`arn:${partition}:glue:${region}:${accountId}:catalog`,
                    pulumi.interpolate`arn:${partition}:glue:${region}:${accountId}:database/${a.eventsDatabase}`,
                    pulumi.interpolate`arn:${partition}:glue:${region}:${accountId}:table/${a.eventsDatabase}/${a.rawEventsTable}`,
                ],
            },
            {
                Sid: "InvokeTheTransform",
                Effect: "Allow",
                Action: ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"],
                Resource: [transform.arn],
            },
            {
                Sid: "WriteDeliveryLogs",
                Effect: "Allow",
                Action: ["logs:PutLogEvents"],
                Resource: [pulumi.interpolate`${firehoseLogGroup.arn}:log-stream:*`],
            },
        ];
        if (a.sourceStream) {
            statements.push({
                Sid: "ReadTheEventStream",
                Effect: "Allow",
                Action: ["kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"],
                Resource: [a.sourceStream.arn],
            });
            if (a.sourceStream.customerKeyArn !== undefined) {
                statements.push({ Sid: "DecryptTheEventStream", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [a.sourceStream.customerKeyArn] });
            }
        }
        this.firehosePolicy = new aws.iam.RolePolicy(`${name}-firehose-policy`, {
            role: role.name,
            name: "least-privilege",
            policy: policyDocument(statements),
        }, { parent: this });
        return role;
    }

    private createDeliveryStream(name: string, a: Resolved, deliveryStreamName: string, logStreams: aws.cloudwatch.LogStream[],
        transform: LambdaFunction, firehoseRole: aws.iam.Role, firehoseLogGroup: aws.cloudwatch.LogGroup): aws.kinesis.FirehoseDeliveryStream {
        const bufferingInterval = this.bufferingIntervalSeconds;
        if (a.tableFormat === "ICEBERG") {
            return new aws.kinesis.FirehoseDeliveryStream(`${name}-firehose`, {
                name: deliveryStreamName,
                destination: "iceberg",
                kinesisSourceConfiguration: a.sourceStream ? { kinesisStreamArn: a.sourceStream.arn, roleArn: firehoseRole.arn } : undefined,
                serverSideEncryption: a.sourceStream ? undefined : { enabled: true, keyType: "AWS_OWNED_CMK" },
                icebergConfiguration: firehoseIcebergConfiguration({
                    roleArn: firehoseRole.arn,
                    bucketArn: a.bucketArn,
                    dataKeyArn: a.dataKeyArn,
                    destination: { databaseName: a.eventsDatabase, tableName: a.rawEventsTable },
                    accountId: this.ctx.accountId,
                    region: this.ctx.region,
                    partition: this.ctx.partition,
                    transformArn: transform.arn,
                    bufferingIntervalSeconds: bufferingInterval,
                    logging: { logGroupName: firehoseLogGroup.name, logStreamName: "DestinationDelivery" },
                }),
            }, { parent: this, dependsOn: [...logStreams, this.firehosePolicy] });
        }
        return new aws.kinesis.FirehoseDeliveryStream(`${name}-firehose`, {
            name: deliveryStreamName,
            destination: "extended_s3",
            kinesisSourceConfiguration: a.sourceStream ? { kinesisStreamArn: a.sourceStream.arn, roleArn: firehoseRole.arn } : undefined,
            // Encryption at rest of a stream with a Kinesis source is the source stream's own.
            serverSideEncryption: a.sourceStream ? undefined : { enabled: true, keyType: "AWS_OWNED_CMK" },
            extendedS3Configuration: {
                roleArn: firehoseRole.arn,
                bucketArn: a.bucketArn,
                kmsKeyArn: a.dataKeyArn,
                prefix: rawEventsObjectPrefix(a.rawEventsPrefix),
                errorOutputPrefix: errorObjectPrefix(FIREHOSE_ERRORS_PREFIX),
                bufferingSize: 128,
                bufferingInterval,
                compressionFormat: "UNCOMPRESSED",
                dynamicPartitioningConfiguration: { enabled: true, retryDuration: 300 },
                processingConfiguration: {
                    enabled: true,
                    processors: [{
                        type: "Lambda",
                        parameters: [
                            { parameterName: "LambdaArn", parameterValue: transform.arn },
                            { parameterName: "BufferSizeInMBs", parameterValue: String(TRANSFORM_BUFFER_MB) },
                            { parameterName: "BufferIntervalInSeconds", parameterValue: String(PROCESSOR_BUFFER_INTERVAL_SECONDS) },
                            { parameterName: "NumberOfRetries", parameterValue: "3" },
                        ],
                    }],
                },
                dataFormatConversionConfiguration: {
                    enabled: true,
                    inputFormatConfiguration: { deserializer: { openXJsonSerDe: { caseInsensitive: false } } },
                    outputFormatConfiguration: { serializer: { parquetSerDe: { compression: "SNAPPY" } } },
                    schemaConfiguration: {
                        roleArn: firehoseRole.arn,
                        databaseName: a.eventsDatabase,
                        tableName: a.rawEventsTable,
                        catalogId: this.ctx.accountId,
                        region: this.ctx.region,
                    },
                },
                cloudwatchLoggingOptions: { enabled: true, logGroupName: firehoseLogGroup.name, logStreamName: "DestinationDelivery" },
                s3BackupMode: a.s3BackupMode ? "Enabled" : "Disabled",
                s3BackupConfiguration: a.s3BackupMode ? {
                    roleArn: firehoseRole.arn,
                    bucketArn: a.bucketArn,
                    kmsKeyArn: a.dataKeyArn,
                    prefix: `${RAW_BACKUP_PREFIX}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/`,
                    errorOutputPrefix: errorObjectPrefix(`${FIREHOSE_ERRORS_PREFIX}/backup`),
                    bufferingSize: 128,
                    bufferingInterval,
                    compressionFormat: "GZIP",
                    cloudwatchLoggingOptions: { enabled: true, logGroupName: firehoseLogGroup.name, logStreamName: "BackupDelivery" },
                } : undefined,
            },
        }, { parent: this, dependsOn: [...logStreams, this.firehosePolicy] });
    }

    /** The Glue job's and crawler's role: read raw events, write the processed and temporary folders, maintain the catalog. */
    private createGlueRole(name: string, a: Resolved): aws.iam.Role {
        const role = new aws.iam.Role(`${name}-glue-role`, {
            name: physicalName(a.workloadName, "glue-etl", NAME_LIMITS.iamRole),
            description: "Glue ETL job and crawler of the game events",
            // Glue documents its service role's trust policy without a condition ("Step 2: Create an
            // IAM role for AWS Glue", https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html):
            // crawlers and jobs assume it without a source-account context, so none is set.
            assumeRolePolicy: assumeRolePolicy("glue.amazonaws.com"),
        }, { parent: this });
        const { accountId, region, partition } = this.ctx;
        const glueArn = (resource: string): pulumi.Output<string> => pulumi.interpolate`arn:${partition}:glue:${region}:${accountId}:${resource}`;
        const logGroupArn = (group: string): pulumi.Output<string> => pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:${group}`;
        this.gluePolicy = new aws.iam.RolePolicy(`${name}-glue-policy`, {
            role: role.name,
            name: "least-privilege",
            policy: policyDocument([
                { Sid: "ListTheBucket", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket"], Resource: [a.bucketArn] },
                {
                    Sid: "ReadRawEventsAndTheScript",
                    Effect: "Allow",
                    Action: ["s3:GetObject"],
                    Resource: [pulumi.interpolate`${a.bucketArn}/${a.rawEventsPrefix}/*`, pulumi.interpolate`${a.bucketArn}/${GLUE_SCRIPT_KEY}`],
                },
                {
                    Sid: "WriteProcessedAndTemporaryFolders",
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
                    Resource: [pulumi.interpolate`${a.bucketArn}/${a.processedEventsPrefix}/*`, pulumi.interpolate`${a.bucketArn}/${a.glueTmpPrefix}/*`],
                },
                { Sid: "UseTheLakeKey", Effect: "Allow", Action: [...KMS_DATA_ACTIONS, "kms:Encrypt"], Resource: [a.dataKeyArn] },
                {
                    Sid: "MaintainTheEventsCatalog",
                    Effect: "Allow",
                    Action: [
                        "glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:CreateTable", "glue:UpdateTable",
                        "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition", "glue:CreatePartition",
                        "glue:BatchCreatePartition", "glue:UpdatePartition",
                    ],
                    Resource: [glueArn("catalog"), pulumi.interpolate`${glueArn("database")}/${a.eventsDatabase}`, pulumi.interpolate`${glueArn("table")}/${a.eventsDatabase}/*`],
                },
                {
                    Sid: "WriteGlueLogs",
                    Effect: "Allow",
                    Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"],
                    Resource: [logGroupArn("/aws-glue/*")],
                },
                { Sid: "PublishJobMetrics", Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: ["*"], Condition: { StringEquals: { "cloudwatch:namespace": "Glue" } } },
            ]),
        }, { parent: this });
        return role;
    }

    /** Script, security configuration, job, crawler and the workflow chaining them. */
    private createEtl(name: string, a: Resolved, glueRole: aws.iam.Role, gluePolicy: aws.iam.RolePolicy): { job: aws.glue.Job; crawler: aws.glue.Crawler; workflow: aws.glue.Workflow } {
        const script = new aws.s3.BucketObjectv2(`${name}-glue-script`, {
            bucket: a.bucketName,
            key: GLUE_SCRIPT_KEY,
            source: new pulumi.asset.FileAsset(path.join(__dirname, "..", "glue", "process_events.py")),
            contentType: "text/x-python",
            serverSideEncryption: "aws:kms",
            kmsKeyId: a.dataKeyArn,
        }, { parent: this });
        const securityConfiguration = new aws.glue.SecurityConfiguration(`${name}-glue-security`, {
            name: physicalName(a.workloadName, "glue-security", NAME_LIMITS.glue),
            encryptionConfiguration: {
                s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: a.dataKeyArn },
                cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: a.dataKeyArn },
                jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: a.dataKeyArn },
            },
        }, { parent: this });
        // Glue 5.0 writes driver/executor logs to "<prefix>/error" and "<prefix>/output": with our own
        // prefix both groups are the stack's, with retention and encryption (the shared defaults
        // /aws-glue/jobs/error and /aws-glue/jobs/output never expire).
        const jobLogPrefix = `/aws-glue/jobs/${physicalName(a.workloadName, "events-etl", 380)}`;
        const jobLogGroups = ["error", "output"].map((stream) => new aws.cloudwatch.LogGroup(`${name}-glue-job-${stream}-logs`, {
            name: `${jobLogPrefix}/${stream}`,
            retentionInDays: a.logRetentionDays,
            kmsKeyId: a.dataKeyArn,
        }, { parent: this }));
        const s3 = (folder: string): pulumi.Output<string> => pulumi.interpolate`s3://${a.bucketName}/${folder}/`;

        const job = new aws.glue.Job(`${name}-glue-job`, {
            name: physicalName(a.workloadName, "events-etl", NAME_LIMITS.glue),
            description: "Copies new raw events to the processed folder, partitioned by application and date",
            roleArn: glueRole.arn,
            glueVersion: "5.0",
            workerType: "G.1X",
            numberOfWorkers: a.glueWorkers,
            timeout: 30,
            maxRetries: 0,
            executionProperty: { maxConcurrentRuns: 1 },
            securityConfiguration: securityConfiguration.name,
            command: { name: "glueetl", pythonVersion: "3", scriptLocation: pulumi.interpolate`s3://${a.bucketName}/${script.key}` },
            defaultArguments: {
                "--job-language": "python",
                "--job-bookmark-option": "job-bookmark-enable",
                "--TempDir": s3(a.glueTmpPrefix),
                "--enable-metrics": "true",
                "--custom-logGroup-prefix": jobLogPrefix,
                "--raw_events_path": s3(a.rawEventsPrefix),
                "--processed_events_path": s3(a.processedEventsPrefix),
            },
        }, { parent: this, dependsOn: [...jobLogGroups, gluePolicy] });
        const crawler = new aws.glue.Crawler(`${name}-glue-crawler`, {
            name: physicalName(a.workloadName, "processed-events", NAME_LIMITS.glue),
            description: "Registers the partitions of the processed events table",
            role: glueRole.arn,
            databaseName: a.eventsDatabase,
            securityConfiguration: securityConfiguration.name,
            s3Targets: [{ path: s3(a.processedEventsPrefix) }],
            // Crawling new folders only (each run registers the partitions the job just wrote) admits
            // one schema change policy: LOG for both updates and deletions. Glue rejects any other
            // pair with InvalidInputException ("The SchemaChangePolicy for \"Crawl new folders only\"
            // Amazon S3 target can have only LOG DeleteBehavior value and LOG UpdateBehavior value",
            // terraform-provider-aws #22868). Schema changes are the job's to make (it writes the
            // table's columns), so the crawler logging them loses nothing.
            schemaChangePolicy: { updateBehavior: "LOG", deleteBehavior: "LOG" },
            recrawlPolicy: { recrawlBehavior: "CRAWL_NEW_FOLDERS_ONLY" },
            configuration: JSON.stringify({ Version: 1, Grouping: { TableGroupingPolicy: "CombineCompatibleSchemas" } }),
        }, { parent: this, dependsOn: [gluePolicy] });
        const workflow = new aws.glue.Workflow(`${name}-glue-workflow`, {
            name: physicalName(a.workloadName, "events-etl", NAME_LIMITS.glue),
            description: "Glue ETL of the game events: job, then crawler",
            maxConcurrentRuns: 1,
        }, { parent: this });
        new aws.glue.Trigger(`${name}-glue-start`, {
            name: physicalName(a.workloadName, "etl-start", NAME_LIMITS.glue),
            workflowName: workflow.name,
            ...(a.etlSchedule ? { type: "SCHEDULED", schedule: a.etlSchedule, startOnCreation: true } : { type: "ON_DEMAND" }),
            actions: [{ jobName: job.name }],
        }, { parent: this });
        new aws.glue.Trigger(`${name}-glue-crawl-after-job`, {
            name: physicalName(a.workloadName, "etl-crawl", NAME_LIMITS.glue),
            workflowName: workflow.name,
            type: "CONDITIONAL",
            startOnCreation: true,
            predicate: { conditions: [{ jobName: job.name, state: "SUCCEEDED", logicalOperator: "EQUALS" }] },
            actions: [{ crawlerName: crawler.name }],
        }, { parent: this });
        return { job, crawler, workflow };
    }
}

/** The Iceberg table's folder; ICEBERG requires it. */
function icebergPrefixOf(a: Resolved): string {
    if (a.icebergTablePrefix === undefined) throw new Error("icebergTablePrefix: required when tableFormat is ICEBERG (the storage tier's icebergTable.tablePrefix)");
    return a.icebergTablePrefix;
}

/** Where Firehose writes converted events: date partitions from the transform's partition keys. */
export function rawEventsObjectPrefix(rawEventsPrefix: string): string {
    return `${rawEventsPrefix}/year=!{partitionKeyFromLambda:year}/month=!{partitionKeyFromLambda:month}/day=!{partitionKeyFromLambda:day}/`;
}

