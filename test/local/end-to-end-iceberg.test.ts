import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { runQuery } from "../../analytics/query-results";
import { icebergTableDir, openIcebergAthenaEmulation } from "../../local/iceberg/reader";
import { loadMetadata } from "../../local/iceberg/metadata";
import { LocalPipeline, startLocalPipeline } from "../../local/pipeline";
import { SyntheticEventGenerator } from "../../tools/synthetic-events";
import { call, filesUnder, runQueryTool, tempDir, writeStackFile } from "./helpers";

const STACK = "ice";

describe("local mode end to end with tableFormat ICEBERG: events through the API into the Iceberg table", function () {
    this.timeout(120_000);
    let dir: string;
    let pipeline: LocalPipeline;
    const sentIds: string[] = [];
    let tableDir: string;

    before(async function () {
        dir = tempDir("ice");
        writeStackFile(dir, STACK, { workloadName: "ice", ingestMode: "KINESIS_DATA_STREAMS", tableFormat: "ICEBERG", authorizerCacheTtlSeconds: 0 });
        pipeline = await startLocalPipeline({ stack: STACK, configDir: dir, dataRoot: path.join(dir, ".gap"), port: 0, bufferMs: 200, log: () => undefined });
        const { applicationId, apiKeyValue } = pipeline.credentials;
        const gen = new SyntheticEventGenerator({ seed: 11 });
        for (let i = 0; i < 6; i++) {
            const events = gen.batch(250).map((g) => g.event);
            const answer = await call("POST", `${pipeline.url}/applications/${applicationId}/events`, { events }, { Authorization: apiKeyValue });
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            sentIds.push(...events.map((e) => String(e.event_id)));
            // Several delivery batches: several snapshots.
            await new Promise((r) => setTimeout(r, 300));
        }
        await pipeline.stop();
        tableDir = icebergTableDir(pipeline.paths.lakeDir, pipeline.settings.rawEventsPrefix);
    });

    after(async function () {
        await pipeline?.stop();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("writes an Iceberg table (metadata, one append snapshot per batch) and no Hive partitions", function () {
        const current = loadMetadata(tableDir);
        assert.ok(current, "the table has metadata");
        const appends = current.metadata.snapshots.filter((s) => s.summary.operation === "append");
        assert.ok(appends.length >= 2, `several append snapshots, got ${appends.length}`);
        assert.equal(filesUnder(tableDir).filter((f) => f.startsWith("year=")).length, 0);
        assert.equal(pipeline.delivery.stats.rowsWritten, sentIds.length);
        assert.ok(pipeline.delivery.stats.parquetFiles >= appends.length);
    });

    it("holds every event exactly once (read through the Iceberg reader)", async function () {
        const db = await openIcebergAthenaEmulation({ tableDir, database: "game_events", table: "raw_events" });
        try {
            const rows = (await runQuery(db.connection, "SELECT event_id, count(*) AS n FROM game_events.raw_events GROUP BY event_id")).rows;
            assert.equal(rows.filter((r) => Number(r.n) !== 1).length, 0);
            assert.deepEqual(rows.map((r) => String(r.event_id)).sort(), [...sentIds].sort());
        } finally {
            db.close();
        }
    });

    it("answers `query --named TotalEvents` from the table, and time-travels with --as-of", function () {
        const total = runQueryTool(dir, STACK, ["--named", "TotalEvents", "--json"]);
        assert.equal(total.status, 0, total.stderr);
        const rows = JSON.parse(total.stdout) as { application_id: string; event_count: number }[];
        assert.deepEqual(rows.map((r) => [r.application_id, Number(r.event_count)]), [[pipeline.credentials.applicationId, sentIds.length]]);

        const first = loadMetadata(tableDir)!.metadata.snapshots[0]!;
        const old = runQueryTool(dir, STACK, ["--as-of", String(first["snapshot-id"]), "--json", "SELECT count(*) AS n FROM game_events.raw_events"]);
        assert.equal(old.status, 0, old.stderr);
        const n = Number((JSON.parse(old.stdout) as { n: number }[])[0]!.n);
        assert.ok(n > 0 && n < sentIds.length, `the first snapshot holds part of the events, got ${n}`);
    });
});
