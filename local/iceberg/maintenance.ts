/**
 * Table maintenance, committing like any writer (optimistic, atomic; see metadata.ts):
 * - `compactTable`: rewrites the small data files of each partition into larger ones, as one
 *   `replace` snapshot whose single manifest also merges the many per-append manifests;
 * - `expireSnapshots`: drops old snapshots from the metadata, then deletes the manifest lists,
 *   manifests and data files only they referenced;
 * - `deleteOrphanFiles`: deletes files under the table no retained metadata refers to (left by a
 *   crashed writer), once they are old enough that no writer can still be about to commit them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { DATA_FILE_COLUMNS, dataFilesRelation, writeDataFile } from "./data-files";
import { ENTRY_STATUS, ManifestEntry } from "./manifest";
import {
    CommitConflictError, CommitHook, Snapshot, TableMetadata, VersionedMetadata, ancestry, commitMetadata, currentSnapshot,
    loadMetadata, localPath, metadataDir, metadataFileName, newSnapshotId,
} from "./metadata";
import { ResolvedEntry, liveEntries, readManifest, readManifestList } from "./reader";
import { commitSnapshot, rewriteManifest } from "./snapshot-commit";
import { EventPartition, partitionPath } from "../../functions/core/iceberg-schema";
import { deleteExpiredRows, type RetentionResult } from "./retention";

export interface CompactionOptions {
    /** Size a compacted file aims at (bins of small files are filled up to it). @default 128 MiB */
    targetFileBytes?: number;
    /** Files smaller than this are rewritten. @default 3/4 of targetFileBytes */
    smallFileBytes?: number;
    /** A partition is compacted only when it has at least this many small files. @default 2 */
    minInputFiles?: number;
    hook?: CommitHook;
}

export interface CompactionResult {
    /** The replace snapshot (undefined: nothing to compact). */
    snapshotId: number | undefined;
    filesBefore: number;
    filesAfter: number;
    rewrittenFiles: number;
    writtenFiles: number;
    manifestsBefore: number;
    manifestsAfter: number;
}

/** Compacts small data files per partition into larger ones (one `replace` snapshot). */
export async function compactTable(tableDir: string, options: CompactionOptions = {}): Promise<CompactionResult> {
    const target = options.targetFileBytes ?? 128 * 1024 * 1024;
    const small = options.smallFileBytes ?? Math.floor(target * 0.75);
    const minInputs = options.minInputFiles ?? 2;
    const base = loadMetadata(tableDir);
    const snapshot = base && currentSnapshot(base.metadata);
    if (!snapshot) return { snapshotId: undefined, filesBefore: 0, filesAfter: 0, rewrittenFiles: 0, writtenFiles: 0, manifestsBefore: 0, manifestsAfter: 0 };
    const manifestsBefore = (await readManifestList(snapshot)).length;
    const entries = await liveEntries(snapshot);

    // Bins of small files, per partition, each up to the target size.
    const byPartition = new Map<string, ResolvedEntry[]>();
    for (const entry of entries) {
        if (entry.data_file.file_size_in_bytes >= small) continue;
        const key = JSON.stringify(entry.data_file.partition);
        byPartition.set(key, [...(byPartition.get(key) ?? []), entry]);
    }
    const bins: ResolvedEntry[][] = [];
    for (const group of byPartition.values()) {
        if (group.length < minInputs) continue;
        let bin: ResolvedEntry[] = [];
        let size = 0;
        for (const entry of group.sort((a, b) => a.sequence_number - b.sequence_number || a.data_file.file_path.localeCompare(b.data_file.file_path))) {
            if (bin.length > 0 && size + entry.data_file.file_size_in_bytes > target) {
                bins.push(bin);
                bin = [];
                size = 0;
            }
            bin.push(entry);
            size += entry.data_file.file_size_in_bytes;
        }
        bins.push(bin);
    }
    const work = bins.filter((b) => b.length >= 2);
    if (work.length === 0) {
        return { snapshotId: undefined, filesBefore: entries.length, filesAfter: entries.length, rewrittenFiles: 0, writtenFiles: 0, manifestsBefore, manifestsAfter: manifestsBefore };
    }

    const snapshotId = newSnapshotId();
    const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    const connection = await instance.connect();
    const written: ManifestEntry["data_file"][] = [];
    try {
        await connection.run("SET TimeZone = 'UTC'");
        for (const [n, bin] of work.entries()) {
            const partition: EventPartition = bin[0].data_file.partition;
            const inputs = bin.map((e) => localPath(e.data_file.file_path));
            const file = path.join(tableDir, "data", partitionPath(partition), `compacted-${snapshotId}-${n}.parquet`);
            written.push(await writeDataFile(connection,
                `SELECT ${DATA_FILE_COLUMNS} FROM ${dataFilesRelation(inputs)} ORDER BY event_timestamp, event_id`, file, partition));
        }
    } finally {
        connection.closeSync();
        instance.closeSync();
    }

    const replaced = new Set(work.flat().map((e) => e.data_file.file_path));
    const result = await commitSnapshot(tableDir, snapshotId, async (current) => {
        const { written: manifest, removedEntries: deleted } = await rewriteManifest(tableDir, current, snapshotId, written, replaced, "compaction");
        return {
            operation: "replace" as const,
            summary: {
                "added-data-files": String(written.length),
                "deleted-data-files": String(deleted.length),
                "added-records": String(written.reduce((n, f) => n + f.record_count, 0)),
                "deleted-records": String(deleted.reduce((n, e) => n + e.data_file.record_count, 0)),
                "added-files-size": String(written.reduce((n, f) => n + f.file_size_in_bytes, 0)),
                "removed-files-size": String(deleted.reduce((n, e) => n + e.data_file.file_size_in_bytes, 0)),
            },
            carried: [],
            written: [manifest],
        };
    }, options.hook);
    const after = await liveEntries(result!.snapshot);
    return {
        snapshotId,
        filesBefore: entries.length,
        filesAfter: after.length,
        rewrittenFiles: replaced.size,
        writtenFiles: written.length,
        manifestsBefore,
        manifestsAfter: 1,
    };
}

export interface ExpireOptions {
    /** Snapshots committed before this time (epoch ms) may expire. @default now - 5 days (Iceberg's max-snapshot-age-ms) */
    olderThanMs?: number;
    /** The current snapshot and this many-1 of its ancestors are always kept. @default 1 */
    retainLast?: number;
}

export interface ExpireResult {
    expiredSnapshotIds: number[];
    /** Manifest lists, manifests and data files deleted (only the expired snapshots referenced them). */
    deletedFiles: string[];
}

/** Removes old snapshots from the metadata, then the files only they referenced. */
export async function expireSnapshots(tableDir: string, options: ExpireOptions = {}): Promise<ExpireResult> {
    const olderThan = options.olderThanMs ?? Date.now() - 5 * 86_400_000;
    const retainLast = Math.max(1, options.retainLast ?? 1);
    for (let attempt = 0; attempt < 20; attempt++) {
        const base = loadMetadata(tableDir);
        if (!base) return { expiredSnapshotIds: [], deletedFiles: [] };
        const m = base.metadata;
        const keep = new Set<number>(ancestry(m).slice(0, retainLast).map((s) => s["snapshot-id"]));
        for (const ref of Object.values(m.refs)) keep.add(ref["snapshot-id"]);
        for (const s of m.snapshots) if (s["timestamp-ms"] >= olderThan) keep.add(s["snapshot-id"]);
        const expired = m.snapshots.filter((s) => !keep.has(s["snapshot-id"]));
        if (expired.length === 0) return { expiredSnapshotIds: [], deletedFiles: [] };
        const retained = m.snapshots.filter((s) => keep.has(s["snapshot-id"]));
        const next: TableMetadata = {
            ...m,
            "last-updated-ms": Date.now(),
            snapshots: retained,
            "snapshot-log": m["snapshot-log"].filter((e) => keep.has(e["snapshot-id"])),
        };
        try {
            commitMetadata(tableDir, base, next);
        } catch (error) {
            if (error instanceof CommitConflictError) continue;
            throw error;
        }
        const deletedFiles = await deleteUnreachable(expired, retained);
        return { expiredSnapshotIds: expired.map((s) => s["snapshot-id"]), deletedFiles };
    }
    throw new Error(`could not expire snapshots of ${tableDir}: too many conflicting commits`);
}

/** Files of `expired` snapshots that no `retained` snapshot reaches, deleted. */
async function deleteUnreachable(expired: readonly Snapshot[], retained: readonly Snapshot[]): Promise<string[]> {
    const keepLists = new Set(retained.map((s) => s["manifest-list"]));
    const keepManifests = new Set<string>();
    const keepData = new Set<string>();
    for (const snapshot of retained) {
        for (const manifest of await readManifestList(snapshot)) {
            keepManifests.add(manifest.manifest_path);
            for (const entry of await readManifest(manifest)) if (entry.status !== ENTRY_STATUS.DELETED) keepData.add(entry.data_file.file_path);
        }
    }
    const doomed = new Set<string>();
    for (const snapshot of expired) {
        if (!keepLists.has(snapshot["manifest-list"])) doomed.add(snapshot["manifest-list"]);
        for (const manifest of await readManifestList(snapshot)) {
            for (const entry of await readManifest(manifest)) if (!keepData.has(entry.data_file.file_path)) doomed.add(entry.data_file.file_path);
            if (!keepManifests.has(manifest.manifest_path)) doomed.add(manifest.manifest_path);
        }
    }
    const deleted: string[] = [];
    for (const uri of doomed) {
        const file = localPath(uri);
        if (fs.existsSync(file)) {
            fs.rmSync(file);
            deleted.push(file);
        }
    }
    return deleted;
}

export interface OrphanOptions {
    /** Only files last modified before this time (epoch ms) are deleted. @default now - 1 hour */
    olderThanMs?: number;
}

/** Deletes files under `data/` and `metadata/` that the current metadata does not reach. */
export async function deleteOrphanFiles(tableDir: string, options: OrphanOptions = {}): Promise<string[]> {
    const olderThan = options.olderThanMs ?? Date.now() - 3_600_000;
    const current = loadMetadata(tableDir);
    if (!current) return [];
    const referenced = await referencedFiles(tableDir, current);
    const deleted: string[] = [];
    for (const folder of [path.join(tableDir, "data"), metadataDir(tableDir)]) {
        if (!fs.existsSync(folder)) continue;
        for (const relative of fs.readdirSync(folder, { recursive: true }) as string[]) {
            const file = path.join(folder, relative);
            const stat = fs.statSync(file);
            if (!stat.isFile() || referenced.has(path.resolve(file)) || stat.mtimeMs >= olderThan) continue;
            fs.rmSync(file);
            deleted.push(file);
        }
    }
    return deleted;
}

/** Local paths of every file the metadata reaches: metadata versions in its log, lists, manifests, data files. */
async function referencedFiles(tableDir: string, current: VersionedMetadata): Promise<Set<string>> {
    const out = new Set<string>([
        path.resolve(metadataDir(tableDir), metadataFileName(current.version)),
        path.resolve(metadataDir(tableDir), "version-hint.text"),
    ]);
    for (const entry of current.metadata["metadata-log"]) out.add(path.resolve(localPath(entry["metadata-file"])));
    for (const snapshot of current.metadata.snapshots) {
        out.add(path.resolve(localPath(snapshot["manifest-list"])));
        for (const manifest of await readManifestList(snapshot)) {
            out.add(path.resolve(localPath(manifest.manifest_path)));
            for (const entry of await readManifest(manifest)) {
                // A file a retained snapshot lists as deleted is live in an older retained snapshot, or in none.
                if (entry.status !== ENTRY_STATUS.DELETED) out.add(path.resolve(localPath(entry.data_file.file_path)));
            }
        }
    }
    return out;
}

export interface MaintenanceOptions extends CompactionOptions, ExpireOptions {
    /** Minimum age of an unreferenced file before it is deleted. @default 1 hour */
    orphanMinAgeMs?: number;
    /** Rows older than this many days are deleted first (the stack's dataRetentionDays). @default 0 (keep every row) */
    retentionDays?: number;
    /** Clock of the retention cutoff. @default Date.now() */
    nowMs?: number;
}

export interface MaintenanceResult {
    retention: RetentionResult;
    compaction: CompactionResult;
    expiry: ExpireResult;
    orphansDeleted: string[];
}

/** Row retention, compaction, then snapshot expiry, then orphan-file deletion (what `npm run iceberg-maintenance` runs). */
export async function maintainTable(tableDir: string, options: MaintenanceOptions = {}): Promise<MaintenanceResult> {
    const retention = await deleteExpiredRows(tableDir, { retentionDays: options.retentionDays ?? 0, nowMs: options.nowMs, hook: options.hook });
    const compaction = await compactTable(tableDir, options);
    const expiry = await expireSnapshots(tableDir, options);
    const orphansDeleted = await deleteOrphanFiles(tableDir, { olderThanMs: Date.now() - (options.orphanMinAgeMs ?? 3_600_000) });
    return { retention, compaction, expiry, orphansDeleted };
}
