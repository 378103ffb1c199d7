import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { SettingsProblem } from "../../../components/contracts/settings";
import {
    ASYMMETRIC_ALGORITHMS,
    OIDC_SETTING_KEYS,
    type OidcSettingsProblem,
    validateOidcSettings,
} from "../../../functions/core/player-auth/oidc-settings";

const APP = "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968";
const BASE = { oidcIssuerUrl: "https://id.studio.example.com", oidcAudience: "gamebackend", oidcApplicationId: APP };

function problemKeys(raw: Record<string, unknown>, local = false): string[] {
    return validateOidcSettings(raw, { allowLoopbackHttp: local }).problems.map((p) => p.key);
}

describe("validateOidcSettings", () => {
    it("is off (no settings, no problems) when no oidc* key is set; other keys are not its business", () => {
        assert.deepEqual(validateOidcSettings({}), { problems: [] });
        assert.deepEqual(validateOidcSettings({ workloadName: "x", oidcAudience: "" }), { problems: [] });
    });

    it("applies the defaults: player id in sub, 60 s skew, every asymmetric algorithm, discovery", () => {
        const { settings, problems } = validateOidcSettings(BASE);
        assert.deepEqual(problems, []);
        assert.deepEqual(settings, {
            issuerUrl: "https://id.studio.example.com",
            audiences: ["gamebackend"],
            playerIdClaim: "sub",
            applicationId: APP,
            clockSkewSeconds: 60,
            algorithms: [...ASYMMETRIC_ALGORITHMS],
        });
        assert.ok(!settings!.algorithms.some((a) => /^HS|none/i.test(a)));
    });

    it("reads every setting from config strings", () => {
        const { settings, problems } = validateOidcSettings({
            oidcIssuerUrl: "https://id.example.com/realms/game/",
            oidcAudience: '["game-a","game-b"]',
            oidcPlayerIdClaim: "custom:player_id",
            oidcApplicationClaim: "app_id",
            oidcClockSkewSeconds: "5",
            oidcJwksUrl: "https://id.example.com/keys",
            oidcAlgorithms: "ES256, EdDSA",
        });
        assert.deepEqual(problems, []);
        assert.deepEqual(settings, {
            issuerUrl: "https://id.example.com/realms/game/",
            audiences: ["game-a", "game-b"],
            playerIdClaim: "custom:player_id",
            applicationClaim: "app_id",
            clockSkewSeconds: 5,
            jwksUrl: "https://id.example.com/keys",
            algorithms: ["ES256", "EdDSA"],
        });
    });

    it("names every broken rule, in the {key, value, rule} shape of SettingsProblem", () => {
        const raw = {
            oidcIssuerUrl: "http://id.example.com",
            oidcAudience: "has space",
            oidcPlayerIdClaim: "exp",
            oidcApplicationClaim: "bad claim!",
            oidcApplicationId: "not-a-uuid",
            oidcClockSkewSeconds: "301",
            oidcJwksUrl: "https://user:pw@id.example.com/jwks",
            oidcAlgorithms: "RS256,HS256",
        };
        const { settings, problems } = validateOidcSettings(raw);
        assert.equal(settings, undefined);
        const asSettingsProblems: SettingsProblem[] = problems satisfies OidcSettingsProblem[];
        assert.deepEqual(asSettingsProblems.map((p) => p.key).sort(), [...OIDC_SETTING_KEYS].sort());
        for (const p of problems) {
            assert.equal(p.value, raw[p.key as keyof typeof raw]);
            assert.ok(p.rule.length > 10, p.rule);
        }
        assert.match(problems.find((p) => p.key === "oidcAlgorithms")!.rule, /never none, never HMAC/);
        assert.match(problems.find((p) => p.key === "oidcIssuerUrl")!.rule, /https:\/\//);
    });

    it("requires the issuer and the audience once any oidc* key is set, and a way to name the application", () => {
        assert.deepEqual(problemKeys({ oidcClockSkewSeconds: 10 }).sort(), ["oidcApplicationClaim", "oidcAudience", "oidcIssuerUrl"]);
        const { problems } = validateOidcSettings({ oidcIssuerUrl: BASE.oidcIssuerUrl, oidcAudience: "g" });
        assert.equal(problems.length, 1);
        assert.match(problems[0]!.rule, /oidcApplicationClaim .* or oidcApplicationId/);
        assert.deepEqual(problemKeys({ ...BASE, oidcApplicationId: undefined, oidcApplicationClaim: "sub" }), ["oidcApplicationClaim"], "the claims must differ");
    });

    it("accepts http only on a loopback host, only in the local mode", () => {
        for (const url of ["http://127.0.0.1:8080", "http://localhost:9000/issuer", "http://[::1]:7000"]) {
            assert.deepEqual(problemKeys({ ...BASE, oidcIssuerUrl: url }, true), [], url);
            assert.deepEqual(problemKeys({ ...BASE, oidcIssuerUrl: url }, false), ["oidcIssuerUrl"], url);
        }
        for (const url of ["http://10.0.0.1", "http://127.0.0.1.nip.io", "ftp://127.0.0.1", "https://id.example.com?x=1", "https://id.example.com#f", "id.example.com"]) {
            assert.deepEqual(problemKeys({ ...BASE, oidcIssuerUrl: url }, true), ["oidcIssuerUrl"], url);
        }
    });

    it("rejects none and HMAC algorithms however they are spelled", () => {
        for (const algs of ["none", "HS256", "hs256", '["RS256","HS512"]', "", ","]) {
            const keys = problemKeys({ ...BASE, oidcAlgorithms: algs });
            assert.deepEqual(keys, algs === "" ? [] : ["oidcAlgorithms"], algs);
        }
    });

    it("never throws and never accepts a non-https issuer outside the local mode (property)", () => {
        fc.assert(fc.property(
            fc.dictionary(fc.constantFrom(...OIDC_SETTING_KEYS), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.string()), fc.webUrl())),
            (raw) => {
                const { settings, problems } = validateOidcSettings(raw);
                if (settings !== undefined) {
                    assert.deepEqual(problems, []);
                    assert.ok(settings.issuerUrl.startsWith("https://"));
                    assert.ok(settings.applicationClaim !== undefined || settings.applicationId !== undefined);
                    assert.ok(settings.clockSkewSeconds >= 0 && settings.clockSkewSeconds <= 300);
                }
            },
        ), { numRuns: 300 });
    });
});
