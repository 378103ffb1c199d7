/**
 * A DuckDB connection that looks like the Athena view of the data lake: the Glue database is a
 * DuckDB schema, the events table a view over the lake's Parquet files (Hive partitions
 * year/month/day typed as strings, like the Glue table), and macros emulate the few Trino functions
 * the named queries use. The same SQL text therefore runs in Athena and locally.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { EVENT_COLUMNS, PARTITION_COLUMNS } from "../functions/core/contracts";
import { qualifiedTable } from "./named-queries";

/**
 * Trino functions emulated in DuckDB, as macros. Only the forms the portable subset needs:
 * - `json_extract_scalar(json, path)`: the scalar at a JSONPath as varchar, NULL for objects/arrays.
 * - `from_unixtime(seconds)`: a timestamp in UTC (Athena sessions run in UTC).
 * - `to_unixtime(timestamp)`: epoch seconds as double.
 * - `date_format(timestamp, format)`: MySQL-style format (%Y %m %d %H %i %s).
 */
export const TRINO_MACROS: readonly string[] = [
    `CREATE OR REPLACE MACRO json_extract_scalar(json_text, json_path) AS
       CASE WHEN json_type(json_text::JSON, json_path) IN ('OBJECT', 'ARRAY') THEN NULL
            ELSE json_extract_string(json_text, json_path) END`,
    `CREATE OR REPLACE MACRO from_unixtime(epoch_seconds) AS
       make_timestamp(CAST(round(epoch_seconds * 1000000) AS BIGINT))`,
    `CREATE OR REPLACE MACRO to_unixtime(ts) AS epoch(ts)`,
    `CREATE OR REPLACE MACRO date_format(ts, fmt) AS strftime(ts, replace(fmt, '%i', '%M'))`,
];

/** Where the lake lives and what the Glue catalog calls its events table. */
export interface LakeLocation {
    /** Local folder standing for the lake bucket. */
    lakeDir: string;
    /** Folder of the raw events under the lake (setting rawEventsPrefix). */
    rawEventsPrefix: string;
    /** Glue database (setting eventsDatabase). */
    database: string;
    /** Glue table (setting rawEventsTable). */
    table: string;
}

/** An open DuckDB database emulating Athena over a local lake. Call `close()` when done. */
export interface AthenaEmulation {
    connection: DuckDBConnection;
    /** Number of Parquet files the events view covers (0: the view is empty). */
    parquetFileCount: number;
    close(): void;
}

/** SQL string literal. */
export function sqlString(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
}

/** Counts `.parquet` files under a folder, recursively (temp files being written are not counted). */
export function countParquetFiles(dir: string): number {
    if (!fs.existsSync(dir)) return 0;
    let count = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) count += countParquetFiles(path.join(dir, entry.name));
        else if (entry.name.endsWith(".parquet")) count += 1;
    }
    return count;
}

/**
 * The events view: typed columns in EVENT_COLUMNS order, then the partition columns as strings.
 * A file written before a column was appended (player_id, source_event_id) reads it as null, as
 * Athena's Parquet reader does (it matches columns by name): the files are read under an empty
 * relation that has every column.
 */
export function eventsViewSql(location: LakeLocation, parquetFileCount: number): string {
    const target = qualifiedTable(location.database, location.table);
    if (parquetFileCount === 0) {
        const columns = [
            ...EVENT_COLUMNS.map((c) => `CAST(NULL AS ${c.duckdbType}) AS ${c.name}`),
            ...PARTITION_COLUMNS.map((p) => `CAST(NULL AS VARCHAR) AS ${p}`),
        ];
        return `CREATE OR REPLACE VIEW ${target} AS SELECT ${columns.join(", ")} WHERE false`;
    }
    const glob = path.join(location.lakeDir, location.rawEventsPrefix, "**", "*.parquet");
    const hiveTypes = PARTITION_COLUMNS.map((p) => `'${p}': 'VARCHAR'`).join(", ");
    const columns = [
        ...EVENT_COLUMNS.map((c) => `CAST(${c.name} AS ${c.duckdbType}) AS ${c.name}`),
        ...PARTITION_COLUMNS,
    ];
    const empty = [
        ...EVENT_COLUMNS.map((c) => `CAST(NULL AS ${c.duckdbType}) AS ${c.name}`),
        ...PARTITION_COLUMNS.map((p) => `CAST(NULL AS VARCHAR) AS ${p}`),
    ];
    return `CREATE OR REPLACE VIEW ${target} AS SELECT ${columns.join(", ")}
FROM (SELECT ${empty.join(", ")} WHERE false
  UNION ALL BY NAME SELECT * FROM read_parquet(${sqlString(glob)}, hive_partitioning = true, hive_types = {${hiveTypes}}, union_by_name = true)) AS lake`;
}

/** Installs the Trino macros on a connection and pins the session time zone to UTC, as Athena's. */
export async function installTrinoMacros(connection: DuckDBConnection): Promise<void> {
    await connection.run("SET TimeZone = 'UTC'");
    for (const macro of TRINO_MACROS) {
        await connection.run(macro);
    }
}

/**
 * Opens an in-memory DuckDB with the Trino macros, a schema named like the Glue database and a view
 * named like the Glue table over `<lakeDir>/<rawEventsPrefix>/**\/*.parquet`.
 */
export async function openAthenaEmulation(location: LakeLocation): Promise<AthenaEmulation> {
    return openTrinoDatabase(location.database, async (connection) => {
        const parquetFileCount = countParquetFiles(path.join(location.lakeDir, location.rawEventsPrefix));
        await connection.run(eventsViewSql(location, parquetFileCount));
        return { parquetFileCount };
    });
}

/**
 * Opens an in-memory DuckDB with the Trino macros and the schema `database`, and lets `build`
 * create what the emulation shows in it (views over the lake); both closed again when `build` fails.
 * @param database the Glue database, the schema's name
 * @param build creates the views and resolves to what the emulation adds to its connection
 * @returns the connection, `close()` and what `build` resolved to
 * @example openTrinoDatabase("game_events", async (c) => (await c.run(viewSql), { parquetFileCount: 3 }))
 */
export async function openTrinoDatabase<T extends object>(
    database: string, build: (connection: DuckDBConnection) => Promise<T>,
): Promise<T & { connection: DuckDBConnection; close(): void }> {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const close = (): void => {
        connection.closeSync();
        instance.closeSync();
    };
    try {
        await installTrinoMacros(connection);
        await connection.run(`CREATE SCHEMA IF NOT EXISTS "${database.replace(/"/g, '""')}"`);
        return { ...(await build(connection)), connection, close };
    } catch (error) {
        close();
        throw error;
    }
}
