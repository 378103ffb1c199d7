/**
 * `RealTimeTier`: real-time metrics of the game events (REFERENCE section 5) computed by a Lambda
 * reading the Kinesis stream through an event source mapping with tumbling windows, published as
 * CloudWatch custom metrics in Embedded Metric Format, and shown on a CloudWatch dashboard.
 * It replaces the guidance's Managed Flink + OpenSearch Serverless + OpenSearch Ingestion: nothing
 * to start by hand after deploy, and a few dollars a month instead of ~771 (docs/real-time.md).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { REALTIME_DIMENSIONS, REALTIME_METRICS } from "../../functions/core/realtime-metrics";
import { POWERTOOLS_METRICS_NAMESPACE, REALTIME_TOP_N, REALTIME_WATERMARK_SECONDS, REALTIME_WINDOW_SECONDS } from "../../functions/core/environment-names";

/** Lambda's tumbling window carrying the event-time state: the largest it allows, in seconds. */
export const CARRIER_WINDOW_SECONDS = 900;
import type { WatchedFunctions } from "../contracts/common";
import { MAX_REALTIME_WATERMARK_SECONDS, type RealTimeDestination } from "../contracts/settings";
import { OPENSEARCH_ENDPOINT, OPENSEARCH_INDEX, REALTIME_DESTINATION } from "../../functions/core/environment-names";
import { RealTimeOpenSearch, type RealTimeOpenSearchArgs } from "./opensearch/metrics-collection";
import type { HealthMetric, RealTimeTierArgs as RealTimeContractArgs, RealTimeTierOutputs } from "../contracts/realtime";
import { arnOf } from "./access";
import { PolicyStatement } from "./iam";
import { LambdaFunction } from "./lambda-function";
import { LogLevel, powertoolsEnvironment } from "./lambda-environment";
import { NAME_LIMITS, physicalName } from "./names";

/**
 * The AWS part of the real-time tier's arguments, beside the contract's (the stream's outputs:
 * its ARN, shown name and customer-managed key, on which the function gets kms:Decrypt; windows
 * of 1-900 seconds, metrics published once per window).
 */
export interface AwsRealTimeWiring {
    /**
     * Allowed out-of-orderness of event times, in seconds: a window is emitted once the largest
     * event time seen passes its end by this much (docs/real-time.md). Whole seconds, 0-300
     * (MAX_REALTIME_WATERMARK_SECONDS: well inside the 900 s carrier window).
     * @default 5
     * @example 30
     */
    watermarkSeconds?: number;
    /**
     * Most records per invocation (1-10000).
     * @default 1000
     * @example 500
     */
    batchSize?: number;
    /**
     * Seconds Lambda waits to fill a batch (0-300). Longer means fewer invocations; metrics still
     * come once per window.
     * @default 10
     * @example 0
     */
    batchingWindowSeconds?: number;
    /**
     * CloudWatch namespace of the metrics.
     * @default `GameAnalytics/${workloadName}`
     * @example "Studio/MyGame"
     */
    metricsNamespace?: string;
    /**
     * Spell ids (and item ids) published per application and window; the rest are summed under
     * "other". Each distinct value is a custom metric billed by CloudWatch.
     * @default 20
     * @example 10
     */
    topN?: number;
    /**
     * A CloudWatch dashboard of the metrics (`<workloadName>-realtime`).
     * @default true with the CLOUDWATCH destination, false with OPENSEARCH
     * @example false
     */
    dashboard?: boolean;
    /**
     * Memory of the function in MB.
     * @default 256
     * @example 512
     */
    memorySize?: number;
    /**
     * Log level of the function.
     * @default "INFO"
     * @example "DEBUG"
     */
    logLevel?: LogLevel;
    /**
     * Tags of the function, its role, log group and event source mapping.
     * @default {}
     * @example { team: "analytics" }
     */
    tags?: Record<string, string>;
    /**
     * Where the window metrics go: CloudWatch custom metrics (EMF), or an OpenSearch Serverless
     * collection with an OpenSearch UI (components/aws/opensearch/metrics-collection.ts); the
     * health metrics stay in CloudWatch either way.
     * @default "CLOUDWATCH"
     * @example "OPENSEARCH"
     */
    destination?: RealTimeDestination;
    /**
     * OPENSEARCH only: standby replicas of the collection and the principals reading the dashboard.
     * @default { standbyReplicas: true, readerArns: [] }
     * @example { standbyReplicas: false, readerArns: ["arn:aws:iam::111122223333:role/LiveOps"] }
     */
    openSearch?: Pick<RealTimeOpenSearchArgs, "standbyReplicas" | "readerArns">;
}

/** The real-time tier's arguments on AWS: the contract's (the stream's outputs) and AWS's own part. */
export interface RealTimeTierArgs extends RealTimeContractArgs, AwsRealTimeWiring {}

/** The arguments as the tier's body reads them: the stream's outputs as ARN, name and key. */
interface RealTimeSettings extends Omit<RealTimeTierArgs, "stream"> {
    streamArn: pulumi.Input<string>;
    streamName: pulumi.Input<string>;
    kmsKeyArn?: pulumi.Input<string>;
}

function settingsOf(args: RealTimeTierArgs): RealTimeSettings {
    const { stream, ...rest } = args;
    return { ...rest, streamArn: arnOf(stream.stream), streamName: stream.streamName, kmsKeyArn: stream.stream.encryptionKey };
}

/** A metric of the tier worth an alarm, with the statistic and threshold we suggest (the contract's HealthMetric). */
export type RealTimeAlarmMetric = HealthMetric;

/** Metrics of the tier's namespace worth an alarm (no dimensions: one series per namespace). */
export const REALTIME_ALARM_METRICS: readonly RealTimeAlarmMetric[] = [
    { metricName: REALTIME_METRICS.malformedRecords, statistic: "Sum", threshold: 0, description: "Records on the stream that are not ingest records (see the function's log for sequence numbers)" },
    { metricName: REALTIME_METRICS.dedupSaturated, statistic: "Maximum", threshold: 0, description: "A window outgrew the state budget and counted part of its events without de-duplication" },
    { metricName: REALTIME_METRICS.eventLagSeconds, statistic: "Maximum", threshold: 300, description: "Events arrive more than 5 minutes after their event_timestamp" },
];

/** OPENSEARCH destination: documents the function could not write after its retries (the batch is retried by the event source mapping). */
export const OPENSEARCH_ALARM_METRIC: RealTimeAlarmMetric = {
    metricName: REALTIME_METRICS.openSearchWriteErrors, statistic: "Sum", threshold: 0,
    description: "The real-time function could not write metric documents to OpenSearch Serverless after its retries (see its log for the windows and reasons)",
};

const DEFAULTS = {
    logRetentionDays: 30,
    windowSeconds: 60,
    watermarkSeconds: 5,
    batchSize: 1000,
    batchingWindowSeconds: 10,
    topN: 20,
    memorySize: 256,
    logLevel: "INFO" as LogLevel,
    tracing: false,
    tags: {} as Record<string, string>,
};

/** Resource types of this tier that take tags. */
const TAGGABLE_TYPES = new Set([
    "aws:lambda/function:Function",
    "aws:iam/role:Role",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:lambda/eventSourceMapping:EventSourceMapping",
]);

/** Windowed real-time metrics of the event stream. */
export class RealTimeTier extends pulumi.ComponentResource implements RealTimeTierOutputs {
    readonly metricsFunction: LambdaFunction;
    readonly eventSourceMapping: aws.lambda.EventSourceMapping;
    readonly dashboard?: aws.cloudwatch.Dashboard;
    /** Physical name of the metrics function. */
    readonly functionName: pulumi.Output<string>;
    /** CloudWatch namespace the metrics are published in. */
    readonly metricsNamespace: string;
    /** Names of the metrics worth an alarm (see REALTIME_ALARM_METRICS for statistic and threshold). */
    readonly alarmMetricNames: string[];
    /** Health metrics operations alarms on (REALTIME_ALARM_METRICS). */
    readonly healthMetrics: readonly HealthMetric[];
    /** The collection, its policies and UI, with the OPENSEARCH destination. */
    readonly openSearch?: RealTimeOpenSearch;
    /** The metrics function, for operations' alarms. */
    readonly functions: WatchedFunctions;
    /** Name of the dashboard, when created. */
    readonly dashboardName?: pulumi.Output<string>;
    /** The collection endpoint, with the OPENSEARCH destination (reachable through its VPC endpoint only). */
    readonly searchEndpoint?: pulumi.Output<string>;
    /** The OpenSearch UI application's endpoint, with the OPENSEARCH destination. */
    readonly searchUiUrl?: pulumi.Output<string>;

    constructor(name: string, args: RealTimeTierArgs, opts?: pulumi.ComponentResourceOptions) {
        const a = { ...DEFAULTS, ...definedOnly(settingsOf(args)) };
        validateArgs(a);
        super("game-analytics:index:RealTimeTier", name, {}, withTags(opts, a.tags));
        this.metricsNamespace = a.metricsNamespace ?? `GameAnalytics/${a.workloadName}`;
        const destination = a.destination ?? "CLOUDWATCH";
        this.healthMetrics = destination === "OPENSEARCH" ? [...REALTIME_ALARM_METRICS, OPENSEARCH_ALARM_METRIC] : REALTIME_ALARM_METRICS;
        this.alarmMetricNames = this.healthMetrics.map((m) => m.metricName);
        if (destination === "OPENSEARCH") {
            this.openSearch = new RealTimeOpenSearch(`${name}-opensearch`, { workloadName: a.workloadName, tags: a.tags, ...a.openSearch }, { parent: this });
        }
        const os = this.openSearch;

        this.metricsFunction = new LambdaFunction(`${name}-metrics`, {
            entry: "functions/aws/handlers/realtime-metrics.ts",
            functionName: physicalName(a.workloadName, "realtime-metrics", NAME_LIMITS.lambdaFunction),
            description: `Real-time metrics of the game events over ${a.windowSeconds} s event-time tumbling windows (${a.watermarkSeconds} s watermark), published to ${os ? "OpenSearch Serverless (health metrics to CloudWatch)" : "CloudWatch (EMF)"}`,
            memorySize: a.memorySize,
            timeout: 60,
            logRetentionDays: a.logRetentionDays,
            logLevel: a.logLevel,
            tracing: a.tracing,
            environment: {
                ...powertoolsEnvironment(a.workloadName, "realtime-metrics", a.logLevel),
                [POWERTOOLS_METRICS_NAMESPACE]: this.metricsNamespace,
                [REALTIME_TOP_N]: String(a.topN),
                [REALTIME_WINDOW_SECONDS]: String(a.windowSeconds),
                [REALTIME_WATERMARK_SECONDS]: String(a.watermarkSeconds),
                ...(os ? { [REALTIME_DESTINATION]: "OPENSEARCH", [OPENSEARCH_ENDPOINT]: os.endpoint, [OPENSEARCH_INDEX]: os.index } : {}),
            },
            statements: [...streamReadStatements(a.streamArn, a.kmsKeyArn), ...(os ? [os.writerStatement()] : [])],
            ...(os ? { vpcConfig: os.functionNetwork } : {}),
        }, { parent: this });
        const dataAccess = os?.grantWriter(this.metricsFunction.role.arn);

        this.eventSourceMapping = new aws.lambda.EventSourceMapping(`${name}-stream-mapping`, {
            eventSourceArn: a.streamArn,
            functionName: this.metricsFunction.arn,
            startingPosition: "LATEST",
            batchSize: a.batchSize,
            maximumBatchingWindowInSeconds: a.batchingWindowSeconds,
            // Lambda's tumbling window is only the carrier of the event-time windows' state (it is cut
            // by arrival time, and its state is dropped at its end): the longest carrier (900 s, the
            // most Lambda allows) splits an event-time window least often. The event-time windows of
            // `windowSeconds` live inside the state (functions/core/realtime-event-time.ts).
            tumblingWindowInSeconds: CARRIER_WINDOW_SECONDS,
            parallelizationFactor: 1,
            bisectBatchOnFunctionError: true,
            maximumRetryAttempts: 2,
            functionResponseTypes: ["ReportBatchItemFailures"],
        }, { parent: this, dependsOn: [this.metricsFunction, ...(dataAccess ? [dataAccess] : [])] });

        // With OPENSEARCH the window metrics are not in CloudWatch: the OpenSearch UI is the dashboard.
        if (a.dashboard ?? destination === "CLOUDWATCH") {
            const region = aws.getRegionOutput({}, { parent: this }).region;
            this.dashboard = new aws.cloudwatch.Dashboard(`${name}-dashboard`, {
                dashboardName: physicalName(a.workloadName, "realtime", NAME_LIMITS.dashboard),
                dashboardBody: pulumi.all([region, a.streamName, this.metricsFunction.functionName]).apply(([r, streamName, functionName]) =>
                    realTimeDashboardBody({ region: r, namespace: this.metricsNamespace, streamName, functionName, windowSeconds: a.windowSeconds })),
            }, { parent: this });
            this.dashboardName = this.dashboard.dashboardName;
        }

        this.functionName = this.metricsFunction.functionName;
        this.functions = { "realtime-metrics": this.functionName };
        this.searchEndpoint = os?.endpoint;
        this.searchUiUrl = os?.application.endpoint;
        this.registerOutputs({
            functionName: this.functionName,
            metricsNamespace: this.metricsNamespace,
            alarmMetricNames: this.alarmMetricNames,
            dashboardName: this.dashboardName,
            searchEndpoint: this.searchEndpoint,
            searchUiUrl: this.searchUiUrl,
        });
    }
}

/**
 * What Lambda's event source mapping needs to read the stream (it reads with the function's role),
 * all on the stream's ARN, plus kms:Decrypt on a customer-managed stream key.
 */
export function streamReadStatements(streamArn: pulumi.Input<string>, kmsKeyArn?: pulumi.Input<string>): PolicyStatement[] {
    const statements: PolicyStatement[] = [{
        Sid: "ReadTheEventStream",
        Effect: "Allow",
        Action: ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"],
        Resource: [streamArn],
    }];
    if (kmsKeyArn !== undefined) {
        statements.push({ Sid: "DecryptTheEventStream", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [kmsKeyArn] });
    }
    return statements;
}

/** Resolved names the real-time dashboard shows. */
export interface RealTimeDashboardNames {
    region: string;
    namespace: string;
    streamName: string;
    functionName: string;
    windowSeconds: number;
}

/**
 * Dashboard JSON: one SEARCH widget per metric (every application, spell and item that published
 * data, whatever their number) and a health widget of the tier.
 */
export function realTimeDashboardBody(n: RealTimeDashboardNames): string {
    const m = REALTIME_METRICS;
    const d = REALTIME_DIMENSIONS;
    const search = (dimensions: string[], metricName: string, stat: string) =>
        `SEARCH('{"${n.namespace}",${dimensions.join(",")}} MetricName="${metricName}"', '${stat}', ${n.windowSeconds})`;
    const widget = (title: string, metrics: unknown[][], x: number, y: number) => ({
        type: "metric", x, y, width: 12, height: 6,
        properties: { title, region: n.region, view: "timeSeries", stacked: false, period: n.windowSeconds, metrics },
    });
    const expression = (expr: string, id: string) => [{ expression: expr, id, period: n.windowSeconds }];
    const widgets = [
        { type: "text", x: 0, y: 0, width: 24, height: 2, properties: { markdown: `# Real-time game metrics\nNamespace \`${n.namespace}\`, ${n.windowSeconds} s tumbling windows by arrival time on stream \`${n.streamName}\`; spells and items beyond the top N of a window are summed under \`other\`.` } },
        widget("Events per window by application", [expression(search([d.application], m.totalEvents, "Sum"), "events")], 0, 2),
        widget("Logins per window by application", [expression(search([d.application], m.totalLogins, "Sum"), "logins")], 12, 2),
        widget("Knockouts by spell", [expression(search([d.application, d.spell], m.knockoutsBySpell, "Sum"), "knockouts")], 0, 8),
        widget("Purchases by item", [expression(search([d.application, d.item], m.purchases, "Sum"), "purchases")], 12, 8),
        widget("Data quality", [
            [n.namespace, m.malformedRecords, { stat: "Sum" }],
            [n.namespace, m.duplicateEvents, { stat: "Sum" }],
            [n.namespace, m.dedupSaturated, { stat: "Maximum" }],
        ], 0, 14),
        widget("Lag (s) and metrics function health", [
            [n.namespace, m.eventLagSeconds, { stat: "Maximum", label: "event lag (s)" }],
            ["AWS/Lambda", "IteratorAge", "FunctionName", n.functionName, { stat: "Maximum", label: "iterator age (ms)", yAxis: "right" }],
            ["AWS/Lambda", "Errors", "FunctionName", n.functionName, { stat: "Sum", yAxis: "right" }],
        ], 12, 14),
    ];
    return JSON.stringify({ widgets });
}

type Resolved = typeof DEFAULTS & RealTimeSettings;

/** Rejects values AWS would reject at deploy time, naming the argument and the rule. */
function validateArgs(a: Resolved): void {
    const problems: string[] = [];
    const wholeIn = (key: keyof Resolved, value: number, min: number, max: number) => {
        if (!Number.isInteger(value) || value < min || value > max) problems.push(`${String(key)} = ${value}: must be a whole number from ${min} to ${max}`);
    };
    wholeIn("windowSeconds", a.windowSeconds, 1, 900);
    wholeIn("watermarkSeconds", a.watermarkSeconds, 0, MAX_REALTIME_WATERMARK_SECONDS);
    wholeIn("batchSize", a.batchSize, 1, 10_000);
    wholeIn("batchingWindowSeconds", a.batchingWindowSeconds, 0, 300);
    wholeIn("topN", a.topN, 1, 100);
    wholeIn("memorySize", a.memorySize, 128, 10_240);
    if (a.metricsNamespace !== undefined && !/^[A-Za-z0-9.\-_/#:]{1,255}$/.test(a.metricsNamespace)) {
        problems.push(`metricsNamespace = ${JSON.stringify(a.metricsNamespace)}: must be 1-255 letters, digits or . - _ / # :`);
    }
    if (a.metricsNamespace?.startsWith("AWS/")) problems.push(`metricsNamespace = "${a.metricsNamespace}": the AWS/ prefix is reserved for AWS services`);
    if (problems.length > 0) throw new Error(`RealTimeTier: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}

/** Adds `tags` to every taggable resource created under the component. */
function withTags(opts: pulumi.ComponentResourceOptions | undefined, tags: Record<string, string>): pulumi.ComponentResourceOptions | undefined {
    if (Object.keys(tags).length === 0) return opts;
    const tag: pulumi.ResourceTransformation = ({ type, props, opts: resourceOpts }) =>
        TAGGABLE_TYPES.has(type) ? { props: { ...props, tags: { ...tags, ...(props.tags ?? {}) } }, opts: resourceOpts } : undefined;
    return { ...opts, transformations: [...(opts?.transformations ?? []), tag] };
}

function definedOnly<T extends object>(args: T): T {
    return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) as T;
}
