/**
 * Reading a stack's configuration: every key of SETTING_KEYS (as config strings) plus the
 * deployment options (the cloud namespaces `aws` and `gcp`, structured values Pulumi config gives
 * as JSON text, and the older top-level AWS keys, their aliases), validated before the program
 * registers any resource.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEPLOYMENT_OPTION_KEYS, DeploymentOptions, validatePipelineArgs } from "../components/pipeline";
import { AWS_OPTION_KEYS, warehouseConfig, type AwsWarehouseConfig } from "../components/aws/settings";
import { AVAILABLE_CLOUDS, type CloudName, PipelineSettings, SETTING_KEYS, SettingsError, SettingsProblem } from "../components/contracts/settings";

export { DEPLOYMENT_OPTION_KEYS } from "../components/pipeline";

/** The Pulumi project name: config keys are `game-analytics:<key>`. */
export const CONFIG_NAMESPACE = "game-analytics";

/** What a stack configures: validated settings and deployment options. */
export interface StackSettings {
    settings: PipelineSettings;
    /**
     * The deployment options the stack sets (an unset one is absent: the pipeline applies its
     * default, and a cloud that has no such option, e.g. gcp, refuses only what the stack sets).
     */
    options: Pick<DeploymentOptions, "apiAccessLogging" | "apiGatewayAccountRole" | "tracing" | "icebergOptimizerLogGroups"> & Required<Pick<DeploymentOptions, "logLevel">> & AwsWarehouseConfig
        & Partial<Record<CloudName, string>>;
}

/** The part of `pulumi.Config` this module reads (tests pass a plain object). */
export interface ConfigSource {
    readonly name: string;
    get(key: string): string | undefined;
    /** Every key the stack sets in this namespace, when the source can list them (to refuse typos). */
    keys?(): string[];
}

/**
 * Reads and validates the stack's configuration: the neutral settings, then the rules and
 * options of the cloud `cloud` names (components/pipeline.ts validatePipelineArgs). Throws a
 * SettingsError naming every bad key (`game-analytics:<key> = <value>: <rule>`).
 */
export function readStackSettings(config: ConfigSource): StackSettings {
    const raw: Record<string, string | undefined> = {};
    for (const key of [...SETTING_KEYS, ...DEPLOYMENT_OPTION_KEYS]) raw[key] = config.get(key);
    const problems: SettingsProblem[] = [];
    let settings: PipelineSettings | undefined;
    try {
        // What this version cannot deploy (Redshift, Iceberg) is refused by the pipeline itself.
        settings = validatePipelineArgs(raw, config.name, false);
    } catch (error) {
        if (!(error instanceof SettingsError)) throw error;
        problems.push(...error.problems);
    }
    const known = new Set<string>([...SETTING_KEYS, ...DEPLOYMENT_OPTION_KEYS]);
    for (const key of config.keys?.() ?? []) {
        if (!known.has(key)) {
            problems.push({ key, value: config.get(key), rule: `unknown key; known keys are ${[...known].join(", ")}` });
        }
    }
    if (problems.length > 0 || settings === undefined) throw new SettingsError(problems, config.name);
    return { settings, options: deploymentOptions(config) };
}

/** The deployment options a validated configuration sets (unset ones absent), logLevel defaulted. */
function deploymentOptions(config: ConfigSource): StackSettings["options"] {
    const options: StackSettings["options"] = { logLevel: "INFO" };
    // The top-level AWS keys are aliases of the `aws` namespace's (components/aws/settings.ts).
    for (const key of AWS_OPTION_KEYS) {
        const v = config.get(key);
        if (v !== undefined && v !== "") options[key] = v === "true";
    }
    const level = config.get("logLevel");
    if (level !== undefined && level !== "") options.logLevel = level as StackSettings["options"]["logLevel"];
    // Each cloud's namespace (named like the cloud), as the JSON text Pulumi config gives for a structured value.
    for (const key of AVAILABLE_CLOUDS) {
        const v = config.get(key);
        if (v !== undefined && v !== "") options[key] = v;
    }
    return { ...options, ...warehouseConfig((key) => config.get(key)) };
}

/** The stack's config (namespace = project name, "game-analytics"), able to list its keys. */
export function stackConfig(): ConfigSource {
    const config = new pulumi.Config();
    const prefix = `${config.name}:`;
    return {
        name: config.name,
        get: (key) => config.get(key),
        keys: () => Object.keys(pulumi.runtime.allConfig()).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)),
    };
}
