/**
 * Settings of the stack's OIDC issuer (player-level authentication): the typed model, its
 * defaults and a validation that reports every broken rule as `{key, value, rule}`, the shape of
 * components/settings.ts `SettingsProblem`, so the stack settings can merge the problems into
 * their own {@link https://www.pulumi.com/docs/concepts/config/ config} error.
 *
 * No setting set = player authentication off (API keys only). Setting any `oidc*` key requires
 * `oidcIssuerUrl`, `oidcAudience`, and a way to tell which application a token is for
 * (`oidcApplicationClaim` or `oidcApplicationId`).
 */

/** Asymmetric JWS algorithms a player token may be signed with. `none` and HMAC (HS*) never are. */
export const ASYMMETRIC_ALGORITHMS = [
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519",
] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** Claims that never name a player or an application (registered, per-token or list-valued). */
export const RESERVED_CLAIMS: readonly string[] = ["iss", "aud", "exp", "nbf", "iat", "jti"];

/** Every key {@link validateOidcSettings} reads. */
export const OIDC_SETTING_KEYS = [
    "oidcIssuerUrl", "oidcAudience", "oidcPlayerIdClaim", "oidcApplicationClaim", "oidcApplicationId",
    "oidcClockSkewSeconds", "oidcJwksUrl", "oidcAlgorithms",
] as const;
export type OidcSettingKey = (typeof OIDC_SETTING_KEYS)[number];

/** Default claim holding the player id. */
export const DEFAULT_PLAYER_ID_CLAIM = "sub";
/** Default tolerance on `exp`/`nbf`, seconds. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;
/** Largest accepted tolerance on `exp`/`nbf`, seconds. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** The validated issuer settings of a stack. */
export interface OidcSettings {
    /**
     * Issuer identifier, compared exactly with the token's `iss` (a trailing slash matters).
     * @example "https://id.studio.example.com"
     */
    issuerUrl: string;
    /**
     * Accepted audiences: the token's `aud` must contain one of them.
     * @example ["gamebackend"]
     */
    audiences: string[];
    /**
     * Claim whose value is the player id stored with each event.
     * @default "sub"
     */
    playerIdClaim: string;
    /**
     * Claim naming the application the token is for. Required in every token unless
     * `applicationId` is set too (then a token without the claim is for `applicationId`).
     * @default undefined (every token is for `applicationId`)
     * @example "app_id"
     */
    applicationClaim?: string;
    /**
     * Application a token is for when it names none (the seeds' tokens name none): a lowercase
     * UUID of a registered application that allows JWTs.
     * @default undefined
     * @example "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968"
     */
    applicationId?: string;
    /**
     * Tolerance on `exp` and `nbf`, seconds (0-300).
     * @default 60
     */
    clockSkewSeconds: number;
    /**
     * JWKS URL; when unset it is read from the issuer's discovery document
     * (`{issuer}/.well-known/openid-configuration`, `jwks_uri`).
     * @default undefined (discovery)
     */
    jwksUrl?: string;
    /**
     * Algorithms accepted, a subset of {@link ASYMMETRIC_ALGORITHMS}.
     * @default every entry of ASYMMETRIC_ALGORITHMS
     */
    algorithms: AsymmetricAlgorithm[];
}

/** One broken rule; structurally a components/settings.ts `SettingsProblem`. */
export interface OidcSettingsProblem {
    key: string;
    value: unknown;
    rule: string;
}

/** Outcome of {@link validateOidcSettings}: settings when valid and configured, every problem otherwise. */
export interface OidcSettingsValidation {
    /** Undefined when player authentication is not configured, or when there are problems. */
    settings?: OidcSettings;
    problems: OidcSettingsProblem[];
}

/** Options of {@link validateOidcSettings}. */
export interface OidcValidationOptions {
    /**
     * Local mode: also accept `http://` URLs on a loopback host (127.0.0.1, ::1, localhost).
     * @default false (https only)
     */
    allowLoopbackHttp?: boolean;
}

const CLAIM_PATTERN = /^[A-Za-z0-9_:./-]{1,256}$/;
const AUDIENCE_PATTERN = /^[\x21-\x2b\x2d-\x7e]{1,256}$/; // printable ASCII, no space, no comma
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Validates the `oidc*` settings of `raw` (values as read from stack config: strings, or typed).
 * Keys outside {@link OIDC_SETTING_KEYS} are ignored (the stack settings own them).
 * @returns the typed settings (undefined when no `oidc*` key is set) and every problem found.
 * @example validateOidcSettings({ oidcIssuerUrl: "https://id.example.com", oidcAudience: "game", oidcApplicationId: "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968" })
 * // { settings: { issuerUrl: "https://id.example.com", audiences: ["game"], playerIdClaim: "sub", ... }, problems: [] }
 */
export function validateOidcSettings(raw: Record<string, unknown>, options: OidcValidationOptions = {}): OidcSettingsValidation {
    const given = (key: OidcSettingKey) => raw[key] !== undefined && raw[key] !== "";
    if (!OIDC_SETTING_KEYS.some(given)) return { problems: [] };
    const problems: OidcSettingsProblem[] = [];
    const fail = (key: OidcSettingKey, rule: string) => problems.push({ key, value: raw[key], rule });
    const urlRule = options.allowLoopbackHttp
        ? "must be an https:// URL (or http:// on 127.0.0.1, [::1] or localhost in the local mode) without credentials, query or fragment"
        : "must be an https:// URL without credentials, query or fragment";

    const issuerUrl = readUrl(raw.oidcIssuerUrl, options);
    if (!given("oidcIssuerUrl")) fail("oidcIssuerUrl", `required when any oidc* setting is set; ${urlRule}`);
    else if (issuerUrl === undefined) fail("oidcIssuerUrl", urlRule);

    const audiences = readList(raw.oidcAudience);
    if (!given("oidcAudience")) fail("oidcAudience", "required: the audience (or comma-separated audiences) the issuer puts in player tokens");
    else if (audiences === undefined || audiences.length === 0 || !audiences.every((a) => AUDIENCE_PATTERN.test(a))) {
        fail("oidcAudience", "must be one or more audiences (a JSON list or comma-separated), each 1-256 printable characters without spaces or commas");
    }

    const claimRule = "must be a claim name of 1-256 characters among letters, digits, '_', ':', '.', '/', '-', and not one of " + RESERVED_CLAIMS.join(", ");
    const playerIdClaim = given("oidcPlayerIdClaim") ? raw.oidcPlayerIdClaim : DEFAULT_PLAYER_ID_CLAIM;
    if (!isClaimName(playerIdClaim)) fail("oidcPlayerIdClaim", claimRule);
    const applicationClaim = given("oidcApplicationClaim") ? raw.oidcApplicationClaim : undefined;
    if (applicationClaim !== undefined) {
        if (!isClaimName(applicationClaim)) fail("oidcApplicationClaim", claimRule);
        else if (applicationClaim === playerIdClaim) fail("oidcApplicationClaim", "must differ from oidcPlayerIdClaim");
    }
    const applicationId = given("oidcApplicationId") ? raw.oidcApplicationId : undefined;
    if (applicationId !== undefined && (typeof applicationId !== "string" || !UUID_PATTERN.test(applicationId))) {
        fail("oidcApplicationId", "must be an application id (a lowercase UUID)");
    }
    if (applicationClaim === undefined && applicationId === undefined) {
        problems.push({
            key: "oidcApplicationClaim",
            value: undefined,
            rule: "set oidcApplicationClaim (the token names its application) or oidcApplicationId (every token of this issuer is for that application)",
        });
    }

    let clockSkewSeconds = DEFAULT_CLOCK_SKEW_SECONDS;
    if (given("oidcClockSkewSeconds")) {
        const v = raw.oidcClockSkewSeconds;
        const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
        if (!Number.isInteger(n) || n < 0 || n > MAX_CLOCK_SKEW_SECONDS) {
            fail("oidcClockSkewSeconds", `must be a whole number of seconds from 0 to ${MAX_CLOCK_SKEW_SECONDS}`);
        } else clockSkewSeconds = n;
    }

    const jwksUrl = given("oidcJwksUrl") ? readUrl(raw.oidcJwksUrl, options) : undefined;
    if (given("oidcJwksUrl") && jwksUrl === undefined) fail("oidcJwksUrl", urlRule);

    let algorithms: AsymmetricAlgorithm[] = [...ASYMMETRIC_ALGORITHMS];
    if (given("oidcAlgorithms")) {
        const list = readList(raw.oidcAlgorithms);
        const allowed = ASYMMETRIC_ALGORITHMS as readonly string[];
        if (list === undefined || list.length === 0 || !list.every((a) => allowed.includes(a))) {
            fail("oidcAlgorithms", `must be one or more of ${ASYMMETRIC_ALGORITHMS.join(", ")} (never none, never HMAC: a public key must not be usable as a shared secret)`);
        } else algorithms = [...new Set(list)] as AsymmetricAlgorithm[];
    }

    if (problems.length > 0) return { problems };
    const settings: OidcSettings = {
        issuerUrl: issuerUrl!,
        audiences: audiences!,
        playerIdClaim: playerIdClaim as string,
        clockSkewSeconds,
        algorithms,
    };
    if (applicationClaim !== undefined) settings.applicationClaim = applicationClaim as string;
    if (applicationId !== undefined) settings.applicationId = applicationId as string;
    if (jwksUrl !== undefined) settings.jwksUrl = jwksUrl;
    return { settings, problems };
}

/**
 * Whether `value` is an acceptable issuer or JWKS URL: https (or loopback http with the option),
 * no credentials, query or fragment. Returned exactly as given (the issuer is compared verbatim).
 */
export function readUrl(value: unknown, options: OidcValidationOptions = {}): string | undefined {
    if (typeof value !== "string" || value.length > 2048) return undefined;
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return undefined;
    }
    if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "" || value.includes("#") || value.includes("?")) return undefined;
    if (url.protocol === "https:") return value;
    if (url.protocol === "http:" && options.allowLoopbackHttp && LOOPBACK_HOSTS.has(url.hostname)) return value;
    return undefined;
}

function isClaimName(value: unknown): value is string {
    return typeof value === "string" && CLAIM_PATTERN.test(value) && !RESERVED_CLAIMS.includes(value);
}

function readList(value: unknown): string[] | undefined {
    if (Array.isArray(value)) return value.every((x) => typeof x === "string") ? (value as string[]) : undefined;
    if (typeof value !== "string") return undefined;
    const text = value.trim();
    if (text.startsWith("[")) {
        try {
            return readList(JSON.parse(text));
        } catch {
            return undefined;
        }
    }
    return text.split(",").map((x) => x.trim());
}
