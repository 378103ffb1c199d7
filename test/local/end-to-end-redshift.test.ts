import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalPipeline, startLocalPipeline } from "../../local/pipeline";
import { SyntheticEventGenerator } from "../../tools/synthetic-events";
import { call, filesUnder, runQueryTool, tempDir, writeStackFile } from "./helpers";

const STACK = "rs";

describe("local mode end to end with dataStack REDSHIFT: events through the stream into the warehouse", function () {
    this.timeout(180_000);
    let dir: string;
    let pipeline: LocalPipeline;
    const sent: Record<string, unknown>[] = [];
    let lockedAnswer: ReturnType<typeof runQueryTool>;
    let setupAnswer: Awaited<ReturnType<typeof call>>;

    before(async function () {
        dir = tempDir("rs");
        writeStackFile(dir, STACK, { workloadName: "rs", ingestMode: "KINESIS_DATA_STREAMS", dataStack: "REDSHIFT", authorizerCacheTtlSeconds: 0 });
        pipeline = await startLocalPipeline({ stack: STACK, configDir: dir, dataRoot: path.join(dir, ".gap"), port: 0, bufferMs: 200, log: () => undefined });
        const { applicationId, apiKeyValue } = pipeline.credentials;
        const gen = new SyntheticEventGenerator({ seed: 21 });
        for (let i = 0; i < 4; i++) {
            const events = gen.batch(300).map((g) => g.event);
            const answer = await call("POST", `${pipeline.url}/applications/${applicationId}/events`, { events }, { Authorization: apiKeyValue });
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            sent.push(...events);
        }
        await pipeline.delivery.flush();
        setupAnswer = await call("POST", `${pipeline.url}/redshift/setup`, {});
        // While the pipeline runs, the warehouse is locked: the query tool says so.
        lockedAnswer = runQueryTool(dir, STACK, ["--named", "TotalEvents"]);
        await pipeline.stop();
    });

    after(async function () {
        await pipeline?.stop();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("delivers one warehouse row per event (no packing) and writes nothing to the lake", function () {
        assert.equal(pipeline.delivery.stats.rowsWritten, sent.length);
        assert.equal(pipeline.delivery.stats.recordsIn, sent.length, "one Kinesis record per event");
        assert.equal(filesUnder(pipeline.paths.lakeDir).filter((f) => f.endsWith(".parquet")).length, 0);
    });

    it("answers POST /redshift/setup with what exists in the local warehouse (the guidance's route, read-only)", function () {
        assert.equal(setupAnswer.status, 200, JSON.stringify(setupAnswer.body));
        const report = setupAnswer.body as { complete: boolean; schema: string; views: { name: string; exists: boolean }[]; materializedView: { exists: boolean } };
        assert.equal(report.complete, true);
        assert.equal(report.materializedView.exists, true);
        assert.equal(report.views.length, 11);
        assert.ok(report.views.some((v) => v.name === "LevelCompletionRate" && v.exists));
    });

    it("refuses to query while the pipeline holds the warehouse, saying to stop it first", function () {
        assert.equal(lockedAnswer.status, 1, lockedAnswer.stdout);
        assert.match(lockedAnswer.stderr, /stop the local pipeline \(npm start\) before querying/);
    });

    it("answers `query --named LevelCompletionRate` with completions / plays per level", function () {
        const plays = new Map<string, number>();
        const completions = new Map<string, number>();
        for (const e of sent) {
            const level = String((e.event_data as { level_id?: unknown }).level_id);
            if (e.event_type === "level_started") plays.set(level, (plays.get(level) ?? 0) + 1);
            if (e.event_type === "level_completed") completions.set(level, (completions.get(level) ?? 0) + 1);
        }
        const levels = [...new Set([...plays.keys(), ...completions.keys()])].sort();
        const expected = levels.map((level) => {
            const p = plays.get(level) ?? 0;
            const c = completions.get(level) ?? 0;
            return [level, p, c, p === 0 ? null : Math.round((c / p) * 10_000) / 10_000];
        });
        const answer = runQueryTool(dir, STACK, ["--named", "LevelCompletionRate", "--json"]);
        assert.equal(answer.status, 0, answer.stderr);
        const rows = JSON.parse(answer.stdout) as { application_id: string; level_id: string; play_count: number; completion_count: number; completion_rate: number | null }[];
        assert.ok(rows.every((r) => r.application_id === pipeline.credentials.applicationId));
        assert.deepEqual(rows.map((r) => [r.level_id, Number(r.play_count), Number(r.completion_count), r.completion_rate === null ? null : Number(r.completion_rate)]), expected);

        const refused = runQueryTool(dir, STACK, ["--as-of", "2026-01-01T00:00:00Z", "SELECT 1"]);
        assert.equal(refused.status, 1);
        assert.match(refused.stderr, /--as-of needs tableFormat ICEBERG/);
    });
});
