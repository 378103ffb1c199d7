/**
 * Writes event rows to the local lake as snappy-compressed Parquet files through DuckDB, with
 * exactly the columns and types of EVENT_COLUMNS (partitions live in the path, Hive style, as in S3).
 * Each file is written under a temporary name, fsynced and renamed, so readers never see half a file
 * and a rewrite of the same name replaces the file atomically. Scratch files a crash leaves behind
 * (`*.parquet.<pid>.tmp`, `*.parquet.<pid>.jsonl`) are removed by {@link removeScratchFiles}.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { EVENT_COLUMNS, EventRow } from "../functions/core/contracts";
import { sqlString } from "../analytics/duckdb-athena";
import { renameDurably, writeFileDurably } from "./durable-files";

export class ParquetLakeWriter {
    private queue: Promise<unknown> = Promise.resolve();

    private constructor(private readonly instance: DuckDBInstance, private readonly connection: DuckDBConnection) {}

    /** Opens an in-memory DuckDB used only for encoding Parquet. */
    static async open(): Promise<ParquetLakeWriter> {
        const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
        const connection = await instance.connect();
        return new ParquetLakeWriter(instance, connection);
    }

    /**
     * Writes `rows` to the Parquet file `filePath` (created with its folders; replaced if present).
     * Calls are serialized.
     */
    writeParquet(rows: readonly EventRow[], filePath: string): Promise<void> {
        return this.writeParquetFromJsonLines(rows.map(rowJson).join("\n") + "\n", filePath);
    }

    /**
     * Writes newline-delimited JSON rows (the transform's output: one object per line with the
     * columns of EVENT_COLUMNS) to the Parquet file `filePath`, as Firehose's record format
     * conversion does: DuckDB reads the JSON itself (native code, off the JavaScript thread), typed
     * by EVENT_COLUMNS; a missing key is null. Calls are serialized.
     */
    writeParquetFromJsonLines(jsonLines: string, filePath: string): Promise<void> {
        const run = this.queue.then(() => this.writeNow(jsonLines, filePath));
        this.queue = run.catch(() => undefined);
        return run;
    }

    private async writeNow(jsonLines: string, filePath: string): Promise<void> {
        fs.mkdirSync(path.dirname(filePath), { recursive: true });
        const tempPath = `${filePath}.${process.pid}.tmp`;
        // Scratch input of DuckDB's JSON reader: not fsynced (a batch cut short is redone from the spool).
        const jsonPath = `${filePath}.${process.pid}.jsonl`;
        try {
            fs.writeFileSync(jsonPath, jsonLines);
            await this.connection.run(
                `COPY (SELECT ${COLUMN_LIST} FROM read_json(${sqlString(jsonPath)}, format = 'newline_delimited', columns = ${JSON_COLUMNS})) ` +
                    `TO ${sqlString(tempPath)} (FORMAT parquet, COMPRESSION snappy)`,
            );
        } catch (error) {
            fs.rmSync(tempPath, { force: true });
            throw error;
        } finally {
            fs.rmSync(jsonPath, { force: true });
        }
        renameDurably(tempPath, filePath);
    }

    /** Writes newline-delimited JSON (error output) durably, replacing `filePath`. */
    writeJsonLines(lines: readonly unknown[], filePath: string): void {
        writeFileDurably(filePath, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    }

    /** Waits for pending writes, then closes DuckDB. */
    async close(): Promise<void> {
        await this.queue;
        this.connection.closeSync();
        this.instance.closeSync();
    }
}

/** The columns, in order, for the SELECT list (also the Iceberg writer's, local/iceberg/writer.ts). */
export const COLUMN_LIST = EVENT_COLUMNS.map((c) => c.name).join(", ");

/** DuckDB's `columns` argument of read_json: every column with its type (also the Iceberg writer's). */
export const JSON_COLUMNS = `{${EVENT_COLUMNS.map((c) => `${sqlString(c.name)}: ${sqlString(c.duckdbType)}`).join(", ")}}`;

/** A row as one JSON line: text columns as strings (a non-string value as its JSON text), BIGINT as an integer. */
function rowJson(row: EventRow): string {
    const out: Record<string, string | number | null> = {};
    for (const column of EVENT_COLUMNS) {
        const value = row[column.name];
        if (column.duckdbType === "BIGINT") out[column.name] = typeof value === "number" && Number.isFinite(value) ? Math.trunc(value) : null;
        else out[column.name] = value === null || value === undefined ? null : typeof value === "string" ? value : JSON.stringify(value);
    }
    return JSON.stringify(out);
}

/** Scratch names of this writer and of writeFileDurably: `<name>.<pid>.tmp`, `<name>.parquet.<pid>.jsonl`, `<name>.parquet.probe`. */
const SCRATCH_PATTERN = /(\.(\d+)\.tmp|\.parquet\.(\d+)\.jsonl|\.parquet\.probe)$/;

/**
 * Removes scratch files left under `dir` by a process that died mid-write (a SIGKILL): temporary
 * files of processes no longer running. Returns how many were removed.
 */
export function removeScratchFiles(dir: string, recursive = true): number {
    let removed = 0;
    const walk = (folder: string): void => {
        let names: fs.Dirent[];
        try {
            names = fs.readdirSync(folder, { withFileTypes: true });
        } catch {
            return;
        }
        for (const entry of names) {
            const full = path.join(folder, entry.name);
            if (entry.isDirectory()) {
                if (recursive) walk(full);
                continue;
            }
            const match = SCRATCH_PATTERN.exec(entry.name);
            if (!match) continue;
            const pid = Number(match[2] ?? match[3] ?? 0);
            if (pid !== 0 && (pid === process.pid || processAlive(pid))) continue;
            fs.rmSync(full, { force: true });
            removed++;
        }
    };
    walk(dir);
    return removed;
}

function processAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}
