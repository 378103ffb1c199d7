/**
 * `OperationsTier`: what an operator watches. A KMS-encrypted SNS topic (optionally emailing
 * someone), alarms on every stage of the pipeline wired to it, and a CloudWatch dashboard.
 * Adds the alarms the guidance lacks: stream iterator age, Firehose processing failures and
 * Lambda throttles of every function.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext, AwsContext } from "./aws-context";
import { dashboardBody } from "./dashboard";
import { keyPolicy } from "./iam";
import { NAME_LIMITS, physicalName } from "./names";
import { stripUndefined } from "../contracts/common";
import type { OperationsTierArgs as OperationsTierContractArgs, OperationsTierOutputs } from "../contracts/operations";
import type { HealthMetric } from "../contracts/realtime";
import { warehouseAlarmSpecs, warehouseWidgets, type WarehouseWatch } from "./warehouse/monitoring";
import { restApiMetrics, type ApiMetrics } from "./api-metrics";
import type { RawCopy } from "./layout";

/** The operations tier's arguments on AWS: the contract's (the other tiers' outputs) and AWS's own thresholds. */
export interface OperationsTierArgs extends OperationsTierContractArgs {
    /**
     * Firehose DeliveryToS3.DataFreshness above which the freshness alarm fires, in seconds.
     * @default processing.bufferingSeconds + one 300 s alarm period (1710 s in production, 450 s in development)
     * @example 1200
     */
    dataFreshnessThresholdSeconds?: number;
    /**
     * The REDSHIFT warehouse, when deployed: its usage-limit and stream-lag alarms and its widgets.
     * @default undefined (no warehouse alarms or widgets)
     * @example { ...warehouse.watch, streamRetentionHours: 24 }
     */
    warehouse?: Omit<WarehouseWatch, "region" | "streamName">;
    /**
     * The API's metric dimensions and error metric names when they are not the REST API's
     * (components/aws/api-metrics.ts; the HTTP API: ApiId and Stage, 4xx and 5xx).
     * @default restApiMetrics(ingest.apiName, ingest.stageName)
     * @example ingest.apiMetrics
     */
    apiMetrics?: ApiMetrics;
    /**
     * How the stream reaches the lake. STREAM_ARCHIVER (the REDSHIFT data stack): no Firehose, so
     * no Firehose alarms or widgets; the archiver's iterator age is alarmed instead (its errors and
     * throttles come with `processing.functions`).
     * @default "FIREHOSE"
     * @example "STREAM_ARCHIVER"
     */
    rawCopy?: RawCopy;
}

/** Length of one period of the freshness alarm: its threshold is delivery's longest hold plus this. */
export const FRESHNESS_ALARM_PERIOD_SECONDS = 300;

/** What the alarms and dashboard watch, read from the other tiers' outputs. */
interface OperationsWatch {
    /**
     * Prefix of every physical name.
     * @example "game-analytics"
     */
    workloadName: string;
    /**
     * API Gateway REST API name and stage.
     * @example { apiName: ingest.apiName, stageName: ingest.stageName }
     */
    api: { apiName: pulumi.Input<string>; stageName: pulumi.Input<string> };
    /**
     * Firehose delivery stream name.
     * @example processing.deliveryStreamName
     */
    deliveryStreamName: pulumi.Input<string>;
    /**
     * Kinesis stream name (KINESIS_DATA_STREAMS mode).
     * @default undefined (no stream alarms)
     * @example stream.streamName
     */
    streamName?: pulumi.Input<string>;
    /**
     * The transform Lambda's name (its own dashboard widgets).
     * @example processing.transformFunctionName
     */
    transformFunctionName: pulumi.Input<string>;
    /**
     * Every Lambda to alarm on (errors, throttles), by a short label.
     * @example { transform: processing.transformFunctionName, events: ingest.eventsFunction.functionName }
     */
    functions: Record<string, pulumi.Input<string>>;
    /**
     * DynamoDB tables to alarm on (system errors), by a short label.
     * @example { applications: tables.applicationsTableName }
     */
    tables: Record<string, pulumi.Input<string>>;
    /**
     * Email subscribed to the alarm topic (the recipient must confirm the subscription).
     * @default undefined (no subscription)
     * @example "ops@studio.example.com"
     */
    emailAddress?: string;
    /**
     * Firehose DeliveryToS3.DataFreshness above which the freshness alarm fires, in seconds.
     * Keep it above the Firehose buffering interval.
     * @default 900
     * @example 1200
     */
    dataFreshnessThresholdSeconds?: number;
    /**
     * Kinesis GetRecords.IteratorAgeMilliseconds above which the iterator-age alarm fires.
     * @default 300000 (5 minutes)
     * @example 60000
     */
    iteratorAgeThresholdMs?: number;
    /**
     * The real-time metrics tier, when deployed: alarms on its health metrics and on how far its
     * function lags behind the stream.
     * @default undefined (no real-time alarms)
     * @example { metricsNamespace: realTime.metricsNamespace, functionName: realTime.functionName, healthMetrics: realTime.healthMetrics }
     */
    realTime?: { metricsNamespace: string; functionName: pulumi.Input<string>; healthMetrics: readonly HealthMetric[] };
    /**
     * The REDSHIFT warehouse, when deployed: its usage-limit and stream-lag alarms and its widgets
     * (components/aws/warehouse/monitoring.ts; the stream is `streamName`).
     * @default undefined (no warehouse alarms or widgets)
     * @example { workgroupName: "game-warehouse", namespaceName: "game-warehouse", databaseName: "analytics", usageLimitRpuHoursPerDay: 8, streamRetentionHours: 24 }
     */
    warehouse?: Omit<WarehouseWatch, "region" | "streamName">;
    /**
     * The API stage's metrics (dimensions, error metric names).
     * @example restApiMetrics(ingest.apiName, ingest.stageName)
     */
    apiMetrics: ApiMetrics;
    /**
     * STREAM_ARCHIVER: the processing "delivery" is the stream archiver's function (no Firehose).
     * @default "FIREHOSE"
     * @example "STREAM_ARCHIVER"
     */
    rawCopy?: RawCopy;
}

/** The watch of the contract's arguments: names of the other tiers' resources, thresholds derived from them. */
function watchOf(args: OperationsTierArgs): OperationsWatch {
    const { ingest, processing, registry, stream, realTime } = args;
    return {
        workloadName: args.workloadName,
        api: { apiName: ingest.apiName, stageName: ingest.stageName },
        deliveryStreamName: processing.deliveryName,
        streamName: stream?.streamName,
        transformFunctionName: processing.transformFunctionName,
        functions: { ...processing.functions, ...ingest.functions, ...(realTime?.functions ?? {}) },
        tables: { applications: registry.applicationsTableName, authorizations: registry.authorizationsTableName },
        emailAddress: args.emailAddress,
        dataFreshnessThresholdSeconds: args.dataFreshnessThresholdSeconds ?? processing.bufferingSeconds + FRESHNESS_ALARM_PERIOD_SECONDS,
        iteratorAgeThresholdMs: args.streamLagThresholdSeconds === undefined ? undefined : args.streamLagThresholdSeconds * 1000,
        realTime: realTime === undefined ? undefined
            : { metricsNamespace: realTime.metricsNamespace, functionName: realTime.functionName, healthMetrics: realTime.healthMetrics },
        warehouse: args.warehouse,
        apiMetrics: args.apiMetrics ?? restApiMetrics(ingest.apiName, ingest.stageName),
        rawCopy: args.rawCopy,
    };
}

const DEFAULTS = { dataFreshnessThresholdSeconds: 900, iteratorAgeThresholdMs: 300_000 };
type Resolved = typeof DEFAULTS & OperationsWatch;

/** DynamoDB operations the pipeline's functions call (SystemErrors is reported per operation). */
const DYNAMODB_OPERATIONS = ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchWriteItem"];

/** What one alarm watches, before the common settings are applied. */
type AlarmSpec = Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "name"> & { suffix: string };

/** Alarm topic, alarms and dashboard. */
export class OperationsTier extends pulumi.ComponentResource implements OperationsTierOutputs {
    readonly key: aws.kms.Key;
    readonly topic: aws.sns.Topic;
    readonly alarms: aws.cloudwatch.MetricAlarm[] = [];
    readonly dashboard: aws.cloudwatch.Dashboard;
    readonly alarmTopicArn: pulumi.Output<string>;
    readonly dashboardUrl: pulumi.Output<string>;
    /** The alarm topic's ARN. */
    readonly alarmTopicId: pulumi.Output<string>;

    private readonly ctx: AwsContext;

    constructor(name: string, args: OperationsTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:OperationsTier", name, {}, opts);
        const a: Resolved = { ...DEFAULTS, ...stripUndefined(watchOf(args)) };
        this.ctx = awsContext(this);

        this.key = this.createKey(name, a);
        this.topic = this.createTopic(name, a);
        for (const spec of alarmSpecs(a)) {
            this.alarms.push(new aws.cloudwatch.MetricAlarm(`${name}-alarm-${spec.suffix}`, {
                treatMissingData: "notBreaching",
                evaluationPeriods: 1,
                ...spec,
                name: physicalName(a.workloadName, spec.suffix, NAME_LIMITS.alarm),
                alarmActions: [this.topic.arn],
                okActions: [this.topic.arn],
            } as aws.cloudwatch.MetricAlarmArgs, { parent: this }));
        }
        this.dashboard = this.createDashboard(name, a);

        this.alarmTopicArn = this.topic.arn;
        this.alarmTopicId = this.alarmTopicArn;
        this.dashboardUrl = pulumi.interpolate`https://${this.ctx.region}.console.aws.amazon.com/cloudwatch/home?region=${this.ctx.region}#dashboards:name=${this.dashboard.dashboardName}`;
        this.registerOutputs({ alarmTopicArn: this.alarmTopicArn, dashboardUrl: this.dashboardUrl });
    }

    /** The topic's key: CloudWatch (alarms) may encrypt messages for this account's alarms only. */
    private createKey(name: string, a: Resolved): aws.kms.Key {
        const { accountId, region, partition } = this.ctx;
        return new aws.kms.Key(`${name}-alarm-key`, {
            description: `Encrypts the ${a.workloadName} alarm topic`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: keyPolicy(accountId, partition, [{
                Sid: "CloudWatchAlarmsPublishToTheTopic",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: ["*"],
                Condition: {
                    StringEquals: { "aws:SourceAccount": accountId },
                    ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*` },
                },
            }]),
        }, { parent: this });
    }

    private createTopic(name: string, a: Resolved): aws.sns.Topic {
        const { accountId, region, partition } = this.ctx;
        const topic = new aws.sns.Topic(`${name}-alarms`, {
            name: physicalName(a.workloadName, "alarms", NAME_LIMITS.snsTopic),
            displayName: `${a.workloadName} game analytics alarms`.slice(0, 100),
            kmsMasterKeyId: this.key.arn,
        }, { parent: this });
        new aws.sns.TopicPolicy(`${name}-alarms-policy`, {
            arn: topic.arn,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "CloudWatchAlarmsOfThisAccountPublish",
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: "sns:Publish",
                        Resource: topic.arn,
                        Condition: {
                            StringEquals: { "aws:SourceAccount": accountId },
                            ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*` },
                        },
                    },
                    {
                        Sid: "AccountManagesTheTopicThroughIam",
                        Effect: "Allow",
                        Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
                        Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"],
                        Resource: topic.arn,
                    },
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "sns:Publish",
                        Resource: topic.arn,
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            }),
        }, { parent: this });
        if (a.emailAddress) {
            new aws.sns.TopicSubscription(`${name}-alarms-email`, {
                topic: topic.arn,
                protocol: "email",
                endpoint: a.emailAddress,
            }, { parent: this });
        }
        return topic;
    }

    private createDashboard(name: string, a: Resolved): aws.cloudwatch.Dashboard {
        const names = pulumi.all([
            this.ctx.region, a.api.apiName, a.api.stageName, a.streamName, a.deliveryStreamName, a.transformFunctionName,
            pulumi.all(a.functions), pulumi.all(this.alarms.map((alarm) => alarm.arn)),
        ]);
        const body = pulumi.all([names, pulumi.all(a.apiMetrics.dimensions)]).apply(([[region, apiName, stageName, streamName, deliveryStreamName, transformFunctionName, functions, alarmArns], apiDimensions]) =>
            withWarehouseWidgets(dashboardBody({ region, apiName, stageName, streamName, deliveryStreamName, transformFunctionName, functions, alarmArns,
                api: { dimensions: Object.entries(apiDimensions).flat(), clientErrors: a.apiMetrics.clientErrors, serverErrors: a.apiMetrics.serverErrors },
                ...(a.rawCopy === "STREAM_ARCHIVER" ? { streamArchiver: true } : {}) }),
                a.warehouse === undefined || streamName === undefined ? undefined : { ...a.warehouse, region, streamName }));
        return new aws.cloudwatch.Dashboard(`${name}-dashboard`, {
            dashboardName: physicalName(a.workloadName, "pipeline", NAME_LIMITS.dashboard),
            dashboardBody: body,
        }, { parent: this });
    }
}

/** Every alarm of the pipeline (REFERENCE section 6 plus the ones the guidance lacks). */
function alarmSpecs(a: Resolved): AlarmSpec[] {
    const specs: AlarmSpec[] = [];
    const sumAbove = (suffix: string, description: string, namespace: string, metricName: string, dimensions: Record<string, pulumi.Input<string>>, threshold = 0): AlarmSpec => ({
        suffix, alarmDescription: description, namespace, metricName, dimensions, statistic: "Sum", period: 300,
        comparisonOperator: "GreaterThanThreshold", threshold,
    });

    const api = a.apiMetrics.dimensions;
    const errorRate = (suffix: string, metric: string, operator: string, description: string): AlarmSpec => ({
        suffix, alarmDescription: description, comparisonOperator: operator, threshold: 1, evaluationPeriods: 3, datapointsToAlarm: 2,
        metricQueries: [
            { id: "requests", metric: { namespace: "AWS/ApiGateway", metricName: "Count", dimensions: api, stat: "Sum", period: 300 } },
            { id: "errors", metric: { namespace: "AWS/ApiGateway", metricName: metric, dimensions: api, stat: "Sum", period: 300 } },
            { id: "rate", expression: "IF(requests > 0, 100 * errors / requests, 0)", label: `${metric} %`, returnData: true },
        ],
    });
    specs.push(
        errorRate("api-4xx-rate", a.apiMetrics.clientErrors, "GreaterThanOrEqualToThreshold", "1% or more of API requests answered 4XX (bad keys, invalid bodies, throttling)"),
        errorRate("api-5xx-rate", a.apiMetrics.serverErrors, "GreaterThanThreshold", "More than 1% of API requests answered 5XX"),
    );

    if (a.streamName !== undefined) {
        const stream = { StreamName: a.streamName };
        specs.push(
            sumAbove("stream-write-throttled", "Writes to the event stream exceeded its throughput", "AWS/Kinesis", "WriteProvisionedThroughputExceeded", stream),
            sumAbove("stream-read-throttled", "Reads from the event stream exceeded its throughput", "AWS/Kinesis", "ReadProvisionedThroughputExceeded", stream),
            {
                suffix: "stream-iterator-age",
                alarmDescription: a.rawCopy === "STREAM_ARCHIVER" ? "A reader of the event stream (the stream archiver or the warehouse) is falling behind" : "Firehose is falling behind the event stream",
                namespace: "AWS/Kinesis", metricName: "GetRecords.IteratorAgeMilliseconds", dimensions: stream,
                statistic: "Maximum", period: 300, comparisonOperator: "GreaterThanThreshold", threshold: a.iteratorAgeThresholdMs,
            },
        );
    }

    if (a.rawCopy === "STREAM_ARCHIVER") {
        specs.push({
            suffix: "stream-archiver-iterator-age", alarmDescription: "The stream archiver is falling behind the event stream (the lake's raw copy lags)",
            namespace: "AWS/Lambda", metricName: "IteratorAge", dimensions: { FunctionName: a.transformFunctionName },
            statistic: "Maximum", period: 300, comparisonOperator: "GreaterThanThreshold", threshold: a.iteratorAgeThresholdMs,
        });
    }
    const firehose = { DeliveryStreamName: a.deliveryStreamName };
    const successBelowOne = (suffix: string, metricName: string, description: string): AlarmSpec => ({
        suffix, alarmDescription: description, namespace: "AWS/Firehose", metricName, dimensions: firehose,
        statistic: "Minimum", period: 300, comparisonOperator: "LessThanThreshold", threshold: 1,
    });
    if (a.rawCopy !== "STREAM_ARCHIVER") specs.push(
        sumAbove("firehose-failed-conversion", "Firehose could not convert records to Parquet (they are under firehose-errors/)", "AWS/Firehose", "FailedConversion.Records", firehose),
        successBelowOne("firehose-processing-failed", "ExecuteProcessing.Success", "The transform Lambda failed for some Firehose batches"),
        successBelowOne("firehose-delivery-failed", "DeliveryToS3.Success", "Firehose failed to deliver to S3"),
        {
            suffix: "firehose-data-freshness", alarmDescription: `Oldest undelivered record is older than ${a.dataFreshnessThresholdSeconds} s`,
            namespace: "AWS/Firehose", metricName: "DeliveryToS3.DataFreshness", dimensions: firehose,
            statistic: "Maximum", period: 300, comparisonOperator: "GreaterThanThreshold", threshold: a.dataFreshnessThresholdSeconds,
        },
    );

    specs.push(sumAbove("dynamodb-user-errors", "DynamoDB rejected requests of this account and region as invalid (HTTP 400)", "AWS/DynamoDB", "UserErrors", {}));
    for (const [label, tableName] of Object.entries(a.tables)) {
        specs.push({
            suffix: `dynamodb-${label}-system-errors`, alarmDescription: `DynamoDB system errors on the ${label} table`,
            comparisonOperator: "GreaterThanThreshold", threshold: 0,
            metricQueries: [
                ...DYNAMODB_OPERATIONS.map((operation, i) => ({
                    id: `op${i}`,
                    metric: { namespace: "AWS/DynamoDB", metricName: "SystemErrors", dimensions: { TableName: tableName, Operation: operation }, stat: "Sum", period: 300 },
                })),
                { id: "total", expression: DYNAMODB_OPERATIONS.map((_, i) => `FILL(op${i}, 0)`).join(" + "), label: "SystemErrors", returnData: true },
            ],
        });
    }

    if (a.realTime !== undefined) {
        for (const m of a.realTime.healthMetrics) {
            specs.push({
                suffix: `realtime-${m.metricName.toLowerCase()}`, alarmDescription: m.description,
                namespace: a.realTime.metricsNamespace, metricName: m.metricName, dimensions: {},
                statistic: m.statistic, period: 60, comparisonOperator: "GreaterThanThreshold", threshold: m.threshold,
            });
        }
        specs.push({
            suffix: "realtime-iterator-age", alarmDescription: "The real-time metrics function is falling behind the event stream",
            namespace: "AWS/Lambda", metricName: "IteratorAge", dimensions: { FunctionName: a.realTime.functionName },
            statistic: "Maximum", period: 300, comparisonOperator: "GreaterThanThreshold", threshold: a.iteratorAgeThresholdMs,
        });
    }

    if (a.warehouse !== undefined && a.streamName !== undefined) {
        // The specs name the stream by its resolved name; here it is the stream's output.
        const streamName = a.streamName;
        for (const spec of warehouseAlarmSpecs({ ...a.warehouse, region: "", streamName: "" })) {
            specs.push({ ...spec, dimensions: "StreamName" in spec.dimensions ? { ...spec.dimensions, StreamName: streamName } : spec.dimensions });
        }
    }

    for (const [label, functionName] of Object.entries(a.functions)) {
        const fn = { FunctionName: functionName };
        specs.push(
            sumAbove(`lambda-${label}-errors`, `The ${label} Lambda failed`, "AWS/Lambda", "Errors", fn),
            sumAbove(`lambda-${label}-throttles`, `The ${label} Lambda was throttled`, "AWS/Lambda", "Throttles", fn),
        );
    }
    return specs;
}

/** The dashboard body with the warehouse's widgets appended (unchanged without a warehouse). */
function withWarehouseWidgets(body: string, warehouse: WarehouseWatch | undefined): string {
    if (warehouse === undefined) return body;
    const parsed = JSON.parse(body) as { widgets: unknown[] };
    return JSON.stringify({ ...parsed, widgets: [...parsed.widgets, ...warehouseWidgets(warehouse)] });
}
