import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { dataFolder } from "../../../local/data-folder";
import { icebergTableDir, scanTable } from "../../../local/iceberg/reader";
import { IcebergTableWriter } from "../../../local/iceberg/writer";
import { tempDir, writeStackFile } from "../helpers";
import { sampleRows } from "./iceberg-helpers";

const ROOT = path.resolve(__dirname, "../../..");

function runMaintenance(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ["--require", "tsx/cjs", path.join(ROOT, "tools", "iceberg-maintenance.ts"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 150_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("iceberg-maintenance tool", function () {
    this.timeout(300_000);
    let dir: string;
    beforeEach(() => (dir = tempDir("iceberg-cli")));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("compacts and expires the stack's table in the data folder", async () => {
        writeStackFile(dir, "ice", { workloadName: "cli", tableFormat: "ICEBERG" });
        const tableDir = icebergTableDir(dataFolder(path.join(dir, ".gap"), "ice").lakeDir, "raw_events");
        const writer = await IcebergTableWriter.open(tableDir);
        const rows = sampleRows(30, "cli", 1, 1);
        for (let i = 0; i < 3; i++) await writer.appendRows(rows.slice(i * 10, i * 10 + 10), `spool-000000000000000${i}`);
        await writer.close();
        const run = runMaintenance(["--stack", "ice", "--config-dir", dir, "--expire-older-than-hours", "0"]);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /compaction: 3 small files rewritten into 1; 3 -> 1 data files, 3 -> 1 manifests/);
        assert.match(run.stdout, /expiry: 3 snapshots expired, 9 files deleted/);
        const scan = await scanTable(tableDir);
        assert.equal(scan.files.length, 1);
        assert.equal(scan.records, 30);
    });

    it("deletes the rows older than the stack's dataRetentionDays before compacting", async () => {
        writeStackFile(dir, "ice", { workloadName: "cli", tableFormat: "ICEBERG", dataRetentionDays: 2 });
        const tableDir = icebergTableDir(dataFolder(path.join(dir, ".gap"), "ice").lakeDir, "raw_events");
        const writer = await IcebergTableWriter.open(tableDir);
        // 5 days of rows ending now: the 3 oldest days (and the older part of the day 2 days ago) go.
        const rows = sampleRows(50, "ret", 5, 1);
        await writer.appendRows(rows, "spool-0000000000000000");
        await writer.close();
        const run = runMaintenance(["--stack", "ice", "--config-dir", dir]);
        assert.equal(run.status, 0, run.stderr);
        const cutoff = Math.floor(Date.now() / 1000) - 2 * 86_400;
        const kept = rows.filter((r) => r.event_timestamp! >= cutoff + 60).length;
        assert.match(run.stdout, /retention: \d+ rows older than .* deleted/);
        const scan = await scanTable(tableDir);
        assert.ok(scan.records >= kept && scan.records < rows.length, `${scan.records} rows kept of ${rows.length}`);
        const hive = runMaintenance(["--stack", "ice", "--config-dir", dir, "--json"]);
        assert.equal(JSON.parse(hive.stdout).retention.deletedRows, 0, "a second run finds nothing more to delete");
    });

    it("refuses a Hive stack and an empty data folder with a message naming the cause", () => {
        writeStackFile(dir, "hive", { workloadName: "cli" });
        const hive = runMaintenance(["--stack", "hive", "--config-dir", dir]);
        assert.equal(hive.status, 1);
        assert.match(hive.stderr, /tableFormat HIVE; maintenance applies to ICEBERG tables only/);
        writeStackFile(dir, "ice", { workloadName: "cli", tableFormat: "ICEBERG" });
        const empty = runMaintenance(["--stack", "ice", "--config-dir", dir]);
        assert.equal(empty.status, 1);
        assert.match(empty.stderr, /no Iceberg table in .* yet/);
    });
});
