/**
 * The local warehouse of `dataStack: REDSHIFT`: an embedded PostgreSQL (pglite, WebAssembly, no
 * server to install) persisted in a folder of the data folder, with the records relation shaped
 * like Redshift's streaming materialized view, the events view and the 11 sample views rendered
 * for PostgreSQL (analytics/query-definitions/local-postgres.ts).
 *
 * Exactly once per batch: `insertEvents(batchId, rows)` records the batch id in
 * `delivered_batches` in the same transaction as its rows, so a batch redone after a crash (same
 * id) inserts nothing the second time. A committed transaction is in PostgreSQL's WAL in the
 * folder's files before `insertEvents` returns: a SIGKILL after that loses nothing (an OS crash
 * may: WebAssembly PostgreSQL does not fsync).
 *
 * One process at a time: pglite does not lock its folder (two processes opening it would both
 * write the same files), so `open` takes `<dataDir>.lock` (holding the pid) and refuses while a
 * live process holds it; a lock left by a killed process is taken over.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PGlite, types } from "@electric-sql/pglite";
import { PlainValue, QueryResult } from "../../analytics/query-results";
import { findQueryDefinition, QUERY_DEFINITIONS } from "../../analytics/query-definitions/definitions";
import { localSetupStatements } from "../../analytics/query-definitions/local-postgres";
import { DEFAULT_WAREHOUSE_NAMES, orderedSelect, qualified, WarehouseNames } from "../../analytics/query-definitions/warehouse-sql";
import { WarehouseRecordRow } from "./records";

export interface WarehouseOptions {
    /**
     * Folder of the database files (created when missing), e.g. `.gap/<stack>/warehouse`.
     * @example ".gap/dev/warehouse"
     */
    dataDir: string;
    /**
     * Names of the schema and relations.
     * @default DEFAULT_WAREHOUSE_NAMES (schema "game_events")
     */
    names?: Partial<WarehouseNames>;
}

/** What one `insertEvents` call did. */
export interface InsertResult {
    /** Rows inserted (0 when the batch was already delivered). */
    inserted: number;
    /** True when the batch id was already in `delivered_batches`. */
    alreadyDelivered: boolean;
}

/** A batch id: what the delivery stage names batches with (16 digits), or any short token. */
const BATCH_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export class PgliteWarehouse {
    private constructor(private readonly db: PGlite, readonly names: WarehouseNames, private readonly lockFile: string) {}

    /** Opens (creating when needed) the warehouse in `dataDir` and (re)creates its views. */
    static async open(options: WarehouseOptions): Promise<PgliteWarehouse> {
        const names: WarehouseNames = { ...DEFAULT_WAREHOUSE_NAMES, ...options.names };
        fs.mkdirSync(options.dataDir, { recursive: true });
        const lock = takeLock(`${path.resolve(options.dataDir)}.lock`);
        let db: PGlite;
        try {
            db = await PGlite.create(options.dataDir, {
            // Timestamps as PostgreSQL prints them ("2026-11-01 12:00:00"), like the DuckDB tool's output.
                parsers: { [types.TIMESTAMP]: (value: string) => value },
            });
        } catch (error) {
            fs.rmSync(lock, { force: true });
            throw error;
        }
        try {
            await db.exec("SET TIME ZONE 'UTC'");
            await db.transaction(async (tx) => {
                for (const sql of localSetupStatements(names)) await tx.exec(sql);
            });
        } catch (error) {
            await db.close();
            fs.rmSync(lock, { force: true });
            throw error;
        }
        return new PgliteWarehouse(db, names, lock);
    }

    /**
     * Inserts one batch of rows exactly once: a batch id seen before inserts nothing.
     * @throws when `batchId` is not 1-128 characters of [A-Za-z0-9_.:-]
     */
    async insertEvents(batchId: string, rows: readonly WarehouseRecordRow[]): Promise<InsertResult> {
        if (!BATCH_ID.test(batchId)) throw new Error(`batchId: must match ${BATCH_ID} (got ${JSON.stringify(batchId)})`);
        const records = qualified(this.names, this.names.recordsRelation);
        const batches = qualified(this.names, "delivered_batches");
        return this.db.transaction(async (tx) => {
            const claimed = await tx.query(
                `INSERT INTO ${batches} (batch_id, row_count) VALUES ($1, $2) ON CONFLICT (batch_id) DO NOTHING RETURNING batch_id`,
                [batchId, rows.length],
            );
            if (claimed.rows.length === 0) return { inserted: 0, alreadyDelivered: true };
            if (rows.length > 0) {
                const input = rows.map((r) => ({
                    arrival_ms: r.arrivalMs,
                    partition_key: r.partitionKey,
                    shard_id: r.shardId,
                    sequence_number: r.sequenceNumber,
                    payload: r.payload ?? null,
                    unparsed_data: r.unparsedData === undefined ? null : r.unparsedData.toString("base64"),
                }));
                await tx.query(
                    `INSERT INTO ${records} (approximate_arrival_timestamp, partition_key, shard_id, sequence_number, payload, unparsed_data)
SELECT TIMESTAMP 'epoch' + r.arrival_ms * INTERVAL '1 millisecond', r.partition_key, r.shard_id, r.sequence_number, r.payload,
  decode(r.unparsed_data, 'base64')
FROM jsonb_to_recordset($1::jsonb) AS r(arrival_ms BIGINT, partition_key TEXT, shard_id TEXT, sequence_number TEXT, payload JSONB, unparsed_data TEXT)`,
                    [JSON.stringify(input)],
                );
            }
            return { inserted: rows.length, alreadyDelivered: false };
        });
    }

    /** Whether the batch `batchId` is already in the warehouse. */
    async isDelivered(batchId: string): Promise<boolean> {
        const result = await this.db.query(`SELECT 1 FROM ${qualified(this.names, "delivered_batches")} WHERE batch_id = $1`, [batchId]);
        return result.rows.length > 0;
    }

    /** Runs one SQL statement and returns plain rows (as the query tool prints them). */
    async query(sql: string): Promise<QueryResult> {
        const result = await this.db.query<Record<string, unknown>>(sql);
        const columns = result.fields.map((f) => f.name);
        return { columns, rows: result.rows.map((row) => plainRow(row, columns)) };
    }

    /** Reads the sample view `name` (case-insensitive) in its defined order. */
    async named(name: string): Promise<QueryResult> {
        const definition = findQueryDefinition(name);
        if (!definition) {
            throw new Error(`no sample view "${name}"; known: ${QUERY_DEFINITIONS.map((q) => q.name).join(", ")}`);
        }
        return this.query(orderedSelect(definition, this.names));
    }

    async close(): Promise<void> {
        await this.db.close();
        fs.rmSync(this.lockFile, { force: true });
    }
}

/** Creates the lock file with this pid; takes over one whose process is gone. Returns its path. */
function takeLock(lockFile: string): string {
    for (let attempt = 0; attempt < 2; attempt++) {
        try {
            fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
            return lockFile;
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        }
        const holder = Number(fs.readFileSync(lockFile, "utf8").trim());
        if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
            throw new Error(`the warehouse ${lockFile.slice(0, -".lock".length)} is open in process ${holder} ` +
                "(a running `npm start`?); stop it or query through it");
        }
        fs.rmSync(lockFile, { force: true });
    }
    throw new Error(`could not take the warehouse lock ${lockFile}`);
}

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

function plainRow(row: Record<string, unknown>, columns: readonly string[]): Record<string, PlainValue> {
    const out: Record<string, PlainValue> = {};
    for (const column of columns) out[column] = plainValue(row[column]);
    return out;
}

function plainValue(value: unknown): PlainValue {
    if (value === null || value === undefined) return null;
    if (typeof value === "bigint") {
        return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    }
    if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
    if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
    if (value instanceof Date) return value.toISOString().replace("T", " ").replace(/\.000Z$|Z$/, "");
    if (Array.isArray(value)) return value.map(plainValue);
    if (typeof value === "object") {
        const out: Record<string, PlainValue> = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = plainValue(v);
        return out;
    }
    return String(value);
}
