import { strict as assert } from "node:assert";
import type { Application } from "../../functions/core/ports";
import { type FirehoseTransformInput, inMicroseconds, type TransformDeps, transformRecords } from "../../functions/aws/firehose-transform";
import { toIcebergRow } from "../../functions/aws/iceberg-record";
import type { EventRow } from "../../functions/core/contracts";
import { ManualClock, sampleEvent } from "./support/fixtures";

const APP = "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968";
const application: Application = { ApplicationId: APP, ApplicationName: "Space Game", Description: "", CreatedAt: "x", UpdatedAt: "x" };

function deps(): TransformDeps {
    let n = 0;
    return { lookupApplication: async (id) => (id === APP ? application : undefined), clock: new ManualClock(1_767_700_000_000), newId: () => `ingestion-${n++}` };
}

function input(...events: unknown[]): FirehoseTransformInput {
    const lines = events.map((event) => JSON.stringify({ application_id: APP, event, request_id: "req-9", request_time_epoch: 1_767_614_400_123 }) + "\n");
    return { recordId: "r1", data: Buffer.from(lines.join("")).toString("base64"), approximateArrivalTimestamp: 1_767_700_000_000 };
}

const text = (data: string) => Buffer.from(data, "base64").toString();

describe("transformRecords for the Iceberg destination (microseconds)", () => {
    it("writes event_timestamp in microseconds, each row otherwise the Hive row (toIcebergRow's rule)", async () => {
        const events = [sampleEvent(1_767_571_205), sampleEvent(1_767_571_206)];
        const [hive] = await transformRecords([input(...events)], deps());
        // ICEBERG mode: the ingest puts one event per record, so one row per output record.
        const iceberg = await transformRecords(events.map((e, i) => ({ ...input(e), recordId: `r${i}` })), deps(), "microseconds");
        assert.deepEqual(iceberg.map((o) => o.result), ["Ok", "Ok"]);
        assert.deepEqual(iceberg[0]!.metadata, hive!.metadata);
        const hiveRows = text(hive!.data).split("\n").filter(Boolean).map((l) => JSON.parse(l) as EventRow);
        const icebergRows = iceberg.map((o) => text(o.data).split("\n").filter(Boolean).map((l) => JSON.parse(l)));
        assert.deepEqual(icebergRows.map((r) => r.length), [1, 1]);
        assert.deepEqual(icebergRows.flat(), hiveRows.map(toIcebergRow));
        assert.equal(icebergRows[0]![0].event_timestamp, 1_767_571_205_000_000);
    });

    it("keeps a record of several events under the error prefix (ProcessingFailed, data unchanged): Iceberg reads one row per record", async () => {
        const packed = input(sampleEvent(1_767_571_205), sampleEvent(1_767_571_206));
        const [out] = await transformRecords([packed], deps(), "microseconds");
        assert.equal(out!.result, "ProcessingFailed");
        assert.equal(out!.data, packed.data);
        const [hive] = await transformRecords([packed], deps());
        assert.equal(hive!.result, "Ok", "the Hive path keeps packed records");
    });

    it("keeps the Hive rows byte-identical by default", async () => {
        const [out] = await transformRecords([input(sampleEvent(1_767_571_205))], deps());
        assert.match(text(out!.data), /"event_timestamp":1767571205,/);
    });

    it("keeps a null timestamp null and refuses one out of range", () => {
        assert.equal(inMicroseconds('{"event_timestamp":null}\n'), '{"event_timestamp":null}\n');
        assert.throws(() => inMicroseconds('{"event_timestamp":1e12}'), /event_timestamp: .* out of the range/);
    });
});
