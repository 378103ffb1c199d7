/**
 * Table metadata (spec v2 `metadata.json`) and its commit protocol on a local file system, as a
 * file-system ("Hadoop") catalog does it: versions `metadata/v<N>.metadata.json`, a
 * `metadata/version-hint.text` naming the latest, snapshots, snapshot-log and metadata-log.
 *
 * A commit writes the new version under a temporary name, fsyncs it, then hard-links it to
 * `v<N+1>.metadata.json`. link() is atomic and fails if the name exists, so of two writers racing
 * for the same version exactly one wins and the other reloads and retries (optimistic concurrency);
 * a crash leaves either the old version current or the new one, never half a file. The version hint
 * is refreshed afterwards; readers take the highest complete version, so a stale hint is harmless.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { fsyncDirectory, writeFileDurably } from "../durable-files";
import { EVENTS_PARTITION_SPEC, EVENTS_SCHEMA, IcebergSchema, PartitionSpec } from "../../functions/core/iceberg-schema";

/** A snapshot of the table (spec "Snapshots"). */
export interface Snapshot {
    "snapshot-id": number;
    "parent-snapshot-id"?: number;
    "sequence-number": number;
    "timestamp-ms": number;
    "manifest-list": string;
    summary: { operation: "append" | "replace" | "overwrite" | "delete"; [key: string]: string };
    "schema-id": number;
}

/** The table metadata file, format version 2. */
export interface TableMetadata {
    "format-version": 2;
    "table-uuid": string;
    location: string;
    "last-sequence-number": number;
    "last-updated-ms": number;
    "last-column-id": number;
    schemas: IcebergSchema[];
    "current-schema-id": number;
    "partition-specs": PartitionSpec[];
    "default-spec-id": number;
    "last-partition-id": number;
    properties: Record<string, string>;
    "current-snapshot-id": number;
    snapshots: Snapshot[];
    "snapshot-log": { "timestamp-ms": number; "snapshot-id": number }[];
    "metadata-log": { "timestamp-ms": number; "metadata-file": string }[];
    "sort-orders": { "order-id": number; fields: unknown[] }[];
    "default-sort-order-id": number;
    refs: Record<string, { "snapshot-id": number; type: "branch" | "tag" }>;
}

/** The current metadata and its version number. */
export interface VersionedMetadata {
    version: number;
    metadata: TableMetadata;
}

/** Raised when another writer committed the version this commit was based on. */
export class CommitConflictError extends Error {}

/** Property: how many old metadata files the metadata-log keeps (Iceberg's name and default). */
export const PREVIOUS_VERSIONS_MAX = "write.metadata.previous-versions-max";
const DEFAULT_PREVIOUS_VERSIONS_MAX = 100;

export function metadataDir(tableDir: string): string {
    return path.join(tableDir, "metadata");
}

export function metadataFileName(version: number): string {
    return `v${version}.metadata.json`;
}

/** `file:` URI of a local path (Iceberg stores absolute locations). */
export function fileUri(localPath: string): string {
    return new URL(`file://${path.resolve(localPath)}`).href;
}

/** Local path of a `file:` URI (or of a plain absolute path). */
export function localPath(location: string): string {
    return location.startsWith("file:") ? decodeURIComponent(new URL(location).pathname) : location;
}

/** Versions present as `v<N>.metadata.json`, ascending. */
export function listVersions(tableDir: string): number[] {
    const dir = metadataDir(tableDir);
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir)
        .map((name) => /^v(\d+)\.metadata\.json$/.exec(name))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => Number(m[1]))
        .sort((a, b) => a - b);
}

/** The latest committed metadata, or undefined when the folder holds no table yet. */
export function loadMetadata(tableDir: string): VersionedMetadata | undefined {
    const versions = listVersions(tableDir);
    if (versions.length === 0) return undefined;
    const version = versions[versions.length - 1];
    return { version, metadata: readVersion(tableDir, version) };
}

/** Metadata of one version. */
export function readVersion(tableDir: string, version: number): TableMetadata {
    return JSON.parse(fs.readFileSync(path.join(metadataDir(tableDir), metadataFileName(version)), "utf8")) as TableMetadata;
}

/** Metadata of a new, empty table (no snapshot yet: current-snapshot-id -1). */
export function newTableMetadata(tableDir: string, properties: Record<string, string> = {}, now = Date.now()): TableMetadata {
    return {
        "format-version": 2,
        "table-uuid": crypto.randomUUID(),
        location: fileUri(tableDir).replace(/\/$/, ""),
        "last-sequence-number": 0,
        "last-updated-ms": now,
        "last-column-id": Math.max(...EVENTS_SCHEMA.fields.map((f) => f.id)),
        schemas: [EVENTS_SCHEMA],
        "current-schema-id": EVENTS_SCHEMA["schema-id"],
        "partition-specs": [EVENTS_PARTITION_SPEC],
        "default-spec-id": EVENTS_PARTITION_SPEC["spec-id"],
        "last-partition-id": Math.max(...EVENTS_PARTITION_SPEC.fields.map((f) => f["field-id"])),
        properties: { "write.format.default": "parquet", "write.parquet.compression-codec": "snappy", ...properties },
        "current-snapshot-id": -1,
        snapshots: [],
        "snapshot-log": [],
        "metadata-log": [],
        "sort-orders": [{ "order-id": 0, fields: [] }],
        "default-sort-order-id": 0,
        refs: {},
    };
}

/**
 * The metadata with the current events schema (EVENTS_SCHEMA) added and made current when the
 * table still has an older one (a table created before a column was appended): schema evolution
 * by added fields only. Throws when the table's current schema is not a prefix of it (same ids,
 * names and types), which only a hand-edited table could have.
 */
export function withCurrentSchema(metadata: TableMetadata): TableMetadata {
    if (metadata["current-schema-id"] === EVENTS_SCHEMA["schema-id"]) return metadata;
    const current = metadata.schemas.find((s) => s["schema-id"] === metadata["current-schema-id"]);
    const compatible = current !== undefined && current.fields.every((f, i) => {
        const next = EVENTS_SCHEMA.fields[i];
        return next !== undefined && next.id === f.id && next.name === f.name && next.type === f.type;
    });
    if (!compatible) throw new Error(`the table's schema ${metadata["current-schema-id"]} is not a prefix of the events schema ${EVENTS_SCHEMA["schema-id"]}: refusing to evolve it`);
    return {
        ...metadata,
        "last-column-id": Math.max(metadata["last-column-id"], ...EVENTS_SCHEMA.fields.map((f) => f.id)),
        schemas: [...metadata.schemas.filter((s) => s["schema-id"] !== EVENTS_SCHEMA["schema-id"]), EVENTS_SCHEMA],
        "current-schema-id": EVENTS_SCHEMA["schema-id"],
    };
}

/** The current snapshot, if any. */
export function currentSnapshot(metadata: TableMetadata): Snapshot | undefined {
    return metadata.snapshots.find((s) => s["snapshot-id"] === metadata["current-snapshot-id"]);
}

/** The current snapshot and its ancestors still in the metadata, newest first. */
export function ancestry(metadata: TableMetadata): Snapshot[] {
    const byId = new Map(metadata.snapshots.map((s) => [s["snapshot-id"], s]));
    const out: Snapshot[] = [];
    for (let s = currentSnapshot(metadata); s; s = s["parent-snapshot-id"] === undefined ? undefined : byId.get(s["parent-snapshot-id"])) out.push(s);
    return out;
}

/** A fresh snapshot id: positive and below 2^53, so JSON and Avro longs carry it exactly in JavaScript. */
export function newSnapshotId(): number {
    return crypto.randomBytes(6).readUIntBE(0, 6) + 1;
}

/** Metadata with `snapshot` added and made current (main branch), logs extended. */
export function withSnapshot(base: VersionedMetadata, snapshot: Snapshot, properties: Record<string, string>): TableMetadata {
    const m = base.metadata;
    return {
        ...m,
        "last-sequence-number": snapshot["sequence-number"],
        "last-updated-ms": snapshot["timestamp-ms"],
        properties: { ...m.properties, ...properties },
        "current-snapshot-id": snapshot["snapshot-id"],
        snapshots: [...m.snapshots, snapshot],
        "snapshot-log": [...m["snapshot-log"], { "timestamp-ms": snapshot["timestamp-ms"], "snapshot-id": snapshot["snapshot-id"] }],
        refs: { ...m.refs, main: { "snapshot-id": snapshot["snapshot-id"], type: "branch" } },
    };
}

/** Test and tooling hook: called at each step of a commit (a crash test stops the process there). */
export type CommitStage = "files-written" | "metadata-written" | "metadata-linked";
export type CommitHook = (stage: CommitStage) => void;

/**
 * Commits `next` as version `base.version + 1` (or version 1 for a new table, base undefined):
 * temp file, fsync, atomic link; then the metadata-log entry of the base and the version hint.
 * Throws CommitConflictError when another writer took that version first.
 */
export function commitMetadata(tableDir: string, base: VersionedMetadata | undefined, next: TableMetadata, hook?: CommitHook): VersionedMetadata {
    const dir = metadataDir(tableDir);
    fs.mkdirSync(dir, { recursive: true });
    const version = (base?.version ?? 0) + 1;
    const finalPath = path.join(dir, metadataFileName(version));
    const keep = Number(next.properties[PREVIOUS_VERSIONS_MAX] ?? DEFAULT_PREVIOUS_VERSIONS_MAX);
    const log = base
        ? [...next["metadata-log"], { "timestamp-ms": base.metadata["last-updated-ms"], "metadata-file": fileUri(path.join(dir, metadataFileName(base.version))) }].slice(-keep)
        : next["metadata-log"];
    const metadata: TableMetadata = { ...next, "metadata-log": log, "last-updated-ms": Math.max(next["last-updated-ms"], Date.now()) };
    const tempPath = path.join(dir, `.v${version}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`);
    const fd = fs.openSync(tempPath, "wx");
    try {
        fs.writeSync(fd, JSON.stringify(metadata, null, 2));
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    hook?.("metadata-written");
    try {
        fs.linkSync(tempPath, finalPath);
    } catch (error) {
        fs.rmSync(tempPath, { force: true });
        if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new CommitConflictError(`version ${version} of ${tableDir} was committed by another writer`);
        throw error;
    }
    fs.rmSync(tempPath, { force: true });
    fsyncDirectory(dir);
    hook?.("metadata-linked");
    writeFileDurably(path.join(dir, "version-hint.text"), String(version));
    return { version, metadata };
}

/**
 * Rewrites `version-hint.text` if it names an older version than the latest committed one (a crash
 * between a commit's link and its hint update leaves it one behind; hint-reading tools would miss
 * that commit until the next one).
 */
export function refreshVersionHint(tableDir: string): void {
    const versions = listVersions(tableDir);
    if (versions.length === 0) return;
    const latest = versions[versions.length - 1];
    const hintPath = path.join(metadataDir(tableDir), "version-hint.text");
    const hint = fs.existsSync(hintPath) ? fs.readFileSync(hintPath, "utf8").trim() : "";
    if (hint !== String(latest)) writeFileDurably(hintPath, String(latest));
}

/** Creates the table (version 1, no snapshot) unless it exists; returns the current metadata. */
export function createTableIfAbsent(tableDir: string, properties: Record<string, string> = {}): VersionedMetadata {
    const current = loadMetadata(tableDir);
    if (current) return current;
    try {
        return commitMetadata(tableDir, undefined, newTableMetadata(tableDir, properties));
    } catch (error) {
        if (error instanceof CommitConflictError) return loadMetadata(tableDir)!;
        throw error;
    }
}
