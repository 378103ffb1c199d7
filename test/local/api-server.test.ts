import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { SettingsError } from "../../components/contracts/settings";
import { createLocalApiServer } from "../../local/http-server";
import { LocalPipeline, startLocalPipeline } from "../../local/pipeline";
import { loadStackSettings } from "../../local/stack-settings";
import { SyntheticEventGenerator } from "../../tools/synthetic-events";
import { call, queryLake, tempDir, writeStackFile } from "./helpers";

describe("local stack settings (Pulumi.<stack>.yaml)", function () {
    let dir: string;
    before(() => (dir = tempDir("settings")));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reads game-analytics:* keys and applies the defaults to the rest", function () {
        writeStackFile(dir, "s1", { workloadName: "studio", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, apiStageName: "v1" });
        const { settings } = loadStackSettings(dir, "s1");
        assert.deepEqual([settings.workloadName, settings.ingestMode, settings.apiStageName, settings.eventsDatabase], ["studio", "DIRECT_BATCH", "v1", "game_events"]);
    });

    it("rejects a bad value naming the key and the rule", function () {
        writeStackFile(dir, "s2", { ingestMode: "FAST" });
        assert.throws(() => loadStackSettings(dir, "s2"), (e: unknown) => e instanceof SettingsError && /game-analytics:ingestMode = "FAST": must be one of/.test(e.message));
    });

    it("uses the defaults with workloadName local when the stack has no file", function () {
        assert.equal(loadStackSettings(dir, "absent").settings.workloadName, "local");
    });
});

describe("local API server (DIRECT_BATCH)", function () {
    this.timeout(60_000);
    let dir: string;
    let pipeline: LocalPipeline;
    const dataRoot = (): string => path.join(dir, ".gap");
    const start = (): Promise<LocalPipeline> => startLocalPipeline({ stack: "api", configDir: dir, dataRoot: dataRoot(), port: 0, bufferMs: 100, log: () => undefined });

    before(async function () {
        dir = tempDir("api");
        writeStackFile(dir, "api", { workloadName: "api", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, corsAllowOrigins: "https://game.example.com" });
        pipeline = await start();
    });
    after(async function () {
        await pipeline?.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const eventsUrl = (): string => `${pipeline.url}/applications/${pipeline.credentials.applicationId}/events`;

    it("creates a default application and key on first start, stored with mode 0600", function () {
        assert.equal(pipeline.createdCredentials, true);
        assert.equal(fs.statSync(pipeline.paths.credentialsFile).mode & 0o777, 0o600);
        assert.equal(pipeline.credentials.apiKeyValue.length, 88);
    });

    it("serves the routes with and without the stage prefix", async function () {
        const withStage = await call("GET", `${pipeline.url}/applications/${pipeline.credentials.applicationId}`);
        const withoutStage = await call("GET", `http://127.0.0.1:${pipeline.port}/applications/${pipeline.credentials.applicationId}`);
        assert.deepEqual([withStage.status, withStage.body], [withoutStage.status, withoutStage.body]);
        assert.equal(withStage.body.ApplicationId, pipeline.credentials.applicationId);
    });

    it("answers an unknown route 404 with {error, error_detail}", async function () {
        const res = await call("GET", `${pipeline.url}/nothing/here`);
        assert.deepEqual([res.status, res.body.error], [404, "NotFound"]);
    });

    it("refuses a body over 10 MB with 413", async function () {
        const res = await call("POST", eventsUrl(), "x".repeat(10 * 1024 * 1024 + 1), { Authorization: pipeline.credentials.apiKeyValue });
        assert.deepEqual([res.status, res.body.error], [413, "PayloadTooLarge"]);
    });

    it("answers the CORS preflight of the events route for an allowed origin", async function () {
        const res = await fetch(eventsUrl(), { method: "OPTIONS", headers: { Origin: "https://game.example.com" } });
        assert.deepEqual([res.status, res.headers.get("access-control-allow-origin"), res.headers.get("access-control-allow-headers")],
            [204, "https://game.example.com", "Content-Type,Authorization"]);
    });

    it("keeps applications, keys and the lake across a restart", async function () {
        const events = new SyntheticEventGenerator({ seed: 5 }).batch(40).map((g) => g.event);
        const first = await call("POST", eventsUrl(), { events: events.slice(0, 20) }, { Authorization: pipeline.credentials.apiKeyValue, Origin: "https://game.example.com" });
        assert.equal(first.headers.get("access-control-allow-origin"), "https://game.example.com");
        await pipeline.stop();
        pipeline = await start();
        assert.equal(pipeline.createdCredentials, false);
        const second = await call("POST", eventsUrl(), { events: events.slice(20) }, { Authorization: pipeline.credentials.apiKeyValue });
        await pipeline.stop();
        assert.deepEqual([first.body.FailedRecordCount, second.body.FailedRecordCount], [0, 0]);
        const rows = await queryLake(pipeline.paths.lakeDir, "SELECT count(DISTINCT event_id) AS n FROM game_events.raw_events");
        assert.deepEqual(rows, [{ n: 40 }]);
    });
});

describe("local API admin token", function () {
    it("requires Authorization: Bearer <token> on admin routes when a token is set, not on the events route", async function () {
        const seen: string[] = [];
        const server = createLocalApiServer({
            stageName: "live", corsAllowOrigins: ["*"], adminToken: "s3cret-token",
            admin: async (req) => (seen.push(req.resource), { statusCode: 200, headers: {}, body: "{}" }),
            authorize: async () => ({ allow: false, reason: "unknown" }),
            ingest: async () => ({ statusCode: 200, headers: {}, body: "{}" }),
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/live`;
        try {
            const without = await call("GET", `${base}/applications`);
            const wrong = await call("GET", `${base}/applications`, undefined, { Authorization: "Bearer nope" });
            const right = await call("GET", `${base}/applications`, undefined, { Authorization: "Bearer s3cret-token" });
            const events = await call("POST", `${base}/applications/a/events`, { events: [] }, { Authorization: "k" });
            assert.deepEqual([without.status, wrong.status, right.status, events.status, seen], [403, 403, 200, 403, ["/applications"]]);
        } finally {
            server.close();
        }
    });
});
