/**
 * Rules of player-token (JWT) authorization on API Gateway REST APIs (issue 16), from the API
 * Gateway reference: an authorizer's `authorizerResultTtlInSeconds`, when not set, is 300 s (the
 * result cache is ON by default), and API Gateway reuses a cached Allow for the whole TTL,
 * whatever the token's `exp` or a key's disabling. So:
 * - every Lambda (TOKEN / REQUEST) authorizer sets its TTL explicitly (0-3600);
 * - the player-token authorizer (named "player-token", components/aws/ingest-tier.ts) has TTL 0:
 *   its function caches per token for at most the token's remaining lifetime instead;
 * - a cached authorizer has an identity source (API Gateway refuses a TTL > 0 without one).
 * Least privilege of the authorizer's role (no `*`) is iam-least-privilege's, for every role.
 */
import { ResourceRule, TYPES } from "./types";

/** Name of the player-token authorizer. */
export const PLAYER_TOKEN_AUTHORIZER = "player-token";
/** API Gateway's TTL of an authorizer that sets none, seconds. */
export const DEFAULT_AUTHORIZER_TTL_SECONDS = 300;

export const apiAuthorizerTtlExplicit: ResourceRule = {
    name: "api-authorizer-ttl-explicit",
    description: `A Lambda authorizer sets authorizerResultTtlInSeconds (0-3600): unset, API Gateway caches each decision ${DEFAULT_AUTHORIZER_TTL_SECONDS} s, beyond a token's expiry or a disabled key; a TTL above 0 needs an identity source.`,
    types: [TYPES.apiAuthorizer],
    check: (r) => {
        const type = String(r.props.type ?? "TOKEN");
        if (type !== "TOKEN" && type !== "REQUEST") return [];
        const ttl = r.props.authorizerResultTtlInSeconds;
        if (ttl === undefined || ttl === null) return [`authorizerResultTtlInSeconds unset: API Gateway caches every decision ${DEFAULT_AUTHORIZER_TTL_SECONDS} s; set it explicitly`];
        if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 0 || ttl > 3600) return [`authorizerResultTtlInSeconds ${JSON.stringify(ttl)}: must be a whole number of seconds from 0 to 3600`];
        if (ttl > 0 && (r.props.identitySource === undefined || r.props.identitySource === "")) return ["a cached authorizer (TTL > 0) needs an identity source (API Gateway refuses it)"];
        return [];
    },
};

export const playerTokenAuthorizerUncached: ResourceRule = {
    name: "player-token-authorizer-uncached",
    description: "The player-token authorizer has authorizerResultTtlInSeconds 0: a cached Allow would outlive the JWT's exp (the function caches per token, capped by the token's remaining lifetime).",
    types: [TYPES.apiAuthorizer],
    check: (r) => {
        if (r.props.name !== PLAYER_TOKEN_AUTHORIZER) return [];
        return r.props.authorizerResultTtlInSeconds === 0
            ? []
            : [`authorizerResultTtlInSeconds ${JSON.stringify(r.props.authorizerResultTtlInSeconds ?? DEFAULT_AUTHORIZER_TTL_SECONDS)}: a player-token decision may not outlive the token; set 0`];
    },
};

export const PLAYER_AUTH_RESOURCE_RULES: readonly ResourceRule[] = [apiAuthorizerTtlExplicit, playerTokenAuthorizerUncached];
