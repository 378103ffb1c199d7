/**
 * Data written before player_id and source_event_id existed: a Hive lake file and an Iceberg table
 * of schema 0 (ten columns, as the previous version wrote them). The readers give the new columns
 * as null for old rows, the Iceberg table evolves to schema 1 (ids 1-10 unchanged) at its next
 * commit, icebird reads the evolved table, and compaction merges old and new files.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { openAthenaEmulation, sqlString } from "../../../analytics/duckdb-athena";
import { runQuery } from "../../../analytics/query-results";
import { EVENT_COLUMNS } from "../../../functions/core/contracts";
import { EVENTS_SCHEMA, EVENTS_SCHEMA_VERSIONS, dayText } from "../../../functions/core/iceberg-schema";
import { ParquetLakeWriter } from "../../../local/lake-writer";
import { compactTable } from "../../../local/iceberg/maintenance";
import { ENTRY_STATUS } from "../../../local/iceberg/manifest";
import { commitMetadata, fileUri, loadMetadata, metadataDir, metadataFileName, newTableMetadata, newSnapshotId, withCurrentSchema } from "../../../local/iceberg/metadata";
import { openIcebergAthenaEmulation } from "../../../local/iceberg/reader";
import { commitSnapshot, writeManifest } from "../../../local/iceberg/snapshot-commit";
import { IcebergTableWriter } from "../../../local/iceberg/writer";
import { tempDir } from "../helpers";
import { icebirdRows, sampleRows } from "./iceberg-helpers";

const OLD = EVENTS_SCHEMA_VERSIONS[0]!;
const OLD_COLUMNS = EVENT_COLUMNS.slice(0, OLD.fields.length);

/** Writes `rows` with only the ten columns of schema 0 (field ids 1-10), as the previous version did. */
async function writeOldParquet(file: string, rows: readonly object[], icebergTimestamp: boolean): Promise<void> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const json = `${file}.jsonl`;
    fs.writeFileSync(json, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
        const columns = OLD_COLUMNS.map((c) => (icebergTimestamp && c.name === "event_timestamp" ? "to_timestamp(event_timestamp) AS event_timestamp" : c.name)).join(", ");
        const types = `{${OLD_COLUMNS.map((c) => `${sqlString(c.name)}: ${sqlString(c.duckdbType)}`).join(", ")}}`;
        const ids = icebergTimestamp ? `, FIELD_IDS {${OLD.fields.map((f) => `${f.name}: ${f.id}`).join(", ")}}` : "";
        await connection.run(`SET TimeZone = 'UTC'`);
        await connection.run(`COPY (SELECT ${columns} FROM read_json(${sqlString(json)}, format = 'newline_delimited', columns = ${types})) TO ${sqlString(file)} (FORMAT parquet${ids})`);
    } finally {
        connection.closeSync();
        instance.closeSync();
        fs.rmSync(json);
    }
}

describe("player columns over data written before them", function () {
    this.timeout(60_000);
    let dir: string;
    beforeEach(() => {
        dir = tempDir("schema-evo");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("Hive lake: a file without the columns reads them as null, alone and next to a new file", async () => {
        const [oldRow, newRow] = sampleRows(2, "hive", 1, 1);
        const partition = path.join(dir, "lake", "raw_events", "year=2026", "month=01", "day=05");
        await writeOldParquet(path.join(partition, "old.parquet"), [oldRow!], false);
        const location = { lakeDir: path.join(dir, "lake"), rawEventsPrefix: "raw_events", database: "game_events", table: "raw_events" };
        const sql = "SELECT event_id, player_id, source_event_id FROM game_events.raw_events ORDER BY event_id";
        let db = await openAthenaEmulation(location);
        try {
            assert.deepEqual((await runQuery(db.connection, sql)).rows, [{ event_id: oldRow!.event_id, player_id: null, source_event_id: null }]);
        } finally {
            db.close();
        }
        const writer = await ParquetLakeWriter.open();
        try {
            await writer.writeParquet([{ ...newRow!, player_id: "player-7", source_event_id: "00007" }], path.join(partition, "new.parquet"));
        } finally {
            await writer.close();
        }
        db = await openAthenaEmulation(location);
        try {
            assert.deepEqual((await runQuery(db.connection, sql)).rows, [
                { event_id: oldRow!.event_id, player_id: null, source_event_id: null },
                { event_id: newRow!.event_id, player_id: "player-7", source_event_id: "00007" },
            ]);
        } finally {
            db.close();
        }
    });

    it("Iceberg: a schema-0 table evolves to schema 1 at its next append; every reader and compaction see null for old rows", async () => {
        const tableDir = path.join(dir, "table");
        const day = Math.floor(Date.now() / 86_400_000);
        const [oldRow, newRow] = sampleRows(2, "ice", 1, 1, day * 86_400 + 3600);
        // The table as the previous version created it: schema 0 only, and one data file of ten columns.
        const created = commitMetadata(tableDir, undefined, { ...newTableMetadata(tableDir), schemas: [OLD], "current-schema-id": 0, "last-column-id": 10 });
        const partition = { event_timestamp_day: day, application_id: oldRow!.application_id };
        const oldFile = path.join(tableDir, "data", `event_timestamp_day=${dayText(day)}`, `application_id=${oldRow!.application_id}`, "old.parquet");
        await writeOldParquet(oldFile, [oldRow!], true);
        const snapshotId = newSnapshotId();
        const manifest = await writeManifest(tableDir, [{
            status: ENTRY_STATUS.ADDED, snapshot_id: snapshotId, sequence_number: null, file_sequence_number: null,
            data_file: {
                content: 0, file_path: fileUri(oldFile), file_format: "PARQUET", partition, record_count: 1, file_size_in_bytes: fs.statSync(oldFile).size,
                column_sizes: null, value_counts: null, null_value_counts: null, nan_value_counts: null, lower_bounds: null, upper_bounds: null,
                key_metadata: null, split_offsets: null, equality_ids: null, sort_order_id: 0,
            },
        }], snapshotId, 0);
        const { sequence_number: _s, min_sequence_number: _m, ...pending } = manifest;
        await commitSnapshot(tableDir, snapshotId, async () => ({ operation: "append", summary: {}, carried: [], written: [pending] }));
        // commitSnapshot evolves the schema: put the old table back as the previous version left it.
        const afterOld = loadMetadata(tableDir)!;
        const old = { ...afterOld.metadata, schemas: [OLD], "current-schema-id": 0, "last-column-id": 10, snapshots: afterOld.metadata.snapshots.map((s) => ({ ...s, "schema-id": 0 })) };
        fs.writeFileSync(path.join(metadataDir(tableDir), metadataFileName(afterOld.version)), JSON.stringify(old));
        assert.equal(created.version + 1, afterOld.version);

        let db = await openIcebergAthenaEmulation({ tableDir, database: "game_events", table: "raw_events" });
        try {
            assert.deepEqual((await runQuery(db.connection, "SELECT event_id, player_id FROM game_events.raw_events")).rows, [{ event_id: oldRow!.event_id, player_id: null }]);
        } finally {
            db.close();
        }

        const writer = await IcebergTableWriter.open(tableDir);
        try {
            await writer.appendRows([{ ...newRow!, player_id: "player-3", source_event_id: "00003" }], "new-batch");
        } finally {
            await writer.close();
        }
        const evolved = loadMetadata(tableDir)!.metadata;
        assert.deepEqual(evolved.schemas.map((s) => [s["schema-id"], s.fields.length]), [[0, 10], [1, 12]]);
        assert.equal(evolved["current-schema-id"], 1);
        assert.equal(evolved["last-column-id"], 12);
        assert.deepEqual(evolved.schemas[1]!.fields.slice(0, 10), OLD.fields, "ids 1-10 unchanged");

        const expected = [
            { event_id: oldRow!.event_id, player_id: null, source_event_id: null },
            { event_id: newRow!.event_id, player_id: "player-3", source_event_id: "00003" },
        ].sort((a, b) => a.event_id.localeCompare(b.event_id));
        const byIcebird = (await icebirdRows(tableDir)).map((r) => ({ event_id: r.event_id, player_id: r.player_id ?? null, source_event_id: r.source_event_id ?? null }));
        assert.deepEqual(byIcebird.sort((a, b) => String(a.event_id).localeCompare(String(b.event_id))), expected);

        const compaction = await compactTable(tableDir);
        assert.equal(compaction.rewrittenFiles, 2, "the old and the new file are merged");
        db = await openIcebergAthenaEmulation({ tableDir, database: "game_events", table: "raw_events" });
        try {
            assert.deepEqual((await runQuery(db.connection, "SELECT event_id, player_id, source_event_id FROM game_events.raw_events ORDER BY event_id")).rows, expected);
        } finally {
            db.close();
        }
    });

    it("refuses to evolve a table whose schema is not a prefix of the events schema", () => {
        const metadata = newTableMetadata(dir);
        const renamed = { ...OLD, fields: OLD.fields.map((f) => (f.id === 2 ? { ...f, name: "kind" } : f)) };
        assert.throws(() => withCurrentSchema({ ...metadata, schemas: [renamed], "current-schema-id": 0 }), /not a prefix of the events schema 1/);
        assert.equal(withCurrentSchema(metadata), metadata, "a current table is left as it is");
        assert.equal(EVENTS_SCHEMA["schema-id"], 1);
    });
});
