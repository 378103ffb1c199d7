/** Warehouse tier contract: a SQL warehouse fed by the stream (the REDSHIFT data stack). */
import type * as pulumi from "@pulumi/pulumi";
import type { TierBaseArgs } from "./common";
import type { StreamTierOutputs } from "./stream";

export interface WarehouseTierArgs extends TierBaseArgs {
    /**
     * The stream the warehouse ingests (one event per record).
     * @example stream
     */
    stream: StreamTierOutputs;
    /**
     * Retention of the warehouse's audit logs, in days.
     * @default 365
     * @example 30
     */
    logRetentionDays?: number;
}

export interface WarehouseTierOutputs {
    /** Host name SQL clients connect to. */
    readonly endpointAddress: pulumi.Output<string>;
    /** Database the views live in. */
    readonly databaseName: pulumi.Output<string>;
    /** Cloud id of the secret holding the admin credentials (a Secrets Manager ARN on AWS). */
    readonly adminSecretId: pulumi.Output<string>;
    /** Link to the cloud's query editor of the warehouse. */
    readonly queryEditorUrl: pulumi.Output<string>;
}
