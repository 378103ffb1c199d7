import { strict as assert } from "node:assert";
import { API_KEY_VALUE_LENGTH, generateApiKey, hashApiKey, isWellFormedId } from "../../functions/core/api-keys";
import { TtlCache } from "../../functions/core/cache";
import { corsResponseHeaders, parseAllowedOrigins } from "../../functions/core/cors";
import { APPLICATION, AUTHORIZATION, EVENTS, resolveRoute } from "../../functions/core/routes";

describe("API keys", () => {
    it("are 88 base64 characters of 64 random bytes, stored as their SHA-256 hex and shown as a 4...4 hint", () => {
        const key = generateApiKey();
        assert.equal(key.value.length, API_KEY_VALUE_LENGTH);
        assert.equal(Buffer.from(key.value, "base64").length, 64);
        assert.match(key.hash, /^[0-9a-f]{64}$/);
        assert.equal(key.hash, hashApiKey(key.value));
        assert.equal(key.hint, `${key.value.slice(0, 4)}...${key.value.slice(-4)}`);
        assert.notEqual(generateApiKey().value, key.value);
    });

    it("ids must be lowercase UUIDs", () => {
        assert.equal(isWellFormedId("0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968"), true);
        assert.equal(isWellFormedId("0B5F8C9E-7A51-4C6F-9F0E-1D2C3B4A5968"), false);
        assert.equal(isWellFormedId("../etc"), false);
    });
});

describe("TtlCache", () => {
    it("forgets entries after the TTL and evicts the oldest when full", () => {
        const cache = new TtlCache<string, number | undefined>(1000, 2);
        cache.set("a", 1, 0);
        cache.set("b", undefined, 0);
        assert.deepEqual(cache.get("b", 999), { value: undefined, expiresAt: 1000 });
        assert.equal(cache.get("a", 1000), undefined);
        cache.set("a", 1, 0);
        cache.set("c", 3, 0);
        assert.equal(cache.get("b", 1), undefined, "b, the oldest, was evicted");
        assert.equal(cache.get("c", 1)?.value, 3);
    });

    it("caches nothing with a TTL of 0", () => {
        const cache = new TtlCache<string, number>(0);
        cache.set("a", 1, 0);
        assert.equal(cache.get("a", 0), undefined);
    });
});

describe("resolveRoute", () => {
    it("maps concrete paths to resource templates with their parameters", () => {
        assert.deepEqual(resolveRoute("/applications/abc/events"), { resource: EVENTS, pathParameters: { applicationId: "abc" } });
        assert.deepEqual(resolveRoute("/applications/abc/authorizations/k%201/"), {
            resource: AUTHORIZATION,
            pathParameters: { applicationId: "abc", apiKeyId: "k 1" },
        });
        assert.equal(resolveRoute("/applications/abc")?.resource, APPLICATION);
        assert.equal(resolveRoute("/nope"), undefined);
    });
});

describe("CORS of the events answers", () => {
    it("allows any origin with *, echoes a listed origin, and says nothing to others", () => {
        assert.deepEqual(corsResponseHeaders("https://a.example", ["*"]), { "Access-Control-Allow-Origin": "*" });
        const listed = parseAllowedOrigins(" https://a.example , https://b.example ");
        assert.deepEqual(corsResponseHeaders("https://b.example", listed), { "Access-Control-Allow-Origin": "https://b.example", Vary: "Origin" });
        assert.deepEqual([corsResponseHeaders("https://c.example", listed), corsResponseHeaders(undefined, listed), parseAllowedOrigins(undefined)], [{}, {}, []]);
    });
});
