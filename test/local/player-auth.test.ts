/**
 * Player tokens through the local HTTP server (issue 16), against a real OIDC issuer on
 * 127.0.0.1 (oauth2-mock-server: discovery, JWKS, RS256 keys): the seeds' `POST /put-record`
 * with their request and answers, and the events route taking a JWT or an API key as each
 * application's AuthModes allow; then the put-record events in the lake.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { type CryptoKey, exportSPKI, importJWK, type JWK, SignJWT } from "jose";
import type { OAuth2Server } from "oauth2-mock-server";
import { stableEventId } from "../../functions/core/player-auth/put-record";
import { LocalPipeline, startLocalPipeline } from "../../local/pipeline";
import { AUDIENCE, b64url, OffsetClock, startMockIssuer } from "../functions/player-auth/support/issuers";
import { call, queryLake, tempDir, writeStackFile } from "./helpers";

const STACK = "players";
const SEED_BODY = { event_id: "00006", event_type: "Login", updated_at: "2024-02-22 03:03:02", event_data: "The only thing we have to fear is fear itself." };

describe("local mode: player JWTs on /put-record and the events route (oauth2-mock-server on 127.0.0.1)", function () {
    this.timeout(120_000);
    let dir: string;
    let issuer: OAuth2Server;
    let otherIssuer: OAuth2Server;
    let pipeline: LocalPipeline;
    const clock = new OffsetClock();
    let jwtApp: string; // API_KEY + JWT
    let jwtOnlyApp: string; // JWT
    let keysApp: string; // API_KEY (default)
    let jwtAppKey: string;
    let jwtOnlyKey: string;
    let keysAppKey: string;
    const stored: Array<{ eventId: string; sourceEventId: string; playerId: string; fuzz?: boolean }> = [];

    before(async () => {
        issuer = await startMockIssuer();
        otherIssuer = await startMockIssuer();
        dir = tempDir("players");
        writeStackFile(dir, STACK, {
            workloadName: "players", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, devMode: true,
            authorizerCacheTtlSeconds: 0, applicationCacheTtlSeconds: 0,
            oidcIssuerUrl: issuer.issuer.url!, oidcAudience: AUDIENCE, oidcApplicationClaim: "app_id",
        });
        pipeline = await startLocalPipeline({ stack: STACK, configDir: dir, dataRoot: path.join(dir, ".gap"), port: 0, bufferMs: 200, clock, log: () => undefined });
        const base = pipeline.url;
        const app = async (Name: string, AuthModes?: string[]) => {
            const created = await call("POST", `${base}/applications`, { Name, ...(AuthModes ? { AuthModes } : {}) });
            assert.equal(created.status, 200, JSON.stringify(created.body));
            const key = await call("POST", `${base}/applications/${created.body.ApplicationId}/authorizations`, { Name: "k" });
            return [created.body.ApplicationId as string, key.body.ApiKeyValue as string] as const;
        };
        [jwtApp, jwtAppKey] = await app("both", ["API_KEY", "JWT"]);
        [jwtOnlyApp, jwtOnlyKey] = await app("players only", ["JWT"]);
        [keysApp, keysAppKey] = await app("keys only");
    });

    after(async () => {
        await pipeline?.stop();
        await issuer?.stop();
        await otherIssuer?.stop();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    /** A token of `server` for `player` of `applicationId`, changed by `transform`. */
    function token(applicationId: string, player = "player-1", opts: { server?: OAuth2Server; kid?: string; expiresIn?: number; transform?(header: Record<string, unknown>, payload: Record<string, unknown>): void } = {}): Promise<string> {
        return (opts.server ?? issuer).issuer.buildToken({
            kid: opts.kid ?? "rsa-1",
            expiresIn: opts.expiresIn ?? 600,
            scopesOrTransform: (header, payload) => {
                payload.sub = player;
                payload.aud = AUDIENCE;
                payload.app_id = applicationId;
                opts.transform?.(header as Record<string, unknown>, payload as Record<string, unknown>);
            },
        });
    }

    /** The seeds' request: POST /put-record, the bare JWT in Authorization, no Content-Type. */
    async function putRecord(authorization: string | undefined, body: unknown = SEED_BODY, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
        const res = await fetch(`${pipeline.url}/put-record`, {
            method: "POST",
            headers: { ...(authorization === undefined ? {} : { Authorization: authorization }), ...headers },
            body: typeof body === "string" ? body : JSON.stringify(body),
        });
        return { status: res.status, text: await res.text() };
    }

    function events(applicationId: string, authorization: string) {
        const event = { event_id: crypto.randomUUID(), event_type: "login", event_name: "login", event_timestamp: Math.floor(Date.now() / 1000) };
        return call("POST", `${pipeline.url}/applications/${applicationId}/events`, { events: [event] }, { Authorization: authorization });
    }

    it("answers the seeds' client unchanged: 200 \"Successfully added event\" (bare JWT and Bearer)", async () => {
        const bare = await putRecord(await token(jwtApp, "player-1"));
        assert.deepEqual(bare, { status: 200, text: '"Successfully added event"' });
        stored.push({ eventId: stableEventId(jwtApp, "player-1", "00006"), sourceEventId: "00006", playerId: "player-1" });
        const bearer = await putRecord(`Bearer ${await token(jwtOnlyApp, "player-2")}`, { ...SEED_BODY, event_id: "00007" }, { "Content-Type": "application/json" });
        assert.deepEqual(bearer, { status: 200, text: '"Successfully added event"' });
        stored.push({ eventId: stableEventId(jwtOnlyApp, "player-2", "00007"), sourceEventId: "00007", playerId: "player-2" });
    });

    it("answers 401 \"Unauthorized\" without a token, expired, wrong audience, wrong issuer", async () => {
        const unauthorized = { status: 401, text: '"Unauthorized"' };
        assert.deepEqual(await putRecord(undefined), unauthorized);
        assert.deepEqual(await putRecord("not-a-token"), unauthorized);
        assert.deepEqual(await putRecord(await token(jwtApp, "p", { expiresIn: -120 })), unauthorized, "expired beyond the 60 s skew");
        assert.deepEqual(await putRecord(await token(jwtApp, "p", { transform: (_h, p) => void (p.aud = "another-audience") })), unauthorized, "wrong audience");
        assert.deepEqual(await putRecord(await token(jwtApp, "p", { server: otherIssuer })), unauthorized, "another issuer (its own keys)");
        assert.deepEqual(await putRecord(await token(jwtApp, "p", { transform: (_h, p) => void (p.iss = otherIssuer.issuer.url) })), unauthorized, "iss of another issuer");
    });

    it("refuses alg none and a token signed with the issuer's public key as HMAC secret", async () => {
        const now = Math.floor(Date.now() / 1000);
        const claims = { iss: issuer.issuer.url, aud: AUDIENCE, sub: "p", app_id: jwtApp, exp: now + 600, iat: now };
        const unsigned = `${b64url({ alg: "none", kid: "rsa-1", typ: "JWT" })}.${b64url(claims)}.`;
        assert.equal((await putRecord(unsigned)).status, 401);
        assert.equal((await events(jwtApp, unsigned)).status, 403);
        const jwks = (await (await fetch(`${issuer.issuer.url}/jwks`)).json()) as { keys: JWK[] };
        const pem = await exportSPKI(await importJWK(jwks.keys.find((k) => k.kid === "rsa-1")!, "RS256") as CryptoKey);
        const forged = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: "rsa-1" }).sign(new TextEncoder().encode(pem));
        assert.equal((await putRecord(forged)).status, 401);
        assert.equal((await events(jwtApp, forged)).status, 403);
    });

    it("refuses an unknown kid, then accepts it once the issuer publishes it (JWKS refetched after the cooldown)", async () => {
        await issuer.issuer.keys.generate("RS256", { kid: "rsa-rotated" });
        const rotated = await token(jwtApp, "player-3", { kid: "rsa-rotated" });
        // Published now, but the key set was fetched moments ago: within the 30 s cooldown no refetch.
        const early = await putRecord(rotated, { ...SEED_BODY, event_id: "rot-1" });
        if (early.status === 200) assert.fail("the cooldown should hold the refetch back");
        assert.equal(early.status, 401);
        clock.advance(31_000);
        const accepted = await putRecord(await token(jwtApp, "player-3", { kid: "rsa-rotated" }), { ...SEED_BODY, event_id: "rot-1" });
        assert.deepEqual(accepted, { status: 200, text: '"Successfully added event"' });
        stored.push({ eventId: stableEventId(jwtApp, "player-3", "rot-1"), sourceEventId: "rot-1", playerId: "player-3" });
    });

    it("events route: a JWT for its application (AuthModes has JWT) and API keys where allowed", async () => {
        assert.equal((await events(jwtApp, await token(jwtApp))).status, 200);
        assert.equal((await events(jwtApp, jwtAppKey)).status, 200, "API key of an API_KEY+JWT application");
        assert.equal((await events(jwtOnlyApp, await token(jwtOnlyApp))).status, 200);
        assert.equal((await events(keysApp, keysAppKey)).status, 200, "API key of an API_KEY-only application");
    });

    it("refuses a token for another application, and each credential an application does not allow", async () => {
        assert.equal((await events(jwtApp, await token(jwtOnlyApp))).status, 403, "token of another application on the path");
        assert.equal((await putRecord(await token("4e1a2b3c-5d6e-4f70-8a9b-0c1d2e3f4a5b"))).status, 401, "token of an unregistered application");
        assert.equal((await events(keysApp, await token(keysApp))).status, 403, "API_KEY-only application refuses a JWT (events)");
        assert.equal((await putRecord(await token(keysApp))).status, 401, "API_KEY-only application refuses a JWT (put-record)");
        assert.equal((await events(jwtOnlyApp, jwtOnlyKey)).status, 403, "JWT-only application refuses its API key");
    });

    it("answers 400 naming the field for a bad body (not the seeds' bare 500), and 405 for another method", async () => {
        const t = await token(jwtApp);
        const missing = await putRecord(t, { event_id: "1", event_type: "Login" });
        assert.equal(missing.status, 400);
        assert.match(JSON.parse(missing.text).error_detail, /updated_at: required/);
        const badDate = await putRecord(t, { ...SEED_BODY, updated_at: "2024-02-30 00:00:00" });
        assert.equal(badDate.status, 400);
        assert.match(JSON.parse(badDate.text).error_detail, /^updated_at: must be a date and time/);
        const notJson = await putRecord(t, "{not json");
        assert.equal(notJson.status, 400);
        const get = await fetch(`${pipeline.url}/put-record`, { headers: { Authorization: t } });
        assert.equal(get.status, 405);
    });

    it("never answers 5xx to any client input on /put-record (fuzz), and 200 only with a valid token", async () => {
        const valid = await token(jwtApp, "fuzz-player");
        const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("2024-02-22 03:03:02", "00006", "Login", ""));
        const value = fc.oneof(text, fc.integer(), fc.constant(null), fc.boolean(), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }));
        const validBody = fc.record({
            event_id: fc.oneof(fc.uuid(), fc.stringMatching(/^[0-9A-Za-z-]{1,12}$/), fc.nat()),
            event_type: fc.constantFrom("Login", "New Game", "Level Up!"),
            updated_at: fc.constantFrom("2024-02-22 03:03:02", "2024-02-22T03:03:02Z", "2024-02-22 05:03:02+02:00"),
            event_data: value,
        }).map((b) => JSON.stringify(b));
        const body = fc.oneof(
            validBody,
            fc.record({ event_id: value, event_type: value, updated_at: value, event_data: value }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
            fc.string({ maxLength: 200 }),
            fc.json({ maxDepth: 3 }),
        );
        const authorization = fc.oneof(fc.constant(valid), fc.constant(`Bearer ${valid}`), fc.string({ maxLength: 60 }).filter((s) => /^[\x21-\x7e]*$/.test(s)), fc.constant(undefined));
        await fc.assert(fc.asyncProperty(body, authorization, async (b, auth) => {
            const answer = await putRecord(auth, b);
            assert.ok(answer.status < 500, `${answer.status} ${answer.text} for ${JSON.stringify(b)}`);
            if (answer.status === 200) {
                assert.ok(auth !== undefined && auth.endsWith(valid), "200 only with the valid token");
                const sent = String((JSON.parse(b) as { event_id: string | number }).event_id);
                const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(sent);
                stored.push({ eventId: uuid ? sent.toLowerCase() : stableEventId(jwtApp, "fuzz-player", sent), sourceEventId: sent, playerId: "fuzz-player", fuzz: true });
            }
        }), { numRuns: 150 });
    });

    it("delivers the put-record events into the lake under their stable UUIDs, with the player and the event id as sent", async () => {
        await pipeline.stop();
        const rows = await queryLake(pipeline.paths.lakeDir, `SELECT * FROM game_events.raw_events WHERE application_id IN ('${jwtApp}', '${jwtOnlyApp}')`);
        for (const expected of stored) {
            const row = rows.find((r) => r.event_id === expected.eventId);
            assert.ok(row, `event ${expected.sourceEventId} of ${expected.playerId} (${expected.eventId}) not in the lake`);
            assert.equal(row.player_id, expected.playerId, "the token's player in the stored row");
            assert.equal(row.source_event_id, expected.sourceEventId !== expected.eventId ? expected.sourceEventId : null, "the event_id as sent, when it was not our UUID");
            if (expected.fuzz) continue;
            assert.equal(row.event_type, "Login");
            assert.equal(row.event_timestamp, 1708570982, "updated_at -> event_timestamp");
            assert.deepEqual(JSON.parse(String(row.event_data)), { value: SEED_BODY.event_data });
        }
        assert.ok(stored.filter((s) => s.fuzz).length > 5, "the fuzz stored some valid bodies");
    });
});

describe("local mode: the development issuer (oidcIssuerUrl: dev)", function () {
    this.timeout(60_000);
    let dir: string;

    beforeEach(() => {
        dir = tempDir("devissuer");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("starts on 127.0.0.1, prints a test player's token that put-record and the events route accept", async () => {
        writeStackFile(dir, STACK, { workloadName: "devissuer", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, oidcIssuerUrl: "dev" });
        const pipeline = await startLocalPipeline({ stack: STACK, configDir: dir, dataRoot: path.join(dir, ".gap"), port: 0, bufferMs: 200, log: () => undefined });
        try {
            const auth = pipeline.playerAuth!;
            assert.match(auth.settings.issuerUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
            const banner = auth.banner(pipeline.url).join("\n");
            assert.ok(auth.testToken && banner.includes(auth.testToken), "the banner shows the test token");
            assert.ok(banner.includes(`${pipeline.url}/put-record`));
            const res = await fetch(`${pipeline.url}/put-record`, { method: "POST", headers: { Authorization: auth.testToken! }, body: JSON.stringify(SEED_BODY) });
            assert.equal(res.status, 200, await res.clone().text());
            assert.equal(await res.text(), '"Successfully added event"');
            const app = await call("GET", `${pipeline.url}/applications/${pipeline.credentials.applicationId}`);
            assert.deepEqual(app.body.AuthModes, ["API_KEY", "JWT"], "the default application accepts the test token and its API key");
            const viaKey = await call("POST", `${pipeline.url}/applications/${pipeline.credentials.applicationId}/events`,
                { events: [{ event_id: crypto.randomUUID(), event_type: "login", event_name: "login", event_timestamp: Math.floor(Date.now() / 1000) }] },
                { Authorization: pipeline.credentials.apiKeyValue });
            assert.equal(viaKey.status, 200);
            const viaToken = await call("POST", `${pipeline.url}/applications/${pipeline.credentials.applicationId}/events`,
                { events: [{ event_id: crypto.randomUUID(), event_type: "login", event_name: "login", event_timestamp: Math.floor(Date.now() / 1000) }] },
                { Authorization: `Bearer ${auth.testToken}` });
            assert.equal(viaToken.status, 200);
        } finally {
            await pipeline.stop();
        }
    });

    it("without an issuer, /put-record is 404 naming the setting, and the events route takes API keys as before", async () => {
        writeStackFile(dir, STACK, { workloadName: "noissuer", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false });
        const pipeline = await startLocalPipeline({ stack: STACK, configDir: dir, dataRoot: path.join(dir, ".gap"), port: 0, bufferMs: 200, log: () => undefined });
        try {
            assert.equal(pipeline.playerAuth, undefined);
            const res = await call("POST", `${pipeline.url}/put-record`, SEED_BODY, { Authorization: "a.b.c" });
            assert.equal(res.status, 404);
            assert.match(res.body.error_detail, /oidcIssuerUrl/);
        } finally {
            await pipeline.stop();
        }
    });

    it("refuses to start with invalid issuer settings, naming each key", async () => {
        writeStackFile(dir, STACK, { workloadName: "badissuer", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, oidcIssuerUrl: "http://id.example.com", oidcAudience: "a b" });
        await assert.rejects(
            startLocalPipeline({ stack: STACK, configDir: dir, dataRoot: path.join(dir, ".gap"), port: 0, log: () => undefined }),
            (error: Error) => /oidcIssuerUrl/.test(error.message) && /oidcAudience/.test(error.message) && /oidcApplicationClaim/.test(error.message),
        );
    });
});
