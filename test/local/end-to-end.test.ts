import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalPipeline, startLocalPipeline } from "../../local/pipeline";
import { sendEvents, SendSummary } from "../../tools/event-sender";
import { SyntheticEventGenerator } from "../../tools/synthetic-events";
import { call, filesUnder, queryLake, tempDir, writeStackFile } from "./helpers";

const STACK = "e2e";

describe("local mode end to end (KINESIS_DATA_STREAMS, 2 shards): 10,000 events through the API into the lake", function () {
    this.timeout(180_000);
    let dir: string;
    let pipeline: LocalPipeline;
    let appId: string;
    let summary: SendSummary;
    const disabledKeyEventIds: string[] = [];
    const answers: Record<string, { status: number; body: unknown }> = {};

    before(async function () {
        dir = tempDir("e2e");
        writeStackFile(dir, STACK, {
            workloadName: "e2e", ingestMode: "KINESIS_DATA_STREAMS", streamProvisioned: true, streamShardCount: 2,
            authorizerCacheTtlSeconds: 0, devMode: true,
        });
        pipeline = await startLocalPipeline({ stack: STACK, configDir: dir, dataRoot: path.join(dir, ".gap"), port: 0, bufferMs: 300, log: () => undefined });
        const base = pipeline.url;

        const app = await call("POST", `${base}/applications`, { Name: "e2e-game", Description: "end-to-end test" });
        answers.createApp = app;
        appId = app.body.ApplicationId;
        const key = await call("POST", `${base}/applications/${appId}/authorizations`, { Name: "main" });
        answers.createKey = key;
        const doomed = await call("POST", `${base}/applications/${appId}/authorizations`, { Name: "doomed" });

        // The second key works, then is disabled and is refused.
        const gen = new SyntheticEventGenerator({ seed: 99 });
        const before = gen.batch(3).map((g) => g.event);
        answers.beforeDisable = await call("POST", `${base}/applications/${appId}/events`, { events: before }, { Authorization: doomed.body.ApiKeyValue });
        disabledKeyEventIds.push(...before.map((e) => String(e.event_id)));
        answers.disable = await call("PUT", `${base}/applications/${appId}/authorizations/${doomed.body.ApiKeyId}`, { Enabled: false });
        const after = gen.batch(5).map((g) => g.event);
        answers.afterDisable = await call("POST", `${base}/applications/${appId}/events`, { events: after }, { Authorization: doomed.body.ApiKeyValue });
        answers.wrongApp = await call("POST", `${base}/applications/${pipeline.credentials.applicationId}/events`, { events: after }, { Authorization: key.body.ApiKeyValue });
        answers.noKey = await call("POST", `${base}/applications/${appId}/events`, { events: after });

        summary = await sendEvents({
            endpoint: base, applicationId: appId, apiKey: key.body.ApiKeyValue, count: 10_000, batchSize: 500, concurrency: 4,
            generator: new SyntheticEventGenerator({ seed: 7, invalidRatio: 0.05 }),
        });
        await pipeline.stop();
    });

    after(async function () {
        await pipeline?.stop();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("creates the application and the key through the API with the guidance's shapes", function () {
        assert.equal(answers.createApp.status, 200);
        assert.deepEqual(Object.keys(answers.createApp.body as object).sort(), ["ApplicationId", "ApplicationName", "AuthModes", "CreatedAt", "Description", "UpdatedAt"]);
        assert.equal(answers.createKey.status, 200);
        assert.equal(((answers.createKey.body as { ApiKeyValue: string }).ApiKeyValue).length, 88);
    });

    it("answers every valid event Ok and every invalid one InvalidEvent, per event", function () {
        assert.equal(summary.sent, 10_000);
        assert.ok(summary.generatedInvalid > 300, `about 5% invalid, got ${summary.generatedInvalid}`);
        assert.deepEqual(
            { accepted: summary.accepted, rejected: summary.rejected, errors: summary.errors },
            { accepted: summary.generatedValid, rejected: summary.generatedInvalid, errors: { InvalidEvent: summary.generatedInvalid } },
        );
    });

    it("accepts a key until it is disabled, then answers 403 AccessDenied (cache TTL 0 from the stack file)", function () {
        assert.equal(answers.beforeDisable.status, 200);
        assert.equal(answers.disable.status, 200);
        assert.deepEqual([answers.afterDisable.status, answers.afterDisable.body], [403, { error: "AccessDenied" }]);
    });

    it("refuses a key on another application's route and a request without a key with 403", function () {
        assert.deepEqual([answers.wrongApp.status, answers.noKey.status], [403, 403]);
    });

    it("lands exactly the accepted events in the lake, once each, as Parquet in day partitions", async function () {
        const rows = await queryLake(pipeline.paths.lakeDir, "SELECT event_id FROM game_events.raw_events");
        const landed = rows.map((r) => String(r.event_id)).sort();
        const expected = [...summary.acceptedEventIds, ...disabledKeyEventIds].sort();
        assert.equal(landed.length, expected.length);
        assert.deepEqual(landed, expected);
    });

    it("marks every landed row processing_status ok with the application's name", async function () {
        const rows = await queryLake(pipeline.paths.lakeDir,
            "SELECT json_extract_scalar(metadata, '$.processing_status') AS status, application_name, count(*) AS n " +
            "FROM game_events.raw_events GROUP BY 1, 2");
        assert.deepEqual(rows, [{ status: "ok", application_name: "e2e-game", n: summary.accepted + disabledKeyEventIds.length }]);
    });

    it("writes nothing to the error output when every record is well formed", function () {
        assert.deepEqual(filesUnder(path.join(pipeline.paths.lakeDir, "firehose-errors")), []);
        assert.equal(pipeline.delivery.stats.recordsFailed, 0);
    });

    it("answers TotalEvents over the lake with the accepted count", async function () {
        const rows = await queryLake(pipeline.paths.lakeDir,
            "SELECT application_id, count(DISTINCT event_id) AS event_count FROM game_events.raw_events GROUP BY 1");
        assert.deepEqual(rows, [{ application_id: appId, event_count: summary.accepted + disabledKeyEventIds.length }]);
    });
});
