/**
 * Reading a stack's settings from its `Pulumi.<stack>.yaml` without the Pulumi CLI: the local
 * mode and the cost model read a stack the same way the Pulumi program does, through
 * {@link readStackSettings}, so a key the program accepts is accepted everywhere and a typo is
 * refused everywhere.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CONFIG_NAMESPACE, ConfigSource } from "./settings";

/** Thrown when a stack file is not readable as Pulumi stack configuration. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** The `game-analytics:*` values of a stack file, as config strings. */
export interface StackFile {
    file: string;
    /** Values by key without the namespace, as strings (what `pulumi.Config.get` returns). */
    values: Record<string, string>;
    /** Keys holding secrets (`secure:`), not read. */
    secretKeys: string[];
    /** The stack's `aws:region`, when set. */
    region?: string;
}

/** Path of a stack's config file. */
export function stackFilePath(configDir: string, stack: string): string {
    return path.join(configDir, `Pulumi.${stack}.yaml`);
}

/** Reads `Pulumi.<stack>.yaml` in `configDir`; undefined when the file does not exist. */
export function readStackFile(configDir: string, stack: string): StackFile | undefined {
    const file = stackFilePath(configDir, stack);
    if (!fs.existsSync(file)) return undefined;
    let document: unknown;
    try {
        document = parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new StackFileError(`${file}: not valid YAML (${(error as Error).message.split("\n")[0]})`);
    }
    const config = (document as { config?: unknown } | null | undefined)?.config ?? {};
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new StackFileError(`${file}: "config" must be a mapping of ${CONFIG_NAMESPACE}:<key> entries`);
    }
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    let region: string | undefined;
    for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
        if (key === "aws:region" && typeof value === "string") region = value;
        if (!key.startsWith(`${CONFIG_NAMESPACE}:`)) continue;
        const name = key.slice(CONFIG_NAMESPACE.length + 1);
        if (typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value) {
            secretKeys.push(name);
        } else if (value !== null && value !== undefined) {
            values[name] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { file, values, secretKeys, region };
}

/** A {@link ConfigSource} over plain values (a stack file's, with overrides applied). */
export function configSourceOf(values: Record<string, string | undefined>): ConfigSource {
    return {
        name: CONFIG_NAMESPACE,
        get: (key) => values[key],
        keys: () => Object.keys(values).filter((key) => values[key] !== undefined),
    };
}
