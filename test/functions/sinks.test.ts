import { strict as assert } from "node:assert";
import { FirehoseClient } from "@aws-sdk/client-firehose";
import { CreateStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from "@aws-sdk/client-kinesis";
import { FirehoseEventSink } from "../../functions/aws/adapters/firehose-sink";
import { KINESIS_MAX_RECORD_BYTES, KinesisEventSink } from "../../functions/aws/adapters/kinesis-sink";
import type { EventRow } from "../../functions/core/contracts";
import { handleIngestRequest } from "../../functions/core/ingest";
import type { Application } from "../../functions/core/ports";
import { transformRecords } from "../../functions/core/transform";
import { EVENTS } from "../../functions/core/routes";
import { ManualClock, request, sampleEvent } from "./support/fixtures";
import { type KinesisFixture, startKinesis } from "./support/servers";

const APP = "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968";

async function readAll(client: KinesisClient, streamName: string): Promise<Array<{ data: string; partitionKey: string }>> {
    const description = await client.send(new DescribeStreamCommand({ StreamName: streamName }));
    const records: Array<{ data: string; partitionKey: string }> = [];
    for (const shard of description.StreamDescription?.Shards ?? []) {
        let iterator = (
            await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" }))
        ).ShardIterator;
        for (let guard = 0; iterator && guard < 50; guard++) {
            const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
            for (const r of page.Records ?? []) records.push({ data: Buffer.from(r.Data!).toString("utf8"), partitionKey: r.PartitionKey! });
            if ((page.Records ?? []).length === 0) break;
            iterator = page.NextShardIterator;
        }
    }
    return records;
}

describe("KinesisEventSink on kinesalite", () => {
    let kinesis: KinesisFixture;
    before(async () => {
        kinesis = await startKinesis();
    });
    after(async () => kinesis.stop());

    async function createStream(name: string): Promise<void> {
        await kinesis.client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
        for (let i = 0; i < 50; i++) {
            const d = await kinesis.client.send(new DescribeStreamCommand({ StreamName: name }));
            if (d.StreamDescription?.StreamStatus === "ACTIVE") return;
            await new Promise((r) => setTimeout(r, 20));
        }
    }

    /** Counts the records of every PutRecords call the client sends while `work` runs. */
    async function putRecordsCalls(work: () => Promise<void>): Promise<number[]> {
        const calls: number[] = [];
        const name = `countPutRecords${Math.random()}`;
        kinesis.client.middlewareStack.add(
            (next, context) => async (args) => {
                if (context.commandName === "PutRecordsCommand") calls.push((args.input as { Records: unknown[] }).Records.length);
                return next(args);
            },
            { step: "initialize", name },
        );
        try {
            await work();
        } finally {
            kinesis.client.middlewareStack.remove(name);
        }
        return calls;
    }

    it("stores a 100-event request as one PutRecords call of one record keyed by the first event_id, which the transform turns into 100 rows", async () => {
        await createStream("packed-100");
        const sink = new KinesisEventSink(kinesis.client, "packed-100");
        const day = 1_767_571_200; // 2026-01-05T00:00:00Z
        const events = Array.from({ length: 100 }, (_, i) => sampleEvent(day + i));
        const req = request("POST", EVENTS, { pathParameters: { applicationId: APP }, body: JSON.stringify({ events }) });
        let response: Awaited<ReturnType<typeof handleIngestRequest>> | undefined;
        const calls = await putRecordsCalls(async () => {
            response = await handleIngestRequest(req, APP, { sink, clock: new ManualClock() });
        });
        assert.deepEqual(JSON.parse(response!.body), { Total: 100, FailedRecordCount: 0, Events: events.map(() => ({ Result: "Ok" })) });
        assert.deepEqual(calls, [1], "one PutRecords call carrying one record");
        const stored = await readAll(kinesis.client, "packed-100");
        assert.equal(stored.length, 1);
        assert.equal(stored[0]!.partitionKey, events[0]!.event_id);

        const application: Application = { ApplicationId: APP, ApplicationName: "Space Game", Description: "", CreatedAt: "x", UpdatedAt: "x" };
        const [out] = await transformRecords(
            [{ recordId: "r1", data: Buffer.from(stored[0]!.data).toString("base64"), approximateArrivalTimestamp: 1_767_700_000_000 }],
            { lookupApplication: async (id) => (id === APP ? application : undefined), clock: new ManualClock(), newId: () => "ingestion" },
        );
        assert.equal(out!.result, "Ok");
        assert.deepEqual(out!.metadata, { partitionKeys: { year: "2026", month: "01", day: "05" } });
        const rows = Buffer.from(out!.data, "base64").toString("utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as EventRow);
        assert.deepEqual(rows.map((r) => [r.event_id, r.application_name, JSON.parse(r.metadata).processing_status]), events.map((e) => [e.event_id, "Space Game", "ok"]));
    });

    it("stores 1,200 events of one request exactly once in records packed per UTC day of at most 1 MiB", async () => {
        await createStream("packed-1200");
        const sink = new KinesisEventSink(kinesis.client, "packed-1200");
        const day = 1_767_571_200;
        const blob = "x".repeat(2000);
        const events = Array.from({ length: 1200 }, (_, i) => sampleEvent(day + (i % 2) * 86_400 + i, { event_data: { blob } }));
        const req = request("POST", EVENTS, { pathParameters: { applicationId: APP }, body: JSON.stringify({ events }) });
        const response = await handleIngestRequest(req, APP, { sink, clock: new ManualClock() });
        assert.equal(JSON.parse(response.body).FailedRecordCount, 0);
        const stored = await readAll(kinesis.client, "packed-1200");
        const ids: string[] = [];
        for (const record of stored) {
            assert.ok(Buffer.byteLength(record.data) + Buffer.byteLength(record.partitionKey) <= KINESIS_MAX_RECORD_BYTES);
            assert.ok(record.data.endsWith("\n"));
            const lines = record.data.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { event: { event_id: string; event_timestamp: number } });
            assert.equal(record.partitionKey, lines[0]!.event.event_id);
            assert.equal(new Set(lines.map((l) => Math.floor(l.event.event_timestamp / 86_400))).size, 1, "a record never spans two UTC days");
            ids.push(...lines.map((l) => l.event.event_id));
        }
        assert.equal(stored.length, 4, "~1.4 MB per day: two records per day");
        assert.deepEqual(ids.sort(), events.map((e) => e.event_id).sort());
    });

    it("reports a missing stream as a failed call, answered 503 by the ingest", async () => {
        const sink = new KinesisEventSink(kinesis.client, "no-such-stream");
        const req = request("POST", EVENTS, { pathParameters: { applicationId: APP }, body: JSON.stringify({ events: [sampleEvent()] }) });
        const response = await handleIngestRequest(req, APP, { sink, clock: new ManualClock(), sleep: async () => {} });
        assert.equal(response.statusCode, 503);
        assert.equal(JSON.parse(response.body).Events[0].ErrorCode, "ResourceNotFoundException");
    });
});

describe("FirehoseEventSink with fault injection", () => {
    /** A Firehose client whose PutRecordBatch answers from `respond` instead of the network. */
    function firehose(respond: (records: Array<{ Data: Uint8Array }>, call: number) => unknown): { client: FirehoseClient; calls: Array<{ DeliveryStreamName: string; Records: Array<{ Data: Uint8Array }> }> } {
        const client = new FirehoseClient({ region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
        const calls: Array<{ DeliveryStreamName: string; Records: Array<{ Data: Uint8Array }> }> = [];
        client.middlewareStack.add(
            () => async (args) => {
                const input = args.input as (typeof calls)[number];
                calls.push(input);
                return { output: { $metadata: {}, ...(respond(input.Records, calls.length - 1) as object) }, response: {} };
            },
            { step: "initialize", name: "faultInjection" },
        );
        return { client, calls };
    }

    it("maps RequestResponses to per-record results", async () => {
        const { client, calls } = firehose(() => ({
            FailedPutCount: 1,
            RequestResponses: [{ RecordId: "1" }, { ErrorCode: "ServiceUnavailableException", ErrorMessage: "slow down" }],
        }));
        const sink = new FirehoseEventSink(client, "stream-a");
        const results = await sink.putRecords([{ data: Buffer.from("a\n"), partitionKey: "k" }, { data: Buffer.from("b\n"), partitionKey: "k" }]);
        assert.deepEqual(results, [{ ok: true }, { ok: false, errorCode: "ServiceUnavailableException", errorMessage: "slow down" }]);
        assert.equal(calls[0]!.DeliveryStreamName, "stream-a");
    });

    it("with the ingest, retries the partially failed record and answers every event Ok", async () => {
        const { client, calls } = firehose((records, call) => ({
            FailedPutCount: call === 0 ? 1 : 0,
            RequestResponses: records.map((_, i) => (call === 0 && i === 0 ? { ErrorCode: "ServiceUnavailableException" } : { RecordId: `r${i}` })),
        }));
        const sink = new FirehoseEventSink(client, "stream-a");
        const day = 1_767_571_200;
        const events = [sampleEvent(day + 1), sampleEvent(day + 2), sampleEvent(day + 86_400)];
        const req = request("POST", EVENTS, { pathParameters: { applicationId: APP }, body: JSON.stringify({ events }) });
        const response = await handleIngestRequest(req, APP, { sink, clock: new ManualClock(), sleep: async () => {} });
        assert.deepEqual(JSON.parse(response.body), { Total: 3, FailedRecordCount: 0, Events: [{ Result: "Ok" }, { Result: "Ok" }, { Result: "Ok" }] });
        assert.deepEqual(calls.map((c) => c.Records.length), [2, 1], "two packed records (two days), then the failed one again");
        assert.equal(Buffer.from(calls[1]!.Records[0]!.Data).toString().split("\n").filter(Boolean).length, 2);
    });
});
