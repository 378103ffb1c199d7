import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { QUERY_DEFINITIONS } from "../../analytics/query-definitions";
import { DeliveryCheckpoint, InFlightBatch } from "../../local/checkpoint";
import { SpoolEntry } from "../../local/spool";
import { deliverToWarehouse, rowsOfSpoolEntries, warehouseBatchId } from "../../local/warehouse/delivery";
import { PgliteWarehouse } from "../../local/warehouse/pglite-warehouse";
import { rowsOfRecord, StreamRecord } from "../../local/warehouse/records";
import { expectedRows, knownDataSet, latestEventIds, utcTimestamp } from "../analytics/known-data-set";
import { FixtureEvent } from "../analytics/lake-fixture";

/** The ingest's line for an event: `{application_id, event, request_id, request_time_epoch}`. */
function ingestLine(e: FixtureEvent): string {
    const event: Record<string, unknown> = {
        event_id: e.eventId, event_type: e.eventType, event_name: e.eventType, event_version: "1.0.0",
        event_timestamp: e.timestamp, app_version: "1.0.0",
    };
    if (e.eventData !== undefined) event.event_data = e.eventData;
    return JSON.stringify({ application_id: e.applicationId, event, request_id: `req-${e.eventId}`, request_time_epoch: e.timestamp * 1000 });
}

/** Records of `perRecord` packed lines each (the packing of functions/core/packing.ts). */
function packedRecords(events: readonly FixtureEvent[], perRecord: number, firstSequence: number): StreamRecord[] {
    const records: StreamRecord[] = [];
    for (let i = 0; i < events.length; i += perRecord) {
        const group = events.slice(i, i + perRecord);
        records.push({
            data: Buffer.from(group.map((e) => ingestLine(e) + "\n").join("")),
            arrivalMs: Date.UTC(2026, 0, 1) + i,
            partitionKey: group[0].eventId,
            sequenceNumber: String(firstSequence + i),
        });
    }
    return records;
}

describe("local warehouse (pglite) with the sample views", function () {
    this.timeout(120_000);
    let dir: string;
    let warehouse: PgliteWarehouse;
    const { events, redelivered } = knownDataSet();

    before(async function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "gap-warehouse-"));
        warehouse = await PgliteWarehouse.open({ dataDir: path.join(dir, "warehouse") });
    });

    after(async function () {
        await warehouse?.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("every view exists and is empty before the first batch", async function () {
        for (const q of QUERY_DEFINITIONS) assert.deepEqual((await warehouse.named(q.name)).rows, [], q.name);
    });

    it("unpacks packed records into one row per event, exactly once per batch", async function () {
        const rows = packedRecords(events, 4, 1000).flatMap(rowsOfRecord);
        assert.equal(rows.length, events.length);
        assert.deepEqual(await warehouse.insertEvents("0000000000000000", rows), { inserted: events.length, alreadyDelivered: false });
        // A redone batch (the same id after a crash) adds nothing.
        assert.deepEqual(await warehouse.insertEvents("0000000000000000", rows), { inserted: 0, alreadyDelivered: true });
        assert.equal(await warehouse.isDelivered("0000000000000000"), true);
        assert.equal(await warehouse.isDelivered("0000000000000001"), false);
        // Two events the ingest delivered twice (a retried request), in another batch.
        const again = packedRecords(redelivered, 2, 5000).flatMap(rowsOfRecord);
        assert.deepEqual(await warehouse.insertEvents("0000000000004096", again), { inserted: 2, alreadyDelivered: false });
        const count = await warehouse.query(`SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM game_events.events`);
        assert.deepEqual(count.rows, [{ n: events.length + 2, ids: events.length }]);
    });

    it("every sample view returns the exact rows of the Athena named queries (completion rate = completions / plays)", async function () {
        const expected = expectedRows();
        for (const q of QUERY_DEFINITIONS) {
            const result = await warehouse.named(q.name);
            assert.deepEqual(result.columns, q.columns, q.name);
            if (q.name === "LatestEvents") {
                assert.deepEqual(result.rows.map((r) => r.event_id), latestEventIds(events));
                assert.equal(result.rows[0].event_time_utc, utcTimestamp(Math.max(...events.map((e) => e.timestamp))));
            } else {
                assert.deepEqual(result.rows, expected[q.name], q.name);
            }
        }
    });

    it("exposes the data-lake columns in the events view, event_data and metadata as JSON", async function () {
        const e = events[0];
        const { rows } = await warehouse.query(
            `SELECT event_id, event_type, event_timestamp, application_id, application_name, event_data, metadata, year, month, day
             FROM game_events.events WHERE event_id = '${e.eventId}'`);
        const d = new Date(e.timestamp * 1000);
        assert.deepEqual(rows, [{
            event_id: e.eventId, event_type: e.eventType, event_timestamp: e.timestamp, application_id: e.applicationId,
            application_name: null, event_data: e.eventData as Record<string, string>,
            metadata: {
                api: { request_id: `req-${e.eventId}`, request_time_epoch: e.timestamp * 1000 },
                kinesis: { shard_id: "shardId-000000000000", sequence_number: "1000", partition_key: e.eventId },
            },
            year: String(d.getUTCFullYear()), month: String(d.getUTCMonth() + 1).padStart(2, "0"), day: String(d.getUTCDate()).padStart(2, "0"),
        }]);
    });

    it("keeps a line that is not a JSON object as unparsed data, out of the views but not lost", async function () {
        const before = (await warehouse.named("TotalEvents")).rows;
        const rows = rowsOfRecord({ data: Buffer.from("not json\n[1,2]\n"), arrivalMs: 0, partitionKey: "p", sequenceNumber: "9" });
        assert.deepEqual(rows.map((r) => [r.payload, r.unparsedData?.toString()]), [[undefined, "not json"], [undefined, "[1,2]"]]);
        await warehouse.insertEvents("bad-lines", rows);
        const kept = await warehouse.query(`SELECT convert_from(unparsed_data, 'UTF8') AS line FROM game_events.kinesis_events WHERE payload IS NULL ORDER BY 1`);
        assert.deepEqual(kept.rows, [{ line: "[1,2]" }, { line: "not json" }]);
        assert.deepEqual((await warehouse.named("TotalEvents")).rows, before);
    });

    it("delivers spooled batches through the checkpoint: a batch redone after a crash past the insert adds nothing", async function () {
        const c1 = { ...events[0], eventId: "cccccccc-0000-4000-8000-000000000001", applicationId: "cccccccc-0000-4000-8000-00000000000c" };
        const c2 = { ...c1, eventId: "cccccccc-0000-4000-8000-000000000002" };
        const first = Buffer.from(ingestLine(c1) + "\n" + ingestLine(c2) + "\n");
        const entries: SpoolEntry[] = [{ offset: 0, end: 16 + first.length, arrival: Date.UTC(2026, 0, 1), data: first }];
        assert.deepEqual(rowsOfSpoolEntries(entries).map((r) => [r.partitionKey, r.sequenceNumber]), [[c1.eventId, "0"], [c2.eventId, "0"]]);
        const file = path.join(dir, "checkpoint.json");
        const batch: InFlightBatch = { batchId: "0000000000000000", startedAt: Date.now(), frames: [[0, entries[0].end]] };
        // Crash after the insert committed, before the checkpoint's commit: the batch is still in flight.
        const crashed = DeliveryCheckpoint.load(file, "spool1");
        crashed.begin(batch);
        await warehouse.insertEvents(warehouseBatchId("spool1", batch), rowsOfSpoolEntries(entries));
        const restarted = DeliveryCheckpoint.load(file, "spool1");
        assert.deepEqual(restarted.inFlight, batch);
        assert.deepEqual(await deliverToWarehouse(warehouse, restarted, "spool1", restarted.inFlight!, entries),
            { inserted: 0, alreadyDelivered: true, watermark: entries[0].end });
        assert.equal(DeliveryCheckpoint.load(file, "spool1").inFlight, null);
        const appC = `SELECT count(*) AS n FROM game_events.events WHERE application_id = '${c1.applicationId}'`;
        assert.deepEqual((await warehouse.query(appC)).rows, [{ n: 2 }]);
        // A new spool numbers its batches from 0 again: its batch 0 is another batch.
        const other = DeliveryCheckpoint.load(path.join(dir, "checkpoint2.json"), "spool2");
        assert.equal((await deliverToWarehouse(warehouse, other, "spool2", batch, entries)).inserted, 2);
        assert.deepEqual((await warehouse.query(appC)).rows, [{ n: 4 }]);
    });

    it("refuses a second open of the same folder while it is open (pglite does not lock it)", async function () {
        await assert.rejects(PgliteWarehouse.open({ dataDir: path.join(dir, "warehouse") }),
            new RegExp(`the warehouse .*warehouse is open in process ${process.pid}`));
        assert.equal(fs.readFileSync(path.join(dir, "warehouse.lock"), "utf8"), String(process.pid));
    });

    it("refuses a bad batch id and an unknown view name, naming what is wrong", async function () {
        await assert.rejects(warehouse.insertEvents("bad id with spaces", []), /batchId: must match/);
        await assert.rejects(warehouse.named("NoSuchView"), /no sample view "NoSuchView"; known: LatestEvents, TotalEvents/);
    });
});
