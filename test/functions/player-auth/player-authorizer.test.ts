/**
 * Player-token decisions, the events route's choice of credential, the per-token decision cache
 * and the development issuer, against the development issuer on 127.0.0.1 (jose-generated keys).
 */
import { strict as assert } from "node:assert";
import { generateApiKey } from "../../../functions/core/api-keys";
import type { KeyStore, StoredApiKey } from "../../../functions/core/ports";
import { type DevIssuer, startDevIssuer } from "../../../functions/core/player-auth/dev-issuer";
import { JwtDecisionCache, tokenHash } from "../../../functions/core/player-auth/jwt-decision-cache";
import { createJwtVerifier, type JwtVerification, type JwtVerifier } from "../../../functions/core/player-auth/jwt-verifier";
import { validateOidcSettings } from "../../../functions/core/player-auth/oidc-settings";
import {
    type ApplicationAuthModes,
    type AuthMode,
    authorizeEventsRequest,
    authorizePlayerToken,
    validateAuthModes,
} from "../../../functions/core/player-auth/player-authorizer";
import { APP, OTHER_APP, OffsetClock } from "./support/issuers";

const JWT_ONLY_APP = "2c9a7e51-3b4d-4e6f-9a8b-7c6d5e4f3a2b";
const KEYS_ONLY_APP = "3d8b6f42-2a1c-4d5e-8f9a-6b5c4d3e2f1a";

function registry(modes: Record<string, readonly AuthMode[]>): ApplicationAuthModes & { lookups: number } {
    const r = {
        lookups: 0,
        async authModesOf(id: string) {
            r.lookups++;
            return modes[id];
        },
    };
    return r;
}

class OneKeyStore implements Partial<KeyStore> {
    constructor(private readonly key: StoredApiKey) {}
    async getKeyByHash(hash: string) {
        return hash === this.key.ApiKeyHash ? this.key : undefined;
    }
}

describe("player authorization with the development issuer", () => {
    let issuer: DevIssuer;
    let verifier: JwtVerifier;
    const clock = new OffsetClock();
    const applications = registry({ [APP]: ["API_KEY", "JWT"], [OTHER_APP]: ["JWT"], [JWT_ONLY_APP]: ["JWT"], [KEYS_ONLY_APP]: ["API_KEY"] });

    before(async () => {
        issuer = await startDevIssuer({ clock });
        const { settings, problems } = validateOidcSettings(
            { oidcIssuerUrl: issuer.issuerUrl, oidcAudience: issuer.audience, oidcApplicationClaim: issuer.applicationClaim },
            { allowLoopbackHttp: true },
        );
        assert.deepEqual(problems, []);
        verifier = createJwtVerifier(settings!, { clock, allowLoopbackHttp: true });
    });
    after(async () => {
        await issuer.close();
    });

    it("serves discovery and a JWKS of public keys only, on 127.0.0.1", async () => {
        assert.match(issuer.issuerUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
        const discovery = (await (await fetch(`${issuer.issuerUrl}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
        assert.equal(discovery.issuer, issuer.issuerUrl);
        assert.equal(discovery.jwks_uri, issuer.jwksUrl);
        const jwks = (await (await fetch(issuer.jwksUrl)).json()) as { keys: Record<string, unknown>[] };
        assert.equal(jwks.keys.length, 1);
        assert.equal(jwks.keys[0]!.kid, issuer.currentKid);
        assert.equal(jwks.keys[0]!.d, undefined, "no private part published");
        assert.equal((await fetch(issuer.jwksUrl, { method: "POST" })).status, 405);
        assert.equal((await fetch(`${issuer.issuerUrl}/nope`)).status, 404);
        await assert.rejects(startDevIssuer({ host: "0.0.0.0" as never }), /host: must be one of/);
    });

    it("allows a valid token for its own application, on put-record (no path) and on the events path", async () => {
        const token = await issuer.mintToken({ playerId: "player-7", applicationId: APP });
        const exp = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).exp as number;
        assert.ok(Math.abs(exp - (clock.now() / 1000 + 3600)) < 5);
        assert.deepEqual(await authorizePlayerToken(token, undefined, { verifier, clock, applications }), {
            allow: true, applicationId: APP, playerId: "player-7", expiresAt: exp,
        });
        const onPath = await authorizePlayerToken(`Bearer ${token}`, APP, { verifier, clock, applications });
        assert.equal(onPath.allow, true);
    });

    it("denies a token for another application", async () => {
        const token = await issuer.mintToken({ playerId: "player-7", applicationId: OTHER_APP });
        const decision = await authorizePlayerToken(token, APP, { verifier, clock, applications });
        assert.deepEqual(decision, { allow: false, reason: "token: issued for another application" });
    });

    it("denies an unregistered application and one that does not accept JWTs", async () => {
        const unknown = await issuer.mintToken({ playerId: "p", applicationId: "9f8e7d6c-5b4a-4c3d-9e2f-1a0b9c8d7e6f" });
        assert.deepEqual(await authorizePlayerToken(unknown, undefined, { verifier, clock, applications }), { allow: false, reason: "application: not registered" });
        const keysOnly = await issuer.mintToken({ playerId: "p", applicationId: KEYS_ONLY_APP });
        const decision = await authorizePlayerToken(keysOnly, undefined, { verifier, clock, applications });
        assert.equal(decision.allow, false);
        assert.match(decision.allow ? "" : decision.reason, /does not accept player tokens/);
    });

    it("denies expired and wrong-audience tokens with the verifier's reason", async () => {
        const expired = await issuer.mintToken({ playerId: "p", applicationId: APP, ttlSeconds: -120 });
        const e = await authorizePlayerToken(expired, undefined, { verifier, clock, applications });
        assert.equal(e.allow ? "allowed" : e.rejection, "expired");
        const wrongAud = await issuer.mintToken({ playerId: "p", applicationId: APP, claims: { aud: "someone-else" } });
        const w = await authorizePlayerToken(wrongAud, undefined, { verifier, clock, applications });
        assert.equal(w.allow ? "allowed" : w.rejection, "wrong_audience");
    });

    it("accepts tokens of a rotated key, and refuses the retired one after the next refresh", async () => {
        const before = await issuer.mintToken({ playerId: "p", applicationId: APP });
        assert.ok((await verifier.verify(before)).ok);
        clock.advance(31_000);
        await issuer.rotateKey();
        const after = await issuer.mintToken({ playerId: "p", applicationId: APP });
        assert.ok((await verifier.verify(after)).ok, "the new kid triggers a refetch");
        assert.ok((await verifier.verify(before)).ok, "both keys are published during the rotation");
        clock.advance(31_000);
        await issuer.rotateKey({ retire: true });
        const fresh = await issuer.mintToken({ playerId: "p", applicationId: APP });
        assert.ok((await verifier.verify(fresh)).ok);
        const old = await verifier.verify(before);
        assert.equal(old.ok ? "accepted" : old.reason, "unknown_key", "the retired key is gone from the refreshed set");
    });

    it("caches a verification per token hash, for at most the token's remaining lifetime", async () => {
        const cache = new JwtDecisionCache({ maxTtlMs: 300_000 });
        let verifications = 0;
        const counting = { verify: async (t: string | undefined) => (verifications++, verifier.verify(t)) } as JwtVerifier;
        const token = await issuer.mintToken({ playerId: "p", applicationId: APP, ttlSeconds: 20 });
        const deps = { verifier: counting, clock, applications, cache };
        assert.equal((await authorizePlayerToken(token, APP, deps)).allow, true);
        assert.equal((await authorizePlayerToken(token, APP, deps)).allow, true);
        assert.equal(verifications, 1, "the second decision came from the cache");
        const other = await authorizePlayerToken(token, OTHER_APP, deps);
        assert.equal(other.allow, false, "the cached identity is still checked against the path's application");
        clock.advance(21_000);
        assert.equal((await authorizePlayerToken(token, APP, deps)).allow, true, "past exp, within the 60 s skew");
        assert.equal(verifications, 2, "past exp the cached acceptance is gone: verified again");
        clock.advance(60_000);
        const later = await authorizePlayerToken(token, APP, deps);
        assert.equal(later.allow, false, "beyond the skew: denied");
        assert.equal(verifications, 3, "an acceptance verified within the skew is not cached past exp");
    });

    it("decides the events route by credential shape and the application's AuthModes", async () => {
        const key = generateApiKey();
        const stored: StoredApiKey = {
            ApiKeyId: "k1", ApiKeyHash: key.hash, ApiKeyHint: key.hint, ApiKeyName: "n", ApiKeyDescription: "", ApplicationId: JWT_ONLY_APP,
            CreatedAt: "", UpdatedAt: "", Enabled: true,
        };
        const keys = new OneKeyStore(stored) as unknown as KeyStore;
        const deps = { keys, clock, applications, player: { verifier } };
        const keyDecision = await authorizeEventsRequest(key.value, JWT_ONLY_APP, deps);
        assert.deepEqual(keyDecision, { allow: false, reason: "application: does not accept API keys (AuthModes has no API_KEY)" });
        const keysOnlyStored = new OneKeyStore({ ...stored, ApplicationId: KEYS_ONLY_APP }) as unknown as KeyStore;
        assert.deepEqual(await authorizeEventsRequest(key.value, KEYS_ONLY_APP, { ...deps, keys: keysOnlyStored }), {
            allow: true, credential: "API_KEY", applicationId: KEYS_ONLY_APP, apiKeyId: "k1",
        });
        const token = await issuer.mintToken({ playerId: "player-9", applicationId: JWT_ONLY_APP });
        const jwtDecision = await authorizeEventsRequest(token, JWT_ONLY_APP, deps);
        assert.equal(jwtDecision.allow && jwtDecision.credential === "JWT" && jwtDecision.playerId, "player-9");
        const noIssuer = await authorizeEventsRequest(token, JWT_ONLY_APP, { keys, clock, applications });
        assert.match(noIssuer.allow ? "" : noIssuer.reason, /player tokens are not configured/);
        const wrongPath = await authorizeEventsRequest(token, APP, deps);
        assert.deepEqual(wrongPath, { allow: false, reason: "token: issued for another application" });
    });
});

describe("JwtDecisionCache", () => {
    const identity = (expiresAt: number): JwtVerification => ({ ok: true, identity: { playerId: "p", applicationId: APP, expiresAt } });
    const t0 = 1_767_614_400_000;

    it("keeps an acceptance until the earlier of maxTtlMs and exp", () => {
        const cache = new JwtDecisionCache({ maxTtlMs: 60_000 });
        cache.set("tok-a", identity(t0 / 1000 + 10), t0);
        assert.ok(cache.get("tok-a", t0 + 9_999));
        assert.equal(cache.get("tok-a", t0 + 10_000), undefined, "gone at exp");
        cache.set("tok-b", identity(t0 / 1000 + 3600), t0);
        assert.ok(cache.get("tok-b", t0 + 59_999));
        assert.equal(cache.get("tok-b", t0 + 60_000), undefined, "gone at maxTtlMs");
        const size = cache.size;
        cache.set("tok-c", identity(t0 / 1000 - 1), t0);
        assert.equal(cache.size, size, "an already expired token is not cached");
    });

    it("keeps a rejection for denyTtlMs, evicts the oldest when full, and never holds the token itself", () => {
        const cache = new JwtDecisionCache({ maxTtlMs: 60_000, denyTtlMs: 5_000, maxEntries: 2 });
        cache.set("bad", { ok: false, reason: "expired", detail: "x" }, t0);
        assert.ok(cache.get("bad", t0 + 4_999));
        assert.equal(cache.get("bad", t0 + 5_000), undefined);
        cache.set("one", identity(t0 / 1000 + 100), t0);
        cache.set("two", identity(t0 / 1000 + 100), t0);
        cache.set("three", identity(t0 / 1000 + 100), t0);
        assert.equal(cache.get("one", t0), undefined);
        assert.ok(cache.get("three", t0));
        const held = JSON.stringify([...(cache as unknown as { entries: Map<string, unknown> }).entries.keys()]);
        assert.ok(!held.includes("three") && held.includes(tokenHash("three")));
    });

    it("is disabled by maxTtlMs 0", () => {
        const cache = new JwtDecisionCache({ maxTtlMs: 0 });
        cache.set("t", identity(t0 / 1000 + 100), t0);
        assert.equal(cache.get("t", t0), undefined);
    });
});

describe("validateAuthModes", () => {
    it("defaults to API keys only and names the field on bad values", () => {
        assert.deepEqual(validateAuthModes(undefined), { ok: true, modes: ["API_KEY"] });
        assert.deepEqual(validateAuthModes(["JWT"]), { ok: true, modes: ["JWT"] });
        assert.deepEqual(validateAuthModes(["API_KEY", "JWT"]), { ok: true, modes: ["API_KEY", "JWT"] });
        for (const bad of [[], ["JWT", "JWT"], ["OAUTH"], "JWT", null, ["API_KEY", "JWT", "X"]]) {
            const result = validateAuthModes(bad);
            assert.equal(result.ok, false, JSON.stringify(bad));
            assert.match(result.ok ? "" : result.detail, /^AuthModes: must be a non-empty list of distinct values among API_KEY, JWT$/);
        }
    });
});
