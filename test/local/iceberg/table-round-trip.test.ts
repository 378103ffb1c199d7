import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { openAthenaEmulation } from "../../../analytics/duckdb-athena";
import { NAMED_QUERIES } from "../../../analytics/named-queries";
import { runQuery } from "../../../analytics/query-results";
import { ParquetLakeWriter } from "../../../local/lake-writer";
import { listVersions, loadMetadata, localPath, readVersion } from "../../../local/iceberg/metadata";
import { openIcebergAthenaEmulation, parseAsOf, scanTable } from "../../../local/iceberg/reader";
import { EVENTS_SCHEMA } from "../../../functions/core/iceberg-schema";
import { COMMIT_ID_SUMMARY, IcebergTableWriter } from "../../../local/iceberg/writer";
import { tempDir } from "../helpers";
import { icebirdDataFiles, icebirdRows, jsonLines, normalise, sampleRows } from "./iceberg-helpers";

const NAMES = { database: "game_events", table: "raw_events" };

async function queryIceberg(tableDir: string, sql: string, asOf?: string): Promise<Record<string, unknown>[]> {
    const db = await openIcebergAthenaEmulation({ tableDir, ...NAMES, asOf: asOf === undefined ? undefined : parseAsOf(asOf) });
    try {
        return (await runQuery(db.connection, sql)).rows;
    } finally {
        db.close();
    }
}

describe("local Iceberg table: writer and reader", () => {
    let dir: string;
    let tableDir: string;
    let writer: IcebergTableWriter;

    beforeEach(async () => {
        dir = tempDir("iceberg");
        tableDir = path.join(dir, "lake", "raw_events");
        writer = await IcebergTableWriter.open(tableDir);
    });
    afterEach(async () => {
        await writer.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("writes a v2 table that icebird reads back row for row, with the partition values of each file", async () => {
        const rows = sampleRows(120, "rt", 3, 2);
        const result = await writer.appendJsonLines(jsonLines(rows), "spool-0000000000000000");
        assert.equal(result.rows, 120);
        assert.equal(result.dataFiles, 6, "3 days x 2 applications = 6 partitions, one file each");

        assert.deepEqual(normalise(await icebirdRows(tableDir)), normalise(rows as unknown as Record<string, unknown>[]));

        const files = await icebirdDataFiles(tableDir);
        assert.equal(files.length, 6);
        for (const file of files) {
            // icebird decodes the day (Avro int, logical type date) as a Date.
            const day = file.partition.event_timestamp_day;
            assert.ok(day instanceof Date, `partition day of ${file.path} is a date`);
            const dayOfFile = day.toISOString().slice(0, 10);
            const inFile = rows.filter((r) => r.application_id === file.partition.application_id &&
                new Date(r.event_timestamp * 1000).toISOString().slice(0, 10) === dayOfFile);
            assert.equal(file.records, inFile.length, `record count of ${file.path}`);
            assert.ok(inFile.length > 0);
            assert.ok(file.path.includes(`event_timestamp_day=${dayOfFile}/application_id=${file.partition.application_id}/`), file.path);
        }
        const metadata = loadMetadata(tableDir)!.metadata;
        assert.equal(metadata["format-version"], 2);
        assert.deepEqual(metadata["partition-specs"][0].fields.map((f) => `${f.transform}(${f["source-id"]})`), ["day(5)", "identity(7)"]);
        assert.equal(EVENTS_SCHEMA.fields.find((f) => f.name === "event_timestamp")!.type, "timestamptz");
    });

    it("writes Parquet data files whose columns carry the schema's field ids and a real timestamp", async () => {
        await writer.appendRows(sampleRows(10, "ids", 1, 1), "spool-0000000000000001");
        const [file] = (await scanTable(tableDir)).files;
        const instance = await DuckDBInstance.create(":memory:");
        const connection = await instance.connect();
        try {
            const reader = await connection.runAndReadAll(`SELECT name, field_id, logical_type FROM parquet_schema('${file}') WHERE name <> 'duckdb_schema'`);
            const byName = new Map(reader.getRowObjectsJson().map((r) => [String(r.name), r]));
            for (const field of EVENTS_SCHEMA.fields) assert.equal(Number(byName.get(field.name)?.field_id), field.id, field.name);
            assert.match(String(byName.get("event_timestamp")!.logical_type), /TimestampType\(isAdjustedToUTC=1.*MICROS/i);
        } finally {
            connection.closeSync();
            instance.closeSync();
        }
    });

    it("commits one snapshot per append, chained to its parent, with the commit id in the summary", async () => {
        await writer.appendRows(sampleRows(5, "a"), "spool-0000000000000010");
        await writer.appendRows(sampleRows(7, "b"), "spool-0000000000000020");
        const { version, metadata } = loadMetadata(tableDir)!;
        assert.equal(version, 3, "v1 creates the table, one version per append");
        assert.deepEqual(listVersions(tableDir), [1, 2, 3]);
        assert.equal(fs.readFileSync(path.join(tableDir, "metadata", "version-hint.text"), "utf8"), "3");
        assert.equal(metadata.snapshots.length, 2);
        const [first, second] = metadata.snapshots;
        assert.equal(second["parent-snapshot-id"], first["snapshot-id"]);
        assert.deepEqual([first["sequence-number"], second["sequence-number"]], [1, 2]);
        assert.equal(metadata["current-snapshot-id"], second["snapshot-id"]);
        assert.equal(metadata.refs.main["snapshot-id"], second["snapshot-id"]);
        assert.deepEqual(metadata["snapshot-log"].map((e) => e["snapshot-id"]), [first["snapshot-id"], second["snapshot-id"]]);
        assert.deepEqual(metadata["metadata-log"].map((e) => path.basename(localPath(e["metadata-file"]))), ["v1.metadata.json", "v2.metadata.json"]);
        assert.equal(second.summary.operation, "append");
        assert.equal(second.summary[COMMIT_ID_SUMMARY], "spool-0000000000000020");
        assert.equal(second.summary["total-records"], "12");
        assert.equal((await icebirdRows(tableDir)).length, 12);
    });

    it("does not append a commit id twice", async () => {
        const rows = sampleRows(9, "dup");
        const first = await writer.appendRows(rows, "spool-0000000000000030");
        const again = await writer.appendRows(rows, "spool-0000000000000030");
        assert.equal(again.alreadyCommitted, true);
        assert.equal(again.snapshotId, first.snapshotId);
        assert.equal(loadMetadata(tableDir)!.metadata.snapshots.length, 1);
        assert.equal((await scanTable(tableDir)).records, 9);
    });

    it("refuses a commit id that cannot name a file", async () => {
        await assert.rejects(writer.appendRows(sampleRows(1, "x"), "../evil"), /commitId must match/);
    });

    it("travels in time by snapshot id and by timestamp; icebird reads an earlier metadata version the same", async () => {
        await writer.appendRows(sampleRows(4, "t1"), "spool-0000000000000040");
        const firstSnapshot = loadMetadata(tableDir)!.metadata["current-snapshot-id"];
        await new Promise((r) => setTimeout(r, 20));
        const between = Date.now();
        await new Promise((r) => setTimeout(r, 20));
        await writer.appendRows(sampleRows(6, "t2"), "spool-0000000000000050");
        const count = "SELECT count(*) AS n FROM game_events.raw_events";
        assert.equal(Number((await queryIceberg(tableDir, count))[0].n), 10);
        assert.equal(Number((await queryIceberg(tableDir, count, String(firstSnapshot)))[0].n), 4);
        assert.equal(Number((await queryIceberg(tableDir, count, new Date(between).toISOString()))[0].n), 4);
        assert.equal((await scanTable(tableDir, { timestampMs: 0 })).files.length, 0, "before the first snapshot the table is empty");
        await assert.rejects(queryIceberg(tableDir, count, "12345"), /no snapshot 12345/);
        assert.throws(() => parseAsOf("yesterday-ish"), /snapshot id \(digits\) or an ISO 8601 time/);
        assert.equal((await icebirdRows(tableDir, 2)).length, 4);
        assert.equal(readVersion(tableDir, 2)["current-snapshot-id"], firstSnapshot);
    });

    it("runs every named query with the same results as the Hive lake holding the same rows", async () => {
        const now = Math.floor(Date.now() / 1000);
        const rows = [...sampleRows(150, "nq", 3, 2, now), ...sampleRows(50, "last", 2, 2, now - 35 * 86_400)];
        await writer.appendRows(rows.slice(0, 120), "spool-0000000000000060");
        await writer.appendRows(rows.slice(120), "spool-0000000000000070");
        const lakeDir = path.join(dir, "hive");
        const hive = await ParquetLakeWriter.open();
        try {
            const byDay = new Map<string, typeof rows>();
            for (const row of rows) {
                const d = new Date(row.event_timestamp * 1000).toISOString();
                const key = `year=${d.slice(0, 4)}/month=${d.slice(5, 7)}/day=${d.slice(8, 10)}`;
                byDay.set(key, [...(byDay.get(key) ?? []), row]);
            }
            for (const [partition, inPartition] of byDay) await hive.writeParquet(inPartition, path.join(lakeDir, "raw_events", partition, "part.parquet"));
        } finally {
            await hive.close();
        }
        let nonEmpty = 0;
        const hiveDb = await openAthenaEmulation({ lakeDir, rawEventsPrefix: "raw_events", ...NAMES });
        const icebergDb = await openIcebergAthenaEmulation({ tableDir, ...NAMES });
        try {
            for (const query of NAMED_QUERIES) {
                const sql = query.sql(NAMES.database, NAMES.table);
                const expected = (await runQuery(hiveDb.connection, sql)).rows;
                assert.deepEqual((await runQuery(icebergDb.connection, sql)).rows, expected, query.name);
                if (expected.length > 0) nonEmpty++;
            }
        } finally {
            hiveDb.close();
            icebergDb.close();
        }
        assert.ok(nonEmpty >= NAMED_QUERIES.length - 2, `most queries return rows (${nonEmpty} of ${NAMED_QUERIES.length})`);
    });

    it("shows an empty view before the first append", async () => {
        const rows = await queryIceberg(tableDir, "SELECT count(*) AS n FROM game_events.raw_events");
        assert.equal(Number(rows[0].n), 0);
    });
});
