/**
 * rewriteManifest (local/iceberg/snapshot-commit.ts), the manifest of compaction's and row
 * retention's copy-on-write snapshots: added files ADDED, removed ones DELETED, the rest
 * EXISTING with their sequence numbers, and a conflict when another writer removed a file first.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { CommitConflictError, currentSnapshot, loadMetadata } from "../../../local/iceberg/metadata";
import { liveEntries } from "../../../local/iceberg/reader";
import { rewriteManifest } from "../../../local/iceberg/snapshot-commit";
import { IcebergTableWriter } from "../../../local/iceberg/writer";
import { tempDir } from "../helpers";
import { sampleRows } from "./iceberg-helpers";

describe("local Iceberg table: rewriteManifest", () => {
    let dir: string;
    let tableDir: string;

    before(async () => {
        dir = tempDir("iceberg-rw");
        tableDir = path.join(dir, "raw_events");
        const writer = await IcebergTableWriter.open(tableDir);
        const rows = sampleRows(8, "rw", 1, 1);
        await writer.appendRows(rows.slice(0, 4), "spool-0000000000000000");
        await writer.appendRows(rows.slice(4), "spool-0000000000000004");
        await writer.close();
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("marks the added files ADDED, the removed DELETED and the others EXISTING, keeping the oldest sequence number", async () => {
        const base = loadMetadata(tableDir)!;
        const live = await liveEntries(currentSnapshot(base.metadata)!);
        assert.equal(live.length, 2);
        const [first, second] = live as [typeof live[0], typeof live[0]];
        const replacement = { ...first.data_file, file_path: `${first.data_file.file_path}.rewritten.parquet` };
        const { written, removedEntries } = await rewriteManifest(tableDir, base, 42, [replacement], new Set([first.data_file.file_path]), "compaction");
        assert.deepEqual(removedEntries.map((e) => e.data_file.file_path), [first.data_file.file_path]);
        assert.deepEqual(
            [written.added_files_count, written.existing_files_count, written.deleted_files_count, written.added_snapshot_id],
            [1, 1, 1, 42],
        );
        assert.deepEqual([written.existing_rows_count, written.deleted_rows_count], [second.data_file.record_count, first.data_file.record_count]);
        assert.equal(written.fixedMinSequence, Math.min(first.sequence_number, second.sequence_number));
    });

    it("throws CommitConflictError naming the operation when a file to remove is no longer live", async () => {
        const base = loadMetadata(tableDir)!;
        await assert.rejects(
            rewriteManifest(tableDir, base, 43, [], new Set(["file:///elsewhere/gone.parquet"]), "retention"),
            (e: Error) => e instanceof CommitConflictError && /^retention of .* aborted: file:\/\/\/elsewhere\/gone\.parquet was removed by another writer; run it again$/.test(e.message),
        );
    });
});
