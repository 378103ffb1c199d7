/**
 * The stack's OIDC settings as the functions read them from their environment (the components
 * write each `oidc*` setting to its variable of functions/core/environment-names.ts
 * `OIDC_ENVIRONMENT`), for every cloud's handlers.
 */
import { OIDC_ENVIRONMENT } from "../environment-names";
import { OIDC_SETTING_KEYS, type OidcSettingKey, type OidcSettings, validateOidcSettings } from "./oidc-settings";

/** Whether the environment names an issuer (player tokens on). */
export function hasOidcIssuer(env: NodeJS.ProcessEnv = process.env): boolean {
    const issuer = env[OIDC_ENVIRONMENT.oidcIssuerUrl];
    return issuer !== undefined && issuer !== "";
}

/**
 * The OIDC settings of the environment.
 * @throws Error naming every bad variable (a deployment error, found at cold start), or when no issuer is set
 */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OidcSettings {
    const raw: Record<string, unknown> = {};
    for (const key of OIDC_SETTING_KEYS) raw[key] = env[OIDC_ENVIRONMENT[key]];
    const { settings, problems } = validateOidcSettings(raw);
    if (problems.length > 0) {
        throw new Error(`invalid OIDC environment: ${problems.map((p) => `${OIDC_ENVIRONMENT[p.key as OidcSettingKey] ?? p.key}: ${p.rule}`).join("; ")}`);
    }
    if (settings === undefined) throw new Error(`environment variable ${OIDC_ENVIRONMENT.oidcIssuerUrl} is required`);
    return settings;
}

/**
 * The variables a component writes for `oidc` (the inverse of {@link oidcSettingsFromEnv}).
 * @example oidcEnvironment({ issuerUrl: "https://id.example.com", audiences: ["game"], ... }).OIDC_ISSUER_URL // "https://id.example.com"
 */
export function oidcEnvironment(oidc: OidcSettings): Record<string, string> {
    return {
        [OIDC_ENVIRONMENT.oidcIssuerUrl]: oidc.issuerUrl,
        [OIDC_ENVIRONMENT.oidcAudience]: oidc.audiences.join(","),
        [OIDC_ENVIRONMENT.oidcPlayerIdClaim]: oidc.playerIdClaim,
        [OIDC_ENVIRONMENT.oidcClockSkewSeconds]: String(oidc.clockSkewSeconds),
        [OIDC_ENVIRONMENT.oidcAlgorithms]: oidc.algorithms.join(","),
        ...(oidc.applicationClaim !== undefined ? { [OIDC_ENVIRONMENT.oidcApplicationClaim]: oidc.applicationClaim } : {}),
        ...(oidc.applicationId !== undefined ? { [OIDC_ENVIRONMENT.oidcApplicationId]: oidc.applicationId } : {}),
        ...(oidc.jwksUrl !== undefined ? { [OIDC_ENVIRONMENT.oidcJwksUrl]: oidc.jwksUrl } : {}),
    };
}
