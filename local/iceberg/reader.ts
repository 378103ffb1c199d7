/**
 * Reads the events table: the data files of the current snapshot, or of the snapshot current at an
 * earlier time (time travel), from its manifest list and manifests; and a DuckDB view over them
 * named like the Glue table, with the columns of the Hive view, so the named queries run unchanged.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { AthenaEmulation, openTrinoDatabase } from "../../analytics/duckdb-athena";
import { qualifiedTable } from "../../analytics/named-queries";
import { EVENT_COLUMNS } from "../../functions/core/contracts";
import { dataFilesRelation } from "./data-files";
import { ENTRY_STATUS, ManifestEntry, ManifestFile, decodeAvroFile } from "./manifest";
import { Snapshot, TableMetadata, VersionedMetadata, loadMetadata, localPath } from "./metadata";

/** Which snapshot to read: by id, or the one current at a time (epoch ms). Absent: the current one. */
export type AsOf = { snapshotId: number } | { timestampMs: number };

/** A manifest entry with its inherited sequence numbers and snapshot id filled in. */
export interface ResolvedEntry extends ManifestEntry {
    snapshot_id: number;
    sequence_number: number;
    file_sequence_number: number;
}

/** The folder of the Iceberg events table in the local lake (the same prefix the Hive table uses). */
export function icebergTableDir(lakeDir: string, rawEventsPrefix: string): string {
    return path.join(lakeDir, rawEventsPrefix);
}

/**
 * Parses the `--as-of` argument: digits are a snapshot id; anything else a time Date.parse
 * understands (ISO 8601, e.g. `2026-11-24T10:00:00Z`).
 */
export function parseAsOf(text: string): AsOf {
    if (/^\d+$/.test(text)) return { snapshotId: Number(text) };
    const timestampMs = Date.parse(text);
    if (Number.isNaN(timestampMs)) throw new Error(`--as-of must be a snapshot id (digits) or an ISO 8601 time, got "${text}"`);
    return { timestampMs };
}

/** The snapshot to read in `metadata` (undefined: the table has no snapshot, or none at that time). */
export function resolveSnapshot(metadata: TableMetadata, asOf?: AsOf): Snapshot | undefined {
    if (asOf === undefined) return metadata.snapshots.find((s) => s["snapshot-id"] === metadata["current-snapshot-id"]);
    if ("snapshotId" in asOf) {
        const snapshot = metadata.snapshots.find((s) => s["snapshot-id"] === asOf.snapshotId);
        if (!snapshot) {
            throw new Error(`no snapshot ${asOf.snapshotId} in the table (known: ${metadata.snapshots.map((s) => s["snapshot-id"]).join(", ") || "none"}; expired snapshots cannot be read)`);
        }
        return snapshot;
    }
    // The snapshot-log records which snapshot was current when: take the last entry at or before the time.
    const entry = [...metadata["snapshot-log"]].reverse().find((e) => e["timestamp-ms"] <= asOf.timestampMs);
    if (!entry) return undefined;
    const snapshot = metadata.snapshots.find((s) => s["snapshot-id"] === entry["snapshot-id"]);
    if (!snapshot) throw new Error(`the snapshot current at ${new Date(asOf.timestampMs).toISOString()} (${entry["snapshot-id"]}) has expired`);
    return snapshot;
}

/** The manifest list of a snapshot. */
export async function readManifestList(snapshot: Snapshot): Promise<ManifestFile[]> {
    return (await decodeAvroFile<ManifestFile>(fs.readFileSync(localPath(snapshot["manifest-list"])))).records;
}

/** Entries of one manifest, with sequence numbers and snapshot id inherited from the manifest list where null. */
export async function readManifest(manifest: ManifestFile): Promise<ResolvedEntry[]> {
    const { records } = await decodeAvroFile<ManifestEntry>(fs.readFileSync(localPath(manifest.manifest_path)));
    return records.map((e) => ({
        ...e,
        snapshot_id: e.snapshot_id ?? manifest.added_snapshot_id,
        sequence_number: e.sequence_number ?? manifest.sequence_number,
        file_sequence_number: e.file_sequence_number ?? manifest.sequence_number,
    }));
}

/** The live (not deleted) data file entries of a snapshot. */
export async function liveEntries(snapshot: Snapshot): Promise<ResolvedEntry[]> {
    const out: ResolvedEntry[] = [];
    for (const manifest of await readManifestList(snapshot)) {
        for (const entry of await readManifest(manifest)) if (entry.status !== ENTRY_STATUS.DELETED) out.push(entry);
    }
    return out;
}

/** What a read of the table sees. */
export interface TableScan {
    /** The snapshot read (undefined: empty table). */
    snapshot: Snapshot | undefined;
    /** Local paths of its data files. */
    files: string[];
    /** Sum of their record counts. */
    records: number;
    /** The metadata version read (0: no table). */
    version: number;
}

/** Lists the data files of the current snapshot, or of the snapshot `asOf` selects. */
export async function scanTable(tableDir: string, asOf?: AsOf, current: VersionedMetadata | undefined = loadMetadata(tableDir)): Promise<TableScan> {
    if (!current) {
        if (asOf !== undefined) throw new Error(`no Iceberg table in ${tableDir}`);
        return { snapshot: undefined, files: [], records: 0, version: 0 };
    }
    const snapshot = resolveSnapshot(current.metadata, asOf);
    if (!snapshot) return { snapshot: undefined, files: [], records: 0, version: current.version };
    const entries = await liveEntries(snapshot);
    return {
        snapshot,
        files: entries.map((e) => localPath(e.data_file.file_path)),
        records: entries.reduce((n, e) => n + e.data_file.record_count, 0),
        version: current.version,
    };
}

/** Glue database and table names of the events table. */
export interface TableNames {
    database: string;
    table: string;
}

/**
 * The events view over Iceberg data files: the Hive view's columns (EVENT_COLUMNS, event_timestamp
 * as epoch seconds, then year/month/day as strings derived from it in UTC), so the same SQL runs.
 */
export function icebergEventsViewSql(names: TableNames, files: readonly string[]): string {
    const target = qualifiedTable(names.database, names.table);
    const columns = EVENT_COLUMNS.map((c) =>
        c.name === "event_timestamp" ? "CAST(epoch(event_timestamp) AS BIGINT) AS event_timestamp" : `CAST(${c.name} AS ${c.duckdbType}) AS ${c.name}`);
    const parts = ["year", "month", "day"].map((p, i) => `strftime(timezone('UTC', event_timestamp), '${["%Y", "%m", "%d"][i]}') AS ${p}`);
    const source = files.length === 0
        ? `(SELECT ${EVENT_COLUMNS.map((c) => `CAST(NULL AS ${c.name === "event_timestamp" ? "TIMESTAMPTZ" : c.duckdbType}) AS ${c.name}`).join(", ")} WHERE false)`
        : dataFilesRelation(files);
    return `CREATE OR REPLACE VIEW ${target} AS SELECT ${[...columns, ...parts].join(", ")}\nFROM ${source} AS iceberg_data`;
}

/** Where the table is and what the catalog calls it, plus an optional time-travel point. */
export interface IcebergLakeLocation extends TableNames {
    /** Folder of the table (see icebergTableDir). */
    tableDir: string;
    asOf?: AsOf;
}

/** The Athena emulation over an Iceberg snapshot; `parquetFileCount` counts its data files. */
export interface IcebergAthenaEmulation extends AthenaEmulation {
    /** The snapshot the view reads (undefined: none). */
    snapshot: Snapshot | undefined;
}

/**
 * Opens an in-memory DuckDB with the Trino macros and a view named like the Glue table over the
 * data files of the chosen snapshot (the same interface as openAthenaEmulation).
 */
export async function openIcebergAthenaEmulation(location: IcebergLakeLocation): Promise<IcebergAthenaEmulation> {
    const scan = await scanTable(location.tableDir, location.asOf);
    return openTrinoDatabase(location.database, async (connection) => {
        await connection.run(icebergEventsViewSql(location, scan.files));
        return { parquetFileCount: scan.files.length, snapshot: scan.snapshot };
    });
}
