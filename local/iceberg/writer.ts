/**
 * Appends event rows to the Iceberg events table: one Parquet data file per partition
 * (`day(event_timestamp)`, `application_id`), one manifest, one manifest list and a new metadata
 * version: one `append` snapshot per call, committed atomically (see metadata.ts).
 *
 * Idempotent per commit id: the id (the delivery batch's file name) is recorded in the snapshot
 * summary (`gap.commit-id`) and in the table property `gap.recent-commit-ids`, which survives
 * snapshot expiry and compaction. A batch redone after a crash whose commit had landed is
 * recognised and not appended twice; one whose commit had not landed rewrites its data files under
 * the same names and commits them once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { sqlString } from "../../analytics/duckdb-athena";
import { EventRow } from "../../functions/core/contracts";
import { DAY_TRANSFORM_SQL, DATA_FILE_COLUMNS, partitionPredicate, writeDataFile } from "./data-files";
import { DataFile, ENTRY_STATUS, ManifestEntry } from "./manifest";
import { CommitHook, TableMetadata, createTableIfAbsent, currentSnapshot, newSnapshotId, refreshVersionHint } from "./metadata";
import { readManifestList } from "./reader";
import { COLUMN_LIST, JSON_COLUMNS } from "../lake-writer";
import { SnapshotPlan, commitSnapshot, writeManifest } from "./snapshot-commit";
import { EventPartition, partitionPath } from "../../functions/core/iceberg-schema";

/** Table property listing the last commit ids, newest last, comma-separated. */
export const RECENT_COMMITS_PROPERTY = "gap.recent-commit-ids";
/** Snapshot summary key of the commit id. */
export const COMMIT_ID_SUMMARY = "gap.commit-id";
/** How many commit ids the property keeps (only the last in-flight batch can be redone). */
const RECENT_COMMITS_KEPT = 64;
const COMMIT_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** What an append did. */
export interface AppendResult {
    /** The snapshot holding the rows (undefined: no rows were given, nothing committed). */
    snapshotId: number | undefined;
    /** True when this commit id was already in the table: nothing was written. */
    alreadyCommitted: boolean;
    rows: number;
    dataFiles: number;
    /** Metadata version after the append. */
    version: number;
}

export interface AppendOptions {
    /** Called at each commit step (tests stop the process there to check crash safety). */
    hook?: CommitHook;
}

/** Whether `commitId` is recorded in the table (property, or a snapshot summary still present). */
export function isCommitted(metadata: TableMetadata, commitId: string): number | undefined {
    const recent = (metadata.properties[RECENT_COMMITS_PROPERTY] ?? "").split(",");
    const snapshot = metadata.snapshots.find((s) => s.summary[COMMIT_ID_SUMMARY] === commitId);
    if (snapshot) return snapshot["snapshot-id"];
    return recent.includes(commitId) ? metadata["current-snapshot-id"] : undefined;
}

export class IcebergTableWriter {
    private queue: Promise<unknown> = Promise.resolve();

    private constructor(readonly tableDir: string, private readonly instance: DuckDBInstance, private readonly connection: DuckDBConnection) {}

    /** Opens (creating if absent) the table in `tableDir`, with an in-memory DuckDB to encode Parquet. */
    static async open(tableDir: string): Promise<IcebergTableWriter> {
        createTableIfAbsent(tableDir);
        refreshVersionHint(tableDir);
        const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
        const connection = await instance.connect();
        await connection.run("SET TimeZone = 'UTC'");
        return new IcebergTableWriter(tableDir, instance, connection);
    }

    /** Appends rows (the EventRow shape) as one snapshot; see appendJsonLines. */
    appendRows(rows: readonly EventRow[], commitId: string, options: AppendOptions = {}): Promise<AppendResult> {
        return this.appendJsonLines(rows.map((r) => JSON.stringify(r)).join("\n") + "\n", commitId, options);
    }

    /** Appends a newline-delimited JSON file of rows as one snapshot. */
    appendJsonLinesFile(jsonLinesPath: string, commitId: string, options: AppendOptions = {}): Promise<AppendResult> {
        return this.appendJsonLines(fs.readFileSync(jsonLinesPath, "utf8"), commitId, options);
    }

    /**
     * Appends newline-delimited JSON rows (the transform's output, columns of EVENT_COLUMNS; a
     * missing key is null) as one snapshot named by `commitId`. Calls are serialized.
     */
    appendJsonLines(jsonLines: string, commitId: string, options: AppendOptions = {}): Promise<AppendResult> {
        if (!COMMIT_ID.test(commitId)) return Promise.reject(new Error(`commitId must match ${COMMIT_ID} (got "${commitId}")`));
        const run = this.queue.then(() => this.appendNow(jsonLines, commitId, options));
        this.queue = run.catch(() => undefined);
        return run;
    }

    private async appendNow(jsonLines: string, commitId: string, options: AppendOptions): Promise<AppendResult> {
        const base = createTableIfAbsent(this.tableDir);
        const existing = isCommitted(base.metadata, commitId);
        if (existing !== undefined) {
            refreshVersionHint(this.tableDir);
            return { snapshotId: existing, alreadyCommitted: true, rows: 0, dataFiles: 0, version: base.version };
        }
        const files = await this.writeDataFiles(jsonLines, commitId);
        if (files.length === 0) return { snapshotId: undefined, alreadyCommitted: false, rows: 0, dataFiles: 0, version: base.version };

        const snapshotId = newSnapshotId();
        const entries: ManifestEntry[] = files.map((data_file) => ({
            status: ENTRY_STATUS.ADDED, snapshot_id: snapshotId, sequence_number: null, file_sequence_number: null, data_file,
        }));
        const manifest = await writeManifest(this.tableDir, entries, snapshotId, 0);
        const { sequence_number: _s, min_sequence_number: _m, ...pending } = manifest;
        const rows = files.reduce((n, f) => n + f.record_count, 0);
        let duplicateOf: number | undefined;
        const result = await commitSnapshot(this.tableDir, snapshotId, async (current): Promise<SnapshotPlan | undefined> => {
            duplicateOf = isCommitted(current.metadata, commitId);
            if (duplicateOf !== undefined) return undefined;
            const parent = currentSnapshot(current.metadata);
            const recent = (current.metadata.properties[RECENT_COMMITS_PROPERTY] ?? "").split(",").filter(Boolean);
            return {
                operation: "append",
                summary: {
                    [COMMIT_ID_SUMMARY]: commitId,
                    "added-data-files": String(files.length),
                    "added-records": String(rows),
                    "added-files-size": String(files.reduce((n, f) => n + f.file_size_in_bytes, 0)),
                    "changed-partition-count": String(files.length),
                },
                carried: parent ? await readManifestList(parent) : [],
                written: [pending],
                properties: { [RECENT_COMMITS_PROPERTY]: [...recent, commitId].slice(-RECENT_COMMITS_KEPT).join(",") },
            };
        }, options.hook);
        if (!result) return { snapshotId: duplicateOf, alreadyCommitted: true, rows: 0, dataFiles: 0, version: base.version };
        return { snapshotId, alreadyCommitted: false, rows, dataFiles: files.length, version: result.committed.version };
    }

    /** Writes one data file per partition of the rows; named by the commit id so a redo replaces them. */
    private async writeDataFiles(jsonLines: string, commitId: string): Promise<DataFile[]> {
        if (jsonLines.trim() === "") return [];
        const dataDir = path.join(this.tableDir, "data");
        fs.mkdirSync(dataDir, { recursive: true });
        // Scratch input of DuckDB's JSON reader: not fsynced (a batch cut short is redone from the spool).
        const jsonPath = path.join(dataDir, `.${commitId}.${process.pid}.jsonl`);
        fs.writeFileSync(jsonPath, jsonLines);
        try {
            await this.connection.run(
                `CREATE OR REPLACE TEMP TABLE batch AS SELECT *, ${DAY_TRANSFORM_SQL("event_timestamp")} AS __day FROM (` +
                    `SELECT ${DATA_FILE_COLUMNS.replace("CAST(event_timestamp AS TIMESTAMPTZ)", "to_timestamp(event_timestamp)")} ` +
                    `FROM read_json(${sqlString(jsonPath)}, format = 'newline_delimited', columns = ${JSON_COLUMNS}))`,
            );
        } finally {
            fs.rmSync(jsonPath, { force: true });
        }
        try {
            const partitions = (await this.connection.runAndReadAll("SELECT DISTINCT __day, application_id FROM batch ORDER BY 1, 2")).getRows()
                .map(([day, app]): EventPartition => ({ event_timestamp_day: day === null ? null : Number(day), application_id: app === null ? null : String(app) }));
            const files: DataFile[] = [];
            for (const partition of partitions) {
                const file = path.join(dataDir, partitionPath(partition), `${commitId}.parquet`);
                files.push(await writeDataFile(this.connection, `SELECT ${COLUMN_LIST} FROM batch WHERE ${partitionPredicate(partition)}`, file, partition));
            }
            return files;
        } finally {
            await this.connection.run("DROP TABLE IF EXISTS batch");
        }
    }

    /** Waits for pending appends, then closes DuckDB. */
    async close(): Promise<void> {
        await this.queue;
        this.connection.closeSync();
        this.instance.closeSync();
    }
}
