/**
 * Real-time tier on Google Cloud: a pull subscription of the events topic, read once a minute by
 * the real-time function (Cloud Scheduler calls it with an OIDC token), which runs the shared
 * window core and writes the four metrics (and the health metrics) as Cloud Monitoring custom
 * metrics under `custom.googleapis.com/game_analytics/<workload>/`.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { RealTimeTierArgs, RealTimeTierOutputs } from "../contracts";
import { GCP_PROJECT, LOG_LEVEL, METRICS_PREFIX, REALTIME_SUBSCRIPTION } from "../../functions/gcp/environment";
import { REALTIME_WATERMARK_SECONDS } from "../../functions/core/environment-names";
import { MAX_REALTIME_WATERMARK_SECONDS } from "../contracts/settings";
import type { GcpFunction, GcpFunctionWiring } from "./gcp-function";
import { grantSubscription } from "./grants";
import { GCP_NAME_LIMITS, gcpName } from "./names";
import type { ServiceAgents } from "./service-agents";
import type { GcpStreamTierOutputs } from "./stream-tier";
import { tierFunction } from "./tier-function";
import { refuseUnsupported } from "./unsupported";

/** The Google Cloud part of the real-time tier's arguments, beside the contract's. */
export interface GcpRealTimeWiring extends GcpFunctionWiring {
    agents: ServiceAgents;
    /**
     * Allowed out-of-orderness of event times within one run, whole seconds (0-300): the function
     * reads it from REALTIME_WATERMARK_SECONDS (docs/real-time.md).
     * @default 5
     * @example 30
     */
    watermarkSeconds?: number;
}

/** The real-time tier's arguments on Google Cloud: the contract's (the events topic's outputs) and GCP's own part. */
export interface GcpRealTimeTierArgs extends RealTimeTierArgs, GcpRealTimeWiring {
    stream: GcpStreamTierOutputs;
}

/** Outputs with the subscription the function reads, for the operations tier's backlog alerts. */
export interface GcpRealTimeTierOutputs extends RealTimeTierOutputs {
    readonly subscriptionName: pulumi.Output<string>;
}

/** Prefix of the custom metric types of a workload. */
export function metricsPrefixOf(workloadName: string): string {
    return `custom.googleapis.com/game_analytics/${workloadName.toLowerCase().replace(/[^a-z0-9_]/g, "_")}`;
}

export class GcpRealTimeTier extends pulumi.ComponentResource implements GcpRealTimeTierOutputs {
    readonly subscription: gcp.pubsub.Subscription;
    readonly fn: GcpFunction;
    readonly schedule: gcp.cloudscheduler.Job;
    readonly metricsNamespace: string;
    readonly functionName: pulumi.Output<string>;
    readonly healthMetrics: RealTimeTierOutputs["healthMetrics"];
    readonly functions: RealTimeTierOutputs["functions"];
    readonly subscriptionName: pulumi.Output<string>;

    constructor(name: string, args: GcpRealTimeTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:gcp:RealTimeTier", name, {}, opts);
        refuseUnsupported("GcpRealTimeTier", args, {
            windowSeconds: "the function reads the subscription once a minute (Cloud Scheduler): windows are 60 s",
            tracing: "Cloud Run traces requests into Cloud Trace by itself",
        });
        const child = { parent: this };
        const w = args.workloadName;
        const watermarkSeconds = args.watermarkSeconds ?? 5;
        if (!Number.isInteger(watermarkSeconds) || watermarkSeconds < 0 || watermarkSeconds > MAX_REALTIME_WATERMARK_SECONDS) {
            throw new Error(`GcpRealTimeTier: watermarkSeconds = ${watermarkSeconds}: must be a whole number from 0 to ${MAX_REALTIME_WATERMARK_SECONDS}`);
        }
        this.metricsNamespace = metricsPrefixOf(w);
        this.subscription = new gcp.pubsub.Subscription(`${name}-subscription`, {
            name: gcpName(w, "events-realtime", GCP_NAME_LIMITS.subscription),
            topic: args.stream.topicId,
            ackDeadlineSeconds: 120,
            messageRetentionDuration: "3600s",
            expirationPolicy: { ttl: "" },
        }, child);
        this.fn = tierFunction(`${name}-metrics`, args, {
            shortName: "realtime",
            entry: "functions/gcp/handlers/realtime.ts",
            // Cloud Scheduler's calls count as internal traffic (same project): nothing else reaches it.
            ingress: "ALLOW_INTERNAL_ONLY",
            maxInstances: 1,
            timeoutSeconds: 55,
            environment: {
                [GCP_PROJECT]: args.agents.projectId,
                [REALTIME_SUBSCRIPTION]: this.subscription.id,
                [METRICS_PREFIX]: this.metricsNamespace,
                [LOG_LEVEL]: args.logLevel ?? "INFO",
                [REALTIME_WATERMARK_SECONDS]: String(watermarkSeconds),
            },
        }, child);
        grantSubscription(`${name}-metrics-subscriber`, this.fn.member, "roles/pubsub.subscriber", this.subscription.id, this);
        new gcp.projects.IAMMember(`${name}-metrics-writer`, {
            project: args.agents.projectId,
            role: "roles/monitoring.metricWriter",
            member: this.fn.member,
        }, child);
        const caller = new gcp.serviceaccount.Account(`${name}-scheduler-identity`, {
            accountId: gcpName(w, "rt-scheduler", GCP_NAME_LIMITS.serviceAccountId),
            displayName: `${w} real-time scheduler`,
        }, child);
        const invoker = this.fn.grantInvoker("scheduler", pulumi.interpolate`serviceAccount:${caller.email}`);
        this.schedule = new gcp.cloudscheduler.Job(`${name}-every-minute`, {
            name: gcpName(w, "realtime-window", GCP_NAME_LIMITS.schedulerJob),
            region: args.region,
            schedule: "* * * * *",
            timeZone: "Etc/UTC",
            attemptDeadline: "60s",
            httpTarget: { httpMethod: "POST", uri: this.fn.url, oidcToken: { serviceAccountEmail: caller.email, audience: this.fn.url } },
        }, { ...child, dependsOn: [invoker] });
        this.functionName = this.fn.functionName;
        this.healthMetrics = [
            { metricName: "MalformedRecords", statistic: "Sum", threshold: 0, description: "ingest records the window core could not read" },
            { metricName: "DedupSaturated", statistic: "Maximum", threshold: 0, description: "de-duplication stopped for part of a window" },
        ];
        this.functions = { "realtime-metrics": this.functionName };
        this.subscriptionName = this.subscription.name;
        this.registerOutputs({ functionName: this.functionName });
    }
}
