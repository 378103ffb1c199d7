/**
 * A cloud's namespace among the settings (`aws`, `gcp`): one object of the options only that
 * cloud has, validated by that cloud's implementation. Given as an object (typed arguments,
 * Pulumi structured config read with getObject) or as the JSON text `pulumi.Config.get` returns
 * for a structured value.
 */
import type { SettingsProblem } from "./settings";

/**
 * The object of a namespace setting ({} when unset), or {} and a problem naming `key` when the
 * value is not an object.
 * @example namespaceObject("aws", '{"tracing":true}', problems, "{ tracing: true }") // { tracing: true }
 */
export function namespaceObject(key: string, value: unknown, problems: SettingsProblem[], example: string): Record<string, unknown> {
    if (value === undefined || value === "") return {};
    let v: unknown = value;
    if (typeof v === "string") {
        try {
            v = JSON.parse(v);
        } catch {
            v = undefined;
        }
    }
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
        problems.push({ key, value, rule: `must be an object (Pulumi structured config), e.g. ${example}` });
        return {};
    }
    return v as Record<string, unknown>;
}
