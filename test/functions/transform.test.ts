import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { Application, ApplicationRegistry } from "../../functions/core/ports";
import { type FirehoseTransformInput, newTransformStats, type TransformDeps, transformRecords } from "../../functions/aws/firehose-transform";
import { cachedApplicationLookup } from "../../functions/core/rows";
import { EVENT_COLUMNS, PLAYER_ID_MAX_LENGTH, SOURCE_EVENT_ID_MAX_LENGTH } from "../../functions/core/contracts";
import { MAX_PLAYER_ID_LENGTH } from "../../functions/core/player-auth/jwt-verifier";
import { MAX_SOURCE_EVENT_ID_LENGTH, mapPutRecord, parsePutRecordBody, putRecordIngestRecord, stableEventId } from "../../functions/core/player-auth/put-record";
import { ManualClock, sampleEvent } from "./support/fixtures";

const APP = "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968";
const UNKNOWN_APP = "5d7a2c1e-1111-4c6f-9f0e-1d2c3b4a5968";
const application: Application = { ApplicationId: APP, ApplicationName: "Space Game", Description: "", CreatedAt: "x", UpdatedAt: "x" };

function deps(overrides: Partial<TransformDeps> = {}): TransformDeps {
    let n = 0;
    return {
        lookupApplication: async (id) => (id === APP ? application : undefined),
        clock: new ManualClock(1_767_700_000_000),
        newId: () => `ingestion-${n++}`,
        ...overrides,
    };
}

function ingestLine(event: unknown, applicationId = APP): string {
    return JSON.stringify({ application_id: applicationId, event, request_id: "req-9", request_time_epoch: 1_767_614_400_123 });
}

function input(recordId: string, ...lines: string[]): FirehoseTransformInput {
    return { recordId, data: Buffer.from(lines.map((l) => l + "\n").join("")).toString("base64"), approximateArrivalTimestamp: 1_767_700_000_000 };
}

function rowsOf(data: string): Array<Record<string, unknown>> {
    return Buffer.from(data, "base64").toString().split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

describe("transformRecords", () => {
    it("turns a packed record into one row per event with metadata and the day's partition keys", async () => {
        const events = [sampleEvent(1_767_571_200 + 5), sampleEvent(1_767_571_200 + 6)];
        const [out] = await transformRecords([input("r1", ...events.map((e) => ingestLine(e)))], deps());
        assert.equal(out!.result, "Ok");
        assert.deepEqual(out!.metadata, { partitionKeys: { year: "2026", month: "01", day: "05" } });
        const rows = rowsOf(out!.data);
        assert.deepEqual(rows[1], {
            event_id: events[1]!.event_id,
            event_type: "login",
            event_name: "login",
            event_version: "1.0.0",
            event_timestamp: 1_767_571_206,
            app_version: "1.2.0",
            application_id: APP,
            application_name: "Space Game",
            event_data: JSON.stringify(events[1]!.event_data),
            metadata: JSON.stringify({
                ingestion_id: "ingestion-1",
                processing_timestamp: 1_767_700_000_000,
                processing_status: "ok",
                api: { request_id: "req-9", request_time_epoch: 1_767_614_400_123 },
            }),
            player_id: null,
            source_event_id: null,
        });
        assert.deepEqual(Object.keys(rows[1]!), EVENT_COLUMNS.map((c) => c.name), "columns in EVENT_COLUMNS order, the ids last");
    });

    it("stores the JWT's player id and the client's own event id of a player's record, null for API-key records", async () => {
        const event = sampleEvent(1_767_571_200 + 5);
        const player = JSON.stringify({ ...JSON.parse(ingestLine(event)), player_id: 'player "7" \u00e9\u{1F680}', source_event_id: "00006" });
        const apiKey = JSON.stringify({ ...JSON.parse(ingestLine(event)), player_id: null });
        const stats = newTransformStats();
        const [out] = await transformRecords([input("r1", player, apiKey, ingestLine(event))], deps({ stats }));
        const rows = rowsOf(out!.data);
        assert.deepEqual(rows.map((r) => [r.player_id, r.source_event_id]), [['player "7" \u00e9\u{1F680}', "00006"], [null, null], [null, null]]);
        assert.deepEqual(rows.map((r) => JSON.parse(r.metadata as string).processing_status), ["ok", "ok", "ok"]);
        assert.equal(stats.ok, 3);
    });

    it("stores put-record's record as the seeds' client sent it: the player, the stable UUID and the original event_id", async () => {
        const parsed = parsePutRecordBody(JSON.stringify({ event_id: "00006", event_type: "Login", updated_at: "2026-01-05 00:00:05", event_data: "lvl 3" }));
        assert.ok(parsed.ok);
        const caller = { applicationId: APP, playerId: "player-1" };
        const record = putRecordIngestRecord(mapPutRecord(parsed.body, caller), caller, { requestId: "req-1", requestTimeEpoch: 1_767_571_205_000 });
        const [out] = await transformRecords([input("r1", JSON.stringify(record))], deps());
        const [row] = rowsOf(out!.data);
        assert.deepEqual(
            [row!.event_id, row!.player_id, row!.source_event_id, row!.event_timestamp, JSON.parse(row!.metadata as string).processing_status],
            [stableEventId(APP, "player-1", "00006"), "player-1", "00006", 1_767_571_205, "ok"],
        );
    });

    it("keeps put-record's original event_type in metadata.source_event_type, for valid and invalid rows", async () => {
        const parsed = parsePutRecordBody(JSON.stringify({ event_id: "00007", event_type: "New Game \"+\"", updated_at: "2026-01-05 00:00:05" }));
        assert.ok(parsed.ok);
        const caller = { applicationId: APP, playerId: "player-1" };
        const record = putRecordIngestRecord(mapPutRecord(parsed.body, caller), caller, { requestId: "req-1", requestTimeEpoch: 1_767_571_205_000 });
        const invalid = { ...record, player_id: "" };
        const [out] = await transformRecords([input("r1", JSON.stringify(record), JSON.stringify(invalid))], deps());
        const rows = rowsOf(out!.data);
        assert.deepEqual(rows.map((r) => [r.event_type, JSON.parse(r.metadata as string).source_event_type, JSON.parse(r.metadata as string).processing_status]), [
            ["New_Game____", 'New Game "+"', "ok"],
            ["New_Game____", 'New Game "+"', "schema_mismatch"],
        ]);
    });

    it("bounds the ids as the JWT verifier and put-record do", () => {
        assert.equal(PLAYER_ID_MAX_LENGTH, MAX_PLAYER_ID_LENGTH);
        assert.equal(SOURCE_EVENT_ID_MAX_LENGTH, MAX_SOURCE_EVENT_ID_LENGTH);
    });

    it("keeps a record with a bad player or source event id as schema_mismatch, naming the field and the rule", async () => {
        const event = sampleEvent(1_767_571_200 + 5);
        const withIds = (ids: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(ingestLine(event)), ...ids });
        const stats = newTransformStats();
        const [out] = await transformRecords([input("r1",
            withIds({ player_id: "p".repeat(257) }),
            withIds({ player_id: 42, source_event_id: "" }),
            withIds({ player_id: "p\n1", source_event_id: "s".repeat(129) }),
            withIds({ player_id: "p".repeat(256), source_event_id: "s".repeat(128) }),
        )], deps({ stats }));
        const rows = rowsOf(out!.data);
        const player = "player_id: must be a string of 1-256 characters without control characters, or null";
        const source = "source_event_id: must be a string of 1-128 characters without control characters, or null";
        assert.deepEqual(rows.map((r) => JSON.parse(r.metadata as string).validation_errors ?? []), [[player], [player, source], [player, source], []]);
        assert.deepEqual(rows.map((r) => JSON.parse(r.metadata as string).processing_status), ["schema_mismatch", "schema_mismatch", "schema_mismatch", "ok"]);
        assert.deepEqual(rows.map((r) => r.event_id), rows.map(() => event.event_id), "the event is kept");
        assert.equal(rows[1]!.player_id, "42", "a wrongly typed value is kept as its JSON text");
        assert.equal(rows[2]!.player_id, "p\n1");
        assert.deepEqual(stats, { records: 1, processingFailed: 0, rows: 4, ok: 1, schemaMismatch: 3, unregistered: 0 });
    });

    it("keeps invalid events of a registered app as schema_mismatch with their errors and extra fields", async () => {
        const event = { ...sampleEvent(), event_id: 42, surprise: "kept" };
        const [out] = await transformRecords([input("r1", ingestLine(event))], deps());
        const row = rowsOf(out!.data)[0]!;
        const metadata = JSON.parse(row.metadata as string);
        assert.equal(metadata.processing_status, "schema_mismatch");
        assert.deepEqual([...metadata.validation_errors].sort(), ["event_id: must be a string", "surprise: not allowed (additional property)"]);
        assert.deepEqual(metadata.additional_properties, { surprise: "kept" });
        assert.equal(row.event_id, "42", "a wrongly typed value is kept as its JSON text");
    });

    it("partitions a record by arrival time when its first timestamp is out of range, keeping the value", async () => {
        const event = sampleEvent(1_767_571_200_000); // milliseconds sent as seconds
        const [out] = await transformRecords([input("r1", ingestLine(event))], deps());
        assert.deepEqual(out!.metadata, { partitionKeys: { year: "2026", month: "01", day: "06" } }, "from approximateArrivalTimestamp");
        assert.equal(rowsOf(out!.data)[0]!.event_timestamp, 1_767_571_200_000);
    });

    it("keeps events of an unregistered application as unregistered, without a name", async () => {
        const stats = newTransformStats();
        const [out] = await transformRecords([input("r1", ingestLine(sampleEvent(), UNKNOWN_APP))], deps({ stats }));
        const row = rowsOf(out!.data)[0]!;
        assert.equal(JSON.parse(row.metadata as string).processing_status, "unregistered");
        assert.equal(row.application_name, null);
        assert.deepEqual(stats, { records: 1, processingFailed: 0, rows: 1, ok: 0, schemaMismatch: 0, unregistered: 1 });
    });

    it("returns an unreadable record unchanged as ProcessingFailed, and others Ok, in order", async () => {
        const garbage = { recordId: "bad", data: Buffer.from("not json\n").toString("base64") };
        const noEvent = input("no-event", JSON.stringify({ application_id: APP }));
        const good = input("good", ingestLine(sampleEvent()));
        const out = await transformRecords([garbage, good, noEvent], deps());
        assert.deepEqual(out.map((o) => [o.recordId, o.result]), [["bad", "ProcessingFailed"], ["good", "Ok"], ["no-event", "ProcessingFailed"]]);
        assert.equal(out[0]!.data, garbage.data);
    });

    it("fails a whole packed record whose last line is unreadable, keeping its data and counting none of its rows", async () => {
        const packed = input("packed", ingestLine(sampleEvent()), ingestLine(sampleEvent()), "{\"application_id\":");
        const good = input("good", ingestLine(sampleEvent()), ingestLine(sampleEvent()));
        const stats = newTransformStats();
        const out = await transformRecords([packed, good], deps({ stats }));
        assert.deepEqual(
            { results: out.map((o) => o.result), packedData: out[0]!.data === packed.data, stats },
            { results: ["ProcessingFailed", "Ok"], packedData: true, stats: { records: 2, processingFailed: 1, rows: 2, ok: 2, schemaMismatch: 0, unregistered: 0 } },
        );
    });

    it("returns exactly one result per input recordId, in order, for arbitrary bytes", async () => {
        const line = fc.oneof(
            fc.constant(ingestLine(sampleEvent())),
            fc.constant(ingestLine({ event_id: "x" }, UNKNOWN_APP)),
            fc.string(),
            fc.json(),
        );
        const record = fc.oneof(
            fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString("base64")),
            fc.array(line, { maxLength: 5 }).map((lines) => Buffer.from(lines.join("\n")).toString("base64")),
            fc.string(),
        );
        await fc.assert(
            fc.asyncProperty(fc.array(record, { maxLength: 30 }), async (datas) => {
                const inputs = datas.map((data, i) => ({ recordId: `id-${i}`, data }));
                const out = await transformRecords(inputs, deps());
                assert.deepEqual(out.map((o) => o.recordId), inputs.map((r) => r.recordId));
                for (const [i, o] of out.entries()) {
                    if (o.result === "ProcessingFailed") assert.equal(o.data, inputs[i]!.data);
                    else assert.equal(o.result, "Ok");
                }
            }),
        );
    });
});

describe("cachedApplicationLookup", () => {
    it("asks the registry once per TTL, caching not-found too, and shares concurrent lookups", async () => {
        const asked: string[] = [];
        const registry = {
            getApplication: async (id: string) => {
                asked.push(id);
                return id === APP ? application : undefined;
            },
        } as ApplicationRegistry;
        const clock = new ManualClock(0);
        const lookup = cachedApplicationLookup(registry, 60_000, clock);
        await Promise.all([lookup(APP), lookup(APP), lookup(UNKNOWN_APP)]);
        assert.equal(await lookup(UNKNOWN_APP), undefined);
        clock.advance(60_000);
        assert.equal(await lookup(APP), application);
        assert.deepEqual(asked, [APP, UNKNOWN_APP, APP]);
    });
});
