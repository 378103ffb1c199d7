import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { KinesisEventSink } from "../../functions/aws/adapters/kinesis-sink";
import { startEmbeddedKinesis, type EmbeddedKinesis } from "../../local/embedded-kinesis";
import { InProcessHttpHandler } from "../../local/in-process-http";

describe("in-process HTTP handler (SDK client -> request listener, no socket)", function () {
    it("hands the listener the method, path with query, lower-cased headers and the whole body, and the SDK its answer", async function () {
        const seen: { method?: string; url?: string; headers?: Record<string, string>; body?: string } = {};
        const listener = (req: IncomingMessage, res: ServerResponse): void => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => {
                Object.assign(seen, { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
                res.statusCode = 201;
                res.setHeader("X-Answer", "yes");
                res.end("é answer");
            });
        };
        const handler = new InProcessHttpHandler(listener);
        const { response } = await handler.handle({
            method: "POST", path: "/p", query: { a: "1 2", b: ["x", "y"], c: null },
            headers: { "Content-Type": "text/plain", "X-Amz-Target": "T.Op" }, body: "héllo",
        });
        assert.deepEqual(seen, {
            method: "POST", url: "/p?a=1%202&b=x&b=y&c",
            headers: { "content-type": "text/plain", "x-amz-target": "T.Op", "content-length": String(Buffer.byteLength("héllo")) },
            body: "héllo",
        });
        assert.equal(response.statusCode, 201);
        assert.equal(response.headers["x-answer"], "yes");
        assert.equal(Buffer.from(response.body).toString("utf8"), "é answer");
    });

    it("rejects when the listener throws, and an already aborted request", async function () {
        const handler = new InProcessHttpHandler(() => {
            throw new Error("listener broke");
        });
        await assert.rejects(handler.handle({ method: "GET", path: "/", headers: {} }), /listener broke/);
        await assert.rejects(new InProcessHttpHandler(() => undefined).handle({ method: "GET", path: "/", headers: {} }, { abortSignal: { aborted: true } }), /aborted/);
    });

    describe("with the embedded kinesalite", function () {
        let kinesis: EmbeddedKinesis;
        before(async function () {
            kinesis = await startEmbeddedKinesis("in-process-test", 2);
        });
        after(async function () {
            await kinesis?.close();
        });

        async function readAll(client: KinesisClient, streamName: string): Promise<Map<string, Buffer>> {
            const out = new Map<string, Buffer>();
            const shards = (await client.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
            for (const shard of shards) {
                let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" }))).ShardIterator;
                for (;;) {
                    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
                    for (const r of page.Records ?? []) out.set(r.PartitionKey!, Buffer.from(r.Data!));
                    if ((page.Records ?? []).length === 0) break;
                    iterator = page.NextShardIterator;
                }
            }
            return out;
        }

        it("puts through the same KinesisEventSink as AWS and reads back every byte (binary, large records)", async function () {
            const sink = new KinesisEventSink(kinesis.client, kinesis.streamName);
            const records = Array.from({ length: 20 }, (_, i) => ({ partitionKey: `key-${i}`, data: crypto.randomBytes(i === 0 ? 900 * 1024 : 1 + i * 997) }));
            const results = await sink.putRecords(records);
            assert.deepEqual(results, records.map(() => ({ ok: true })));
            const read = await readAll(kinesis.client, kinesis.streamName);
            for (const r of records) assert.ok(read.get(r.partitionKey)?.equals(r.data), r.partitionKey);
        });

        it("surfaces kinesalite's errors as the SDK's typed errors", async function () {
            await assert.rejects(
                kinesis.client.send(new PutRecordsCommand({ StreamName: "no-such-stream", Records: [{ PartitionKey: "k", Data: Buffer.from("x") }] })),
                (error: Error) => error.name === "ResourceNotFoundException",
            );
            await assert.rejects(
                kinesis.client.send(new PutRecordsCommand({ StreamName: kinesis.streamName, Records: [{ PartitionKey: "k", Data: Buffer.alloc(1024 * 1024 + 1) }] })),
                (error: Error) => error.name === "ValidationException",
            );
        });
    });
});
