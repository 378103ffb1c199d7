/** Ingest tier contract: the REST API of game clients and studio admins. */
import type * as pulumi from "@pulumi/pulumi";
import type { FunctionTierArgs, WatchedFunctions } from "./common";
import type { ProcessingTierOutputs } from "./processing";
import type { RegistryTierOutputs } from "./registry";
import type { StreamTierOutputs } from "./stream";

/** Where accepted events go. */
export type IngestTarget =
    | { ingestMode: "KINESIS_DATA_STREAMS"; stream: StreamTierOutputs }
    | { ingestMode: "DIRECT_BATCH"; processing: ProcessingTierOutputs };

export interface IngestTierArgs extends FunctionTierArgs {
    /**
     * Where accepted events go.
     * @example { ingestMode: "KINESIS_DATA_STREAMS", stream }
     */
    target: IngestTarget;
    /**
     * Applications and key hashes the API reads and the admin routes write.
     * @example registry
     */
    registry: RegistryTierOutputs;
    /**
     * First path segment of every URL.
     * @default "live"
     * @example "v1"
     */
    stageName?: string;
    /**
     * Longest time an authorization decision is cached, in seconds: a disabled key stops working
     * within it.
     * @default 60
     * @example 300
     */
    authorizerCacheTtlSeconds?: number;
    /**
     * Steady-state requests per second.
     * @default 1000
     * @example 5000
     */
    throttlingRateLimit?: number;
    /**
     * Burst requests.
     * @default 2000
     * @example 10000
     */
    throttlingBurstLimit?: number;
    /**
     * Origins allowed by CORS on the events route (`*` for any).
     * @default ["*"]
     * @example ["https://game.example.com"]
     */
    corsAllowOrigins?: string[];
}

export interface IngestTierOutputs {
    /** Base URL of the API, stage included. */
    readonly apiUrl: pulumi.Output<string>;
    /** `<apiUrl>/applications/{applicationId}/events` */
    readonly eventsEndpoint: pulumi.Output<string>;
    /** Name of what a studio admin is given to call the admin routes (an IAM policy, a role). */
    readonly adminAccessName: pulumi.Output<string>;
    /** Cloud id of the same (an ARN on AWS). */
    readonly adminAccessId: pulumi.Output<string>;
    /** Name of the API and of its stage, for dashboards and alarms. */
    readonly apiName: pulumi.Output<string>;
    readonly stageName: pulumi.Output<string>;
    /** Functions operations should watch. */
    readonly functions: WatchedFunctions;
}
