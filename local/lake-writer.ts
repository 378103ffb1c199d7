/**
 * Writes event rows to the local lake as snappy-compressed Parquet files through DuckDB, with
 * exactly the columns and types of EVENT_COLUMNS (partitions live in the path, Hive style, as in S3).
 * Each file is written under a temporary name, fsynced and renamed, so readers never see half a file
 * and a rewrite of the same name replaces the file atomically.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DuckDBAppender, DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { EVENT_COLUMNS, EventRow } from "../functions/core/contracts";
import { sqlString } from "../analytics/duckdb-athena";
import { fsyncDirectory, writeFileDurably } from "./durable-files";

const BUFFER_TABLE = "lake_rows_buffer";

export class ParquetLakeWriter {
    private queue: Promise<unknown> = Promise.resolve();

    private constructor(private readonly instance: DuckDBInstance, private readonly connection: DuckDBConnection) {}

    /** Opens an in-memory DuckDB used only for encoding Parquet. */
    static async open(): Promise<ParquetLakeWriter> {
        const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
        const connection = await instance.connect();
        const columns = EVENT_COLUMNS.map((c) => `${c.name} ${c.duckdbType}`).join(", ");
        await connection.run(`CREATE TABLE ${BUFFER_TABLE} (${columns})`);
        return new ParquetLakeWriter(instance, connection);
    }

    /**
     * Writes `rows` to the Parquet file `filePath` (created with its folders; replaced if present).
     * Calls are serialized.
     */
    writeParquet(rows: readonly EventRow[], filePath: string): Promise<void> {
        const run = this.queue.then(() => this.writeNow(rows, filePath));
        this.queue = run.catch(() => undefined);
        return run;
    }

    private async writeNow(rows: readonly EventRow[], filePath: string): Promise<void> {
        await this.connection.run(`DELETE FROM ${BUFFER_TABLE}`);
        const appender = await this.connection.createAppender(BUFFER_TABLE);
        try {
            for (const row of rows) appendRow(appender, row);
            appender.flushSync();
        } finally {
            appender.closeSync();
        }
        fs.mkdirSync(path.dirname(filePath), { recursive: true });
        const tempPath = `${filePath}.${process.pid}.tmp`;
        await this.connection.run(
            `COPY ${BUFFER_TABLE} TO ${sqlString(tempPath)} (FORMAT parquet, COMPRESSION snappy)`,
        );
        await this.connection.run(`DELETE FROM ${BUFFER_TABLE}`);
        const fd = fs.openSync(tempPath, "r+");
        try {
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
        fs.renameSync(tempPath, filePath);
        fsyncDirectory(path.dirname(filePath));
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

function appendText(appender: DuckDBAppender, value: string | null | undefined): void {
    if (value === null || value === undefined) appender.appendNull();
    else appender.appendVarchar(value);
}

function appendRow(appender: DuckDBAppender, row: EventRow): void {
    for (const column of EVENT_COLUMNS) {
        const value = row[column.name];
        if (column.duckdbType === "BIGINT") {
            if (typeof value !== "number" || !Number.isFinite(value)) appender.appendNull();
            else appender.appendBigInt(BigInt(Math.trunc(value)));
        } else {
            appendText(appender, value === null || value === undefined ? null : typeof value === "string" ? value : JSON.stringify(value));
        }
    }
    appender.endRow();
}
