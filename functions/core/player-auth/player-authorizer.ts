/**
 * Authorization decisions with player tokens, shared by every cloud's authorizer and the local
 * server: which credentials an application accepts (`AuthModes`: API keys, JWTs or both), the
 * decision for a player token (put-record, or the events route of one application), and the
 * events route's choice between an API key and a JWT by the shape of the `Authorization` value
 * (a JWT has three base64url segments; an API key value is base64 and has no `.`).
 */
import { authorizeApiKey, type DecisionCache } from "../authorize";
import type { Clock, KeyStore } from "../ports";
import type { JwtDecisionCache } from "./jwt-decision-cache";
import { type JwtRejectionReason, type JwtVerification, type JwtVerifier, looksLikeJwt, tokenOfAuthorizationHeader } from "./jwt-verifier";

/** A credential an application may accept. */
export type AuthMode = "API_KEY" | "JWT";
export const AUTH_MODES: readonly AuthMode[] = ["API_KEY", "JWT"];
/** Modes of an application that never set any (every application registered before player auth). */
export const DEFAULT_AUTH_MODES: readonly AuthMode[] = ["API_KEY"];

/** Outcome of {@link validateAuthModes}. */
export type AuthModesValidation = { ok: true; modes: AuthMode[] } | { ok: false; detail: string };

/**
 * Validates the admin API's `AuthModes` field of an application (absent = {@link DEFAULT_AUTH_MODES}).
 * @example validateAuthModes(["API_KEY", "JWT"]) // { ok: true, modes: ["API_KEY", "JWT"] }
 */
export function validateAuthModes(value: unknown, field = "AuthModes"): AuthModesValidation {
    if (value === undefined) return { ok: true, modes: [...DEFAULT_AUTH_MODES] };
    const rule = `${field}: must be a non-empty list of distinct values among ${AUTH_MODES.join(", ")}`;
    if (!Array.isArray(value) || value.length === 0 || value.length > AUTH_MODES.length) return { ok: false, detail: rule };
    if (!value.every((m) => (AUTH_MODES as readonly unknown[]).includes(m)) || new Set(value).size !== value.length) return { ok: false, detail: rule };
    return { ok: true, modes: value as AuthMode[] };
}

/** Port: the credentials an application accepts; undefined when the application is not registered. */
export interface ApplicationAuthModes {
    authModesOf(applicationId: string): Promise<readonly AuthMode[] | undefined>;
}

/** A player token decision. */
export type PlayerAuthorizeDecision =
    | { allow: true; applicationId: string; playerId: string; expiresAt: number }
    | { allow: false; reason: string; rejection?: JwtRejectionReason };

/** What {@link authorizePlayerToken} needs. */
export interface PlayerAuthorizeDeps {
    verifier: JwtVerifier;
    clock: Clock;
    applications: ApplicationAuthModes;
    /** Per-token cache of verifications (keep one per process). @default none */
    cache?: JwtDecisionCache;
}

/**
 * Decides whether the player token of `authorizationHeader` may send events to `applicationId`
 * (the events route's path) or, without one (put-record), to the application the token is for.
 * Denies: a missing or invalid token, a token for another application, an unregistered
 * application, an application that does not accept JWTs.
 * @throws JwksUnavailableError when the issuer's keys cannot be obtained (a 5xx, never cached)
 */
export async function authorizePlayerToken(
    authorizationHeader: string | undefined,
    applicationId: string | undefined,
    deps: PlayerAuthorizeDeps,
): Promise<PlayerAuthorizeDecision> {
    const token = tokenOfAuthorizationHeader(authorizationHeader);
    const verification = await verifyCached(token, deps);
    if (!verification.ok) return { allow: false, reason: verification.detail, rejection: verification.reason };
    const { identity } = verification;
    if (applicationId !== undefined && identity.applicationId !== applicationId) {
        return { allow: false, reason: "token: issued for another application" };
    }
    const modes = await deps.applications.authModesOf(identity.applicationId);
    if (modes === undefined) return { allow: false, reason: "application: not registered" };
    if (!modes.includes("JWT")) return { allow: false, reason: "application: does not accept player tokens (AuthModes has no JWT)" };
    return { allow: true, applicationId: identity.applicationId, playerId: identity.playerId, expiresAt: identity.expiresAt };
}

async function verifyCached(token: string | undefined, deps: PlayerAuthorizeDeps): Promise<JwtVerification> {
    if (token === undefined || deps.cache === undefined) return deps.verifier.verify(token);
    const cached = deps.cache.get(token, deps.clock.now());
    if (cached !== undefined) return cached;
    const verification = await deps.verifier.verify(token);
    deps.cache.set(token, verification, deps.clock.now());
    return verification;
}

/** A decision of the events route, for either credential. */
export type EventsAuthorizeDecision =
    | { allow: true; credential: "API_KEY"; applicationId: string; apiKeyId: string }
    | { allow: true; credential: "JWT"; applicationId: string; playerId: string; expiresAt: number }
    | { allow: false; reason: string; keyApplicationId?: string; apiKeyId?: string };

/** What {@link authorizeEventsRequest} needs. */
export interface EventsAuthorizeDeps {
    keys: KeyStore;
    clock: Clock;
    applications: ApplicationAuthModes;
    /** API key decision cache. @default none */
    keyCache?: DecisionCache;
    /** Player tokens; absent when the stack has no OIDC issuer. @default undefined */
    player?: Omit<PlayerAuthorizeDeps, "clock" | "applications">;
}

/**
 * The events route's decision: a JWT-shaped `Authorization` value is a player token (the
 * application must accept JWTs), anything else an API key (the application must accept API keys).
 * @throws store errors and JwksUnavailableError (a 5xx, never a silent deny)
 */
export async function authorizeEventsRequest(
    authorizationHeader: string | undefined,
    applicationId: string | undefined,
    deps: EventsAuthorizeDeps,
): Promise<EventsAuthorizeDecision> {
    const token = tokenOfAuthorizationHeader(authorizationHeader);
    if (token !== undefined && looksLikeJwt(token)) {
        if (deps.player === undefined) return { allow: false, reason: "Authorization header: player tokens are not configured on this stack (no OIDC issuer)" };
        if (applicationId === undefined || applicationId === "") return { allow: false, reason: "applicationId: required path parameter" };
        const decision = await authorizePlayerToken(token, applicationId, { ...deps.player, clock: deps.clock, applications: deps.applications });
        if (!decision.allow) return { allow: false, reason: decision.reason };
        return { allow: true, credential: "JWT", applicationId: decision.applicationId, playerId: decision.playerId, expiresAt: decision.expiresAt };
    }
    const decision = await authorizeApiKey(authorizationHeader, applicationId, { keys: deps.keys, clock: deps.clock, cache: deps.keyCache });
    if (!decision.allow) return decision;
    const modes = await deps.applications.authModesOf(decision.applicationId);
    if (modes === undefined) return { allow: false, reason: "application: not registered" };
    if (!modes.includes("API_KEY")) return { allow: false, reason: "application: does not accept API keys (AuthModes has no API_KEY)" };
    return { allow: true, credential: "API_KEY", applicationId: decision.applicationId, apiKeyId: decision.apiKeyId };
}
