/**
 * The JWKS cache with an injected clock and fetch: ages, cooldowns, stale use, concurrent
 * callers, and the filtering of what a JWKS may contain.
 */
import { strict as assert } from "node:assert";
import { JwksCache, JwksUnavailableError, publicSigningKeys } from "../../../functions/core/player-auth/jwks-cache";
import { ManualClock } from "../support/fixtures";

const ISSUER = "https://id.example.com";
const JWKS_URL = "https://id.example.com/keys";
const RSA = { kty: "RSA", kid: "r1", n: "AQAB", e: "AQAB" };

function fetcher(responses: Array<unknown | Error>) {
    const calls: string[] = [];
    const fn = async (url: string) => {
        calls.push(url);
        const next = responses.length > 1 ? responses.shift() : responses[0];
        if (next instanceof Error) throw next;
        return next;
    };
    return { fn, calls };
}

describe("JwksCache", () => {
    it("fetches once, serves the set for maxAgeMs, then refetches", async () => {
        const clock = new ManualClock();
        const f = fetcher([{ keys: [RSA] }]);
        const cache = new JwksCache({ issuerUrl: ISSUER, jwksUrl: JWKS_URL, clock, fetchJson: f.fn, maxAgeMs: 60_000 });
        await cache.current();
        clock.advance(59_999);
        await cache.current();
        assert.equal(f.calls.length, 1);
        clock.advance(1);
        await cache.current();
        assert.equal(f.calls.length, 2);
    });

    it("shares one fetch between concurrent callers", async () => {
        const clock = new ManualClock();
        const f = fetcher([{ keys: [RSA] }]);
        const cache = new JwksCache({ issuerUrl: ISSUER, jwksUrl: JWKS_URL, clock, fetchJson: f.fn });
        await Promise.all(Array.from({ length: 20 }, () => cache.current()));
        assert.equal(f.calls.length, 1);
    });

    it("refetches for an unknown key at most once per cooldown", async () => {
        const clock = new ManualClock();
        const f = fetcher([{ keys: [RSA] }]);
        const cache = new JwksCache({ issuerUrl: ISSUER, jwksUrl: JWKS_URL, clock, fetchJson: f.fn, cooldownMs: 30_000 });
        await cache.current();
        assert.equal(await cache.refreshForUnknownKey(), false, "within the cooldown of the first fetch");
        clock.advance(30_000);
        assert.equal(await cache.refreshForUnknownKey(), true);
        assert.equal(await cache.refreshForUnknownKey(), false);
        assert.equal(f.calls.length, 2);
    });

    it("uses the last good set while refreshes fail, for at most maxStaleMs, then throws JwksUnavailableError", async () => {
        const clock = new ManualClock();
        const f = fetcher([{ keys: [RSA] }, new Error("connect ECONNREFUSED")]);
        const cache = new JwksCache({ issuerUrl: ISSUER, jwksUrl: JWKS_URL, clock, fetchJson: f.fn, maxAgeMs: 60_000, cooldownMs: 10_000, maxStaleMs: 120_000 });
        await cache.current();
        clock.advance(60_000);
        assert.deepEqual((await cache.current()).keys.map((k) => k.kid), ["r1"], "stale but usable");
        assert.equal(f.calls.length, 2);
        clock.advance(5_000);
        await cache.current();
        assert.equal(f.calls.length, 2, "failed refreshes are retried once per cooldown");
        clock.advance(55_000);
        await assert.rejects(cache.current(), (err: Error) => err instanceof JwksUnavailableError && /ECONNREFUSED/.test(err.message));
    });

    it("without any set, retries a failing issuer at most once per failureRetryMs", async () => {
        const clock = new ManualClock();
        const f = fetcher([new Error("HTTP 503")]);
        const cache = new JwksCache({ issuerUrl: ISSUER, jwksUrl: JWKS_URL, clock, fetchJson: f.fn, failureRetryMs: 5_000 });
        for (let i = 0; i < 10; i++) await assert.rejects(cache.current(), JwksUnavailableError);
        assert.equal(f.calls.length, 1);
        clock.advance(5_000);
        await assert.rejects(cache.current(), JwksUnavailableError);
        assert.equal(f.calls.length, 2);
    });

    it("finds the JWKS by discovery once, checking the issuer it names", async () => {
        const clock = new ManualClock();
        const f = fetcher([{ issuer: `${ISSUER}/`, jwks_uri: JWKS_URL }, { keys: [RSA] }]);
        const cache = new JwksCache({ issuerUrl: `${ISSUER}/`, clock, fetchJson: f.fn, maxAgeMs: 1, cooldownMs: 1 });
        await cache.current();
        clock.advance(1);
        await cache.current();
        assert.deepEqual(f.calls, [`${ISSUER}/.well-known/openid-configuration`, JWKS_URL, JWKS_URL]);
    });
});

describe("publicSigningKeys", () => {
    it("keeps public RSA, EC and OKP signing keys, drops symmetric and encryption keys and private members", () => {
        const set = publicSigningKeys({
            keys: [
                { ...RSA, d: "secret", p: "x", q: "y", dp: "a", dq: "b", qi: "c" },
                { kty: "EC", kid: "e1", crv: "P-256", x: "x", y: "y", use: "sig" },
                { kty: "OKP", kid: "o1", crv: "Ed25519", x: "x" },
                { kty: "oct", kid: "s1", k: "c2VjcmV0" },
                { kty: "RSA", kid: "enc", n: "AQAB", e: "AQAB", use: "enc" },
                { kty: "RSA", kid: "hs", n: "AQAB", e: "AQAB", alg: "HS256" },
                "junk",
                null,
            ],
        });
        assert.deepEqual(set.keys.map((k) => k.kid), ["r1", "e1", "o1"]);
        assert.deepEqual(set.keys[0], RSA);
    });

    it("rejects a document that is not {keys: [...]}", () => {
        for (const bad of [null, [], {}, { keys: {} }, "keys"]) assert.throws(() => publicSigningKeys(bad), /JWKS: not a JSON object with a keys array/);
    });
});

describe("JwksCache under concurrent unknown keys", () => {
    it("lets callers that arrive during a refetch wait for it instead of failing", async () => {
        const clock = new ManualClock();
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let calls = 0;
        const cache = new JwksCache({
            issuerUrl: ISSUER, jwksUrl: JWKS_URL, clock, cooldownMs: 30_000,
            fetchJson: async () => {
                calls++;
                if (calls === 2) await gate;
                return { keys: calls === 1 ? [RSA] : [RSA, { ...RSA, kid: "r2" }] };
            },
        });
        await cache.current();
        clock.advance(30_000);
        const first = cache.refreshForUnknownKey();
        const second = cache.refreshForUnknownKey();
        release();
        assert.deepEqual(await Promise.all([first, second]), [true, true]);
        assert.equal(calls, 2);
        assert.deepEqual((await cache.current()).keys.map((k) => k.kid), ["r1", "r2"]);
    });
});
