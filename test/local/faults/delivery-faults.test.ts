/**
 * Fault injection on delivery: a poison row (a string DuckDB rejects) in a batch, also when redone
 * after a crash; a spool shortened below the checkpoint's watermark.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Application } from "../../../functions/core/ports";
import { DeliveryCheckpoint, recoverSpool } from "../../../local/checkpoint";
import { DeliveryStage } from "../../../local/delivery-stage";
import { ParquetLakeWriter } from "../../../local/lake-writer";
import { Spool, SpoolEntry } from "../../../local/spool";
import { SyntheticEventGenerator } from "../../../tools/synthetic-events";
import { filesUnder, queryLake, tempDir } from "../helpers";

const GOOD: Application = {
    ApplicationId: "11111111-2222-4333-8444-555555555555", ApplicationName: "good-game", Description: "",
    CreatedAt: "2026-01-01T00:00:00.000Z", UpdatedAt: "2026-01-01T00:00:00.000Z",
};
/** The poison: an application named with a lone UTF-16 surrogate ("no low surrogate in string"). */
const POISON: Application = { ...GOOD, ApplicationId: "99999999-2222-4333-8444-555555555555", ApplicationName: "\ud800" };

let seed = 100;
function records(app: Application, count: number): { ids: string[]; payloads: Buffer[] } {
    const events = new SyntheticEventGenerator({ seed: seed++ }).batch(count).map((g) => g.event);
    return {
        ids: events.map((e) => String(e.event_id)),
        payloads: events.map((event) => Buffer.from(JSON.stringify({ application_id: app.ApplicationId, event, request_id: "r", request_time_epoch: 1 }) + "\n")),
    };
}

function stageOf(dir: string, spool: Spool, writer: ParquetLakeWriter, checkpoint: DeliveryCheckpoint, logs: string[] = []): DeliveryStage {
    let n = 0;
    return new DeliveryStage({
        lakeDir: path.join(dir, "lake"), rawEventsPrefix: "raw_events", spoolEpoch: spool.epoch, checkpoint, writer,
        rows: {
            lookupApplication: async (id) => [GOOD, POISON].find((a) => a.ApplicationId === id),
            clock: { now: () => Date.now() }, newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
        },
        bufferMs: 60_000, log: (m) => logs.push(m), onCommitted: (w) => spool.releaseBefore(w),
    });
}

/** Rejects when `work` takes longer than `ms` (the old stage retried a poison batch forever). */
function within<T>(ms: number, work: Promise<T>, what: string): Promise<T> {
    return Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms).unref())]);
}

async function lakeIds(dir: string): Promise<Map<string, number>> {
    const rows = await queryLake(path.join(dir, "lake"), "SELECT event_id, count(*) AS n FROM game_events.raw_events GROUP BY 1");
    return new Map(rows.map((r) => [String(r.event_id), Number(r.n)]));
}

describe("delivery under faults", function () {
    this.timeout(60_000);
    let dir: string;
    let writer: ParquetLakeWriter;

    beforeEach(async function () {
        dir = tempDir("delivery-faults");
        writer = await ParquetLakeWriter.open();
    });
    afterEach(async function () {
        await writer.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("isolates a poison row to firehose-errors/format-conversion-failed/ and delivers the rest of the batch and later batches", async function () {
        const spool = await Spool.open(path.join(dir, "spool"), { log: () => undefined });
        const before = records(GOOD, 30);
        const poison = records(POISON, 1);
        const after = records(GOOD, 30);
        const entries = await spool.append([...before.payloads, ...poison.payloads, ...after.payloads]);
        const checkpoint = DeliveryCheckpoint.load(path.join(dir, "checkpoint.json"), spool.epoch);
        const logs: string[] = [];
        const stage = stageOf(dir, spool, writer, checkpoint, logs);
        stage.accept(entries);
        await within(20_000, stage.flush(), "the batch holding a poison row");
        const next = records(GOOD, 10);
        stage.accept(await spool.append(next.payloads));
        await within(20_000, stage.flush(), "the batch after it");

        const lake = await lakeIds(dir);
        const expected = [...before.ids, ...after.ids, ...next.ids];
        assert.deepEqual({ missing: expected.filter((id) => lake.get(id) !== 1).length, rows: lake.size }, { missing: 0, rows: expected.length });
        const errorsDir = path.join(dir, "lake", "firehose-errors", "format-conversion-failed");
        const lines = filesUnder(errorsDir).flatMap((f) => fs.readFileSync(path.join(errorsDir, f), "utf8").trim().split("\n").map((l) => JSON.parse(l)));
        assert.equal(lines.length, 1);
        assert.equal(lines[0].recordId, String(entries[30].offset));
        assert.match(lines[0].errorMessage, /surrogate/);
        assert.ok(Buffer.from(lines[0].rawData, "base64").toString().includes(poison.ids[0]), "the raw record is kept");
        assert.equal(stage.stats.recordsConversionFailed, 1);
        assert.equal(checkpoint.watermark, spool.endOffset, "every frame is accounted for");
        await spool.close();
    });

    it("redoes a crashed batch holding a poison row, and one whose frames were partly lost to corruption", async function () {
        const spool = await Spool.open(path.join(dir, "spool"), { log: () => undefined });
        const good = records(GOOD, 20);
        const poison = records(POISON, 1);
        const entries = await spool.append([...poison.payloads, ...good.payloads]);
        // The checkpoint as a SIGKILL during the first attempt leaves it: the batch is in flight,
        // and one of its frames (index 5) is no longer in the spool.
        const lost = entries[5];
        const frames = entries.map((e): [number, number] => [e.offset, e.end]);
        fs.writeFileSync(path.join(dir, "checkpoint.json"), JSON.stringify({
            spoolEpoch: spool.epoch, watermark: 0, delivered: [], inFlight: { batchId: String(entries[0].offset).padStart(16, "0"), startedAt: Date.now(), frames },
        }));
        const checkpoint = DeliveryCheckpoint.load(path.join(dir, "checkpoint.json"), spool.epoch);
        const stage = stageOf(dir, spool, writer, checkpoint);
        const present = entries.filter((e) => e !== lost);
        await within(20_000, stage.redo(checkpoint.inFlight!, present), "the redo");
        const lake = await lakeIds(dir);
        const expected = good.ids.filter((_, i) => i !== 4);
        assert.deepEqual({ missing: expected.filter((id) => lake.get(id) !== 1).length, rows: lake.size }, { missing: 0, rows: expected.length });
        assert.equal(checkpoint.inFlight, null);
        await spool.close();
    });

    it("clamps a watermark past the spool's end: later records are delivered, none overwrites a lake file, nothing piles up", async function () {
        const spoolDir = path.join(dir, "spool");
        let spool = await Spool.open(spoolDir, { log: () => undefined });
        let checkpoint = DeliveryCheckpoint.load(path.join(dir, "checkpoint.json"), spool.epoch);
        let stage = stageOf(dir, spool, writer, checkpoint);
        const first = records(GOOD, 40);
        stage.accept(await spool.append(first.payloads.slice(0, 20)));
        await stage.flush();
        stage.accept(await spool.append(first.payloads.slice(20)));
        await stage.flush();
        assert.equal(checkpoint.watermark, spool.endOffset);
        await spool.close();
        // Corruption cuts the spool: the last segment loses its second half (the open cuts the torn frame).
        const segment = path.join(spoolDir, fs.readdirSync(spoolDir).filter((f) => f.startsWith("segment-")).sort().pop()!);
        fs.truncateSync(segment, Math.floor(fs.statSync(segment).size / 2));

        const logs: string[] = [];
        spool = await Spool.open(spoolDir, { log: (m) => logs.push(m) });
        checkpoint = DeliveryCheckpoint.load(path.join(dir, "checkpoint.json"), spool.epoch);
        const recovery = await recoverSpool(spool, checkpoint, (m) => logs.push(m));
        assert.deepEqual({ redo: recovery.redo, replay: recovery.replay.length }, { redo: undefined, replay: 0 });
        assert.ok(logs.some((m) => /WARNING .*spool ends at/.test(m)), logs.join("\n"));
        stage = stageOf(dir, spool, writer, checkpoint);
        const later = records(GOOD, 30);
        for (let i = 0; i < 3; i++) {
            stage.accept(await spool.append(later.payloads.slice(i * 10, i * 10 + 10)));
            await stage.flush();
        }
        const lake = await lakeIds(dir);
        const expected = [...first.ids, ...later.ids];
        assert.deepEqual({ missing: expected.filter((id) => lake.get(id) !== 1).length, rows: lake.size }, { missing: 0, rows: expected.length });
        assert.equal(checkpoint.watermark, spool.endOffset);
        const state = JSON.parse(fs.readFileSync(path.join(dir, "checkpoint.json"), "utf8"));
        assert.deepEqual(state.delivered, [], "no delivered frame piles up above the watermark");
        await spool.close();
    });

    it("never counts a frame as delivered that the spool does not hold once reopened", async function () {
        const spool = await Spool.open(path.join(dir, "spool"), { log: () => undefined });
        const entries: SpoolEntry[] = await spool.append(records(GOOD, 5).payloads);
        fs.writeFileSync(path.join(dir, "checkpoint.json"), JSON.stringify({
            spoolEpoch: spool.epoch, watermark: 0, delivered: [[entries[1].offset, entries[1].end], [entries[3].offset, entries[3].end], [10_000_000, 10_000_100]], inFlight: null,
        }));
        const checkpoint = DeliveryCheckpoint.load(path.join(dir, "checkpoint.json"), spool.epoch);
        const recovery = await recoverSpool(spool, checkpoint, () => undefined);
        assert.deepEqual(recovery.replay.map((e) => e.offset), [entries[0].offset, entries[2].offset, entries[4].offset]);
        assert.ok(spool.endOffset >= 10_000_100, "new frames start past every offset the checkpoint knows");
        await spool.close();
    });
});
