/** Real-time tier contract: windowed metrics over the stream. */
import type * as pulumi from "@pulumi/pulumi";
import type { FunctionTierArgs, WatchedFunctions } from "./common";
import type { StreamTierOutputs } from "./stream";

export interface RealTimeTierArgs extends FunctionTierArgs {
    /**
     * The stream of ingested events.
     * @example stream
     */
    stream: StreamTierOutputs;
    /**
     * Length of the tumbling windows, in seconds.
     * @default 60
     * @example 300
     */
    windowSeconds?: number;
}

/** A health metric of the tier worth an alarm, with the statistic and threshold suggested. */
export interface HealthMetric {
    metricName: string;
    statistic: "Sum" | "Maximum";
    /** Alarm when the statistic over one window is greater than this. */
    threshold: number;
    description: string;
}

export interface RealTimeTierOutputs {
    /** Namespace (or metric prefix) the metrics are published under. */
    readonly metricsNamespace: string;
    /** Name of the function computing the windows. */
    readonly functionName: pulumi.Output<string>;
    /** Dashboard of the metrics, when created. */
    readonly dashboardName?: pulumi.Output<string>;
    /**
     * Endpoint of the search store the windows are written to, when the destination is one
     * (AWS: the OpenSearch Serverless collection endpoint, reachable through its VPC endpoint only).
     */
    readonly searchEndpoint?: pulumi.Output<string>;
    /** URL of the UI that reads the search store (AWS: the OpenSearch UI application), when there is one. */
    readonly searchUiUrl?: pulumi.Output<string>;
    /** Health metrics operations alarms on. */
    readonly healthMetrics: readonly HealthMetric[];
    /** Functions operations should watch. */
    readonly functions: WatchedFunctions;
}
