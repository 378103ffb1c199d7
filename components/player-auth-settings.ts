/**
 * The stack's player-authentication settings (the `oidc*` keys of components/contracts/settings.ts)
 * checked with the rules of functions/core/player-auth/oidc-settings.ts, the same code the
 * functions run at cold start. The neutral contracts cannot import the functions' core (import
 * graph), so components/pipeline.ts `validatePipelineArgs` merges these problems into the one
 * SettingsError of the stack.
 *
 * Two forms exist only in the local mode: `oidcIssuerUrl: dev` (start the development issuer on
 * 127.0.0.1) and an `http://` issuer on a loopback host. A deployed stack refuses both.
 */
import type { PipelineSettings, SettingsProblem } from "./contracts/settings";
import { OIDC_SETTING_KEYS, type OidcSettings, validateOidcSettings } from "../functions/core/player-auth/oidc-settings";

/** `oidcIssuerUrl` value that starts the local development issuer (functions/core/player-auth/dev-issuer.ts). */
export const DEV_ISSUER = "dev";

/** Where the settings are used: the local mode accepts the development issuer and loopback http. */
export interface PlayerAuthSettingsContext {
    /** @default false (a deployed stack) */
    local?: boolean;
}

/** The `oidc*` values of the settings, keyed as oidc-settings.ts reads them. */
export function oidcRawSettings(s: PipelineSettings): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const key of OIDC_SETTING_KEYS) raw[key] = s[key];
    return raw;
}

/** Whether the settings ask for the development issuer. */
export function usesDevIssuer(s: PipelineSettings): boolean {
    return s.oidcIssuerUrl === DEV_ISSUER;
}

/**
 * Every problem of the `oidc*` settings (none when unset).
 * @example playerAuthProblems({ ...s, oidcIssuerUrl: "http://id.example.com" }) // [{ key: "oidcIssuerUrl", rule: "must be an https:// URL ..." }, ...]
 */
export function playerAuthProblems(s: PipelineSettings, context: PlayerAuthSettingsContext = {}): SettingsProblem[] {
    if (usesDevIssuer(s)) {
        if (!context.local) {
            return [{ key: "oidcIssuerUrl", value: s.oidcIssuerUrl,
                rule: `"${DEV_ISSUER}" starts the development issuer of the local mode only; a deployed stack needs the https:// URL of the studio's issuer` }];
        }
        // The development issuer sets issuer, audience and application itself.
        return (["oidcAudience", "oidcApplicationClaim", "oidcApplicationId", "oidcJwksUrl", "oidcAlgorithms"] as const)
            .filter((key) => s[key] !== undefined)
            .map((key) => ({ key, value: s[key], rule: `not used with oidcIssuerUrl "${DEV_ISSUER}" (the development issuer sets its own); unset it` }));
    }
    return validateOidcSettings(oidcRawSettings(s), { allowLoopbackHttp: context.local === true }).problems;
}

/**
 * The typed issuer settings of a deployed stack; undefined when no issuer is configured.
 * @throws Error naming every problem (validatePipelineArgs refuses such settings first)
 */
export function deployedOidcSettings(s: PipelineSettings): OidcSettings | undefined {
    const problems = playerAuthProblems(s);
    if (problems.length > 0) throw new Error(`invalid oidc settings: ${problems.map((p) => `${p.key}: ${p.rule}`).join("; ")}`);
    return validateOidcSettings(oidcRawSettings(s)).settings;
}
