/**
 * `GameAnalyticsPipeline`: the whole pipeline from validated settings. Reads top-down:
 * storage, stream (KINESIS_DATA_STREAMS), registry tables, processing, ingest, operations.
 */
import * as pulumi from "@pulumi/pulumi";
import { EventStream } from "./aws/event-stream";
import { IngestDestination, IngestTier } from "./aws/ingest-tier";
import { LogLevel } from "./aws/lambda-environment";
import { OperationsTier } from "./aws/operations-tier";
import { dataFreshnessThresholdSeconds, ProcessingTier } from "./aws/processing-tier";
import { RealTimeTier } from "./aws/realtime-tier";
import { RegistryTables } from "./aws/registry-tables";
import { replacementPolicy } from "./aws/replacement";
import { PipelineSettings, SettingsError, SettingsProblem, validateSettings } from "./contracts/settings";
import { StorageTier } from "./aws/storage-tier";

/** Options of a deployment that are not pipeline settings of the guidance. */
export interface DeploymentOptions {
    /**
     * API Gateway access and error logs. Needs the account-wide API Gateway CloudWatch role
     * (see docs/deploy.md); set false in an account without it.
     * @default true
     * @example false
     */
    apiAccessLogging?: boolean;
    /**
     * Create API Gateway's CloudWatch role and set it as the ACCOUNT-WIDE API Gateway setting of
     * this account and region (one per account and region, shared by every API there; retained
     * on destroy). Needed once per account and region for `apiAccessLogging`; set false when the
     * account already has it or another stack manages it.
     * @default true
     * @example false
     */
    apiGatewayAccountRole?: boolean;
    /**
     * X-Ray tracing of the API stage and every Lambda.
     * @default false
     * @example true
     */
    tracing?: boolean;
    /**
     * Log level of every Lambda.
     * @default "INFO"
     * @example "DEBUG"
     */
    logLevel?: LogLevel;
    /**
     * Config namespace named in settings errors (the stack program passes its project name).
     * @default undefined
     * @example "game-analytics"
     */
    configNamespace?: string;
}

/**
 * Settings of the pipeline (see components/settings.ts and README.md "Configuration" for each key,
 * default and rule); only `workloadName` is required. Validated with `validateSettings`.
 * @example { workloadName: "mygame", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, devMode: true }
 */
export type GameAnalyticsPipelineArgs = Partial<PipelineSettings> & { workloadName: string } & DeploymentOptions;

/** Settings this version validates but cannot deploy yet, with what to set instead. */
export function unsupportedSettings(s: PipelineSettings): SettingsProblem[] {
    const problems: SettingsProblem[] = [];
    if (s.dataStack === "REDSHIFT") {
        problems.push({ key: "dataStack", value: s.dataStack, rule: "REDSHIFT is not implemented in this version of the package; use DATA_LAKE" });
    }
    if (s.tableFormat === "ICEBERG") {
        problems.push({ key: "tableFormat", value: s.tableFormat, rule: "ICEBERG is not implemented in this version of the package; use HIVE" });
    }
    return problems;
}

/** The game analytics pipeline on AWS. */
export class GameAnalyticsPipeline extends pulumi.ComponentResource {
    readonly settings: PipelineSettings;
    readonly storage: StorageTier;
    readonly stream?: EventStream;
    readonly tables: RegistryTables;
    readonly processing: ProcessingTier;
    readonly ingest: IngestTier;
    readonly operations: OperationsTier;
    /** Windowed real-time metrics; present when `realTimeAnalytics` is true. */
    readonly realTime?: RealTimeTier;

    /** Invoke URL of the API stage. */
    readonly apiUrl: pulumi.Output<string>;
    /** `<apiUrl>/applications/{applicationId}/events` */
    readonly eventsEndpoint: pulumi.Output<string>;
    readonly adminPolicyArn: pulumi.Output<string>;
    readonly adminPolicyName: pulumi.Output<string>;
    readonly analyticsBucketName: pulumi.Output<string>;
    readonly eventsDatabase: pulumi.Output<string>;
    readonly rawEventsTable: pulumi.Output<string>;
    readonly athenaWorkgroup: pulumi.Output<string>;
    /** Kinesis stream name; undefined in DIRECT_BATCH mode. */
    readonly streamName?: pulumi.Output<string>;
    readonly deliveryStreamName: pulumi.Output<string>;
    readonly applicationsTableName: pulumi.Output<string>;
    readonly authorizationsTableName: pulumi.Output<string>;
    readonly alarmTopicArn: pulumi.Output<string>;
    readonly dashboardUrl: pulumi.Output<string>;
    readonly glueWorkflowName: pulumi.Output<string>;

    constructor(name: string, args: GameAnalyticsPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        const { apiAccessLogging = true, apiGatewayAccountRole = true, tracing = false, logLevel = "INFO", configNamespace: namespace, ...raw } = args;
        const s = validateSettings(raw, namespace);
        const unsupported = unsupportedSettings(s);
        if (unsupported.length > 0) {
            throw new SettingsError(unsupported, namespace);
        }
        // Replacement options of every descendant (components/replacement.ts): fixed-name stateless
        // resources are deleted before being replaced; stateful ones are protected in production.
        super("game-analytics:index:GameAnalyticsPipeline", name, {}, {
            ...opts,
            // First, so the caller's own transformations see (and may override) these options.
            transformations: [replacementPolicy(!s.devMode), ...(opts?.transformations ?? [])],
        });
        this.settings = s;
        const child = { parent: this };
        const logRetentionDays = s.cloudWatchRetentionDays;

        this.storage = new StorageTier(`${name}-storage`, {
            workloadName: s.workloadName,
            // Unset: derived from workloadName (defaultEventsDatabase), so stacks of one account differ.
            eventsDatabase: raw.eventsDatabase === undefined || raw.eventsDatabase === "" ? undefined : s.eventsDatabase,
            rawEventsTable: s.rawEventsTable,
            rawEventsPrefix: s.rawEventsPrefix,
            glueTmpPrefix: s.glueTmpPrefix,
            devMode: s.devMode,
            dataRetentionDays: s.dataRetentionDays,
        }, child);

        this.stream = s.ingestMode === "KINESIS_DATA_STREAMS" ? new EventStream(`${name}-stream`, {
            workloadName: s.workloadName,
            provisioned: s.streamProvisioned,
            shardCount: s.streamShardCount,
            retentionHours: s.streamRetentionHours,
        }, child) : undefined;

        this.tables = new RegistryTables(`${name}-registry`, { workloadName: s.workloadName, devMode: s.devMode }, child);

        this.processing = new ProcessingTier(`${name}-processing`, {
            workloadName: s.workloadName,
            bucketName: this.storage.bucketName,
            bucketArn: this.storage.bucketArn,
            dataKeyArn: this.storage.keyArn,
            eventsDatabase: this.storage.databaseName,
            rawEventsTable: this.storage.rawEventsTableName,
            applicationsTableName: this.tables.applicationsTableName,
            applicationsTableArn: this.tables.applicationsTableArn,
            sourceStream: this.stream ? { arn: this.stream.streamArn, customerKeyArn: this.stream.customerKeyArn } : undefined,
            rawEventsPrefix: s.rawEventsPrefix,
            processedEventsPrefix: s.processedEventsPrefix,
            glueTmpPrefix: s.glueTmpPrefix,
            devMode: s.devMode,
            s3BackupMode: s.s3BackupMode,
            logRetentionDays,
            applicationCacheTtlSeconds: s.applicationCacheTtlSeconds,
            etlSchedule: s.etlSchedule,
            logLevel,
            tracing,
        }, child);

        this.ingest = new IngestTier(`${name}-ingest`, {
            workloadName: s.workloadName,
            destination: this.ingestDestination(),
            applicationsTableName: this.tables.applicationsTableName,
            applicationsTableArn: this.tables.applicationsTableArn,
            authorizationsTableName: this.tables.authorizationsTableName,
            authorizationsTableArn: this.tables.authorizationsTableArn,
            stageName: s.apiStageName,
            authorizerCacheTtlSeconds: s.authorizerCacheTtlSeconds,
            throttlingRateLimit: s.apiThrottlingRateLimit,
            throttlingBurstLimit: s.apiThrottlingBurstLimit,
            corsAllowOrigins: s.corsAllowOrigins,
            accessLogging: apiAccessLogging,
            manageAccountLogRole: apiGatewayAccountRole,
            logsKeyArn: this.storage.keyArn,
            logRetentionDays,
            logLevel,
            tracing,
        }, child);

        this.realTime = this.stream && s.realTimeAnalytics ? new RealTimeTier(`${name}-realtime`, {
            workloadName: s.workloadName,
            streamArn: this.stream.streamArn,
            streamName: this.stream.streamName,
            kmsKeyArn: this.stream.customerKeyArn,
            logRetentionDays,
            logLevel,
        }, child) : undefined;

        this.operations = new OperationsTier(`${name}-operations`, {
            workloadName: s.workloadName,
            api: { apiName: this.ingest.apiName, stageName: this.ingest.stageName },
            deliveryStreamName: this.processing.deliveryStreamName,
            streamName: this.stream?.streamName,
            transformFunctionName: this.processing.transformFunctionName,
            functions: {
                "events-processing": this.processing.transformFunctionName,
                "events-ingest": this.ingest.eventsFunction.functionName,
                "events-authorizer": this.ingest.authorizerFunction.functionName,
                "admin-api": this.ingest.adminFunction.functionName,
                ...(this.realTime ? { "realtime-metrics": this.realTime.functionName } : {}),
            },
            realTime: this.realTime ? { metricsNamespace: this.realTime.metricsNamespace, functionName: this.realTime.functionName } : undefined,
            tables: { applications: this.tables.applicationsTableName, authorizations: this.tables.authorizationsTableName },
            emailAddress: s.emailAddress,
            // Derived from the buffers (formula at dataFreshnessThresholdSeconds): 1710 s in production.
            dataFreshnessThresholdSeconds: dataFreshnessThresholdSeconds(this.processing.bufferingIntervalSeconds, this.processing.processorBufferIntervalSeconds),
        }, child);

        this.apiUrl = this.ingest.apiUrl;
        this.eventsEndpoint = this.ingest.eventsEndpoint;
        this.adminPolicyArn = this.ingest.adminPolicyArn;
        this.adminPolicyName = this.ingest.adminPolicyName;
        this.analyticsBucketName = this.storage.bucketName;
        this.eventsDatabase = this.storage.databaseName;
        this.rawEventsTable = this.storage.rawEventsTableName;
        this.athenaWorkgroup = this.storage.workgroupName;
        this.streamName = this.stream?.streamName;
        this.deliveryStreamName = this.processing.deliveryStreamName;
        this.applicationsTableName = this.tables.applicationsTableName;
        this.authorizationsTableName = this.tables.authorizationsTableName;
        this.alarmTopicArn = this.operations.alarmTopicArn;
        this.dashboardUrl = this.operations.dashboardUrl;
        this.glueWorkflowName = this.processing.glueWorkflowName;
        this.registerOutputs(this.outputs());
    }

    /** Every stack output of the pipeline, by name (streamName only in KINESIS_DATA_STREAMS mode, real-time names only with real-time analytics). */
    outputs(): Record<string, pulumi.Output<string>> {
        return {
            apiUrl: this.apiUrl,
            eventsEndpoint: this.eventsEndpoint,
            adminPolicyArn: this.adminPolicyArn,
            adminPolicyName: this.adminPolicyName,
            analyticsBucketName: this.analyticsBucketName,
            eventsDatabase: this.eventsDatabase,
            rawEventsTable: this.rawEventsTable,
            athenaWorkgroup: this.athenaWorkgroup,
            ...(this.streamName ? { streamName: this.streamName } : {}),
            deliveryStreamName: this.deliveryStreamName,
            applicationsTableName: this.applicationsTableName,
            authorizationsTableName: this.authorizationsTableName,
            alarmTopicArn: this.alarmTopicArn,
            dashboardUrl: this.dashboardUrl,
            glueWorkflowName: this.glueWorkflowName,
            ...(this.realTime ? {
                realTimeMetricsNamespace: pulumi.output(this.realTime.metricsNamespace),
                ...(this.realTime.dashboardName ? { realTimeDashboardName: this.realTime.dashboardName } : {}),
            } : {}),
        };
    }

    private ingestDestination(): IngestDestination {
        return this.stream
            ? { ingestMode: "KINESIS_DATA_STREAMS", streamName: this.stream.streamName, streamArn: this.stream.streamArn, customerKeyArn: this.stream.customerKeyArn }
            : { ingestMode: "DIRECT_BATCH", deliveryStreamName: this.processing.deliveryStreamName, deliveryStreamArn: this.processing.deliveryStreamArn };
    }
}
