/** Operations tier contract: alarms, notifications and dashboards over every other tier. */
import type * as pulumi from "@pulumi/pulumi";
import type { TierBaseArgs } from "./common";
import type { IngestTierOutputs } from "./ingest";
import type { ProcessingTierOutputs } from "./processing";
import type { RealTimeTierOutputs } from "./realtime";
import type { RegistryTierOutputs } from "./registry";
import type { StreamTierOutputs } from "./stream";

export interface OperationsTierArgs extends TierBaseArgs {
    ingest: IngestTierOutputs;
    processing: ProcessingTierOutputs;
    registry: RegistryTierOutputs;
    /**
     * The stream, in KINESIS_DATA_STREAMS mode.
     * @default undefined (no stream alarms)
     * @example stream
     */
    stream?: StreamTierOutputs;
    /**
     * The real-time tier, when deployed.
     * @default undefined (no real-time alarms)
     * @example realTime
     */
    realTime?: RealTimeTierOutputs;
    /**
     * Email subscribed to the alarms.
     * @default undefined (no subscription)
     * @example "ops@studio.example.com"
     */
    emailAddress?: string;
    /**
     * Age of the oldest unread stream record above which an alarm fires, in seconds.
     * @default 300
     * @example 60
     */
    streamLagThresholdSeconds?: number;
}

export interface OperationsTierOutputs {
    /** Id of the alarm notification topic (an SNS topic ARN on AWS). */
    readonly alarmTopicId: pulumi.Output<string>;
    /** Link to the operations dashboard. */
    readonly dashboardUrl: pulumi.Output<string>;
}
