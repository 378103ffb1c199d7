import { strict as assert } from "node:assert";
import { LocalPlayerAuthError, startLocalPlayerAuth } from "../../../functions/core/player-auth/local-player-auth";
import { authorizePlayerToken } from "../../../functions/core/player-auth/player-authorizer";
import { APP, OffsetClock, startMockIssuer } from "./support/issuers";

const applications = { authModesOf: async (id: string) => (id === APP ? (["JWT"] as const) : undefined) };

describe("local player authentication", () => {
    it("is off without settings and without the development issuer", async () => {
        assert.equal(await startLocalPlayerAuth({ clock: new OffsetClock() }), undefined);
    });

    it("starts a development issuer whose printed test token passes the shared verifier", async () => {
        const clock = new OffsetClock();
        const auth = (await startLocalPlayerAuth({ devIssuer: true, applicationId: APP, clock }))!;
        try {
            assert.match(auth.settings.issuerUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
            const decision = await authorizePlayerToken(auth.testToken, undefined, { verifier: auth.verifier, clock, applications });
            assert.deepEqual(decision.allow && [decision.applicationId, decision.playerId], [APP, "local-test-player"]);
            const banner = auth.banner("http://127.0.0.1:8080").join("\n");
            assert.ok(banner.includes(auth.testToken!) && banner.includes("http://127.0.0.1:8080/put-record"), banner);
        } finally {
            await auth.close();
        }
    });

    it("uses a configured issuer (oauth2-mock-server on 127.0.0.1) with the same verifier, and names bad settings", async () => {
        const server = await startMockIssuer();
        try {
            const clock = new OffsetClock();
            const auth = (await startLocalPlayerAuth({ settings: { oidcIssuerUrl: server.issuer.url, oidcAudience: "gamebackend", oidcApplicationId: APP }, clock }))!;
            const token = await server.issuer.buildToken({ kid: "rsa-1", scopesOrTransform: (_h, p) => Object.assign(p, { sub: "p-1", aud: "gamebackend" }) });
            const decision = await authorizePlayerToken(token, undefined, { verifier: auth.verifier, clock, applications });
            assert.deepEqual(decision.allow && decision.playerId, "p-1");
            assert.equal(auth.testToken, undefined);
            assert.deepEqual(auth.banner("x"), [`Player tokens: issuer ${server.issuer.url} (audience gamebackend)`]);
        } finally {
            await server.stop();
        }
        await assert.rejects(startLocalPlayerAuth({ settings: { oidcIssuerUrl: "http://10.1.2.3", oidcAudience: "a", oidcApplicationId: APP }, clock: new OffsetClock() }),
            (err: Error) => err instanceof LocalPlayerAuthError && /oidcIssuerUrl = "http:\/\/10.1.2.3"/.test(err.message));
        await assert.rejects(startLocalPlayerAuth({ devIssuer: true, clock: new OffsetClock() }), /applicationId/);
    });
});
