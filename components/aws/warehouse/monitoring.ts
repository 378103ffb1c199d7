/**
 * What the operations tier watches of the warehouse: dashboard widgets (queries/s, connections,
 * storage, RPU capacity and usage) and alarm specifications (daily usage limit reached, stream
 * iterator age approaching the stream's retention). Plain data, so the operations tier adds them
 * to its own dashboard and alarm loop and tests read them.
 *
 * Metrics: namespace `AWS/Redshift-Serverless`; `ComputeSeconds` is RPU-seconds per workgroup,
 * `ComputeCapacity` the RPUs in use, `DataStorage` the namespace's managed storage (MB).
 *
 * Refresh lag: Redshift publishes no CloudWatch metric for a streaming materialized view's lag,
 * so the alarm watches the stream's `GetRecords.IteratorAgeMilliseconds` (the oldest unread record
 * over every consumer: the materialized view and Firehose). Refresh failures are in the system
 * view `SYS_STREAM_SCAN_ERRORS`, which only SQL can read: not alarmed here (see docs/warehouse.md).
 */

/** Resolved names of the warehouse the widgets and alarms show. */
export interface WarehouseWatch {
    region: string;
    workgroupName: string;
    namespaceName: string;
    databaseName: string;
    streamName: string;
    /** Daily compute usage limit, RPU-hours. */
    usageLimitRpuHoursPerDay: number;
    /** Stream retention, hours. */
    streamRetentionHours: number;
}

/** Fraction of the stream's retention the iterator age may reach before the alarm fires. */
export const RETENTION_RISK_FRACTION = 0.5;

/** One alarm, in the operations tier's `AlarmSpec` shape (actions and name added there). */
export interface WarehouseAlarmSpec {
    suffix: string;
    alarmDescription: string;
    namespace: string;
    metricName: string;
    dimensions: Record<string, string>;
    statistic: string;
    period: number;
    evaluationPeriods: number;
    threshold: number;
    comparisonOperator: string;
    treatMissingData: string;
}

type Metric = (string | Record<string, unknown>)[];

function metricWidget(title: string, region: string, metrics: Metric[], period = 300): Record<string, unknown> {
    return { type: "metric", width: 12, height: 6, properties: { title, region, view: "timeSeries", stacked: false, period, metrics } };
}

/** The warehouse's dashboard widgets. */
export function warehouseWidgets(w: WarehouseWatch): Record<string, unknown>[] {
    const ns = "AWS/Redshift-Serverless";
    const workgroup = ["Workgroup", w.workgroupName];
    const db = ["DatabaseName", w.databaseName, ...workgroup];
    return [
        metricWidget("Warehouse queries completed per second", w.region, [[ns, "QueriesCompletedPerSecond", ...db, { stat: "Sum" }]]),
        metricWidget("Warehouse connections", w.region, [[ns, "DatabaseConnections", ...db, { stat: "Maximum" }]]),
        metricWidget("Warehouse storage (MB)", w.region, [[ns, "DataStorage", "Namespace", w.namespaceName, { stat: "Maximum" }]], 3600),
        metricWidget("Warehouse RPUs in use and RPU-hours", w.region, [
            [ns, "ComputeCapacity", ...workgroup, { stat: "Maximum", label: "RPUs" }],
            [ns, "ComputeSeconds", ...workgroup, { stat: "Sum", id: "seconds", visible: false }],
            [{ expression: "seconds / 3600", label: "RPU-hours", yAxis: "right" }],
        ], 3600),
    ];
}

/** The warehouse's alarms. */
export function warehouseAlarmSpecs(w: WarehouseWatch): WarehouseAlarmSpec[] {
    return [
        {
            suffix: "warehouse-usage-limit",
            alarmDescription: `The warehouse used its daily limit of ${w.usageLimitRpuHoursPerDay} RPU-hours (UTC day): the usage limit's action applies until the day ends.`,
            namespace: "AWS/Redshift-Serverless",
            metricName: "ComputeSeconds",
            dimensions: { Workgroup: w.workgroupName },
            statistic: "Sum",
            period: 86_400,
            evaluationPeriods: 1,
            threshold: w.usageLimitRpuHoursPerDay * 3600,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            treatMissingData: "notBreaching",
        },
        {
            suffix: "warehouse-refresh-lag",
            alarmDescription: `A reader of the stream (the warehouse's streaming view or Firehose) is more than ${RETENTION_RISK_FRACTION * 100}% of the stream's ${w.streamRetentionHours} h retention behind: records will expire unread.`,
            namespace: "AWS/Kinesis",
            metricName: "GetRecords.IteratorAgeMilliseconds",
            dimensions: { StreamName: w.streamName },
            statistic: "Maximum",
            period: 300,
            evaluationPeriods: 3,
            threshold: w.streamRetentionHours * 3_600_000 * RETENTION_RISK_FRACTION,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
        },
    ];
}
