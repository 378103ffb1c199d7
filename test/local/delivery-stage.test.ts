import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { EVENT_COLUMNS } from "../../functions/core/contracts";
import type { Application } from "../../functions/core/ports";
import { DeliveryCheckpoint } from "../../local/checkpoint";
import { DeliveryStage } from "../../local/delivery-stage";
import { ParquetLakeWriter } from "../../local/lake-writer";
import { Spool, SpoolEntry } from "../../local/spool";
import { SyntheticEventGenerator } from "../../tools/synthetic-events";
import { filesUnder, queryLake, tempDir } from "./helpers";

const APP: Application = {
    ApplicationId: "11111111-2222-4333-8444-555555555555", ApplicationName: "unit-game", Description: "",
    CreatedAt: "2026-01-01T00:00:00.000Z", UpdatedAt: "2026-01-01T00:00:00.000Z",
};

/** One ingest record line per event, as the ingest handler writes them. */
function ingestLines(count: number, seed: number): { ids: string[]; payloads: Buffer[] } {
    const events = new SyntheticEventGenerator({ seed }).batch(count).map((g) => g.event);
    return {
        ids: events.map((e) => String(e.event_id)),
        payloads: events.map((event) => Buffer.from(JSON.stringify({ application_id: APP.ApplicationId, event, request_id: "r", request_time_epoch: 1 }))),
    };
}

async function openStage(dir: string, spool: Spool, writer: ParquetLakeWriter): Promise<{ stage: DeliveryStage; checkpoint: DeliveryCheckpoint }> {
    const checkpoint = DeliveryCheckpoint.load(path.join(dir, "checkpoint.json"), spool.epoch);
    let n = 0;
    const stage = new DeliveryStage({
        lakeDir: path.join(dir, "lake"), rawEventsPrefix: "raw_events", spoolEpoch: spool.epoch, checkpoint, writer,
        rows: {
            lookupApplication: async (id) => (id === APP.ApplicationId ? APP : undefined),
            clock: { now: () => Date.now() }, newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
        },
        bufferMs: 60_000, log: () => undefined,
    });
    return { stage, checkpoint };
}

describe("delivery stage (local Firehose)", function () {
    let dir: string;
    let spool: Spool;
    let writer: ParquetLakeWriter;

    beforeEach(async function () {
        dir = tempDir("delivery");
        spool = await Spool.open(path.join(dir, "spool"));
        writer = await ParquetLakeWriter.open();
    });

    afterEach(async function () {
        await writer.close();
        await spool.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("writes Ok rows as Parquet and an unreadable record as a ProcessingFailed line that keeps its raw data", async function () {
        const { ids, payloads } = ingestLines(20, 1);
        const garbage = Buffer.from("{not json");
        const entries = await spool.append([...payloads, garbage]);
        const { stage } = await openStage(dir, spool, writer);
        stage.accept(entries);
        await stage.flush();

        const rows = await queryLake(path.join(dir, "lake"), "SELECT event_id FROM game_events.raw_events ORDER BY event_id");
        assert.deepEqual(rows.map((r) => r.event_id), [...ids].sort());
        const errorFiles = filesUnder(path.join(dir, "lake", "firehose-errors", "processing-failed"));
        assert.equal(errorFiles.length, 1);
        const lines = fs.readFileSync(path.join(dir, "lake", "firehose-errors", "processing-failed", errorFiles[0]), "utf8").trim().split("\n");
        assert.deepEqual(lines.map((l) => Buffer.from(JSON.parse(l).rawData, "base64").toString()), ["{not json"]);
    });

    it("writes Parquet with exactly the events table's columns and types, every value as the transform wrote it", async function () {
        const event = {
            event_id: "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", event_type: "chat", event_name: "chat", event_timestamp: 1_767_614_400.75,
            event_data: { text: "gg \"wp\" \\o/ caf\u00e9 \u{1F600}\n", big: 9007199254740991, nested: { list: [1, null, true] } },
        };
        const record = { application_id: APP.ApplicationId, event, request_id: "r-1", request_time_epoch: 5, player_id: "player \u00e9 1", source_event_id: "00006" };
        const entries = await spool.append([Buffer.from(JSON.stringify(record))]);
        const { stage } = await openStage(dir, spool, writer);
        stage.accept(entries);
        await stage.flush();
        const [file] = filesUnder(path.join(dir, "lake", "raw_events")).filter((f) => f.endsWith(".parquet"));
        const parquet = path.join(dir, "lake", "raw_events", file!);
        const columns = await queryLake(path.join(dir, "lake"), `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${parquet}', hive_partitioning = false))`);
        const [row] = await queryLake(path.join(dir, "lake"), `SELECT * FROM read_parquet('${parquet}', hive_partitioning = false)`);
        assert.deepEqual(
            { columns: columns.map((c) => `${c.column_name} ${c.column_type}`), row: { ...row, metadata: undefined } },
            {
                columns: EVENT_COLUMNS.map((c) => `${c.name} ${c.duckdbType}`),
                row: {
                    event_id: event.event_id, event_type: "chat", event_name: "chat", event_version: null, event_timestamp: 1_767_614_400,
                    app_version: null, application_id: APP.ApplicationId, application_name: "unit-game",
                    event_data: JSON.stringify(event.event_data), metadata: undefined,
                    player_id: "player \u00e9 1", source_event_id: "00006",
                },
            },
        );
        assert.equal(JSON.parse(String(row!.metadata)).event_timestamp_exact, 1_767_614_400.75);
    });

    it("redoes a batch cut short after its Parquet files were written without duplicating a row", async function () {
        const { ids, payloads } = ingestLines(50, 2);
        const entries = await spool.append(payloads);
        const first = await openStage(dir, spool, writer);
        first.stage.accept(entries);
        await first.stage.flush();
        // Simulate a crash between writing the files and the commit: the batch is in flight again.
        const batch = { batchId: String(entries[0].offset).padStart(16, "0"), startedAt: Date.now(), frames: entries.map((e): [number, number] => [e.offset, e.end]) };
        const state = JSON.parse(fs.readFileSync(path.join(dir, "checkpoint.json"), "utf8"));
        fs.writeFileSync(path.join(dir, "checkpoint.json"), JSON.stringify({ ...state, watermark: 0, delivered: [], inFlight: batch }));

        const second = await openStage(dir, spool, writer);
        assert.ok(second.checkpoint.inFlight, "the batch is in flight after the simulated crash");
        await second.stage.redo(second.checkpoint.inFlight!, [...spool.readFrom(0)]);
        const rows = await queryLake(path.join(dir, "lake"), "SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM game_events.raw_events");
        assert.deepEqual(rows, [{ n: ids.length, d: ids.length }]);
        assert.equal(second.checkpoint.watermark, spool.endOffset);
    });

    it("flushes by size without waiting for the timer", async function () {
        const { payloads } = ingestLines(200, 3);
        const entries: SpoolEntry[] = await spool.append(payloads);
        const checkpoint = DeliveryCheckpoint.load(path.join(dir, "checkpoint.json"), spool.epoch);
        let committed = 0;
        const stage = new DeliveryStage({
            lakeDir: path.join(dir, "lake"), rawEventsPrefix: "raw_events", spoolEpoch: spool.epoch, checkpoint, writer,
            rows: { lookupApplication: async () => APP, clock: { now: () => Date.now() }, newId: () => "x" },
            bufferBytes: 1024, bufferMs: 600_000, onCommitted: () => (committed += 1), log: () => undefined,
        });
        stage.accept(entries);
        for (let i = 0; i < 100 && committed === 0; i++) await new Promise((r) => setTimeout(r, 20));
        assert.ok(committed >= 1, "a batch was committed before the 10-minute timer");
        await stage.stop();
    });
});

describe("spool (write-ahead log)", function () {
    it("cuts off a torn last frame at open and keeps every complete one", async function () {
        const dir = tempDir("spool");
        try {
            const spool = await Spool.open(dir);
            await spool.append([Buffer.from("one"), Buffer.from("two")]);
            await spool.close();
            const segment = path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith("segment-"))!);
            fs.appendFileSync(segment, Buffer.from([9, 0, 0, 0, 1, 2])); // half a header: a write cut by a crash
            const reopened = await Spool.open(dir);
            const third = await reopened.append([Buffer.from("three")]);
            assert.deepEqual([...reopened.readFrom(0)].map((e) => e.data.toString()), ["one", "two", "three"]);
            assert.equal(third[0].offset, 2 * 16 + 3 + 3);
            await reopened.close();
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("rotates segments and releases the ones fully delivered", async function () {
        const dir = tempDir("spool-rotate");
        try {
            const spool = await Spool.open(dir, 64);
            const entries: SpoolEntry[] = [];
            for (let i = 0; i < 10; i++) entries.push(...await spool.append([Buffer.from(`record-${i}-${"x".repeat(40)}`)]));
            const before = fs.readdirSync(dir).filter((f) => f.startsWith("segment-")).length;
            spool.releaseBefore(entries[9].offset);
            const after = fs.readdirSync(dir).filter((f) => f.startsWith("segment-")).length;
            assert.ok(before > 5 && after < before, `${before} -> ${after}`);
            assert.deepEqual([...spool.readFrom(entries[9].offset)].map((e) => e.offset), [entries[9].offset]);
            await spool.close();
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
