import { strict as assert } from "node:assert";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { compactTable, deleteOrphanFiles } from "../../../local/iceberg/maintenance";
import { CommitStage, loadMetadata } from "../../../local/iceberg/metadata";
import { openIcebergAthenaEmulation, scanTable } from "../../../local/iceberg/reader";
import { IcebergTableWriter } from "../../../local/iceberg/writer";
import { runQuery } from "../../../analytics/query-results";
import { filesUnder, tempDir } from "../helpers";
import { icebirdRows, jsonLines, sampleRows } from "./iceberg-helpers";

const ROOT = path.resolve(__dirname, "../../..");
const CHILD = path.join(__dirname, "crash-child.ts");

/** Runs the crash child; resolves with its output when it pauses at `pauseAt` (or exits). */
function runChild(args: string[]): { child: ChildProcess; paused: Promise<string>; exited: Promise<number | null> } {
    const child = spawn(process.execPath, ["--require", "tsx/cjs", CHILD, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const paused = new Promise<string>((resolve, reject) => {
        child.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            if (/PAUSED|DONE/.test(out)) resolve(out);
        });
        void exited.then((code) => reject(new Error(`child exited with ${code} before pausing; stdout: ${out}; stderr: ${err}`)));
    });
    return { child, paused, exited };
}

/** Event ids of the table as DuckDB sees them through the Athena-emulation view. */
async function eventIds(tableDir: string): Promise<string[]> {
    const db = await openIcebergAthenaEmulation({ tableDir, database: "game_events", table: "raw_events" });
    try {
        return (await runQuery(db.connection, "SELECT event_id FROM game_events.raw_events ORDER BY event_id")).rows.map((r) => String(r.event_id));
    } finally {
        db.close();
    }
}

describe("local Iceberg table: crash safety (SIGKILL mid-commit, redo the batch)", function () {
    this.timeout(120_000);
    let dir: string;

    beforeEach(() => (dir = tempDir("iceberg-crash")));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const stages: { stage: CommitStage; landed: boolean }[] = [
        { stage: "files-written", landed: false },
        { stage: "metadata-written", landed: false },
        { stage: "metadata-linked", landed: true },
    ];
    for (const { stage, landed } of stages) {
        it(`killed at "${stage}": readable throughout, and the redone batch is in the table exactly once`, async () => {
            const tableDir = path.join(dir, "raw_events");
            const acknowledged = sampleRows(30, "acked", 2, 2);
            const writer = await IcebergTableWriter.open(tableDir);
            await writer.appendRows(acknowledged, "spool-0000000000000000");
            await writer.close();

            const batch = sampleRows(25, "batch", 3, 2);
            const jsonl = path.join(dir, "batch.jsonl");
            fs.writeFileSync(jsonl, jsonLines(batch));
            const first = runChild(["append", tableDir, jsonl, "spool-0000000000000030", stage]);
            assert.match(await first.paused, new RegExp(`PAUSED ${stage}`));

            // Readable while the writer is stopped mid-commit: the old snapshot, or the new one once linked.
            const during = await eventIds(tableDir);
            assert.equal(during.length, landed ? 55 : 30);
            assert.equal((await icebirdRows(tableDir)).length, 30, "icebird follows version-hint.text, refreshed after the link");

            first.child.kill("SIGKILL");
            await first.exited;
            assert.equal(first.child.signalCode, "SIGKILL");
            assert.equal((await eventIds(tableDir)).length, landed ? 55 : 30, "readable after the kill");

            // The delivery stage redoes the batch with the same id after a restart (a fresh writer on the files).
            const restarted = await IcebergTableWriter.open(tableDir);
            const result = await restarted.appendJsonLinesFile(jsonl, "spool-0000000000000030");
            await restarted.close();
            assert.equal(result.alreadyCommitted, landed);

            const ids = await eventIds(tableDir);
            assert.deepEqual(ids, [...acknowledged, ...batch].map((r) => r.event_id).sort(), "every event exactly once");
            assert.equal((await icebirdRows(tableDir)).length, 55, "the version hint names the latest version again");
            assert.equal(loadMetadata(tableDir)!.metadata.snapshots.length, 2, "one snapshot per batch");

            // What the killed attempt left unreferenced is removed by the orphan sweep, and nothing else.
            const before = filesUnder(tableDir).length;
            const orphans = await deleteOrphanFiles(tableDir, { olderThanMs: Date.now() + 1000 });
            assert.equal(filesUnder(tableDir).length, before - orphans.length);
            if (!landed) assert.ok(orphans.length >= 1, `the killed attempt's manifest is an orphan (${orphans.length})`);
            assert.ok(orphans.every((f) => !f.endsWith(".metadata.json") || path.basename(f).startsWith(".")), "no committed metadata version is an orphan");
            assert.equal((await scanTable(tableDir)).records, 55);
            assert.equal((await icebirdRows(tableDir)).length, 55);
        });
    }

    it("a compaction killed before its commit leaves the table as it was; run again, it commits", async () => {
        const tableDir = path.join(dir, "raw_events");
        const writer = await IcebergTableWriter.open(tableDir);
        const rows = sampleRows(40, "cmp", 1, 1);
        for (let i = 0; i < 4; i++) await writer.appendRows(rows.slice(i * 10, i * 10 + 10), `spool-000000000000000${i}`);
        await writer.close();
        const killed = runChild(["compact", tableDir, "-", "-", "metadata-written"]);
        assert.match(await killed.paused, /PAUSED metadata-written/);
        killed.child.kill("SIGKILL");
        await killed.exited;
        assert.equal((await scanTable(tableDir)).files.length, 4);
        assert.deepEqual(await eventIds(tableDir), rows.map((r) => r.event_id).sort());
        const again = await compactTable(tableDir);
        assert.equal(again.rewrittenFiles, 4);
        assert.equal((await scanTable(tableDir)).files.length, 1);
        assert.deepEqual(await eventIds(tableDir), rows.map((r) => r.event_id).sort());
    });
});
