/** Processing tier contract: delivery of validated rows into the events table, and batch jobs over it. */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceAccess } from "./access";
import type { BatchSchedule, FunctionTierArgs, WatchedFunctions } from "./common";
import type { RegistryTierOutputs } from "./registry";
import type { StorageTierOutputs } from "./storage";
import type { StreamTierOutputs } from "./stream";

export interface ProcessingTierArgs extends FunctionTierArgs {
    /**
     * Where rows land.
     * @example storage
     */
    storage: StorageTierOutputs;
    /**
     * The registry the row core checks applications against.
     * @example registry
     */
    registry: RegistryTierOutputs;
    /**
     * The stream delivery reads (KINESIS_DATA_STREAMS); without it, ingest writes to delivery
     * directly (DIRECT_BATCH).
     * @default undefined (DIRECT_BATCH)
     * @example stream
     */
    source?: StreamTierOutputs;
    /**
     * Folder of the batch jobs' output.
     * @default "processed_events"
     * @example "processed"
     */
    processedEventsPrefix?: string;
    /**
     * Keep a raw copy of every record as received.
     * @default false
     * @example true
     */
    rawBackup?: boolean;
    /**
     * Short buffers (60 s instead of 900 s) and destroyable resources.
     * @default false
     * @example true
     */
    devMode?: boolean;
    /**
     * How long the row core caches application lookups, in seconds.
     * @default 60
     * @example 300
     */
    applicationCacheTtlSeconds?: number;
    /**
     * When the batch job over the lake runs: a neutral interval, or an expression of the cloud's
     * own syntax (which only that cloud accepts).
     * @default undefined (on demand)
     * @example { every: 1, unit: "hours" }
     */
    batchSchedule?: BatchSchedule;
}

export interface ProcessingTierOutputs {
    /** Name of the delivery stream (or subscription) that lands rows. */
    readonly deliveryName: pulumi.Output<string>;
    /** Access handle of delivery (DIRECT_BATCH ingest writes to it). */
    readonly delivery: ResourceAccess;
    /** Seconds delivery holds rows at most before writing them (freshness alarms derive from it). */
    readonly bufferingSeconds: number;
    /** Name of the function that turns records into rows. */
    readonly transformFunctionName: pulumi.Output<string>;
    /** Name of the batch workflow over the lake. */
    readonly batchWorkflowName: pulumi.Output<string>;
    /** Functions operations should watch. */
    readonly functions: WatchedFunctions;
}
