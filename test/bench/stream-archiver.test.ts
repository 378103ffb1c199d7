/**
 * The stream-archiver benchmark's inputs (bench/stream-archiver.ts): records as the REDSHIFT
 * ingest writes them and the batch cut as the event source mapping cuts it. No timing assertions.
 */
import { strict as assert } from "node:assert";
import { ESM_PAYLOAD_LIMIT_BYTES } from "../../cost/lines/archiver";
import { streamBatchOf } from "../../functions/aws/handlers/stream-archiver";
import { runBenchmarks } from "../../bench/run";
import { archiverBatch, EVENT_BYTES, redshiftIngestRecords } from "../../bench/stream-archiver";
import { PROCESSOR_BUFFER_BYTES } from "../../bench/transform";

describe("stream-archiver benchmark inputs (bench/stream-archiver.ts), no timing assertions", function () {
    this.timeout(120_000);

    it("makes one ~1.2 KB record per event, as the REDSHIFT ingest writes them", async () => {
        const records = await redshiftIngestRecords(250);
        assert.equal(records.length, 250);
        for (const r of records) {
            const text = r.data.toString("utf8");
            assert.equal(text.indexOf("\n"), text.length - 1, "one line per record");
            const line = JSON.parse(text) as { event: { event_id: string } };
            assert.equal(r.partitionKey, line.event.event_id);
            assert.ok(Buffer.byteLength(JSON.stringify(line.event)) >= EVENT_BYTES - 8, `event of ${Buffer.byteLength(JSON.stringify(line.event))} B`);
            assert.ok(r.data.length > 1_100 && r.data.length < 1_300, `record of ${r.data.length} B`);
        }
        assert.equal(new Set(records.map((r) => r.partitionKey)).size, 250);
    });

    it("cuts the batch at the 6 MB invocation payload, and hands the transform the same records", async () => {
        const records = await redshiftIngestRecords(3_200);
        const input = archiverBatch(records);
        const n = input.batch.records.length;
        assert.ok(n > 2_500 && n < 3_200, `${n} records`);
        assert.equal(Buffer.byteLength(JSON.stringify(input.event)), input.payloadBytes);
        assert.ok(input.payloadBytes <= ESM_PAYLOAD_LIMIT_BYTES);
        // One more record would not fit.
        const more = archiverBatch(records.slice(0, n + 1), Number.MAX_SAFE_INTEGER);
        assert.ok(Buffer.byteLength(JSON.stringify(more.event)) > ESM_PAYLOAD_LIMIT_BYTES);
        assert.deepEqual(streamBatchOf(input.event), input.batch);
        const flat = input.transformBatches.flat();
        assert.deepEqual(flat.map((r) => Buffer.from(r.data, "base64")), input.batch.records.map((r) => Buffer.from(r.data)));
        for (const b of input.transformBatches) assert.ok(b.reduce((s, r) => s + Buffer.byteLength(r.data, "base64"), 0) <= PROCESSOR_BUFFER_BYTES);
    });

    it("runs tiny and reports both sides, the ratio and the Parquet size", async () => {
        const [r] = await runBenchmarks({ quick: true, tiny: true, only: ["stream-archiver"] });
        const names = r!.figures.map((f) => f.name);
        for (const name of ["transform: µs per event", "archiver (archiveBatch): µs per event", "archiver µs / transform µs", "Parquet bytes per event"]) assert.ok(names.includes(name), name);
        assert.ok(r!.figures.every((f) => Number.isFinite(f.value) && f.value > 0), JSON.stringify(r!.figures));
        assert.equal(r!.targets.length, 1);
    });
});
