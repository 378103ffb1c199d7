import { strict as assert } from "node:assert";
import { FirehoseClient } from "@aws-sdk/client-firehose";
import { CreateStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from "@aws-sdk/client-kinesis";
import { FirehoseEventSink } from "../../functions/adapters/firehose-sink";
import { KinesisEventSink } from "../../functions/adapters/kinesis-sink";
import { handleIngestRequest } from "../../functions/core/ingest";
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
        await kinesis.client.send(new CreateStreamCommand({ StreamName: "events", ShardCount: 2 }));
        for (let i = 0; i < 50; i++) {
            const d = await kinesis.client.send(new DescribeStreamCommand({ StreamName: "events" }));
            if (d.StreamDescription?.StreamStatus === "ACTIVE") break;
            await new Promise((r) => setTimeout(r, 20));
        }
    });
    after(async () => kinesis.stop());

    it("stores 1,200 events of one request as one record each, keyed by event_id", async () => {
        const sink = new KinesisEventSink(kinesis.client, "events");
        const events = Array.from({ length: 1200 }, () => sampleEvent());
        const req = request("POST", EVENTS, { pathParameters: { applicationId: APP }, body: JSON.stringify({ events }) });
        const response = await handleIngestRequest(req, APP, { sink, clock: new ManualClock() });
        assert.equal(response.statusCode, 200);
        assert.equal(JSON.parse(response.body).FailedRecordCount, 0);
        const stored = await readAll(kinesis.client, "events");
        assert.equal(stored.length, 1200);
        for (const record of stored) {
            const line = JSON.parse(record.data);
            assert.equal(record.partitionKey, line.event.event_id);
            assert.equal(record.data.endsWith("\n"), true);
        }
        assert.deepEqual(new Set(stored.map((r) => r.partitionKey)), new Set(events.map((e) => e.event_id)));
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
