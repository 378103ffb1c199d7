/** Registry tier contract: applications and their API key hashes. */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceAccess } from "./access";
import type { TierBaseArgs } from "./common";

export interface RegistryTierArgs extends TierBaseArgs {
    /**
     * Destroyable tables (no deletion protection) for development stacks.
     * @default false
     * @example true
     */
    devMode?: boolean;
}

export interface RegistryTierOutputs {
    /** Name of the applications table (or collection). */
    readonly applicationsTableName: pulumi.Output<string>;
    /** Name of the API key hashes table (or collection). */
    readonly authorizationsTableName: pulumi.Output<string>;
    /** Access handle of the applications table. */
    readonly applications: ResourceAccess;
    /** Access handle of the API key hashes table. */
    readonly authorizations: ResourceAccess;
}
