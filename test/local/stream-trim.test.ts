import { strict as assert } from "node:assert";
import { PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { startEmbeddedKinesis, StreamReader, type EmbeddedKinesis } from "../../local/embedded-kinesis";
import type { StreamRecord } from "../../local/stream-batches";
import { StreamThread } from "../../local/stream-thread";

const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
        if (Date.now() > deadline) throw new Error("timed out");
        await new Promise((r) => setTimeout(r, 20));
    }
};

const HOUR = 3_600_000;

describe("embedded Kinesis: the stream keeps only what is not yet taken, never past its retention", function () {
    this.timeout(60_000);

    it("holds no record once the consumer took them all (counted in kinesalite's store), and keeps a batch not yet taken", async function () {
        const thread = await StreamThread.start({ streamName: "trim-delivered", shardCount: 1 }, () => undefined);
        let release!: () => void;
        const held = new Promise<void>((r) => (release = r));
        try {
            const taken: StreamRecord[] = [];
            let batches = 0;
            await thread.reader.start(async (records) => {
                batches++;
                if (batches === 1) await held;
                taken.push(...records);
            }, 10, 10);
            await thread.sink.putRecords([{ partitionKey: "0", data: Buffer.from("first") }]);
            await until(() => batches === 1);
            const total = 5_001;
            for (let i = 1; i < total; i += 500) {
                const n = Math.min(500, total - i);
                await thread.sink.putRecords(Array.from({ length: n }, (_, j) => ({ partitionKey: String(i + j), data: Buffer.alloc(200, 97 + ((i + j) % 26)) })));
            }
            // The first batch is not taken yet: nothing of it, nor what came after, is dropped.
            assert.equal(await thread.storedRecords(), total);
            release();
            await until(() => thread.reader.recordsRead >= total);
            await until(async () => (await thread.storedRecords()) === 0, 10_000).catch(() => undefined);
            assert.equal(await thread.storedRecords(), 0, "records kept in the stream after every one was taken");
            assert.equal(taken.length, total);
            assert.equal(new Set(taken.map((r) => r.partitionKey)).size, total, "every record once");
        } finally {
            release();
            await thread.close();
        }
    });

    describe("in process", function () {
        let kinesis: EmbeddedKinesis;
        afterEach(async function () {
            await kinesis?.close();
        });

        const put = async (keys: number[]): Promise<{ shardId: string; sequenceNumber: string; key: number }[]> => {
            const out = await kinesis.client.send(new PutRecordsCommand({
                StreamName: kinesis.streamName,
                Records: keys.map((k) => ({ PartitionKey: String(k), Data: Buffer.from(`record ${k}`) })),
            }));
            return (out.Records ?? []).map((r, i) => ({ shardId: r.ShardId!, sequenceNumber: r.SequenceNumber!, key: keys[i]! }));
        };

        it("keeps the other shards' records when trimming one, and reads on, in order, past the trimmed ones", async function () {
            kinesis = await startEmbeddedKinesis("trim-order", 2);
            const put1 = await put(Array.from({ length: 40 }, (_, i) => i * 7919));
            const shard0 = put1.filter((r) => r.shardId === "shardId-000000000000");
            assert.ok(shard0.length >= 4 && shard0.length <= 36, "records on both shards");
            const trimmed = shard0.slice(0, Math.floor(shard0.length / 2));
            // Sequence numbers of shard 0 name no record of shard 1.
            await kinesis.trim("shardId-000000000001", trimmed.map((r) => r.sequenceNumber));
            assert.equal(await kinesis.storedRecords(), 40);
            await kinesis.trim("shardId-000000000000", trimmed.map((r) => r.sequenceNumber));
            assert.equal(await kinesis.storedRecords(), 40 - trimmed.length);
            const read = new Map<string, number[]>();
            const reader = new StreamReader(kinesis.client, kinesis.streamName, (records, shardId) => {
                read.set(shardId, [...(read.get(shardId) ?? []), ...records.map((r) => Number(r.partitionKey))]);
            }, 10, () => undefined, 10);
            await reader.start();
            await until(() => reader.recordsRead >= 40 - trimmed.length);
            await reader.stop();
            for (const shardId of ["shardId-000000000000", "shardId-000000000001"]) {
                const expected = put1.filter((r) => r.shardId === shardId && !trimmed.includes(r)).map((r) => r.key);
                assert.deepEqual(read.get(shardId) ?? [], expected, shardId);
            }
            await assert.rejects(kinesis.trim("shard-0", [put1[0]!.sequenceNumber]), /not a shard id/);
        });

        it("drops the records older than the retention, read or not, and only those", async function () {
            kinesis = await startEmbeddedKinesis("trim-expired", 2, { retentionHours: 48 });
            assert.equal(kinesis.retentionHours, 48);
            await put(Array.from({ length: 50 }, (_, i) => i * 7919));
            const now = Date.now();
            assert.equal(await kinesis.trimExpired(now), 0);
            assert.equal(await kinesis.trimExpired(now + 25 * HOUR), 0, "48 h retention: a day-old record stays");
            assert.equal(await kinesis.storedRecords(), 50);
            assert.equal(await kinesis.trimExpired(now + 49 * HOUR), 50);
            assert.equal(await kinesis.storedRecords(), 0);
        });

        it("refuses a retention that is not a whole number of hours", async function () {
            await assert.rejects(startEmbeddedKinesis("bad-retention", 1, { retentionHours: 0.5 }), /retentionHours: a whole number of hours >= 1, got 0.5/);
        });
    });
});
