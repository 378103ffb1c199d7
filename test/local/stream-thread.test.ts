import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import type { EventSink, SinkRecord, SinkRecordResult } from "../../functions/core/ports";
import type { ShardBatch, StreamRecord } from "../../local/stream-batches";
import { SpoolingKinesisSink } from "../../local/local-sinks";
import { Spool } from "../../local/spool";
import { packBytes, unpackBytes } from "../../local/stream-messages";
import { StreamThread } from "../../local/stream-thread";
import { tempDir } from "./helpers";

const until = async (condition: () => boolean, timeoutMs = 10_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error("timed out");
        await new Promise((r) => setTimeout(r, 10));
    }
};

describe("stream thread (embedded Kinesis on a worker thread)", function () {
    this.timeout(60_000);

    it("packs records' bytes into one buffer of their own and back, byte for byte", function () {
        const pool = Buffer.from("0123456789abcdef");
        const parts = [pool.subarray(2, 5), Buffer.alloc(0), crypto.randomBytes(70_000), pool.subarray(10)];
        const packed = packBytes(parts);
        assert.notEqual(packed.bytes, pool.buffer);
        assert.equal(packed.bytes.byteLength, 3 + 0 + 70_000 + 6);
        assert.deepEqual(unpackBytes(packed).map((b) => b.toString("hex")), parts.map((b) => b.toString("hex")));
    });

    it("reads back every record put through its sink, once, in put order per shard, consumer before observers", async function () {
        const thread = await StreamThread.start({ streamName: "thread-test", shardCount: 2 }, () => undefined);
        try {
            assert.equal(thread.sink.maxRecordsPerCall, 500);
            const consumed: StreamRecord[] = [];
            const observed: ShardBatch[] = [];
            let observedBeforeConsumed = 0;
            thread.reader.observe((batch) => {
                observed.push(batch);
                observedBeforeConsumed += batch.records.filter((r) => !consumed.includes(r)).length;
            });
            await thread.reader.start((records) => {
                consumed.push(...records);
            }, 20);
            const records: SinkRecord[] = Array.from({ length: 60 }, (_, i) => ({ partitionKey: String(i * 1000), data: crypto.randomBytes(1 + ((i * 7919) % 20_000)) }));
            for (let i = 0; i < records.length; i += 25) {
                const results = await thread.sink.putRecords(records.slice(i, i + 25));
                assert.deepEqual(results, records.slice(i, i + 25).map(() => ({ ok: true })));
            }
            await until(() => thread.reader.recordsRead >= records.length);
            await thread.reader.stop();
            assert.equal(consumed.length, records.length);
            const byKey = new Map(consumed.map((r) => [r.partitionKey, r]));
            for (const r of records) assert.ok(byKey.get(r.partitionKey)?.data.equals(r.data), r.partitionKey);
            for (const batch of observed) {
                const keys = batch.records.map((r) => Number(r.partitionKey));
                assert.deepEqual(keys, [...keys].sort((a, b) => a - b), "records of a shard come in put order");
            }
            assert.equal(observed.reduce((n, b) => n + b.records.length, 0), records.length);
            assert.equal(observedBeforeConsumed, 0);
        } finally {
            await thread.close();
        }
    });

    it("reads no further while the consumer has not taken a batch", async function () {
        const thread = await StreamThread.start({ streamName: "slow-consumer", shardCount: 1 }, () => undefined);
        try {
            let release!: () => void;
            const held = new Promise<void>((r) => (release = r));
            const calls: number[] = [];
            await thread.reader.start(async (records) => {
                calls.push(records.length);
                if (calls.length === 1) await held;
            }, 10, 10);
            await thread.sink.putRecords([{ partitionKey: "1", data: Buffer.from("first") }]);
            await until(() => calls.length === 1);
            await thread.sink.putRecords([{ partitionKey: "2", data: Buffer.from("second") }]);
            await new Promise((r) => setTimeout(r, 300));
            assert.deepEqual(calls, [1]);
            release();
            await until(() => calls.length === 2);
            assert.equal(thread.reader.recordsRead, 2);
        } finally {
            await thread.close();
        }
    });

    it("reports the memory of its own isolate and writes a heap snapshot of it (kinesalite lives there)", async function () {
        const thread = await StreamThread.start({ streamName: "thread-memory", shardCount: 1 }, () => undefined);
        const dir = tempDir("stream-thread-snapshot");
        try {
            await thread.sink.putRecords(Array.from({ length: 200 }, (_, i) => ({ partitionKey: String(i), data: Buffer.alloc(1000, 97) })));
            const memory = await thread.memory(true);
            assert.ok(memory.heapUsed > 0 && memory.heapUsed <= memory.heapTotal, JSON.stringify(memory));
            assert.ok(memory.external >= memory.arrayBuffers && memory.arrayBuffers >= 0, JSON.stringify(memory));
            const file = `${dir}/stream.heapsnapshot`;
            await thread.writeHeapSnapshot(file);
            const snapshot = JSON.parse(fs.readFileSync(file, "utf8")) as { snapshot: { node_count: number }; strings: string[] };
            assert.ok(snapshot.snapshot.node_count > 1000);
            assert.ok(snapshot.strings.some((s) => s.includes("kinesalite")), "the snapshot is the stream thread's, where kinesalite runs");
        } finally {
            await thread.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("answers puts with kinesalite's verdicts, and refuses puts once closed", async function () {
        const thread = await StreamThread.start({ streamName: "verdicts", shardCount: 1 }, () => undefined);
        await assert.rejects(thread.sink.putRecords([{ partitionKey: "k", data: Buffer.alloc(1024 * 1024 + 1) }]), /ValidationException|1048576|length/i);
        await thread.close();
        await assert.rejects(thread.sink.putRecords([{ partitionKey: "k", data: Buffer.from("x") }]), /stream thread/);
    });
});

/** A stream whose puts wait until released; counts what it was given. */
class GatedStream implements EventSink {
    readonly maxRecordsPerCall = 500;
    readonly maxBytesPerCall = 5 * 1024 * 1024;
    readonly maxRecordBytes = 1024 * 1024;
    readonly packsEvents = true;
    received: SinkRecord[] = [];
    private gate: Promise<void>;
    private open!: () => void;

    constructor() {
        this.gate = new Promise((r) => (this.open = r));
    }

    release(): void {
        this.open();
    }

    async putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]> {
        await this.gate;
        this.received.push(...records);
        return records.map(() => ({ ok: true }));
    }
}

describe("spooling Kinesis sink: answering ahead of the stream put", function () {
    let dir: string;
    let spool: Spool;
    beforeEach(async function () {
        dir = tempDir("spooling-sink");
        spool = await Spool.open(dir);
    });
    afterEach(async function () {
        await spool.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const record = (n: number): SinkRecord => ({ partitionKey: `k${n}`, data: Buffer.alloc(1000, 48 + (n % 10)) });
    const settled = async (p: Promise<unknown>, ms = 200): Promise<boolean> =>
        Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

    it("by default answers only after the put", async function () {
        const stream = new GatedStream();
        const sink = new SpoolingKinesisSink(spool, stream, () => undefined);
        const answer = sink.putRecords([record(1)]);
        assert.equal(await settled(answer), false);
        assert.equal(sink.idle, false);
        stream.release();
        assert.deepEqual(await answer, [{ ok: true }]);
        assert.equal(sink.forwarded, 1);
    });

    it("answers once spooled while the stream is less than answerAheadBytes behind; the put follows", async function () {
        const stream = new GatedStream();
        const sink = new SpoolingKinesisSink(spool, stream, () => undefined, { answerAheadBytes: 2500 });
        assert.deepEqual(await sink.putRecords([record(1)]), [{ ok: true }]);
        assert.deepEqual(await sink.putRecords([record(2)]), [{ ok: true }]);
        assert.equal(stream.received.length, 0);
        assert.equal(sink.idle, false, "the puts are still owed");
        // The spool has them before any put: what a restart would replay.
        assert.equal([...spool.readFrom(0)].length, 2);
        // A third record would put the stream 3000 bytes behind: this answer waits for its put.
        const third = sink.putRecords([record(3)]);
        assert.equal(await settled(third), false);
        stream.release();
        assert.deepEqual(await third, [{ ok: true }]);
        await until(() => sink.idle);
        assert.equal(sink.forwarded, 3);
        assert.deepEqual(stream.received.map((r) => r.data[0]), [49, 50, 51]);
    });
});
