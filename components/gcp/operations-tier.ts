/**
 * Operations tier on Google Cloud: an email notification channel, alert policies (function
 * errors, ingest errors, subscription backlog and oldest unacked age, dead-lettered messages,
 * real-time health), a Cloud Monitoring dashboard, and a log bucket with the stack's retention
 * that receives every log of the stack's functions (routed by a sink, excluded from `_Default`,
 * so no log of the stack is kept under another retention).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { OperationsTierArgs, OperationsTierOutputs, RealTimeTierOutputs, WatchedFunctions } from "../contracts";
import type { GcpIngestTierOutputs } from "./ingest-tier";
import type { GcpProcessingTierOutputs } from "./processing-tier";
import type { GcpRealTimeTierOutputs } from "./realtime-tier";
import { GCP_NAME_LIMITS, gcpName } from "./names";

/** The Google Cloud part of the operations tier's arguments, beside the contract's. */
export interface GcpOperationsWiring {
    projectId: pulumi.Output<string>;
    region: pulumi.Input<string>;
    /** Retention of the stack's log bucket, days (1-3650). @default 30 @example 90 */
    logRetentionDays?: number;
}

/**
 * The operations tier's arguments on Google Cloud: the contract's (the other tiers' outputs, with
 * the GCP handles it alerts on: subscriptions, dead letters, the events function) and GCP's own
 * part. `streamLagThresholdSeconds` is the oldest unacked age of every watched subscription.
 */
export interface GcpOperationsTierArgs extends OperationsTierArgs, GcpOperationsWiring {
    ingest: GcpIngestTierOutputs;
    processing: GcpProcessingTierOutputs;
    realTime?: GcpRealTimeTierOutputs;
}

/** What the alerts and the dashboard watch, read from the other tiers' outputs. */
interface GcpOperationsWatch extends GcpOperationsWiring {
    workloadName: string;
    /** Every function of the stack, by label. */
    functions: WatchedFunctions;
    /** Subscriptions to watch (backlog, oldest unacked age), by label. */
    subscriptions: Record<string, pulumi.Output<string>>;
    deadLetterTopicName: pulumi.Output<string>;
    /** The events function's name (ingest errors). */
    eventsFunctionName: pulumi.Output<string>;
    realTime?: RealTimeTierOutputs;
    emailAddress?: string;
    /** Oldest unacked message age above which an alert fires, seconds. @default 300 */
    backlogAgeThresholdSeconds?: number;
}

function watchOf(args: GcpOperationsTierArgs): GcpOperationsWatch {
    const { ingest, processing, realTime } = args;
    return {
        workloadName: args.workloadName,
        projectId: args.projectId,
        region: args.region,
        logRetentionDays: args.logRetentionDays,
        functions: { ...ingest.functions, ...processing.functions, ...(realTime?.functions ?? {}) },
        subscriptions: { ...processing.watchedSubscriptions, ...(realTime ? { "events-realtime": realTime.subscriptionName } : {}) },
        deadLetterTopicName: processing.deadLetterTopicName,
        eventsFunctionName: ingest.eventsFunctionName,
        realTime,
        emailAddress: args.emailAddress,
        backlogAgeThresholdSeconds: args.streamLagThresholdSeconds,
    };
}

/** Metric filter of Cloud Run request counts of one function with a 5xx answer. */
function serverErrors(functionName: string): string {
    return `resource.type = "cloud_run_revision" AND resource.labels.service_name = "${functionName}" AND metric.type = "run.googleapis.com/request_count" AND metric.labels.response_code_class = "5xx"`;
}

export class GcpOperationsTier extends pulumi.ComponentResource implements OperationsTierOutputs {
    readonly channel?: gcp.monitoring.NotificationChannel;
    readonly alerts: gcp.monitoring.AlertPolicy[] = [];
    readonly dashboard: gcp.monitoring.Dashboard;
    readonly logBucket: gcp.logging.ProjectBucketConfig;
    readonly alarmTopicId: pulumi.Output<string>;
    readonly dashboardUrl: pulumi.Output<string>;

    constructor(name: string, args: GcpOperationsTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:gcp:OperationsTier", name, {}, opts);
        const a = watchOf(args);
        const child = { parent: this };
        const w = a.workloadName;
        if (a.emailAddress) {
            this.channel = new gcp.monitoring.NotificationChannel(`${name}-email`, {
                displayName: `${w} alerts`,
                type: "email",
                labels: { email_address: a.emailAddress },
            }, child);
        }
        const channels = this.channel ? [this.channel.id] : [];
        const alert = (label: string, filter: pulumi.Input<string>, threshold: number, aligner: "ALIGN_SUM" | "ALIGN_MAX", documentation: string) => {
            this.alerts.push(new gcp.monitoring.AlertPolicy(`${name}-${label}`, {
                displayName: gcpName(w, label, GCP_NAME_LIMITS.alertPolicy),
                combiner: "OR",
                notificationChannels: channels,
                documentation: { content: documentation, mimeType: "text/markdown" },
                conditions: [{
                    displayName: label,
                    conditionThreshold: {
                        filter,
                        comparison: "COMPARISON_GT",
                        thresholdValue: threshold,
                        duration: "0s",
                        aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: aligner }],
                    },
                }],
            }, child));
        };
        for (const [label, fn] of Object.entries(a.functions)) {
            alert(`${label}-errors`, fn.apply(serverErrors), 0, "ALIGN_SUM", `The ${label} function answered 5xx.`);
        }
        alert("ingest-errors", pulumi.interpolate`resource.type = "cloud_run_revision" AND resource.labels.service_name = "${a.eventsFunctionName}" AND metric.type = "run.googleapis.com/request_count" AND metric.labels.response_code = "503"`, 0, "ALIGN_SUM",
            "The events route answered 503: no event of a request could be published.");
        const backlogAge = a.backlogAgeThresholdSeconds ?? 300;
        for (const [label, sub] of Object.entries(a.subscriptions)) {
            const filter = (metric: string) => pulumi.interpolate`resource.type = "pubsub_subscription" AND resource.labels.subscription_id = "${sub}" AND metric.type = "pubsub.googleapis.com/subscription/${metric}"`;
            alert(`${label}-oldest-unacked`, filter("oldest_unacked_message_age"), backlogAge, "ALIGN_MAX", `Messages of ${label} wait longer than ${backlogAge} s.`);
            alert(`${label}-backlog`, filter("num_undelivered_messages"), 100_000, "ALIGN_MAX", `More than 100,000 messages wait in ${label}.`);
        }
        alert("dead-lettered", pulumi.interpolate`resource.type = "pubsub_topic" AND resource.labels.topic_id = "${a.deadLetterTopicName}" AND metric.type = "pubsub.googleapis.com/topic/send_message_operation_count"`, 0, "ALIGN_SUM",
            "Messages were dead-lettered (rows BigQuery rejected, or records delivery could not read): see dead-letter/ in the lake.");
        for (const health of a.realTime?.healthMetrics ?? []) {
            alert(`realtime-${health.metricName}`, `metric.type = "${a.realTime!.metricsNamespace}/${health.metricName}" AND resource.type = "global"`, health.threshold,
                health.statistic === "Sum" ? "ALIGN_SUM" : "ALIGN_MAX", health.description);
        }

        const widget = (title: string, filter: pulumi.Input<string>) => pulumi.output(filter).apply((f) => ({
            title, xyChart: { dataSets: [{ timeSeriesQuery: { timeSeriesFilter: { filter: f, aggregation: { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_RATE" } } }, plotType: "LINE" }] },
        }));
        const widgets = [
            ...Object.entries(a.functions).map(([label, fn]) => widget(`${label} requests`, fn.apply((n) => `resource.type = "cloud_run_revision" AND resource.labels.service_name = "${n}" AND metric.type = "run.googleapis.com/request_count"`))),
            ...Object.entries(a.subscriptions).map(([label, sub]) => widget(`${label} undelivered`, pulumi.interpolate`resource.type = "pubsub_subscription" AND resource.labels.subscription_id = "${sub}" AND metric.type = "pubsub.googleapis.com/subscription/num_undelivered_messages"`)),
        ];
        this.dashboard = new gcp.monitoring.Dashboard(`${name}-dashboard`, {
            dashboardJson: pulumi.all(widgets).apply((ws) => JSON.stringify({ displayName: `${w} pipeline`, gridLayout: { columns: "2", widgets: ws } })),
        }, child);

        const retentionDays = a.logRetentionDays ?? 30;
        this.logBucket = new gcp.logging.ProjectBucketConfig(`${name}-logs`, {
            project: a.projectId,
            location: a.region,
            bucketId: gcpName(w, "logs", GCP_NAME_LIMITS.logBucket),
            retentionDays,
            description: `Logs of the ${w} pipeline's functions`,
        }, child);
        const logFilter = pulumi.all(Object.values(a.functions)).apply((names) =>
            `resource.type = "cloud_run_revision" AND resource.labels.service_name = (${names.map((n) => `"${n}"`).join(" OR ")})`);
        const sink = new gcp.logging.ProjectSink(`${name}-log-sink`, {
            name: gcpName(w, "logs", GCP_NAME_LIMITS.logBucket),
            destination: pulumi.interpolate`logging.googleapis.com/${this.logBucket.id}`,
            filter: logFilter,
            uniqueWriterIdentity: true,
        }, child);
        new gcp.logging.ProjectExclusion(`${name}-default-exclusion`, {
            name: gcpName(w, "not-in-default", GCP_NAME_LIMITS.logBucket),
            description: "The pipeline's function logs go to its own bucket (its retention), not to _Default",
            filter: logFilter,
        }, { ...child, dependsOn: [sink] });

        this.alarmTopicId = this.channel ? this.channel.id : pulumi.output("");
        this.dashboardUrl = pulumi.interpolate`https://console.cloud.google.com/monitoring/dashboards/builder/${this.dashboard.id.apply((id) => id.split("/").pop() ?? id)}?project=${a.projectId}`;
        this.registerOutputs({ dashboardUrl: this.dashboardUrl });
    }
}
