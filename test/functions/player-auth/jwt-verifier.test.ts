/**
 * The JWT verifier against a real OIDC issuer on 127.0.0.1 (oauth2-mock-server): discovery and
 * JWKS over HTTP, tokens it signs, and the classic attacks built by hand.
 */
import { strict as assert } from "node:assert";
import { exportJWK, exportSPKI, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";
import type { OAuth2Server } from "oauth2-mock-server";
import { JwksCache, JwksUnavailableError } from "../../../functions/core/player-auth/jwks-cache";
import { createJwtVerifier, JwtVerifier, looksLikeJwt, tokenOfAuthorizationHeader } from "../../../functions/core/player-auth/jwt-verifier";
import type { OidcSettings } from "../../../functions/core/player-auth/oidc-settings";
import { APP, AUDIENCE, b64url, countingFetch, OffsetClock, settingsFor, startMockIssuer } from "./support/issuers";

type Transform = (header: Record<string, unknown>, payload: Record<string, unknown>) => void;

describe("JwtVerifier against oauth2-mock-server", () => {
    let server: OAuth2Server;
    let issuer: string;

    before(async () => {
        server = await startMockIssuer();
        issuer = server.issuer.url!;
    });
    after(async () => {
        await server.stop();
    });

    /** A token of the mock issuer for player-1 of APP, changed by `transform`. */
    function token(transform: Transform = () => undefined, opts: { kid?: string; expiresIn?: number } = {}): Promise<string> {
        return server.issuer.buildToken({
            kid: opts.kid ?? "rsa-1",
            expiresIn: opts.expiresIn ?? 600,
            scopesOrTransform: (header, payload) => {
                payload.sub = "player-1";
                payload.aud = AUDIENCE;
                payload.app_id = APP;
                transform(header, payload);
            },
        });
    }

    function verifier(overrides: Partial<OidcSettings> = {}, clock = new OffsetClock(), fetchJson = countingFetch()) {
        const jwks = new JwksCache({ issuerUrl: issuer, clock, fetchJson, allowLoopbackHttp: true });
        return { verifier: new JwtVerifier(settingsFor(issuer, overrides), { clock, jwks }), clock, jwks, fetchJson };
    }

    it("accepts a valid token: player id from sub, application from app_id, expiry from exp (keys found by discovery)", async () => {
        const { verifier: v, fetchJson } = verifier();
        const t = await token();
        const result = await v.verify(t);
        assert.ok(result.ok, JSON.stringify(result));
        assert.equal(result.identity.playerId, "player-1");
        assert.equal(result.identity.applicationId, APP);
        const exp = JSON.parse(Buffer.from(t.split(".")[1]!, "base64url").toString()).exp;
        assert.equal(result.identity.expiresAt, exp);
        assert.deepEqual(fetchJson.urls, [`${issuer}/.well-known/openid-configuration`, `${issuer}/jwks`]);
    });

    it("verifies ES256, PS256 and EdDSA keys of the issuer too", async () => {
        for (const [alg, kid] of [["ES256", "ec-1"], ["PS256", "ps-1"], ["EdDSA", "ed-1"]] as const) {
            await server.issuer.keys.generate(alg, { kid });
            const { verifier: v } = verifier();
            const result = await v.verify(await token(undefined, { kid }));
            assert.ok(result.ok, `${alg}: ${JSON.stringify(result)}`);
        }
    });

    it("reads a configured claim as the player id, an integer one as decimal text", async () => {
        const { verifier: v } = verifier({ playerIdClaim: "custom:player_id" });
        const result = await v.verify(await token((_h, p) => void (p["custom:player_id"] = 4217)));
        assert.ok(result.ok);
        assert.equal(result.identity.playerId, "4217");
        const missing = await v.verify(await token());
        assert.deepEqual(missing.ok ? "accepted" : missing.reason, "missing_claim");
    });

    it("rejects an expired token, and accepts one expired within the clock skew", async () => {
        const { verifier: v } = verifier({ clockSkewSeconds: 60 });
        const expired = await v.verify(await token((_h, p) => void (p.exp = Math.floor(Date.now() / 1000) - 120)));
        assert.equal(expired.ok ? "accepted" : expired.reason, "expired");
        const withinSkew = await v.verify(await token((_h, p) => void (p.exp = Math.floor(Date.now() / 1000) - 20)));
        assert.ok(withinSkew.ok, JSON.stringify(withinSkew));
        const { verifier: strict } = verifier({ clockSkewSeconds: 0 });
        const noSkew = await strict.verify(await token((_h, p) => void (p.exp = Math.floor(Date.now() / 1000) - 20)));
        assert.equal(noSkew.ok ? "accepted" : noSkew.reason, "expired");
    });

    it("rejects a token once the injected clock passes its exp", async () => {
        const { verifier: v, clock } = verifier({ clockSkewSeconds: 0 });
        const t = await token(undefined, { expiresIn: 300 });
        assert.ok((await v.verify(t)).ok);
        clock.advance(301_000);
        const later = await v.verify(t);
        assert.equal(later.ok ? "accepted" : later.reason, "expired");
    });

    it("rejects a token without exp, and one whose nbf is beyond the skew", async () => {
        const { verifier: v } = verifier();
        const noExp = await v.verify(await token((_h, p) => void delete p.exp));
        assert.equal(noExp.ok ? "accepted" : noExp.reason, "missing_claim");
        const future = await v.verify(await token((_h, p) => void (p.nbf = Math.floor(Date.now() / 1000) + 600)));
        assert.equal(future.ok ? "accepted" : future.reason, "not_yet_valid");
    });

    it("rejects a wrong audience, and accepts any of several configured audiences", async () => {
        const { verifier: v } = verifier();
        const wrong = await v.verify(await token((_h, p) => void (p.aud = "another-game")));
        assert.equal(wrong.ok ? "accepted" : wrong.reason, "wrong_audience");
        const { verifier: several } = verifier({ audiences: ["another-game", AUDIENCE] });
        assert.ok((await several.verify(await token((_h, p) => void (p.aud = ["x", "another-game"])))).ok);
    });

    it("rejects a wrong issuer (signed with the issuer's own key, iss changed)", async () => {
        const { verifier: v } = verifier();
        const result = await v.verify(await token((_h, p) => void (p.iss = "https://evil.example.com")));
        assert.equal(result.ok ? "accepted" : result.reason, "wrong_issuer");
        const slash = await v.verify(await token((_h, p) => void (p.iss = `${issuer}/`)));
        assert.equal(slash.ok ? "accepted" : slash.reason, "wrong_issuer", "the issuer is compared exactly");
    });

    it("rejects a token of another issuer (its key is unknown here)", async () => {
        const other = await startMockIssuer();
        try {
            const foreign = await other.issuer.buildToken({
                kid: "rsa-1",
                scopesOrTransform: (_h, p) => Object.assign(p, { sub: "p", aud: AUDIENCE, app_id: APP, iss: issuer }),
            });
            const { verifier: v, clock } = verifier();
            assert.ok((await v.verify(await token())).ok);
            clock.advance(31_000);
            const result = await v.verify(foreign);
            assert.equal(result.ok ? "accepted" : result.reason, "bad_signature", "same kid, other key: the signature fails");
        } finally {
            await other.stop();
        }
    });

    it("refetches the JWKS for an unknown kid and accepts the rotated key", async () => {
        const { verifier: v, clock, fetchJson } = verifier();
        assert.ok((await v.verify(await token())).ok);
        const jwksFetches = () => fetchJson.urls.filter((u) => u.endsWith("/jwks")).length;
        assert.equal(jwksFetches(), 1);
        await server.issuer.keys.generate("RS256", { kid: "rsa-rotated" });
        clock.advance(31_000);
        const rotated = await v.verify(await token(undefined, { kid: "rsa-rotated" }));
        assert.ok(rotated.ok, JSON.stringify(rotated));
        assert.equal(jwksFetches(), 2, "one refetch for the new kid");
        assert.ok((await v.verify(await token(undefined, { kid: "rsa-rotated" }))).ok);
        assert.equal(jwksFetches(), 2, "the new set is cached");
    });

    it("bounds the refetches caused by unknown kids to one per cooldown", async () => {
        const { verifier: v, clock, fetchJson } = verifier();
        assert.ok((await v.verify(await token())).ok);
        const jwksFetches = () => fetchJson.urls.filter((u) => u.endsWith("/jwks")).length;
        clock.advance(31_000);
        const forged = (kid: string) => `${b64url({ alg: "RS256", kid })}.${b64url({ sub: "x" })}.${Buffer.from("sig").toString("base64url")}`;
        for (let i = 0; i < 25; i++) {
            const result = await v.verify(forged(`made-up-${i}`));
            assert.equal(result.ok ? "accepted" : result.reason, "unknown_key");
        }
        assert.equal(jwksFetches(), 2, "25 unknown kids within the cooldown: one refetch");
        clock.advance(31_000);
        await v.verify(forged("made-up-again"));
        assert.equal(jwksFetches(), 3, "after the cooldown: one more");
    });

    it("rejects alg none (unsigned), whatever the kid", async () => {
        const { verifier: v } = verifier();
        const now = Math.floor(Date.now() / 1000);
        const payload = { iss: issuer, aud: AUDIENCE, sub: "player-1", app_id: APP, exp: now + 600, iat: now };
        for (const alg of ["none", "None", "NONE"]) {
            const unsigned = `${b64url({ alg, kid: "rsa-1", typ: "JWT" })}.${b64url(payload)}.`;
            const result = await v.verify(unsigned);
            assert.equal(result.ok ? "accepted" : result.reason, "algorithm_not_allowed", alg);
        }
    });

    it("rejects a token signed with the issuer's public key as HMAC secret (PEM, JWK JSON, modulus)", async () => {
        const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: JWK[] };
        const publicJwk = jwks.keys.find((k) => k.kid === "rsa-1")!;
        const pem = await exportSPKI((await importJWK(publicJwk, "RS256")) as CryptoKeyLike);
        const now = Math.floor(Date.now() / 1000);
        const claims = { iss: issuer, aud: AUDIENCE, sub: "player-1", app_id: APP, exp: now + 600 };
        const secrets = [pem, JSON.stringify(publicJwk), publicJwk.n!];
        for (const alg of ["HS256", "HS384", "HS512"]) {
            for (const secret of secrets) {
                const forged = await new SignJWT(claims).setProtectedHeader({ alg, kid: "rsa-1" }).sign(new TextEncoder().encode(secret));
                const { verifier: v } = verifier();
                const result = await v.verify(forged);
                assert.equal(result.ok ? "accepted" : result.reason, "algorithm_not_allowed", `${alg}`);
                // Even a verifier misconfigured to allow HMAC finds no symmetric key to check it with.
                const { verifier: misconfigured } = verifier({ algorithms: [alg as never, "RS256"] });
                const again = await misconfigured.verify(forged);
                assert.equal(again.ok, false, `${alg} accepted by a verifier allowing it`);
            }
        }
    });

    it("ignores keys the token brings itself (embedded jwk, jku, x5u)", async () => {
        const attacker = await generateKeyPair("ES256");
        const attackerJwk = await exportJWK(attacker.publicKey);
        const now = Math.floor(Date.now() / 1000);
        const claims = { iss: issuer, aud: AUDIENCE, sub: "player-1", app_id: APP, exp: now + 600 };
        const headers = [
            { alg: "ES256", jwk: attackerJwk },
            { alg: "ES256", kid: "attacker", jku: "http://127.0.0.1:9/jwks" },
            { alg: "ES256", kid: "rsa-1", x5u: "http://127.0.0.1:9/cert" },
        ];
        for (const header of headers) {
            const forged = await new SignJWT(claims).setProtectedHeader(header).sign(attacker.privateKey);
            const { verifier: v, clock } = verifier();
            clock.advance(31_000);
            const result = await v.verify(forged);
            assert.equal(result.ok, false, JSON.stringify(header));
            assert.ok(["unknown_key", "bad_signature"].includes(result.reason), `${JSON.stringify(Object.keys(header))}: ${result.reason}`);
        }
    });

    it("rejects a token whose signature was tampered with, and malformed tokens", async () => {
        const { verifier: v } = verifier();
        const t = await token();
        const [h, p] = t.split(".");
        const tamperedPayload = b64url({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), sub: "someone-else" });
        const tampered = await v.verify(`${h}.${tamperedPayload}.${t.split(".")[2]}`);
        assert.equal(tampered.ok ? "accepted" : tampered.reason, "bad_signature");
        for (const bad of ["", "abc", "a.b", "a.b.c.d", "!!.??.**", `${b64url("x")}.${b64url({})}.x`, "x".repeat(20_000)]) {
            const result = await v.verify(bad);
            assert.equal(result.ok, false, bad.slice(0, 20));
            assert.ok(["missing", "malformed", "algorithm_not_allowed"].includes(result.reason), `${bad.slice(0, 20)}: ${result.reason}`);
        }
    });

    it("requires the application claim unless the issuer has a default application", async () => {
        const { verifier: v } = verifier();
        const none = await v.verify(await token((_h, p) => void delete p.app_id));
        assert.equal(none.ok ? "accepted" : none.reason, "missing_claim");
        const notUuid = await v.verify(await token((_h, p) => void (p.app_id = "my-game")));
        assert.equal(notUuid.ok ? "accepted" : notUuid.reason, "invalid_claim");
        const { verifier: withDefault } = verifier({ applicationId: APP });
        const fallback = await withDefault.verify(await token((_h, p) => void delete p.app_id));
        assert.ok(fallback.ok);
        assert.equal(fallback.identity.applicationId, APP);
        const { verifier: noClaim } = verifier({ applicationClaim: undefined, applicationId: APP });
        const ignored = await noClaim.verify(await token((_h, p) => void (p.app_id = "6d1f3a2b-9c8e-4f7a-8b6c-5d4e3f2a1b0c")));
        assert.ok(ignored.ok);
        assert.equal(ignored.identity.applicationId, APP, "without an application claim, every token is for the configured application");
    });

    it("never puts the token or its parts in a rejection", async () => {
        const { verifier: v } = verifier();
        const tokens = [
            await token((_h, p) => void (p.aud = "another-game")),
            await token((_h, p) => void (p.exp = 1)),
            await token((_h, p) => void (p.sub = "x".repeat(300))),
        ];
        for (const t of tokens) {
            const result = await v.verify(t);
            assert.equal(result.ok, false);
            for (const part of t.split(".")) assert.ok(!result.detail.includes(part), result.detail);
            assert.ok(!result.detail.includes("another-game") && !result.detail.includes("xxxxxxxx"), result.detail);
        }
    });

    it("throws JwksUnavailableError (not a deny) when the issuer cannot be reached, and uses a stale set for a while", async () => {
        const down = await startMockIssuer();
        const url = down.issuer.url!;
        const t = await down.issuer.buildToken({ kid: "rsa-1", scopesOrTransform: (_h, p) => Object.assign(p, { sub: "p", aud: AUDIENCE, app_id: APP }) });
        const clock = new OffsetClock();
        const v = createJwtVerifier(settingsFor(url), { clock, allowLoopbackHttp: true, maxAgeMs: 60_000, cooldownMs: 30_000 });
        assert.ok((await v.verify(t)).ok);
        await down.stop();
        clock.advance(120_000);
        assert.ok((await v.verify(t)).ok, "a stale set within maxStaleMs still verifies");
        const fresh = createJwtVerifier(settingsFor(url), { clock, allowLoopbackHttp: true });
        await assert.rejects(fresh.verify(t), JwksUnavailableError);
    });

    it("refuses a discovery document naming another issuer, or an http jwks_uri outside the local mode", async () => {
        const clock = new OffsetClock();
        const t = await token();
        const lying = new JwtVerifier(settingsFor(issuer), {
            clock,
            jwks: new JwksCache({ issuerUrl: issuer, clock, allowLoopbackHttp: true, fetchJson: async (u) => (u.includes("openid") ? { issuer: "https://else.example", jwks_uri: `${issuer}/jwks` } : countingFetch()(u)) }),
        });
        await assert.rejects(lying.verify(t), /issuer "https:\/\/else.example" is not the configured issuer/);
        const strict = new JwtVerifier(settingsFor(issuer), { clock, jwks: new JwksCache({ issuerUrl: issuer, clock }) });
        await assert.rejects(strict.verify(t), /jwks_uri must be an https:\/\/ URL/);
    });
});

describe("token helpers", () => {
    it("takes the bare JWT or the part after Bearer", () => {
        assert.equal(tokenOfAuthorizationHeader("a.b.c"), "a.b.c");
        assert.equal(tokenOfAuthorizationHeader("Bearer a.b.c"), "a.b.c");
        assert.equal(tokenOfAuthorizationHeader("bearer   a.b.c  "), "a.b.c");
        assert.equal(tokenOfAuthorizationHeader("  "), undefined);
        assert.equal(tokenOfAuthorizationHeader(undefined), undefined);
    });

    it("tells a JWT from an API key value (base64 of 64 bytes never has a '.')", () => {
        assert.ok(looksLikeJwt("eyJh.eyJi.c2ln"));
        assert.ok(looksLikeJwt("eyJh.eyJi."));
        const apiKey = Buffer.alloc(64, 7).toString("base64");
        assert.equal(looksLikeJwt(apiKey), false);
        assert.equal(looksLikeJwt("a+b.c/d.e"), false);
    });
});

type CryptoKeyLike = Parameters<typeof exportSPKI>[0];
