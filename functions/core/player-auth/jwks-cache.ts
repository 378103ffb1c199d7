/**
 * The issuer's signing keys (JWKS), fetched on first use, kept for `maxAgeMs`, refetched when a
 * token names a key id the set does not hold (key rotation), and never fetched more than once
 * per `cooldownMs` whatever tokens arrive (a flood of made-up `kid`s costs one fetch per
 * cooldown). When a refresh fails, the last good set is used for at most `maxStaleMs`; without
 * a usable set, {@link JwksUnavailableError} is thrown (a 5xx, never cached, never a deny).
 *
 * Only public signing keys are kept: symmetric (`oct`) keys, keys whose `use` is not `sig`, and
 * private members are dropped, so no JWKS content can turn a verification into an HMAC check.
 */
import type { JSONWebKeySet, JWK } from "jose";
import type { Clock } from "../ports";
import { readUrl } from "./oidc-settings";

/** Fetches `url` and returns its parsed JSON body; throws on any failure. */
export type JsonFetcher = (url: string) => Promise<unknown>;

/** Default lifetime of a fetched key set, milliseconds. */
export const DEFAULT_JWKS_MAX_AGE_MS = 10 * 60_000;
/** Default least interval between two fetch attempts, milliseconds. */
export const DEFAULT_JWKS_COOLDOWN_MS = 30_000;
/** Default longest use of a key set whose refresh keeps failing, milliseconds. */
export const DEFAULT_JWKS_MAX_STALE_MS = 60 * 60_000;
/** Default least interval between attempts while no key set is held, milliseconds. */
export const DEFAULT_JWKS_FAILURE_RETRY_MS = 5_000;
/** Largest JWKS or discovery document read, bytes. */
export const MAX_DOCUMENT_BYTES = 256 * 1024;
/** Timeout of one fetch, milliseconds. */
export const FETCH_TIMEOUT_MS = 5_000;

/** The issuer's keys could not be obtained: the request must fail with a 5xx, not a deny. */
export class JwksUnavailableError extends Error {
    constructor(detail: string) {
        super(`issuer signing keys unavailable: ${detail}`);
        this.name = "JwksUnavailableError";
    }
}

/** Options of a {@link JwksCache}. */
export interface JwksCacheOptions {
    /** Issuer identifier; discovery is read from `{issuerUrl}/.well-known/openid-configuration`. */
    issuerUrl: string;
    /**
     * JWKS URL; skips discovery.
     * @default undefined (discovery)
     */
    jwksUrl?: string;
    /** Clock of the cache's ages and cooldown. */
    clock: Clock;
    /**
     * HTTP GET of a JSON document.
     * @default {@link fetchJsonDocument} (global fetch, 5 s timeout, 256 KiB, no redirects)
     */
    fetchJson?: JsonFetcher;
    /** @default 600000 (10 min) */
    maxAgeMs?: number;
    /** @default 30000 (30 s) */
    cooldownMs?: number;
    /** @default 3600000 (1 h) */
    maxStaleMs?: number;
    /**
     * Least interval between fetch attempts while no key set was ever obtained (at most `cooldownMs`).
     * @default 5000 (5 s)
     */
    failureRetryMs?: number;
    /**
     * Accept an `http://` `jwks_uri` on a loopback host (local mode only).
     * @default false
     */
    allowLoopbackHttp?: boolean;
}

/** Members of a JWK that only a private or symmetric key has. */
const SECRET_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const PUBLIC_KEY_TYPES = new Set(["RSA", "EC", "OKP"]);

/** A cached, rate-bounded view of the issuer's JWKS. */
export class JwksCache {
    private set?: JSONWebKeySet;
    private fetchedAt = -Infinity;
    /** Successful fetches so far. */
    private generation = 0;
    private attemptedAt = -Infinity;
    private inflight?: Promise<void>;
    private resolvedJwksUrl?: string;
    private fetches = 0;
    private readonly fetchJson: JsonFetcher;
    private readonly maxAgeMs: number;
    private readonly cooldownMs: number;
    private readonly maxStaleMs: number;
    private readonly failureRetryMs: number;

    constructor(private readonly options: JwksCacheOptions) {
        this.fetchJson = options.fetchJson ?? fetchJsonDocument;
        this.maxAgeMs = options.maxAgeMs ?? DEFAULT_JWKS_MAX_AGE_MS;
        this.cooldownMs = options.cooldownMs ?? DEFAULT_JWKS_COOLDOWN_MS;
        this.maxStaleMs = options.maxStaleMs ?? DEFAULT_JWKS_MAX_STALE_MS;
        this.failureRetryMs = Math.min(options.failureRetryMs ?? DEFAULT_JWKS_FAILURE_RETRY_MS, this.cooldownMs);
        this.resolvedJwksUrl = options.jwksUrl;
    }

    /** JWKS documents fetched so far (discovery excluded). */
    get fetchCount(): number {
        return this.fetches;
    }

    /**
     * The current key set: fetched when absent or older than `maxAgeMs` (at most once per cooldown).
     * @throws JwksUnavailableError when no set was ever fetched, or the last one is older than `maxStaleMs`
     */
    async current(): Promise<JSONWebKeySet> {
        const now = this.options.clock.now();
        if (this.set !== undefined && now - this.fetchedAt < this.maxAgeMs) return this.set;
        const wait = this.set === undefined ? this.failureRetryMs : this.cooldownMs;
        if (this.inflight !== undefined || now - this.attemptedAt >= wait) await this.load();
        const after = this.options.clock.now();
        if (this.set !== undefined && after - this.fetchedAt < this.maxStaleMs) return this.set;
        throw new JwksUnavailableError(this.lastError ?? "no key set fetched yet (retried at most every failureRetryMs)");
    }

    /**
     * A token named a key the set lacks: refetch unless a fetch was attempted within the cooldown.
     * @returns whether a new set was fetched (then resolve the key again)
     */
    async refreshForUnknownKey(): Promise<boolean> {
        const before = this.generation;
        if (this.inflight !== undefined) {
            await this.inflight;
            return this.generation > before;
        }
        if (this.options.clock.now() - this.attemptedAt < this.cooldownMs) return false;
        await this.load();
        return this.generation > before;
    }

    private lastError?: string;

    private load(): Promise<void> {
        this.inflight ??= this.fetchSet().finally(() => {
            this.inflight = undefined;
        });
        return this.inflight;
    }

    private async fetchSet(): Promise<void> {
        this.attemptedAt = this.options.clock.now();
        try {
            const url = await this.jwksUrl();
            this.fetches++;
            const set = publicSigningKeys(await this.fetchJson(url));
            this.set = set;
            this.fetchedAt = this.options.clock.now();
            this.generation++;
            this.lastError = undefined;
        } catch (err) {
            this.lastError = err instanceof Error ? err.message : String(err);
        }
    }

    private async jwksUrl(): Promise<string> {
        if (this.resolvedJwksUrl !== undefined) return this.resolvedJwksUrl;
        const issuer = this.options.issuerUrl;
        const discovery = await this.fetchJson(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
        if (typeof discovery !== "object" || discovery === null) throw new Error("discovery document: not a JSON object");
        const doc = discovery as Record<string, unknown>;
        if (doc.issuer !== issuer) throw new Error(`discovery document: issuer ${JSON.stringify(doc.issuer)} is not the configured issuer ${JSON.stringify(issuer)}`);
        const jwksUri = readUrl(doc.jwks_uri, { allowLoopbackHttp: this.options.allowLoopbackHttp });
        if (jwksUri === undefined) throw new Error("discovery document: jwks_uri must be an https:// URL");
        this.resolvedJwksUrl = jwksUri;
        return jwksUri;
    }
}

/**
 * The public signing keys of a JWKS document: RSA, EC and OKP keys whose `use` is absent or
 * `sig`, stripped of private members.
 * @throws Error when the document is not `{keys: [...]}`
 */
export function publicSigningKeys(document: unknown): JSONWebKeySet {
    if (typeof document !== "object" || document === null || !Array.isArray((document as { keys?: unknown }).keys)) {
        throw new Error("JWKS: not a JSON object with a keys array");
    }
    const keys: JWK[] = [];
    for (const key of (document as { keys: unknown[] }).keys) {
        if (typeof key !== "object" || key === null || Array.isArray(key)) continue;
        const jwk = key as Record<string, unknown>;
        if (typeof jwk.kty !== "string" || !PUBLIC_KEY_TYPES.has(jwk.kty)) continue;
        if (jwk.use !== undefined && jwk.use !== "sig") continue;
        if (typeof jwk.alg === "string" && /^(HS|none)/i.test(jwk.alg)) continue;
        const copy: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(jwk)) if (!SECRET_MEMBERS.includes(name)) copy[name] = value;
        keys.push(copy as JWK);
    }
    return { keys };
}

/**
 * GET of a JSON document with the global fetch: 5 s timeout, no redirects, at most 256 KiB.
 * @throws Error naming the URL and the failure
 */
export async function fetchJsonDocument(url: string): Promise<unknown> {
    const response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    const text = await response.text();
    if (Buffer.byteLength(text) > MAX_DOCUMENT_BYTES) throw new Error(`GET ${url}: larger than ${MAX_DOCUMENT_BYTES} bytes`);
    try {
        return JSON.parse(text);
    } catch {
        throw new Error(`GET ${url}: not JSON`);
    }
}
