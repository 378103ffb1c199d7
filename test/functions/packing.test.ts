import { strict as assert } from "node:assert";
import fc from "fast-check";
import { chunkRecords, packLines, type PendingLine, recordCost } from "../../functions/core/packing";

describe("packLines and chunkRecords", () => {
    const limits = { maxRecordsPerCall: 7, maxBytesPerCall: 3000, maxRecordBytes: 600, packsEvents: true };
    const lineArb = fc.record({ day: fc.integer({ min: 0, max: 3 }), size: fc.integer({ min: 1, max: 700 }) });

    it("never exceeds the record or call limits, never mixes days, and places every line exactly once", () => {
        fc.assert(
            fc.property(fc.array(lineArb, { maxLength: 80 }), fc.boolean(), (specs, packs) => {
                const sink = { ...limits, packsEvents: packs };
                const lines: PendingLine[] = specs.map((s, index) => ({ index, day: s.day, partitionKey: `pk${index}`, line: `${s.day}|${"a".repeat(s.size)}` }));
                const { records, tooLarge } = packLines(lines, sink);
                const placed = [...records.flatMap((r) => r.eventIndexes), ...tooLarge.map((t) => t.index)].sort((a, b) => a - b);
                assert.deepEqual(placed, lines.map((l) => l.index));
                for (const { record, eventIndexes } of records) {
                    assert.ok(recordCost(record) <= sink.maxRecordBytes);
                    assert.equal(new Set(eventIndexes.map((i) => lines[i]!.day)).size, 1);
                    assert.equal(record.data.toString(), eventIndexes.map((i) => lines[i]!.line + "\n").join(""));
                    if (!packs) assert.equal(eventIndexes.length, 1);
                }
                for (const { index } of tooLarge) assert.ok(Buffer.byteLength(lines[index]!.line) + 1 + `pk${index}`.length > sink.maxRecordBytes);
                const calls = chunkRecords(records, sink);
                assert.equal(calls.flat().length, records.length);
                for (const call of calls) {
                    assert.ok(call.length <= sink.maxRecordsPerCall);
                    assert.ok(call.reduce((n, r) => n + recordCost(r.record), 0) <= sink.maxBytesPerCall);
                }
            }),
        );
    });

    it("packs small events of one day into as few records as the limit allows", () => {
        const lines: PendingLine[] = Array.from({ length: 100 }, (_, index) => ({ index, day: 1, partitionKey: "k", line: "x".repeat(98) }));
        const { records } = packLines(lines, { ...limits, maxRecordBytes: 1001 });
        assert.deepEqual(records.map((r) => r.eventIndexes.length), [10, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    });
});
