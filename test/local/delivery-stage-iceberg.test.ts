import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { runQuery } from "../../analytics/query-results";
import type { Application } from "../../functions/core/ports";
import { DeliveryCheckpoint } from "../../local/checkpoint";
import { DeliveryStage } from "../../local/delivery-stage";
import { loadMetadata } from "../../local/iceberg/metadata";
import { icebergTableDir, openIcebergAthenaEmulation } from "../../local/iceberg/reader";
import { IcebergTableWriter } from "../../local/iceberg/writer";
import { ParquetLakeWriter } from "../../local/lake-writer";
import { Spool } from "../../local/spool";
import { SyntheticEventGenerator } from "../../tools/synthetic-events";
import { filesUnder, tempDir } from "./helpers";

const GOOD: Application = {
    ApplicationId: "11111111-2222-4333-8444-555555555555", ApplicationName: "ice-game", Description: "",
    CreatedAt: "2026-01-01T00:00:00.000Z", UpdatedAt: "2026-01-01T00:00:00.000Z",
};
/** Rows the Parquet conversion rejects: an application named with a lone UTF-16 surrogate. */
const POISON: Application = { ...GOOD, ApplicationId: "99999999-2222-4333-8444-555555555555", ApplicationName: "\ud800" };

function payloads(app: Application, count: number, seed: number): { ids: string[]; data: Buffer[] } {
    const events = new SyntheticEventGenerator({ seed }).batch(count).map((g) => g.event);
    return {
        ids: events.map((e) => String(e.event_id)),
        data: events.map((event) => Buffer.from(JSON.stringify({ application_id: app.ApplicationId, event, request_id: "r", request_time_epoch: 1 }))),
    };
}

describe("delivery stage with tableFormat ICEBERG", function () {
    this.timeout(60_000);
    let dir: string;
    let spool: Spool;
    let writer: ParquetLakeWriter;
    let iceberg: IcebergTableWriter;
    let tableDir: string;

    const openStage = (): { stage: DeliveryStage; checkpoint: DeliveryCheckpoint } => {
        const checkpoint = DeliveryCheckpoint.load(path.join(dir, "checkpoint.json"), spool.epoch);
        let n = 0;
        const stage = new DeliveryStage({
            lakeDir: path.join(dir, "lake"), rawEventsPrefix: "raw_events", spoolEpoch: spool.epoch, checkpoint, writer, icebergWriter: iceberg,
            rows: {
                lookupApplication: async (id) => [GOOD, POISON].find((a) => a.ApplicationId === id),
                clock: { now: () => Date.now() }, newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
            },
            bufferMs: 60_000, log: () => undefined,
        });
        return { stage, checkpoint };
    };

    const tableIds = async (): Promise<string[]> => {
        const db = await openIcebergAthenaEmulation({ tableDir, database: "game_events", table: "raw_events" });
        try {
            return (await runQuery(db.connection, "SELECT event_id FROM game_events.raw_events")).rows.map((r) => String(r.event_id)).sort();
        } finally {
            db.close();
        }
    };

    beforeEach(async function () {
        dir = tempDir("delivery-ice");
        spool = await Spool.open(path.join(dir, "spool"));
        writer = await ParquetLakeWriter.open();
        tableDir = icebergTableDir(path.join(dir, "lake"), "raw_events");
        iceberg = await IcebergTableWriter.open(tableDir);
    });

    afterEach(async function () {
        await iceberg.close();
        await writer.close();
        await spool.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("appends the batch as one snapshot, isolating the records the Parquet conversion rejects", async function () {
        const good = payloads(GOOD, 40, 5);
        const poison = payloads(POISON, 1, 6);
        const entries = await spool.append([...good.data.slice(0, 20), ...poison.data, ...good.data.slice(20)]);
        const { stage } = openStage();
        stage.accept(entries);
        await stage.flush();
        assert.deepEqual(await tableIds(), [...good.ids].sort());
        const snapshots = loadMetadata(tableDir)!.metadata.snapshots;
        assert.equal(snapshots.length, 1);
        assert.equal(stage.stats.recordsConversionFailed, 1);
        assert.equal(stage.stats.rowsWritten, good.ids.length);
        const failed = filesUnder(path.join(dir, "lake", "firehose-errors", "format-conversion-failed"));
        assert.equal(failed.length, 1);
        assert.equal(filesUnder(path.join(dir, "lake")).filter((f) => f.includes(".probe") || f.includes(".iceberg-probe")).length, 0);
    });

    it("recognises a batch redone after its append landed: no row twice, no second snapshot", async function () {
        const { ids, data } = payloads(GOOD, 30, 7);
        const entries = await spool.append(data);
        const first = openStage();
        first.stage.accept(entries);
        await first.stage.flush();
        // A crash between the append and the checkpoint commit: the batch is in flight again.
        const batch = { batchId: String(entries[0].offset).padStart(16, "0"), startedAt: Date.now(), frames: entries.map((e): [number, number] => [e.offset, e.end]) };
        const state = JSON.parse(fs.readFileSync(path.join(dir, "checkpoint.json"), "utf8"));
        fs.writeFileSync(path.join(dir, "checkpoint.json"), JSON.stringify({ ...state, watermark: 0, delivered: [], inFlight: batch }));

        const second = openStage();
        assert.ok(second.checkpoint.inFlight);
        await second.stage.redo(second.checkpoint.inFlight!, [...spool.readFrom(0)]);
        assert.deepEqual(await tableIds(), [...ids].sort());
        assert.equal(loadMetadata(tableDir)!.metadata.snapshots.length, 1);
        assert.equal(second.checkpoint.watermark, spool.endOffset);
    });
});
