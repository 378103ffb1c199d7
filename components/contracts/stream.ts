/** Stream tier contract: the durable buffer between ingest and delivery (KINESIS_DATA_STREAMS mode). */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceAccess } from "./access";
import type { TierBaseArgs } from "./common";

export interface StreamTierArgs extends TierBaseArgs {
    /**
     * Fixed capacity instead of on-demand scaling.
     * @default false
     * @example true
     */
    provisioned?: boolean;
    /**
     * Capacity units (shards, partitions) when provisioned.
     * @default 1
     * @example 4
     */
    shardCount?: number;
    /**
     * How long the stream keeps records, in hours.
     * @default 24
     * @example 168
     */
    retentionHours?: pulumi.Input<number>;
}

export interface StreamTierOutputs {
    /** Name of the stream. */
    readonly streamName: pulumi.Output<string>;
    /** Access handle of the stream (writers and readers are granted on it). */
    readonly stream: ResourceAccess;
}
