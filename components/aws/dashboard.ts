/**
 * The operations dashboard body (CloudWatch dashboard JSON), built from resolved names so it is
 * plain data that tests can read. Widgets follow REFERENCE section 6 for the parts this version
 * deploys: API, stream, Firehose and Lambdas.
 */

/** Resolved names the dashboard shows metrics of. */
export interface DashboardNames {
    region: string;
    apiName: string;
    stageName: string;
    /** Absent in DIRECT_BATCH mode. */
    streamName?: string;
    deliveryStreamName: string;
    transformFunctionName: string;
    /** Ingest-side functions: label -> function name. */
    functions: Record<string, string>;
    alarmArns: string[];
    /**
     * The API stage's metric dimensions (flat name, value list) and error metric names.
     * @default the REST API's: ["ApiName", apiName, "Stage", stageName], 4XXError, 5XXError
     * @example { dimensions: ["ApiId", "a1b2c3", "Stage", "live"], clientErrors: "4xx", serverErrors: "5xx" }
     */
    api?: { dimensions: string[]; clientErrors: string; serverErrors: string };
    /**
     * The REDSHIFT data stack's raw copy: `deliveryStreamName` and `transformFunctionName` name the
     * stream archiver's function; no Firehose widgets, the archiver's own instead.
     */
    streamArchiver?: boolean;
}

type Metric = (string | Record<string, unknown>)[];

interface Widget {
    type: "metric" | "alarm" | "text";
    width: number;
    height: number;
    properties: Record<string, unknown>;
}

function metricWidget(title: string, region: string, metrics: Metric[], extra: Record<string, unknown> = {}): Widget {
    return { type: "metric", width: 12, height: 6, properties: { title, region, view: "timeSeries", stacked: false, period: 60, metrics, ...extra } };
}

/** Dashboard JSON with one widget per concern. */
export function dashboardBody(n: DashboardNames): string {
    const api = n.api?.dimensions ?? ["ApiName", n.apiName, "Stage", n.stageName];
    const clientErrors = n.api?.clientErrors ?? "4XXError";
    const serverErrors = n.api?.serverErrors ?? "5XXError";
    const firehose = ["DeliveryStreamName", n.deliveryStreamName];
    const transform = ["FunctionName", n.transformFunctionName];
    const widgets: Widget[] = [
        { type: "text", width: 24, height: 2, properties: { markdown: `# Game analytics pipeline\nAPI \`${n.apiName}\` stage \`${n.stageName}\`, ${n.streamArchiver ? "stream archiver" : "delivery stream"} \`${n.deliveryStreamName}\`${n.streamName ? `, stream \`${n.streamName}\`` : ""}.` } },
        metricWidget("API requests and errors", n.region, [
            ["AWS/ApiGateway", "Count", ...api, { stat: "Sum", label: "Requests" }],
            ["AWS/ApiGateway", clientErrors, ...api, { stat: "Sum", label: "4XX" }],
            ["AWS/ApiGateway", serverErrors, ...api, { stat: "Sum", label: "5XX" }],
        ]),
        metricWidget("API latency (ms)", n.region, [
            ["AWS/ApiGateway", "Latency", ...api, { stat: "p99", label: "p99" }],
            ["AWS/ApiGateway", "IntegrationLatency", ...api, { stat: "p99", label: "integration p99" }],
        ]),
    ];
    if (n.streamName) {
        const stream = ["StreamName", n.streamName];
        widgets.push(
            metricWidget("Stream incoming records", n.region, [
                ["AWS/Kinesis", "IncomingRecords", ...stream, { stat: "Sum" }],
                ["AWS/Kinesis", "WriteProvisionedThroughputExceeded", ...stream, { stat: "Sum" }],
                ["AWS/Kinesis", "ReadProvisionedThroughputExceeded", ...stream, { stat: "Sum" }],
            ]),
            metricWidget("Stream latency and iterator age (ms)", n.region, [
                ["AWS/Kinesis", "PutRecords.Latency", ...stream, { stat: "Average" }],
                ["AWS/Kinesis", "GetRecords.Latency", ...stream, { stat: "Average" }],
                ["AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", ...stream, { stat: "Maximum" }],
            ]),
        );
    }
    if (n.streamArchiver) widgets.push(
        metricWidget("Stream archiver duration (ms), iterator age (ms) and concurrency", n.region, [
            ["AWS/Lambda", "Duration", ...transform, { stat: "p99", label: "duration p99" }],
            ["AWS/Lambda", "IteratorAge", ...transform, { stat: "Maximum", label: "iterator age" }],
            ["AWS/Lambda", "ConcurrentExecutions", ...transform, { stat: "Maximum", yAxis: "right" }],
        ]),
        metricWidget("Stream archiver errors, throttles, success %", n.region, [
            ["AWS/Lambda", "Errors", ...transform, { stat: "Sum", id: "errors" }],
            ["AWS/Lambda", "Throttles", ...transform, { stat: "Sum" }],
            ["AWS/Lambda", "Invocations", ...transform, { stat: "Sum", id: "invocations", visible: false }],
            [{ expression: "IF(invocations > 0, 100 - 100 * errors / invocations, 100)", label: "success %", yAxis: "right" }],
        ]),
    );
    else widgets.push(
        metricWidget("Firehose records", n.region, [
            ["AWS/Firehose", "IncomingRecords", ...firehose, { stat: "Sum" }],
            ["AWS/Firehose", "DeliveryToS3.Records", ...firehose, { stat: "Sum" }],
            ["AWS/Firehose", "FailedConversion.Records", ...firehose, { stat: "Sum" }],
        ]),
        metricWidget("Firehose data freshness (s) and success", n.region, [
            ["AWS/Firehose", "DeliveryToS3.DataFreshness", ...firehose, { stat: "Maximum" }],
            ["AWS/Firehose", "ExecuteProcessing.Success", ...firehose, { stat: "Average", yAxis: "right" }],
            ["AWS/Firehose", "DeliveryToS3.Success", ...firehose, { stat: "Average", yAxis: "right" }],
        ]),
        metricWidget("Transform Lambda duration (ms) and concurrency", n.region, [
            ["AWS/Lambda", "Duration", ...transform, { stat: "p99", label: "duration p99" }],
            ["AWS/Lambda", "ConcurrentExecutions", ...transform, { stat: "Maximum", yAxis: "right" }],
        ]),
        metricWidget("Transform Lambda errors, throttles, success %", n.region, [
            ["AWS/Lambda", "Errors", ...transform, { stat: "Sum", id: "errors" }],
            ["AWS/Lambda", "Throttles", ...transform, { stat: "Sum" }],
            ["AWS/Lambda", "Invocations", ...transform, { stat: "Sum", id: "invocations", visible: false }],
            [{ expression: "IF(invocations > 0, 100 - 100 * errors / invocations, 100)", label: "success %", yAxis: "right" }],
        ]),
    );
    widgets.push(
        metricWidget("Ingest Lambdas errors", n.region, Object.entries(n.functions).map(([label, fn]) =>
            ["AWS/Lambda", "Errors", "FunctionName", fn, { stat: "Sum", label }])),
        { type: "alarm", width: 24, height: 4, properties: { title: "Alarms", alarms: n.alarmArns } },
    );
    return JSON.stringify({ widgets });
}
