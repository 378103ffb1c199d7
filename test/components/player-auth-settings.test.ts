/**
 * The stack's oidc* settings (issue 16): read by the neutral settings, checked with the rules of
 * the functions' oidc-settings.ts by validatePipelineArgs, every problem listed; `dev` and loopback
 * http only in the local mode (readStackSettings), never in a deployed pipeline.
 */
import { strict as assert } from "node:assert";
import { SETTING_KEYS, SettingsError, validateSettings } from "../../components/contracts/settings";
import { validatePipelineArgs } from "../../components/pipeline";
import { deployedOidcSettings, playerAuthProblems } from "../../components/player-auth-settings";
import { OIDC_SETTING_KEYS } from "../../functions/core/player-auth/oidc-settings";

const APP = "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968";

function problemKeys(fn: () => unknown): string[] {
    try {
        fn();
    } catch (error) {
        assert.ok(error instanceof SettingsError, String(error));
        return error.problems.map((p) => p.key).sort();
    }
    assert.fail("expected a SettingsError");
}

describe("oidc* settings", () => {
    it("are neutral setting keys, every one of oidc-settings.ts", () => {
        for (const key of OIDC_SETTING_KEYS) assert.ok((SETTING_KEYS as readonly string[]).includes(key), key);
    });

    it("unset: no issuer, no problem (API keys only)", () => {
        const s = validatePipelineArgs({ workloadName: "g" });
        assert.equal(s.oidcIssuerUrl, undefined);
        assert.equal(deployedOidcSettings(s), undefined);
    });

    it("a valid issuer deploys and gives typed settings", () => {
        const s = validatePipelineArgs({
            workloadName: "g", oidcIssuerUrl: "https://id.studio.example.com", oidcAudience: "gamebackend,launcher",
            oidcApplicationId: APP, oidcPlayerIdClaim: "player_id", oidcClockSkewSeconds: "30",
        });
        const oidc = deployedOidcSettings(s)!;
        assert.equal(oidc.issuerUrl, "https://id.studio.example.com");
        assert.deepEqual(oidc.audiences, ["gamebackend", "launcher"]);
        assert.equal(oidc.playerIdClaim, "player_id");
        assert.equal(oidc.applicationId, APP);
        assert.equal(oidc.clockSkewSeconds, 30);
    });

    it("lists every problem at once, each naming its key", () => {
        assert.deepEqual(problemKeys(() => validatePipelineArgs({
            workloadName: "g", oidcIssuerUrl: "http://id.example.com", oidcAudience: "has space",
            oidcPlayerIdClaim: "exp", oidcAlgorithms: "HS256",
        })), ["oidcAlgorithms", "oidcApplicationClaim", "oidcAudience", "oidcIssuerUrl", "oidcPlayerIdClaim"]);
        assert.deepEqual(problemKeys(() => validateSettings({ workloadName: "g", oidcClockSkewSeconds: "301" })), ["oidcClockSkewSeconds"]);
        assert.deepEqual(problemKeys(() => validateSettings({ workloadName: "g", oidcAudience: "line\nbreak" })), ["oidcAudience"]);
    });

    it("an audience without issuer is refused (the issuer is required once any oidc* key is set)", () => {
        assert.deepEqual(problemKeys(() => validatePipelineArgs({ workloadName: "g", oidcAudience: "game", oidcApplicationId: APP })), ["oidcIssuerUrl"]);
    });

    it("loopback http and the development issuer are accepted in the local mode only", () => {
        const loopback = { workloadName: "g", oidcIssuerUrl: "http://127.0.0.1:9000", oidcAudience: "game", oidcApplicationClaim: "app_id" };
        assert.equal(validatePipelineArgs(loopback, "game-analytics", false).oidcIssuerUrl, "http://127.0.0.1:9000");
        assert.deepEqual(problemKeys(() => validatePipelineArgs(loopback)), ["oidcIssuerUrl"]);
        assert.deepEqual(problemKeys(() => validatePipelineArgs({ ...loopback, oidcIssuerUrl: "http://localhost:9000" })), ["oidcIssuerUrl"]);

        const dev = { workloadName: "g", oidcIssuerUrl: "dev" };
        assert.equal(validatePipelineArgs(dev, "game-analytics", false).oidcIssuerUrl, "dev");
        assert.deepEqual(problemKeys(() => validatePipelineArgs(dev)), ["oidcIssuerUrl"]);
        assert.throws(() => deployedOidcSettings(validatePipelineArgs(dev, "game-analytics", false)), /local mode only/);
    });

    it("the development issuer sets its own audience and application: setting them is refused", () => {
        const s = validateSettings({ workloadName: "g", oidcIssuerUrl: "dev", oidcAudience: "x", oidcApplicationId: APP });
        assert.deepEqual(playerAuthProblems(s, { local: true }).map((p) => p.key), ["oidcAudience", "oidcApplicationId"]);
        assert.deepEqual(playerAuthProblems({ ...s, oidcAudience: undefined, oidcApplicationId: undefined, oidcPlayerIdClaim: "sub" }, { local: true }), []);
    });
});
