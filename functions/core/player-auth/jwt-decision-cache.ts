/**
 * Cache of token verifications, keyed by the token's SHA-256 (the token itself is never held).
 * An accepted token is kept for at most its remaining lifetime (`exp - now`) and at most
 * `maxTtlMs`; a rejected one for at most `denyTtlMs`. API Gateway's own authorizer cache has one
 * TTL for every answer and would let an expired token through, so the JWT authorizer runs with
 * that cache off (TTL 0) and keeps this one in the Lambda container instead.
 */
import { createHash } from "node:crypto";
import type { JwtVerification } from "./jwt-verifier";

/** Default longest life of a cached acceptance, milliseconds. */
export const DEFAULT_JWT_ALLOW_TTL_MS = 5 * 60_000;
/** Default life of a cached rejection, milliseconds. */
export const DEFAULT_JWT_DENY_TTL_MS = 10_000;
/** Default most entries. */
export const DEFAULT_JWT_CACHE_ENTRIES = 10_000;

/** Options of a {@link JwtDecisionCache}. */
export interface JwtDecisionCacheOptions {
    /** Longest life of an acceptance (0 disables the cache). @default 300000 (5 min) */
    maxTtlMs?: number;
    /** Life of a rejection (0 caches none). @default 10000 (10 s) */
    denyTtlMs?: number;
    /** Most entries; when full the oldest inserted goes. @default 10000 */
    maxEntries?: number;
}

interface Entry {
    verification: JwtVerification;
    expiresAt: number;
}

/** Hex SHA-256 of a token: the cache key. */
export function tokenHash(token: string): string {
    return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Per-token cache of verifications. Time is passed in (epoch ms). */
export class JwtDecisionCache {
    private readonly entries = new Map<string, Entry>();
    readonly maxTtlMs: number;
    readonly denyTtlMs: number;
    readonly maxEntries: number;

    constructor(options: JwtDecisionCacheOptions = {}) {
        this.maxTtlMs = options.maxTtlMs ?? DEFAULT_JWT_ALLOW_TTL_MS;
        this.denyTtlMs = Math.min(options.denyTtlMs ?? DEFAULT_JWT_DENY_TTL_MS, this.maxTtlMs);
        this.maxEntries = options.maxEntries ?? DEFAULT_JWT_CACHE_ENTRIES;
        if (!(this.maxTtlMs >= 0) || !(this.denyTtlMs >= 0)) throw new RangeError("maxTtlMs, denyTtlMs: must be >= 0");
        if (!(this.maxEntries >= 1)) throw new RangeError(`maxEntries: must be >= 1 (got ${this.maxEntries})`);
    }

    /** The live verification of `token` at `now`, or undefined. */
    get(token: string, now: number): JwtVerification | undefined {
        const key = tokenHash(token);
        const entry = this.entries.get(key);
        if (entry === undefined) return undefined;
        if (entry.expiresAt <= now) {
            this.entries.delete(key);
            return undefined;
        }
        return entry.verification;
    }

    /** Keeps `verification` of `token` until the earliest of its TTL and, for an acceptance, the token's `exp`. */
    set(token: string, verification: JwtVerification, now: number): void {
        const ttl = verification.ok ? Math.min(this.maxTtlMs, verification.identity.expiresAt * 1000 - now) : this.denyTtlMs;
        if (!(ttl > 0)) return;
        const key = tokenHash(token);
        this.entries.delete(key);
        if (this.entries.size >= this.maxEntries) {
            const oldest = this.entries.keys().next();
            if (!oldest.done) this.entries.delete(oldest.value);
        }
        this.entries.set(key, { verification, expiresAt: now + ttl });
    }

    /** Entries held (expired ones included until touched). */
    get size(): number {
        return this.entries.size;
    }
}
