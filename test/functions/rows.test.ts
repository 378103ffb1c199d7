/**
 * The row core (functions/core/rows.ts) apart from Firehose's protocol: ingest record text in,
 * stored row text, row count and partition values out. The Firehose transform is a thin adapter
 * over it: for the same records, its Ok data decodes to exactly the core's text, its partition
 * keys are the core's partition values, and a record the core cannot read is its ProcessingFailed.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { transformRecords } from "../../functions/aws/firehose-transform";
import type { Application } from "../../functions/core/ports";
import { newRowStats, RowBatch, type RowDeps } from "../../functions/core/rows";
import { ManualClock, sampleEvent } from "./support/fixtures";

const APP = "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968";
const application: Application = { ApplicationId: APP, ApplicationName: "Space Game", Description: "", CreatedAt: "x", UpdatedAt: "x" };

function deps(stats = newRowStats()): RowDeps {
    let n = 0;
    return { lookupApplication: async (id) => (id === APP ? application : undefined), clock: new ManualClock(1_767_700_000_000), newId: () => `id-${n++}`, stats };
}

function line(event: unknown, applicationId = APP): string {
    return JSON.stringify({ application_id: applicationId, event, request_id: "req-1", request_time_epoch: 1_767_614_400_123 });
}

describe("row core: ingest record -> stored rows", () => {
    it("gives the rows' text, their count and the first event's day, without any protocol", async () => {
        const stats = newRowStats();
        const batch = new RowBatch(deps(stats));
        const event = { ...sampleEvent(), event_timestamp: 1_767_614_400 };
        const result = await batch.rowsOf(`${line(event)}\n\n${line({ event_name: "no id" })}\n`, 1_767_700_000_000);
        assert.ok(result.readable);
        const rows = result.text.split("\n");
        assert.equal(rows.pop(), "", "every row ends with a newline");
        assert.deepEqual(
            { rows: result.rows, statuses: rows.map((r) => JSON.parse(JSON.parse(r).metadata).processing_status), partition: result.partition, stats },
            { rows: 2, statuses: ["ok", "schema_mismatch"], partition: { year: "2026", month: "01", day: "05" }, stats: { records: 1, processingFailed: 0, rows: 2, ok: 1, schemaMismatch: 1, unregistered: 0 } },
        );
    });

    it("answers readable: false for a record with an unreadable line or no line, and counts it", async () => {
        const stats = newRowStats();
        const batch = new RowBatch(deps(stats));
        assert.deepEqual(await batch.rowsOf(`${line(sampleEvent())}\n{not json`), { readable: false });
        assert.deepEqual(await batch.rowsOf(" \n"), { readable: false });
        assert.deepEqual(stats, { records: 2, processingFailed: 2, rows: 0, ok: 0, schemaMismatch: 0, unregistered: 0 });
    });

    it("is what the Firehose transform returns, base64 and record ids aside", async () => {
        const anyLine = fc.oneof(
            fc.constant(line(sampleEvent())),
            fc.constant(line(sampleEvent(), "5d7a2c1e-1111-4c6f-9f0e-1d2c3b4a5968")),
            fc.record({ event_id: fc.string(), event_timestamp: fc.oneof(fc.double(), fc.integer()), extra: fc.string() }).map((e) => line(e)),
            fc.constant("{not json"),
            fc.constant(""),
        );
        await fc.assert(fc.asyncProperty(fc.array(fc.array(anyLine, { maxLength: 4 }), { minLength: 1, maxLength: 6 }), async (records) => {
            const texts = records.map((lines) => lines.join("\n"));
            const core = new RowBatch(deps());
            const direct = [];
            for (const text of texts) direct.push(await core.rowsOf(text, 1_767_000_000_000));
            const viaFirehose = await transformRecords(texts.map((text, i) => ({ recordId: `r${i}`, data: Buffer.from(text).toString("base64"), approximateArrivalTimestamp: 1_767_000_000_000 })), deps());
            assert.deepEqual(viaFirehose.map((o) => o.recordId), texts.map((_, i) => `r${i}`));
            assert.deepEqual(
                viaFirehose.map((o) => (o.result === "Ok" ? { readable: true, text: Buffer.from(o.data, "base64").toString(), partition: o.metadata!.partitionKeys } : { readable: false, result: o.result })),
                direct.map((d) => (d.readable ? { readable: true, text: d.text, partition: d.partition } : { readable: false, result: "ProcessingFailed" })),
            );
        }), { numRuns: 100 });
    });
});
