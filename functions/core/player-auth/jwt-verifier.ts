/**
 * Verification of a player's JWT with `jose`: signature against the issuer's JWKS
 * ({@link JwksCache}), an explicit list of asymmetric algorithms (never `none`, never HMAC, so a
 * public key can never serve as a shared secret), exact `iss`, `aud`, a required `exp` and `nbf`
 * with the configured clock skew, then the player id and application claims.
 *
 * The token is never logged, cached or echoed: rejections carry a reason code and a detail that
 * names the rule, not the token. Clock and fetch are injected.
 */
import { createLocalJWKSet, decodeProtectedHeader, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { Clock } from "../ports";
import { type JsonFetcher, JwksCache, JwksUnavailableError } from "./jwks-cache";
import type { OidcSettings } from "./oidc-settings";

/** Why a token was refused. */
export type JwtRejectionReason =
    | "missing"
    | "malformed"
    | "algorithm_not_allowed"
    | "unknown_key"
    | "bad_signature"
    | "expired"
    | "not_yet_valid"
    | "wrong_issuer"
    | "wrong_audience"
    | "missing_claim"
    | "invalid_claim";

/** Who a verified token speaks for. */
export interface PlayerIdentity {
    /** Value of the player id claim (a string; an integer claim is given in decimal). */
    playerId: string;
    /** The application the token is for (its application claim, or the issuer's configured application). */
    applicationId: string;
    /** The token's `exp`, epoch seconds. */
    expiresAt: number;
}

/** Outcome of {@link JwtVerifier.verify}. */
export type JwtVerification =
    | { ok: true; identity: PlayerIdentity }
    | { ok: false; reason: JwtRejectionReason; detail: string };

/** Longest token accepted, characters. */
export const MAX_TOKEN_LENGTH = 16 * 1024;
/** Longest player id accepted, characters. */
export const MAX_PLAYER_ID_LENGTH = 256;

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Whether `value` has the shape of a compact JWS (three base64url segments). API key values never do. */
export function looksLikeJwt(value: string): boolean {
    return value.length <= MAX_TOKEN_LENGTH && JWT_SHAPE.test(value);
}

/**
 * The token of an `Authorization` header: the value itself (the seeds' clients send the bare JWT)
 * or the part after `Bearer `.
 * @example tokenOfAuthorizationHeader("Bearer eyJ...") // "eyJ..."
 */
export function tokenOfAuthorizationHeader(header: string | undefined): string | undefined {
    if (header === undefined) return undefined;
    const value = header.trim();
    const match = /^bearer\s+(.+)$/i.exec(value);
    const token = (match ? match[1]! : value).trim();
    return token === "" ? undefined : token;
}

/** What a {@link JwtVerifier} needs. */
export interface JwtVerifierDeps {
    clock: Clock;
    /** The issuer's keys; {@link createJwtVerifier} builds one from the settings. */
    jwks: JwksCache;
}

/** Verifies player tokens of one issuer. */
export class JwtVerifier {
    private readonly getKey: JWTVerifyGetKey;

    constructor(
        readonly settings: OidcSettings,
        private readonly deps: JwtVerifierDeps,
    ) {
        this.getKey = async (header, token) => {
            const set = createLocalJWKSet(await deps.jwks.current());
            try {
                return await set(header, token);
            } catch (err) {
                if ((err as { code?: string }).code !== "ERR_JWKS_NO_MATCHING_KEY") throw err;
                // A key the set lacks: the issuer may have rotated; refetch (rate-bounded) and retry once.
                if (!(await deps.jwks.refreshForUnknownKey())) throw err;
                return createLocalJWKSet(await deps.jwks.current())(header, token);
            }
        };
    }

    /**
     * Verifies `token`.
     * @returns the player identity, or a typed rejection
     * @throws JwksUnavailableError when the issuer's keys cannot be obtained (answer 5xx; do not cache)
     */
    async verify(token: string | undefined): Promise<JwtVerification> {
        if (token === undefined || token === "") return reject("missing", "Authorization header: required (the player's JWT)");
        if (!looksLikeJwt(token)) return reject("malformed", `token: not a compact JWS (three base64url segments, at most ${MAX_TOKEN_LENGTH} characters)`);
        let alg: unknown;
        try {
            alg = decodeProtectedHeader(token).alg;
        } catch {
            return reject("malformed", "token: the protected header is not base64url JSON");
        }
        if (typeof alg !== "string" || !(this.settings.algorithms as string[]).includes(alg)) {
            return reject("algorithm_not_allowed", `token: alg ${describeAlg(alg)} is not allowed (allowed: ${this.settings.algorithms.join(", ")})`);
        }
        let payload: JWTPayload;
        try {
            const result = await jwtVerify(token, this.getKey, {
                algorithms: this.settings.algorithms,
                issuer: this.settings.issuerUrl,
                audience: this.settings.audiences,
                clockTolerance: this.settings.clockSkewSeconds,
                currentDate: new Date(this.deps.clock.now()),
                requiredClaims: ["exp"],
            });
            payload = result.payload;
        } catch (err) {
            if (err instanceof JwksUnavailableError) throw err;
            return rejectionOf(err);
        }
        return this.identityOf(payload);
    }

    private identityOf(payload: JWTPayload): JwtVerification {
        const claim = this.settings.playerIdClaim;
        const raw = payload[claim];
        if (raw === undefined || raw === null || raw === "") return reject("missing_claim", `token: claim ${claim} (the player id) is required`);
        const playerId = typeof raw === "number" && Number.isSafeInteger(raw) ? String(raw) : raw;
        if (typeof playerId !== "string" || playerId.length > MAX_PLAYER_ID_LENGTH || CONTROL_CHARACTERS.test(playerId)) {
            return reject("invalid_claim", `token: claim ${claim} (the player id) must be a string of 1-${MAX_PLAYER_ID_LENGTH} characters without control characters, or an integer`);
        }
        let applicationId = this.settings.applicationId;
        const appClaim = this.settings.applicationClaim;
        if (appClaim !== undefined) {
            const value = payload[appClaim];
            if (value !== undefined) {
                if (typeof value !== "string" || !UUID_PATTERN.test(value)) {
                    return reject("invalid_claim", `token: claim ${appClaim} (the application) must be an application id (a lowercase UUID)`);
                }
                applicationId = value;
            } else if (applicationId === undefined) {
                return reject("missing_claim", `token: claim ${appClaim} (the application) is required`);
            }
        }
        if (applicationId === undefined) return reject("missing_claim", "token: names no application and the issuer has no oidcApplicationId");
        return { ok: true, identity: { playerId, applicationId, expiresAt: payload.exp as number } };
    }
}

/** Options of {@link createJwtVerifier}. */
export interface CreateJwtVerifierOptions {
    clock: Clock;
    /** @default global fetch with a 5 s timeout (see jwks-cache.ts fetchJsonDocument) */
    fetchJson?: JsonFetcher;
    /** Local mode: accept an http:// jwks_uri on a loopback host. @default false */
    allowLoopbackHttp?: boolean;
    /** JWKS cache tuning; see {@link JwksCache}. */
    maxAgeMs?: number;
    cooldownMs?: number;
}

/**
 * A verifier of the issuer in `settings`, with its own JWKS cache (keep one per process).
 * @example const verifier = createJwtVerifier(settings, { clock: systemClock }); await verifier.verify(token)
 */
export function createJwtVerifier(settings: OidcSettings, options: CreateJwtVerifierOptions): JwtVerifier {
    const jwks = new JwksCache({
        issuerUrl: settings.issuerUrl,
        jwksUrl: settings.jwksUrl,
        clock: options.clock,
        fetchJson: options.fetchJson,
        allowLoopbackHttp: options.allowLoopbackHttp,
        maxAgeMs: options.maxAgeMs,
        cooldownMs: options.cooldownMs,
    });
    return new JwtVerifier(settings, { clock: options.clock, jwks });
}

function reject(reason: JwtRejectionReason, detail: string): JwtVerification {
    return { ok: false, reason, detail };
}

function describeAlg(alg: unknown): string {
    return typeof alg === "string" && /^[A-Za-z0-9+_-]{1,16}$/.test(alg) ? JSON.stringify(alg) : "(missing or not a short name)";
}

/** Maps a jose error to a rejection; the message is ours, never jose's (which may quote claims). */
function rejectionOf(err: unknown): JwtVerification {
    const { code, claim, reason } = err as { code?: string; claim?: string; reason?: string };
    switch (code) {
        case "ERR_JWT_EXPIRED":
            return reject("expired", "token: expired (exp is in the past, beyond the allowed clock skew)");
        case "ERR_JWT_CLAIM_VALIDATION_FAILED":
            if (reason === "missing") return reject("missing_claim", `token: claim ${safeName(claim)} is required`);
            if (claim === "iss") return reject("wrong_issuer", "token: iss is not the configured issuer");
            if (claim === "aud") return reject("wrong_audience", "token: aud does not contain the configured audience");
            if (claim === "nbf") return reject("not_yet_valid", "token: not valid yet (nbf is in the future, beyond the allowed clock skew)");
            return reject("invalid_claim", `token: claim ${safeName(claim)} is invalid`);
        case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
        case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
            return reject("bad_signature", "token: the signature does not verify with the issuer's keys");
        case "ERR_JWKS_NO_MATCHING_KEY":
            return reject("unknown_key", "token: signed with a key (kid) the issuer does not publish");
        case "ERR_JOSE_ALG_NOT_ALLOWED":
            return reject("algorithm_not_allowed", "token: alg is not allowed");
        default:
            return reject("malformed", "token: not a valid JWT");
    }
}

function safeName(name: string | undefined): string {
    return name !== undefined && /^[A-Za-z0-9_:./-]{1,64}$/.test(name) ? name : "(unnamed)";
}
