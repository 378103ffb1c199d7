/**
 * The shared batch-put sink (functions/aws/adapters/packing-sink.ts): it declares the limits it is
 * given, keeps the packing choice apart from them, hands each batch to the put call once and maps
 * the answer per record (a missing entry is a failed record, never a silent success).
 */
import { strict as assert } from "node:assert";
import { FIREHOSE_SINK_LIMITS, FirehoseEventSink } from "../../functions/aws/adapters/firehose-sink";
import { KINESIS_SINK_LIMITS, KinesisEventSink } from "../../functions/aws/adapters/kinesis-sink";
import { PackingEventSink } from "../../functions/aws/adapters/packing-sink";
import type { SinkRecord } from "../../functions/core/ports";

const record = (data: string): SinkRecord => ({ data: Buffer.from(data), partitionKey: data });
const limits = { packsEvents: true, maxRecordBytes: 10, maxRecordsPerCall: 2, maxBytesPerCall: 20 };

describe("PackingEventSink", () => {
    it("declares the limits it is given and the packing choice passed beside them", () => {
        const sink = new PackingEventSink(limits, false, async () => []);
        assert.deepEqual(
            { maxRecordBytes: sink.maxRecordBytes, maxRecordsPerCall: sink.maxRecordsPerCall, maxBytesPerCall: sink.maxBytesPerCall, packsEvents: sink.packsEvents },
            { ...limits, packsEvents: false },
        );
    });

    it("puts a batch in one call and maps the answer per record, a missing entry as a failure", async () => {
        const calls: string[][] = [];
        const sink = new PackingEventSink(limits, true, async (records) => {
            calls.push(records.map((r) => r.data.toString()));
            return [{}, { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "slow down" }];
        });
        const results = await sink.putRecords([record("a"), record("b"), record("c")]);
        assert.deepEqual(calls, [["a", "b", "c"]]);
        assert.deepEqual(results, [
            { ok: true },
            { ok: false, errorCode: "ProvisionedThroughputExceededException", errorMessage: "slow down" },
            { ok: false, errorMessage: "no response for this record" },
        ]);
        assert.deepEqual(await new PackingEventSink(limits, true, async () => undefined).putRecords([record("a")]), [{ ok: false, errorMessage: "no response for this record" }]);
    });

    it("is what the Firehose and Kinesis sinks declare, with their limits and packing by default", () => {
        const firehose = new FirehoseEventSink({} as never, "d");
        const kinesis = new KinesisEventSink({} as never, "s", false);
        const declared = (s: PackingEventSink) => ({ packsEvents: s.packsEvents, maxRecordBytes: s.maxRecordBytes, maxRecordsPerCall: s.maxRecordsPerCall, maxBytesPerCall: s.maxBytesPerCall });
        assert.ok(firehose instanceof PackingEventSink && kinesis instanceof PackingEventSink);
        assert.deepEqual(declared(firehose), FIREHOSE_SINK_LIMITS);
        assert.deepEqual(declared(kinesis), { ...KINESIS_SINK_LIMITS, packsEvents: false });
    });
});
