/**
 * Player tokens on Google Cloud (issue 16): the events function's HTTP adapter with an OIDC issuer
 * serves `POST /{stage}/put-record` and takes JWTs on the events route through the shared
 * player-auth core, against the development issuer on 127.0.0.1 (jose keys, discovery, JWKS).
 */
import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { generateApiKey } from "../../functions/core/api-keys";
import { CachedApplicationAuthModes, RegistryAuthModes } from "../../functions/core/player-auth/cached-auth-modes";
import { type DevIssuer, startDevIssuer } from "../../functions/core/player-auth/dev-issuer";
import { JwtDecisionCache } from "../../functions/core/player-auth/jwt-decision-cache";
import { createJwtVerifier } from "../../functions/core/player-auth/jwt-verifier";
import { oidcEnvironment, oidcSettingsFromEnv } from "../../functions/core/player-auth/oidc-environment";
import { validateOidcSettings } from "../../functions/core/player-auth/oidc-settings";
import { stableEventId } from "../../functions/core/player-auth/put-record";
import { systemClock } from "../../functions/core/ports";
import { answerEvents, type EventsHttpDeps } from "../../functions/gcp/http-adapter";
import { MemoryKeyStore, MemoryRegistry, RecordingSink } from "../security/support/in-memory-ports";

const JWT_APP = "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968";
const KEYS_APP = "3d8b6f42-2a1c-4d5e-8f9a-6b5c4d3e2f1a";

describe("GCP events function with an OIDC issuer (dev issuer on 127.0.0.1)", () => {
    let issuer: DevIssuer;
    let deps: EventsHttpDeps;
    let sink: RecordingSink;
    const key = generateApiKey();

    before(async () => {
        issuer = await startDevIssuer();
        const registry = new MemoryRegistry();
        const app = (ApplicationId: string, AuthModes?: ("API_KEY" | "JWT")[]) =>
            registry.createApplication({ ApplicationId, ApplicationName: "g", Description: "", CreatedAt: "", UpdatedAt: "", ...(AuthModes ? { AuthModes } : {}) });
        await app(JWT_APP, ["API_KEY", "JWT"]);
        await app(KEYS_APP);
        const keys = new MemoryKeyStore();
        await keys.putKey({ ApiKeyId: "k", ApiKeyHash: key.hash, ApiKeyHint: key.hint, ApiKeyName: "k", ApiKeyDescription: "", ApplicationId: KEYS_APP, CreatedAt: "", UpdatedAt: "", Enabled: true });
        // The settings go through the environment as the component writes them (oidcEnvironment -> oidcSettingsFromEnv).
        const written = validateOidcSettings({ oidcIssuerUrl: issuer.issuerUrl, oidcAudience: issuer.audience, oidcApplicationClaim: issuer.applicationClaim }, { allowLoopbackHttp: true }).settings!;
        const env = oidcEnvironment(written);
        assert.throws(() => oidcSettingsFromEnv(env), /OIDC_ISSUER_URL: must be an https:\/\/ URL/, "deployed functions accept https issuers only");
        sink = new RecordingSink();
        deps = {
            stage: "live", keys, clock: systemClock, allowedOrigins: ["*"], newRequestId: () => randomUUID(),
            ingest: () => ({ sink, clock: systemClock }),
            player: {
                verifier: createJwtVerifier(written, { clock: systemClock, allowLoopbackHttp: true }),
                applications: new CachedApplicationAuthModes(new RegistryAuthModes(registry), systemClock, 0),
                cache: new JwtDecisionCache(),
            },
        };
    });
    after(async () => issuer.close());

    const req = (path: string, auth: string | undefined, body: unknown) => ({
        method: "POST", path, headers: auth ? { authorization: auth } : {}, rawBody: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
    });
    const seed = { event_id: "00006", event_type: "Login", updated_at: "2024-02-22 03:03:02", event_data: "hi" };

    it("answers the seeds' put-record contract and stores the player's event", async () => {
        const token = await issuer.mintToken({ playerId: "p-1", applicationId: JWT_APP });
        const ok = await answerEvents(req("/live/put-record", token, seed), deps);
        assert.deepEqual([ok.statusCode, ok.body], [200, '"Successfully added event"']);
        const line = JSON.parse(sink.lines.at(-1)!);
        assert.equal(line.player_id, "p-1");
        assert.equal(line.event.event_id, stableEventId(JWT_APP, "p-1", "00006"));
        const none = await answerEvents(req("/live/put-record", undefined, seed), deps);
        assert.deepEqual([none.statusCode, none.body], [401, '"Unauthorized"']);
        const expired = await answerEvents(req("/live/put-record", await issuer.mintToken({ playerId: "p", applicationId: JWT_APP, ttlSeconds: -600 }), seed), deps);
        assert.equal(expired.statusCode, 401);
        const keysOnly = await answerEvents(req("/live/put-record", await issuer.mintToken({ playerId: "p", applicationId: KEYS_APP }), seed), deps);
        assert.equal(keysOnly.statusCode, 401, "an API_KEY-only application refuses player tokens");
        const bad = await answerEvents(req("/live/put-record", token, { ...seed, updated_at: "soon" }), deps);
        assert.equal(bad.statusCode, 400);
    });

    it("takes a JWT or an API key on the events route as AuthModes allow", async () => {
        const event = () => ({ event_id: randomUUID(), event_type: "login", event_name: "login", event_timestamp: Math.floor(Date.now() / 1000) });
        const viaJwt = await answerEvents(req(`/live/applications/${JWT_APP}/events`, `Bearer ${await issuer.mintToken({ playerId: "p-2", applicationId: JWT_APP })}`, { events: [event()] }), deps);
        assert.equal(viaJwt.statusCode, 200);
        assert.equal(JSON.parse(sink.lines.at(-1)!).player_id, "p-2");
        const viaKey = await answerEvents(req(`/live/applications/${KEYS_APP}/events`, key.value, { events: [event()] }), deps);
        assert.equal(viaKey.statusCode, 200);
        assert.ok(!("player_id" in JSON.parse(sink.lines.at(-1)!)));
        const otherApp = await answerEvents(req(`/live/applications/${KEYS_APP}/events`, await issuer.mintToken({ playerId: "p", applicationId: JWT_APP }), { events: [event()] }), deps);
        assert.equal(otherApp.statusCode, 403);
    });

    it("without an issuer, /put-record is not served", async () => {
        const { player: _player, ...keysOnly } = deps;
        assert.equal((await answerEvents(req("/live/put-record", "a.b.c", seed), keysOnly)).statusCode, 404);
    });
});
