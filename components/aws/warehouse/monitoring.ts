/**
 * What the operations tier watches of the warehouse: dashboard widgets (queries/s, connections,
 * storage, RPU capacity and usage) and alarm specifications (daily usage limit reached, stream
 * iterator age approaching the stream's retention). Plain data, so the operations tier adds them
 * to its own dashboard and alarm loop and tests read them.
 *
 * Metrics: namespace `AWS/Redshift-Serverless`; `ComputeSeconds` is RPU-seconds per workgroup,
 * `ComputeCapacity` the RPUs in use, `DataStorage` the namespace's managed storage (MB).
 *
 * Refresh lag and failures: Redshift publishes no CloudWatch metric for a streaming materialized
 * view, so the refresh monitor (warehouse/refresh-monitor.ts, every 5 minutes) reads
 * SYS_MV_REFRESH_HISTORY and publishes `MaterializedViewRefreshFailures` and
 * `MaterializedViewLagSeconds` (namespace `GameAnalytics/Warehouse`, dimension `Workgroup`); two
 * alarms watch them, the lag one treating missing data as breaching (a monitor that cannot query,
 * e.g. the workgroup paused by a usage limit, alarms too). A third alarm watches the stream's
 * `GetRecords.IteratorAgeMilliseconds` (the oldest unread record over every consumer: the
 * materialized view and Firehose) against the stream's retention.
 */
import { MV_LAG_SECONDS_METRIC, MV_REFRESH_FAILURES_METRIC, REFRESH_MONITOR_PERIOD_SECONDS, WAREHOUSE_METRICS_NAMESPACE } from "../../../functions/core/mv-refresh-metrics";

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

/** Seconds since the last successful refresh before the lag alarm fires (auto refresh runs within seconds to minutes). */
export const MV_LAG_ALARM_SECONDS = 1800;

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
        metricWidget("Materialized view refresh lag (s) and failures", w.region, [
            [WAREHOUSE_METRICS_NAMESPACE, MV_LAG_SECONDS_METRIC, ...workgroup, { stat: "Maximum" }],
            [WAREHOUSE_METRICS_NAMESPACE, MV_REFRESH_FAILURES_METRIC, ...workgroup, { stat: "Sum", yAxis: "right" }],
        ], REFRESH_MONITOR_PERIOD_SECONDS),
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
            suffix: "warehouse-mv-refresh-failures",
            alarmDescription: "A refresh of the warehouse's streaming materialized view failed or was aborted (SYS_MV_REFRESH_HISTORY, read by the refresh monitor).",
            namespace: WAREHOUSE_METRICS_NAMESPACE,
            metricName: MV_REFRESH_FAILURES_METRIC,
            dimensions: { Workgroup: w.workgroupName },
            statistic: "Sum",
            period: REFRESH_MONITOR_PERIOD_SECONDS,
            evaluationPeriods: 1,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
        },
        {
            suffix: "warehouse-mv-lag",
            alarmDescription: `The warehouse's streaming materialized view has not refreshed successfully for more than ${MV_LAG_ALARM_SECONDS} s, or the refresh monitor cannot read its history (missing data breaches): the views fall behind the stream; the raw copy in the data lake keeps every event.`,
            namespace: WAREHOUSE_METRICS_NAMESPACE,
            metricName: MV_LAG_SECONDS_METRIC,
            dimensions: { Workgroup: w.workgroupName },
            statistic: "Maximum",
            period: REFRESH_MONITOR_PERIOD_SECONDS,
            evaluationPeriods: 2,
            threshold: MV_LAG_ALARM_SECONDS,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "breaching",
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
