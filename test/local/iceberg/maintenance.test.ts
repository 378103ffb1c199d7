import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { compactTable, deleteOrphanFiles, expireSnapshots, maintainTable } from "../../../local/iceberg/maintenance";
import { loadMetadata, localPath } from "../../../local/iceberg/metadata";
import { liveEntries, scanTable } from "../../../local/iceberg/reader";
import { IcebergTableWriter } from "../../../local/iceberg/writer";
import { tempDir } from "../helpers";
import { icebirdDataFiles, icebirdRows, normalise, sampleRows } from "./iceberg-helpers";

describe("local Iceberg table: maintenance", () => {
    let dir: string;
    let tableDir: string;
    let writer: IcebergTableWriter;
    const rows = sampleRows(96, "mt", 2, 2);

    beforeEach(async () => {
        dir = tempDir("iceberg-mt");
        tableDir = path.join(dir, "raw_events");
        writer = await IcebergTableWriter.open(tableDir);
        // 6 flushes, each touching the 4 partitions (2 days x 2 applications): 24 small files.
        for (let i = 0; i < 6; i++) await writer.appendRows(rows.slice(i * 16, i * 16 + 16), `spool-${String(i * 16).padStart(16, "0")}`);
    });
    afterEach(async () => {
        await writer.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("compacts the small files of each partition into one, as a replace snapshot keeping exactly the same rows", async () => {
        const before = await scanTable(tableDir);
        assert.equal(before.files.length, 24);
        const result = await compactTable(tableDir);
        assert.equal(result.filesBefore, 24);
        assert.equal(result.filesAfter, 4);
        assert.equal(result.manifestsBefore, 6);
        assert.equal(result.manifestsAfter, 1);
        const { metadata } = loadMetadata(tableDir)!;
        const current = metadata.snapshots.find((s) => s["snapshot-id"] === metadata["current-snapshot-id"])!;
        assert.equal(current.summary.operation, "replace");
        assert.equal(current.summary["deleted-data-files"], "24");
        assert.equal(current.summary["total-records"], "96");
        assert.deepEqual(normalise(await icebirdRows(tableDir)), normalise(rows as unknown as Record<string, unknown>[]));
        const files = await icebirdDataFiles(tableDir);
        assert.equal(files.filter((f) => f.status !== 2).length, 4, "icebird sees 4 live files");
        assert.equal(files.filter((f) => f.status === 2).length, 24, "and the 24 replaced ones marked deleted");
        // The old snapshot still reads the small files (time travel across a compaction).
        assert.equal((await scanTable(tableDir, { snapshotId: current["parent-snapshot-id"]! })).files.length, 24);
        // Existing entries keep their sequence numbers; the new files get the replace snapshot's.
        const live = await liveEntries(current);
        assert.deepEqual([...new Set(live.map((e) => e.sequence_number))], [current["sequence-number"]]);

        const again = await compactTable(tableDir);
        assert.equal(again.snapshotId, undefined, "nothing left to compact");
    });

    it("leaves large files alone and keeps appends working after a compaction", async () => {
        const result = await compactTable(tableDir, { targetFileBytes: 1 });
        assert.equal(result.snapshotId, undefined, "with a 1-byte target every file is already large");
        await compactTable(tableDir);
        await writer.appendRows(sampleRows(8, "after", 1, 1), "spool-9000000000000000");
        const scan = await scanTable(tableDir);
        assert.equal(scan.records, 104);
        assert.equal(scan.files.length, 5);
        assert.equal((await icebirdRows(tableDir)).length, 104);
    });

    it("expires old snapshots, deletes the files only they referenced, and keeps the current data readable", async () => {
        await compactTable(tableDir);
        const before = loadMetadata(tableDir)!.metadata;
        assert.equal(before.snapshots.length, 7);
        const result = await expireSnapshots(tableDir, { olderThanMs: Date.now() + 1000, retainLast: 1 });
        assert.equal(result.expiredSnapshotIds.length, 6);
        const after = loadMetadata(tableDir)!.metadata;
        assert.deepEqual(after.snapshots.map((s) => s["snapshot-id"]), [before["current-snapshot-id"]]);
        assert.deepEqual(after["snapshot-log"].map((e) => e["snapshot-id"]), [before["current-snapshot-id"]]);
        // 24 small data files, 6 manifest lists and 6 manifests went; the compacted files stay.
        assert.equal(result.deletedFiles.filter((f) => f.endsWith(".parquet")).length, 24);
        assert.equal(result.deletedFiles.filter((f) => f.endsWith(".avro")).length, 12);
        for (const file of result.deletedFiles) assert.equal(fs.existsSync(file), false);
        const scan = await scanTable(tableDir);
        assert.equal(scan.records, 96);
        for (const file of scan.files) assert.ok(fs.existsSync(file));
        assert.deepEqual(normalise(await icebirdRows(tableDir)), normalise(rows as unknown as Record<string, unknown>[]));
        await assert.rejects(scanTable(tableDir, { snapshotId: before.snapshots[0]["snapshot-id"] }), /expired snapshots cannot be read/);
        // A commit id delivered before the expiry is still recognised (table property, not only snapshot summaries).
        const redo = await writer.appendRows(rows.slice(0, 16), "spool-0000000000000000");
        assert.equal(redo.alreadyCommitted, true);
        assert.equal((await scanTable(tableDir)).records, 96);
    });

    it("keeps snapshots younger than the age limit and the last K of the current ancestry", async () => {
        assert.equal((await expireSnapshots(tableDir)).expiredSnapshotIds.length, 0, "default: 5 days; all are younger");
        const result = await expireSnapshots(tableDir, { olderThanMs: Date.now() + 1000, retainLast: 3 });
        assert.equal(result.expiredSnapshotIds.length, 3);
        assert.equal(result.deletedFiles.filter((f) => f.endsWith(".parquet")).length, 0, "appended files stay live in the kept snapshots");
        assert.equal(loadMetadata(tableDir)!.metadata.snapshots.length, 3);
        assert.equal((await scanTable(tableDir)).records, 96);
    });

    it("deletes unreferenced files old enough, never a referenced one", async () => {
        const stray = path.join(tableDir, "data", "event_timestamp_day=2020-01-01", "application_id=x", "stray.parquet");
        fs.mkdirSync(path.dirname(stray), { recursive: true });
        fs.writeFileSync(stray, "not referenced");
        assert.deepEqual(await deleteOrphanFiles(tableDir), [], "a fresh file may belong to a commit in progress");
        const deleted = await deleteOrphanFiles(tableDir, { olderThanMs: Date.now() + 1000 });
        assert.deepEqual(deleted, [stray]);
        const scan = await scanTable(tableDir);
        for (const file of scan.files) assert.ok(fs.existsSync(file));
        assert.equal(scan.records, 96);
    });

    it("runs compaction, expiry and the orphan sweep in one call", async () => {
        const result = await maintainTable(tableDir, { olderThanMs: Date.now() + 1000, orphanMinAgeMs: -1000 });
        assert.equal(result.compaction.filesAfter, 4);
        assert.equal(result.expiry.expiredSnapshotIds.length, 6);
        const scan = await scanTable(tableDir);
        const metadataFiles = fs.readdirSync(path.join(tableDir, "metadata"));
        assert.equal(metadataFiles.filter((f) => f.endsWith(".avro")).length, 2, "one manifest list and one manifest remain");
        assert.equal(scan.files.length, 4);
        assert.ok(scan.files.every((f) => fs.existsSync(localPath(f))));
        assert.equal((await icebirdRows(tableDir)).length, 96);
    });
});
