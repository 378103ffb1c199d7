/**
 * The events route's API key check: one point lookup by key hash per uncached decision.
 * The key value is hashed on arrival and never logged, cached or returned.
 */
import { hashApiKey } from "./api-keys";
import { TtlCache } from "./cache";
import type { Clock, KeyStore } from "./ports";

/**
 * Outcome of {@link authorizeApiKey}. A deny of an enabled key used on another application names
 * the key's own application (`keyApplicationId`), so the Lambda authorizer can return a policy
 * that depends on the key alone (API Gateway caches it by the Authorization header only).
 */
export type AuthorizeDecision =
    | { allow: true; applicationId: string; apiKeyId: string }
    | { allow: false; reason: string; keyApplicationId?: string; apiKeyId?: string };

/** Cache of decisions (allow and deny) keyed by key hash and application id. */
export class DecisionCache {
    private readonly cache: TtlCache<string, AuthorizeDecision>;

    /**
     * @param ttlMs lifetime of a decision, milliseconds (0 disables caching)
     * @param maxEntries most decisions kept; default 10,000
     */
    constructor(ttlMs: number, maxEntries?: number) {
        this.cache = new TtlCache(ttlMs, maxEntries);
    }

    get(apiKeyHash: string, applicationId: string, now: number): AuthorizeDecision | undefined {
        return this.cache.get(`${apiKeyHash}:${applicationId}`, now)?.value;
    }

    set(apiKeyHash: string, applicationId: string, decision: AuthorizeDecision, now: number): void {
        this.cache.set(`${apiKeyHash}:${applicationId}`, decision, now);
    }
}

/**
 * Decides whether `apiKeyValue` may send events to `applicationId`. Denies a missing header,
 * an unknown key, a disabled key and a key of another application.
 * Store errors propagate (a 5xx, never a silent deny) and are not cached.
 */
export async function authorizeApiKey(
    apiKeyValue: string | undefined,
    applicationId: string | undefined,
    deps: { keys: KeyStore; clock: Clock; cache?: DecisionCache },
): Promise<AuthorizeDecision> {
    if (apiKeyValue === undefined || apiKeyValue.trim() === "") {
        return { allow: false, reason: "Authorization header: required (the API key value)" };
    }
    if (applicationId === undefined || applicationId === "") {
        return { allow: false, reason: "applicationId: required path parameter" };
    }
    const hash = hashApiKey(apiKeyValue);
    const cached = deps.cache?.get(hash, applicationId, deps.clock.now());
    if (cached) return cached;
    const key = await deps.keys.getKeyByHash(hash);
    let decision: AuthorizeDecision;
    if (!key) decision = { allow: false, reason: "API key: unknown" };
    else if (!key.Enabled) decision = { allow: false, reason: "API key: disabled" };
    else if (key.ApplicationId !== applicationId) {
        decision = { allow: false, reason: "API key: belongs to another application", keyApplicationId: key.ApplicationId, apiKeyId: key.ApiKeyId };
    } else decision = { allow: true, applicationId, apiKeyId: key.ApiKeyId };
    deps.cache?.set(hash, applicationId, decision, deps.clock.now());
    return decision;
}
