/**
 * Reads a stack's settings the way the Pulumi program does: `game-analytics:*` keys of
 * `Pulumi.<stack>.yaml`, validated with `validateSettings`.
 */
import { readAwsSettings } from "../components/aws/settings";
import { type PipelineSettings } from "../components/contracts/settings";
import type { ApiType } from "./design";
import { CONFIG_NAMESPACE, readStackSettings } from "../stacks/settings";
import { configSourceOf, readStackFile, StackFileError } from "../stacks/stack-file";

export { CONFIG_NAMESPACE, StackFileError };
/** Workload name used when no stack file exists (the name does not change the bill). */
export const DEFAULT_COST_WORKLOAD_NAME = "cost";

export interface LoadedSettings {
    settings: PipelineSettings;
    /**
     * The stack's `aws.apiType` as the cost model names it ("http" for HTTP); undefined for REST or unset.
     * @default undefined
     * @example "http"
     */
    apiType?: ApiType;
    /** What the reader did that the user should know. */
    notes: string[];
}

/**
 * Settings of `stack` (from `dir`/Pulumi.<stack>.yaml) with `overrides` applied, validated.
 * Throws SettingsError (names every bad key) or StackFileError.
 */
export function loadSettings(stack: string | undefined, dir: string, overrides: Record<string, string | undefined>): LoadedSettings {
    const notes: string[] = [];
    let raw: Record<string, string | undefined> = {};
    if (stack !== undefined) {
        const read = readStackFile(dir, stack);
        if (read) {
            raw = { ...read.values };
            if (read.region !== undefined && read.region !== "us-east-1") notes.push(`aws:region is ${read.region}; prices are us-east-1 list prices`);
            for (const key of read.secretKeys) notes.push(`${CONFIG_NAMESPACE}:${key} is a secret: not read (it does not change the bill)`);
        } else {
            notes.push(`Pulumi.${stack}.yaml not found: using the default settings`);
        }
    }
    if (raw.workloadName === undefined) raw.workloadName = DEFAULT_COST_WORKLOAD_NAME;
    for (const [key, value] of Object.entries(overrides)) if (value !== undefined) raw[key] = value;
    if (overrides.ingestMode === "DIRECT_BATCH" && overrides.realTimeAnalytics === undefined && String(raw.realTimeAnalytics ?? "true") !== "false") {
        raw.realTimeAnalytics = "false";
        notes.push("realTimeAnalytics set to false: DIRECT_BATCH has no stream for it (pass --real-time to be explicit)");
    }
    const settings = readStackSettings(configSourceOf(raw)).settings;
    // aws.apiType (validated above with the other AWS options): the HTTP API is priced as --api-type http.
    const apiType = settings.cloud === "aws" && readAwsSettings(raw, []).options.apiType === "HTTP" ? "http" : undefined;
    return { settings, notes, ...(apiType === undefined ? {} : { apiType }) };
}
