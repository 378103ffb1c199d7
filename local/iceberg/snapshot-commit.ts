/**
 * Builds and commits one snapshot: writes its manifests and manifest list, then the new metadata
 * version (see metadata.ts). On a conflict with another writer it reloads the table and rebuilds
 * the snapshot on the new base (the caller's `build` decides whether its change still applies).
 */
import * as crypto from "node:crypto";
import * as path from "node:path";
import { writeFileDurably } from "../durable-files";
import { DataFile, ManifestEntry, ManifestFile, encodeManifest, encodeManifestList, partitionSummaries, ENTRY_STATUS } from "./manifest";
import {
    CommitConflictError, CommitHook, Snapshot, TableMetadata, VersionedMetadata, commitMetadata, currentSnapshot, fileUri, loadMetadata,
    metadataDir, withCurrentSchema, withSnapshot,
} from "./metadata";
import { ResolvedEntry, liveEntries } from "./reader";
import { EVENTS_PARTITION_SPEC, EVENTS_SCHEMA } from "../../functions/core/iceberg-schema";

/** Writes a manifest of `entries` into the table's metadata folder; returns its manifest-list entry. */
export async function writeManifest(tableDir: string, entries: readonly ManifestEntry[], snapshotId: number, sequenceNumber: number): Promise<ManifestFile> {
    const file = path.join(metadataDir(tableDir), `${crypto.randomUUID()}-m0.avro`);
    const bytes = await encodeManifest(entries);
    writeFileDurably(file, bytes);
    const count = (status: number): number => entries.filter((e) => e.status === status).length;
    const rows = (status: number): number => entries.filter((e) => e.status === status).reduce((n, e) => n + e.data_file.record_count, 0);
    const sequences = entries.map((e) => e.sequence_number ?? sequenceNumber);
    return {
        manifest_path: fileUri(file),
        manifest_length: bytes.length,
        partition_spec_id: EVENTS_PARTITION_SPEC["spec-id"],
        content: 0,
        sequence_number: sequenceNumber,
        min_sequence_number: sequences.length ? Math.min(...sequences) : sequenceNumber,
        added_snapshot_id: snapshotId,
        added_files_count: count(ENTRY_STATUS.ADDED),
        existing_files_count: count(ENTRY_STATUS.EXISTING),
        deleted_files_count: count(ENTRY_STATUS.DELETED),
        added_rows_count: rows(ENTRY_STATUS.ADDED),
        existing_rows_count: rows(ENTRY_STATUS.EXISTING),
        deleted_rows_count: rows(ENTRY_STATUS.DELETED),
        partitions: partitionSummaries(entries),
        key_metadata: null,
    };
}

/**
 * A manifest whose sequence number is only known at commit: ADDED entries leave theirs null
 * (inherited), so the same file serves every retry; `sequence_number` of the list entry is set then.
 */
export type PendingManifest = Omit<ManifestFile, "sequence_number" | "min_sequence_number"> & { fixedMinSequence?: number };

/**
 * The one manifest of a copy-on-write rewrite on `base`'s current snapshot (compaction, row
 * retention): the `added` data files ADDED, the live files of `removed` DELETED, every other live
 * file EXISTING. Throws CommitConflictError (naming `what`) when another writer removed one of
 * `removed` first, so the caller's `build` does not commit a stale rewrite.
 * @param what the operation, for the conflict's message
 * @returns the manifest, pending its sequence number, and the live entries it marks deleted
 * @example const { written, removedEntries } = await rewriteManifest(tableDir, current, snapshotId, files, replaced, "compaction")
 */
export async function rewriteManifest(
    tableDir: string, base: VersionedMetadata, snapshotId: number, added: readonly DataFile[], removed: ReadonlySet<string>, what: string,
): Promise<{ written: PendingManifest; removedEntries: ResolvedEntry[] }> {
    const live = await liveEntries(currentSnapshot(base.metadata)!);
    const livePaths = new Set(live.map((e) => e.data_file.file_path));
    for (const file of removed) {
        if (!livePaths.has(file)) throw new CommitConflictError(`${what} of ${tableDir} aborted: ${file} was removed by another writer; run it again`);
    }
    const manifestEntries: ManifestEntry[] = [
        ...added.map((data_file) => ({ status: ENTRY_STATUS.ADDED, snapshot_id: snapshotId, sequence_number: null, file_sequence_number: null, data_file })),
        ...live.map((e) => ({
            ...e,
            status: removed.has(e.data_file.file_path) ? ENTRY_STATUS.DELETED : ENTRY_STATUS.EXISTING,
            snapshot_id: removed.has(e.data_file.file_path) ? snapshotId : e.snapshot_id,
        })),
    ];
    const manifest = await writeManifest(tableDir, manifestEntries, snapshotId, base.metadata["last-sequence-number"] + 1);
    const { sequence_number: _s, min_sequence_number: minSequence, ...pending } = manifest;
    return { written: { ...pending, fixedMinSequence: minSequence }, removedEntries: live.filter((e) => removed.has(e.data_file.file_path)) };
}

/** What a snapshot adds: its operation, summary, manifests (new ones pending their number) and table properties. */
export interface SnapshotPlan {
    operation: Snapshot["summary"]["operation"];
    summary: Record<string, string>;
    /** Manifests of the parent to keep as they are. */
    carried: ManifestFile[];
    /** Manifests written for this snapshot. */
    written: PendingManifest[];
    properties?: Record<string, string>;
}

/** Commits one snapshot. `build` returns undefined when there is nothing (left) to commit. */
export async function commitSnapshot(
    tableDir: string,
    snapshotId: number,
    build: (base: VersionedMetadata) => Promise<SnapshotPlan | undefined>,
    hook?: CommitHook,
    maxAttempts = 20,
): Promise<{ committed: VersionedMetadata; snapshot: Snapshot } | undefined> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const base = loadMetadata(tableDir);
        if (!base) throw new Error(`no Iceberg table in ${tableDir}`);
        const plan = await build(base);
        if (!plan) return undefined;
        const parent = currentSnapshot(base.metadata);
        const sequenceNumber = base.metadata["last-sequence-number"] + 1;
        const manifests: ManifestFile[] = [
            ...plan.written.map(({ fixedMinSequence, ...m }) => ({ ...m, sequence_number: sequenceNumber, min_sequence_number: fixedMinSequence ?? sequenceNumber })),
            ...plan.carried,
        ];
        const listFile = path.join(metadataDir(tableDir), `snap-${snapshotId}-${attempt + 1}-${crypto.randomUUID()}.avro`);
        writeFileDurably(listFile, await encodeManifestList(manifests, {
            snapshotId, parentSnapshotId: parent?.["snapshot-id"] ?? null, sequenceNumber,
        }));
        hook?.("files-written");
        const snapshot: Snapshot = {
            "snapshot-id": snapshotId,
            ...(parent ? { "parent-snapshot-id": parent["snapshot-id"] } : {}),
            "sequence-number": sequenceNumber,
            "timestamp-ms": Math.max(Date.now(), base.metadata["last-updated-ms"]),
            "manifest-list": fileUri(listFile),
            summary: { operation: plan.operation, ...plan.summary, ...totals(parent, manifests) },
            "schema-id": EVENTS_SCHEMA["schema-id"],
        };
        // Data files are written with every current column: a table of an older schema evolves in the same commit.
        const next: TableMetadata = withSnapshot({ ...base, metadata: withCurrentSchema(base.metadata) }, snapshot, plan.properties ?? {});
        try {
            return { committed: commitMetadata(tableDir, base, next, hook), snapshot };
        } catch (error) {
            if (!(error instanceof CommitConflictError)) throw error;
        }
    }
    throw new Error(`could not commit to ${tableDir}: ${maxAttempts} conflicting commits in a row`);
}

/** total-* summary fields of a snapshot, from its manifest list. */
function totals(_parent: Snapshot | undefined, manifests: readonly ManifestFile[]): Record<string, string> {
    const files = manifests.reduce((n, m) => n + m.added_files_count + m.existing_files_count, 0);
    const records = manifests.reduce((n, m) => n + m.added_rows_count + m.existing_rows_count, 0);
    return {
        "total-data-files": String(files),
        "total-records": String(records),
        "total-delete-files": "0",
        "total-position-deletes": "0",
        "total-equality-deletes": "0",
    };
}
