/**
 * Row retention of the local Iceberg events table (`dataRetentionDays` of a `tableFormat: ICEBERG`
 * stack): deletes the rows whose event_timestamp is older than the cutoff, committing one
 * `delete` or `overwrite` snapshot like any writer (optimistic, atomic; see metadata.ts).
 *
 * Copy-on-write, no delete files: a data file whose partition day lies wholly before the cutoff
 * day is dropped from the table (metadata only); a file of the cutoff's own day, or of the null
 * day, is rewritten without its old rows when it has any. Rows without an event_timestamp are
 * kept (they have no age; the Hive lake's lifecycle ages objects, not rows). The dropped files stay
 * on disk until snapshot expiry deletes them, so time travel to before the delete still works
 * for the retention period of snapshots.
 */
import * as path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { sqlString } from "../../analytics/duckdb-athena";
import { DATA_FILE_COLUMNS, writeDataFile } from "./data-files";
import type { ManifestEntry } from "./manifest";
import { type CommitHook, currentSnapshot, loadMetadata, localPath, newSnapshotId } from "./metadata";
import { liveEntries, type ResolvedEntry } from "./reader";
import { commitSnapshot, rewriteManifest } from "./snapshot-commit";
import { partitionPath } from "../../functions/core/iceberg-schema";

const SECONDS_PER_DAY = 86_400;

export interface RetentionOptions {
    /** Rows older than this many days (from `nowMs`) are deleted; 0 keeps everything (`dataRetentionDays`' meaning). */
    retentionDays: number;
    /** Clock of the cutoff. @default Date.now() */
    nowMs?: number;
    hook?: CommitHook;
}

export interface RetentionResult {
    /** The snapshot that deleted rows (undefined: nothing was old enough). */
    snapshotId: number | undefined;
    /** Cutoff, epoch seconds: rows with event_timestamp before it are deleted. */
    cutoffSeconds: number | undefined;
    /** Data files dropped whole (their partition day is before the cutoff day). */
    droppedFiles: number;
    /** Data files rewritten without their old rows. */
    rewrittenFiles: number;
    deletedRows: number;
}

/** Epoch seconds of the cutoff: `retentionDays` before `nowMs`. */
export function retentionCutoffSeconds(retentionDays: number, nowMs: number): number {
    return Math.floor(nowMs / 1000) - retentionDays * SECONDS_PER_DAY;
}

/** Deletes the rows older than the retention (see the module comment). */
export async function deleteExpiredRows(tableDir: string, options: RetentionOptions): Promise<RetentionResult> {
    const none = (cutoffSeconds?: number): RetentionResult => ({ snapshotId: undefined, cutoffSeconds, droppedFiles: 0, rewrittenFiles: 0, deletedRows: 0 });
    if (!Number.isInteger(options.retentionDays) || options.retentionDays < 0) {
        throw new RangeError(`retentionDays: must be a whole number of days >= 0 (got ${options.retentionDays})`);
    }
    if (options.retentionDays === 0) return none();
    const cutoff = retentionCutoffSeconds(options.retentionDays, options.nowMs ?? Date.now());
    const cutoffDay = Math.floor(cutoff / SECONDS_PER_DAY);
    const base = loadMetadata(tableDir);
    const snapshot = base && currentSnapshot(base.metadata);
    if (!snapshot) return none(cutoff);
    const entries = await liveEntries(snapshot);

    const dropped: ResolvedEntry[] = [];
    const candidates: ResolvedEntry[] = [];
    for (const entry of entries) {
        const day = entry.data_file.partition.event_timestamp_day;
        if (day !== null && day < cutoffDay) dropped.push(entry);
        else if (day === null || day === cutoffDay) candidates.push(entry);
    }

    const snapshotId = newSnapshotId();
    const rewritten: Array<{ old: ResolvedEntry; replacement: ManifestEntry["data_file"] | undefined; deleted: number }> = [];
    if (candidates.length > 0) {
        const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
        const connection = await instance.connect();
        try {
            await connection.run("SET TimeZone = 'UTC'");
            const cutoffSql = `to_timestamp(${cutoff})`;
            for (const [n, entry] of candidates.entries()) {
                const source = `read_parquet(${sqlString(localPath(entry.data_file.file_path))})`;
                const old = Number((await connection.runAndReadAll(`SELECT count(*) FROM ${source} WHERE event_timestamp < ${cutoffSql}`)).getRows()[0]![0]);
                if (old === 0) continue;
                const kept = entry.data_file.record_count - old;
                const file = path.join(tableDir, "data", partitionPath(entry.data_file.partition), `retained-${snapshotId}-${n}.parquet`);
                const replacement = kept > 0
                    ? await writeDataFile(connection, `SELECT ${DATA_FILE_COLUMNS} FROM ${source} WHERE event_timestamp IS NULL OR event_timestamp >= ${cutoffSql} ORDER BY event_timestamp, event_id`, file, entry.data_file.partition)
                    : undefined;
                rewritten.push({ old: entry, replacement, deleted: old });
            }
        } finally {
            connection.closeSync();
            instance.closeSync();
        }
    }
    if (dropped.length === 0 && rewritten.length === 0) return none(cutoff);

    const removed = new Set([...dropped, ...rewritten.map((r) => r.old)].map((e) => e.data_file.file_path));
    const added = rewritten.flatMap((r) => (r.replacement ? [r.replacement] : []));
    const deletedRows = dropped.reduce((n, e) => n + e.data_file.record_count, 0) + rewritten.reduce((n, r) => n + r.deleted, 0);
    const committed = await commitSnapshot(tableDir, snapshotId, async (current) => {
        const { written: manifest, removedEntries: gone } = await rewriteManifest(tableDir, current, snapshotId, added, removed, "retention");
        return {
            // Iceberg's operation names: "delete" removes files only, "overwrite" also adds some.
            operation: added.length === 0 ? "delete" as const : "overwrite" as const,
            summary: {
                "added-data-files": String(added.length),
                "deleted-data-files": String(gone.length),
                "added-records": String(added.reduce((n, f) => n + f.record_count, 0)),
                "deleted-records": String(gone.reduce((n, e) => n + e.data_file.record_count, 0) - added.reduce((n, f) => n + f.record_count, 0)),
                "added-files-size": String(added.reduce((n, f) => n + f.file_size_in_bytes, 0)),
                "removed-files-size": String(gone.reduce((n, e) => n + e.data_file.file_size_in_bytes, 0)),
                "gap.retention-cutoff": new Date(cutoff * 1000).toISOString(),
            },
            carried: [],
            written: [manifest],
        };
    }, options.hook);
    return {
        snapshotId: committed?.snapshot["snapshot-id"],
        cutoffSeconds: cutoff,
        droppedFiles: dropped.length,
        rewrittenFiles: rewritten.length,
        deletedRows,
    };
}
