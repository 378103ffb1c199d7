/**
 * Reads a stack's pipeline settings from `Pulumi.<stack>.yaml` (keys `game-analytics:<setting>`),
 * validated by the same `validateSettings` the Pulumi program uses. A missing file means the
 * defaults with workloadName "local".
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PipelineSettings, SettingsError, validateSettings } from "../components/settings";

/** The Pulumi project name: config keys are `game-analytics:<setting>`. */
export const CONFIG_NAMESPACE = "game-analytics";

/** Settings of the stack and the file they came from (undefined when the defaults were used). */
export interface StackSettings {
    settings: PipelineSettings;
    file: string | undefined;
}

/** Path of a stack's config file. */
export function stackConfigFile(configDir: string, stack: string): string {
    return path.join(configDir, `Pulumi.${stack}.yaml`);
}

/**
 * Loads and validates the settings of `stack`. Throws {@link SettingsError} naming each bad key, or
 * an Error naming the file when it is not readable YAML.
 */
export function loadStackSettings(configDir: string, stack: string): StackSettings {
    const file = stackConfigFile(configDir, stack);
    if (!fs.existsSync(file)) {
        return { settings: validateSettings({ workloadName: "local" }, CONFIG_NAMESPACE), file: undefined };
    }
    let document: unknown;
    try {
        document = parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new Error(`${file}: not valid YAML (${(error as Error).message.split("\n")[0]})`);
    }
    const config = (document as { config?: unknown } | null)?.config ?? {};
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new Error(`${file}: "config" must be a mapping of ${CONFIG_NAMESPACE}:<setting> keys`);
    }
    const raw: Record<string, unknown> = {};
    const problems: { key: string; value: unknown; rule: string }[] = [];
    for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
        if (!key.startsWith(`${CONFIG_NAMESPACE}:`)) continue;
        const name = key.slice(CONFIG_NAMESPACE.length + 1);
        if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            problems.push({ key: name, value, rule: "must be a plain value (secrets and objects are not settings)" });
            continue;
        }
        raw[name] = typeof value === "number" ? String(value) : value;
    }
    if (problems.length > 0) throw new SettingsError(problems, CONFIG_NAMESPACE);
    if (raw.workloadName === undefined) raw.workloadName = "local";
    return { settings: validateSettings(raw, CONFIG_NAMESPACE), file };
}
