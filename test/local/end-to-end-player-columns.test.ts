/**
 * The player_id and source_event_id columns end to end in the local mode, for each store: HIVE
 * (Parquet lake), ICEBERG (the local Iceberg table, also read by icebird) and REDSHIFT (the pglite
 * warehouse). API-key events go through the HTTP route; player events (the records put-record
 * writes: IngestRecord with player_id and source_event_id) are put into the spool, the
 * pipeline's write-ahead log, between two starts: the second start replays them through the same
 * stream and delivery path as any accepted record. Then `npm run query` reads player_id back.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { IngestRecord } from "../../functions/core/contracts";
import { icebergTableDir } from "../../local/iceberg/reader";
import { startLocalPipeline } from "../../local/pipeline";
import { Spool } from "../../local/spool";
import { icebirdRows } from "./iceberg/iceberg-helpers";
import { call, runQueryTool, tempDir, writeStackFile } from "./helpers";

const NOW = Math.floor(Date.now() / 1000);

/** The rows of `sql` as tools/query.ts --json prints them. */
function queryRows(dir: string, stack: string, sql: string): Record<string, unknown>[] {
    const r = runQueryTool(dir, stack, ["--json", sql]);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Record<string, unknown>[];
}

function apiKeyEvent(i: number): Record<string, unknown> {
    return { event_id: `a0000000-0000-4000-8000-${String(i).padStart(12, "0")}`, event_type: "login", event_name: "login", event_timestamp: NOW - i };
}

function playerRecord(applicationId: string, i: number): IngestRecord {
    return {
        application_id: applicationId,
        event: { event_id: `b0000000-0000-5000-8000-${String(i).padStart(12, "0")}`, event_type: "Login", event_name: "Login", event_timestamp: NOW - 100 - i },
        request_id: `req-${i}`,
        request_time_epoch: (NOW - 100 - i) * 1000,
        player_id: `player-${i % 2}`,
        source_event_id: String(i).padStart(5, "0"),
    };
}

const MODES: { name: string; stack: Record<string, string | number | boolean>; table: string }[] = [
    { name: "HIVE (Parquet lake)", stack: { ingestMode: "KINESIS_DATA_STREAMS" }, table: "game_events.raw_events" },
    { name: "ICEBERG", stack: { ingestMode: "KINESIS_DATA_STREAMS", tableFormat: "ICEBERG" }, table: "game_events.raw_events" },
    { name: "REDSHIFT (pglite warehouse)", stack: { ingestMode: "KINESIS_DATA_STREAMS", dataStack: "REDSHIFT" }, table: "game_events.events" },
];

for (const mode of MODES) {
    describe(`local mode end to end, ${mode.name}: player_id and source_event_id stored and queryable`, function () {
        this.timeout(180_000);
        const stack = "pc";
        let dir: string;
        let applicationId: string;
        let lakeDir: string;
        let prefix: string;

        before(async function () {
            dir = tempDir("pcols");
            writeStackFile(dir, stack, { workloadName: "pc", authorizerCacheTtlSeconds: 0, ...mode.stack });
            const options = { stack, configDir: dir, dataRoot: path.join(dir, ".gap"), port: 0, bufferMs: 200, log: () => undefined };
            const first = await startLocalPipeline(options);
            applicationId = first.credentials.applicationId;
            const answer = await call("POST", `${first.url}/applications/${applicationId}/events`, { events: [0, 1, 2].map(apiKeyEvent) }, { Authorization: first.credentials.apiKeyValue });
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            await first.stop();
            const spool = await Spool.open(first.paths.spoolDir);
            await spool.append([0, 1, 2, 3].map((i) => Buffer.from(JSON.stringify(playerRecord(applicationId, i)) + "\n")));
            await spool.close();
            const second = await startLocalPipeline(options);
            assert.equal(second.replayedEvents, 4, "the player records are replayed");
            await second.stop();
            lakeDir = second.paths.lakeDir;
            prefix = second.settings.rawEventsPrefix;
        });

        after(function () {
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        });

        it("answers `npm run query -- \"SELECT player_id, ...\"` with the player's ids, null for API-key events", function () {
            // One run of the tool (each costs seconds): the rows, and the events of each player (the docs' example).
            const rows = queryRows(dir, stack, `SELECT event_id, player_id, source_event_id, count(*) OVER (PARTITION BY player_id) AS player_events FROM ${mode.table} ORDER BY event_id`);
            assert.deepEqual(rows.map((r) => [r.event_id, r.player_id, r.source_event_id, r.player_id === null ? null : Number(r.player_events)]), [
                ...[0, 1, 2].map((i) => [apiKeyEvent(i).event_id, null, null, null]),
                ...[0, 1, 2, 3].map((i) => [playerRecord(applicationId, i).event.event_id, `player-${i % 2}`, String(i).padStart(5, "0"), 2]),
            ]);
        });

        if (mode.name === "ICEBERG") {
            it("is read by an independent Iceberg reader (icebird) with the same columns", async function () {
                const rows = await icebirdRows(icebergTableDir(lakeDir, prefix));
                const byId = new Map(rows.map((r) => [String(r.event_id), r]));
                assert.equal(rows.length, 7);
                assert.deepEqual([byId.get(playerRecord(applicationId, 3).event.event_id)?.player_id, byId.get(playerRecord(applicationId, 3).event.event_id)?.source_event_id], ["player-1", "00003"]);
                assert.equal(byId.get(String(apiKeyEvent(0).event_id))?.player_id ?? null, null);
            });
        }
    });
}
