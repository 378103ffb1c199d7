/**
 * A tier's Cloud Function: the workload name and the function wiring (region, sources bucket,
 * build account) come from the tier's arguments, the rest (name, entry, ingress, limits,
 * environment) from the tier; the GcpFunction is created as a child of the tier.
 */
import type * as pulumi from "@pulumi/pulumi";
import { GcpFunction, type GcpFunctionArgs, type GcpFunctionWiring } from "./gcp-function";

/** What a tier's arguments give each of its functions. */
export interface GcpTierFunctionSource extends GcpFunctionWiring {
    /**
     * Prefix of every physical name.
     * @example "mygame"
     */
    workloadName: string;
}

/** What the tier chooses for one function (see GcpFunctionArgs). */
export type GcpTierFunctionArgs = Omit<GcpFunctionArgs, keyof GcpTierFunctionSource>;

/**
 * Creates the function `name` from the tier's arguments and the function's own.
 * @param name logical name of the function (the tier's name and a suffix)
 * @param tier the tier's arguments (workload name and function wiring)
 * @param fn the function's short name, entry, ingress, limits and environment
 * @param opts the tier's child options (`{ parent: this }`)
 * @example tierFunction(`${name}-admin`, args, { shortName: "admin", entry: "functions/gcp/handlers/admin.ts", maxInstances: 10 }, { parent: this })
 */
export function tierFunction(name: string, tier: GcpTierFunctionSource, fn: GcpTierFunctionArgs, opts: pulumi.ComponentResourceOptions): GcpFunction {
    return new GcpFunction(name, {
        workloadName: tier.workloadName,
        ...fn,
        region: tier.region,
        sourceBucket: tier.sourceBucket,
        buildServiceAccount: tier.buildServiceAccount,
    }, opts);
}
