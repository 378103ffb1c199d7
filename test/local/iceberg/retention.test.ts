import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { maintainTable } from "../../../local/iceberg/maintenance";
import { currentSnapshot, loadMetadata } from "../../../local/iceberg/metadata";
import { scanTable } from "../../../local/iceberg/reader";
import { deleteExpiredRows, retentionCutoffSeconds } from "../../../local/iceberg/retention";
import { IcebergTableWriter } from "../../../local/iceberg/writer";
import { tempDir } from "../helpers";
import { icebirdDataFiles, icebirdRows, normalise, sampleRows } from "./iceberg-helpers";

const DAY = 86_400;

describe("local Iceberg table: dataRetentionDays deletes old rows (copy-on-write snapshot)", () => {
    let dir: string;
    let tableDir: string;
    let writer: IcebergTableWriter;
    // 5 UTC days x 2 applications, noon-ish timestamps so a cutoff inside a day splits it.
    const now = Math.floor(Date.UTC(2026, 10, 30, 12, 0, 0) / 1000);
    const rows = sampleRows(100, "rt", 5, 2, now);

    beforeEach(async () => {
        dir = tempDir("iceberg-rt");
        tableDir = path.join(dir, "raw_events");
        writer = await IcebergTableWriter.open(tableDir);
        for (let i = 0; i < 4; i++) await writer.appendRows(rows.slice(i * 25, i * 25 + 25), `spool-${String(i * 25).padStart(16, "0")}`);
    });
    afterEach(async () => {
        await writer.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("keeps exactly the rows at or after the cutoff, as an independent reader (icebird) sees them", async () => {
        // The cutoff falls 30 s before the rows of 2 days ago (stamped up to 59 s early): it splits that day.
        const nowMs = (now - 30) * 1000;
        const cutoff = retentionCutoffSeconds(2, nowMs);
        assert.equal(cutoff, now - 30 - 2 * DAY);
        assert.ok(rows.some((r) => r.event_timestamp! < cutoff && r.event_timestamp! > cutoff - DAY / 2) && rows.some((r) => r.event_timestamp! >= cutoff && r.event_timestamp! < cutoff + DAY / 2));
        const result = await deleteExpiredRows(tableDir, { retentionDays: 2, nowMs });
        const expected = rows.filter((r) => r.event_timestamp === null || r.event_timestamp >= cutoff);
        assert.ok(expected.length > 0 && expected.length < rows.length);
        assert.equal(result.deletedRows, rows.length - expected.length);
        assert.ok(result.droppedFiles > 0, "whole old days are dropped");
        assert.ok(result.rewrittenFiles > 0, "the cutoff's own day is rewritten");
        assert.deepEqual(normalise(await icebirdRows(tableDir)), normalise(expected as unknown as Record<string, unknown>[]));
        const live = (await icebirdDataFiles(tableDir)).filter((f) => f.status !== 2);
        const oldestDay = Math.floor(cutoff / DAY);
        for (const f of live) assert.ok(Number(f.partition.event_timestamp_day) >= oldestDay, `no live file of a day before ${oldestDay}`);
    });

    it("commits one overwrite snapshot; the snapshot before it still reads every row (time travel)", async () => {
        const before = currentSnapshot(loadMetadata(tableDir)!.metadata)!;
        await deleteExpiredRows(tableDir, { retentionDays: 2, nowMs: (now - 30) * 1000 });
        const after = currentSnapshot(loadMetadata(tableDir)!.metadata)!;
        assert.equal(after["parent-snapshot-id"], before["snapshot-id"]);
        assert.equal(after.summary.operation, "overwrite");
        assert.equal((await scanTable(tableDir, { snapshotId: before["snapshot-id"] })).records, rows.length);
    });

    it("commits nothing when no row is old enough, or when the retention is 0 (keep forever)", async () => {
        const version = loadMetadata(tableDir)!.version;
        assert.equal((await deleteExpiredRows(tableDir, { retentionDays: 30, nowMs: now * 1000 })).snapshotId, undefined);
        assert.equal((await deleteExpiredRows(tableDir, { retentionDays: 0, nowMs: now * 1000 })).snapshotId, undefined);
        assert.equal(loadMetadata(tableDir)!.version, version);
        await assert.rejects(deleteExpiredRows(tableDir, { retentionDays: -1 }), /retentionDays: must be a whole number of days >= 0/);
    });

    it("drops whole days as a delete snapshot when the cutoff falls on a day boundary", async () => {
        const midnight = Math.floor(Date.UTC(2026, 10, 30) / 1000);
        const result = await deleteExpiredRows(tableDir, { retentionDays: 3, nowMs: (midnight + 1) * 1000 });
        // The cutoff day (midnight - 3 days + 1 s) still has rows after 00:00:01: rewritten or kept.
        const { metadata } = loadMetadata(tableDir)!;
        assert.ok(["delete", "overwrite"].includes(currentSnapshot(metadata)!.summary.operation));
        assert.equal(result.deletedRows, rows.filter((r) => r.event_timestamp! < midnight + 1 - 3 * DAY).length);
    });

    it("runs in maintainTable before compaction, so compaction never rewrites rows about to be deleted", async () => {
        const result = await maintainTable(tableDir, { retentionDays: 2, nowMs: now * 1000 });
        assert.ok(result.retention.deletedRows > 0);
        assert.equal((await scanTable(tableDir)).records, rows.length - result.retention.deletedRows);
    });
});
