/**
 * Reads a stack's settings the way the Pulumi program does: `game-analytics:*` keys of
 * `Pulumi.<stack>.yaml`, validated with `validateSettings`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { type PipelineSettings, validateSettings } from "../components/settings";

export const CONFIG_NAMESPACE = "game-analytics";
/** Workload name used when no stack file exists (the name does not change the bill). */
export const DEFAULT_COST_WORKLOAD_NAME = "cost";

export interface LoadedSettings {
    settings: PipelineSettings;
    /** What the reader did that the user should know. */
    notes: string[];
}

/** Thrown when the stack file cannot be read as Pulumi stack config. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** Raw `game-analytics:*` values of a stack file, plus notes. Missing file -> undefined. */
export function readStackConfig(file: string): { raw: Record<string, unknown>; notes: string[] } | undefined {
    if (!fs.existsSync(file)) return undefined;
    let doc: unknown;
    try {
        doc = yaml.load(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new StackFileError(`${file}: not valid YAML: ${(e as Error).message}`);
    }
    const config = (doc as { config?: unknown } | null | undefined)?.config;
    if (config === undefined || config === null) return { raw: {}, notes: [`${file} has no config: using defaults`] };
    if (typeof config !== "object" || Array.isArray(config)) throw new StackFileError(`${file}: "config" must be a map of keys to values`);
    const raw: Record<string, unknown> = {};
    const notes: string[] = [];
    for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
        if (key === "aws:region" && value !== "us-east-1") notes.push(`aws:region is ${String(value)}; prices are us-east-1 list prices`);
        if (!key.startsWith(`${CONFIG_NAMESPACE}:`)) continue;
        const name = key.slice(CONFIG_NAMESPACE.length + 1);
        if (value !== null && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
            notes.push(`${key} is a secret: not read (it does not change the bill)`);
            continue;
        }
        raw[name] = value;
    }
    return { raw, notes };
}

/**
 * Settings of `stack` (from `dir`/Pulumi.<stack>.yaml) with `overrides` applied, validated.
 * Throws SettingsError (names every bad key) or StackFileError.
 */
export function loadSettings(stack: string | undefined, dir: string, overrides: Record<string, string | undefined>): LoadedSettings {
    const notes: string[] = [];
    let raw: Record<string, unknown> = {};
    if (stack !== undefined) {
        const file = path.join(dir, `Pulumi.${stack}.yaml`);
        const read = readStackConfig(file);
        if (read) {
            raw = read.raw;
            notes.push(...read.notes);
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
    return { settings: validateSettings(raw, CONFIG_NAMESPACE), notes };
}
