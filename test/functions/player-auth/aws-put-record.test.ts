/**
 * The AWS put-record function on kinesalite (issue 16): the seeds' answers for the caller the
 * player authorizer let in, the mapped record in the stream with the player; the events function
 * reading the player from the authorizer context.
 */
import { strict as assert } from "node:assert";
import { CreateStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-kinesis";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { KinesisEventSink } from "../../../functions/aws/adapters/kinesis-sink";
import { playerOf } from "../../../functions/aws/handlers/events";
import { callerOf, createPutRecordHandler } from "../../../functions/aws/handlers/put-record";
import { stableEventId } from "../../../functions/core/player-auth/put-record";
import type { EventSink } from "../../../functions/core/ports";
import { type KinesisFixture, startKinesis } from "../support/servers";
import { APP } from "./support/issuers";

function proxyEvent(body: string | null, authorizer?: Record<string, unknown>): APIGatewayProxyEvent {
    return {
        httpMethod: "POST", resource: "/put-record", path: "/put-record", pathParameters: null, headers: {}, multiValueHeaders: {},
        queryStringParameters: null, multiValueQueryStringParameters: null, stageVariables: null, body, isBase64Encoded: false,
        requestContext: { requestId: "gw-1", requestTimeEpoch: 1_767_614_400_000, authorizer } as unknown as APIGatewayProxyEvent["requestContext"],
    };
}

const JWT_CONTEXT = { credential: "JWT", applicationId: APP, playerId: "player-9", expiresAt: 2_000_000_000 };
const SEED = JSON.stringify({ event_id: "00006", event_type: "Login", updated_at: "2024-02-22 03:03:02", event_data: "hello" });

describe("AWS put-record function (kinesalite)", () => {
    let kinesis: KinesisFixture;
    before(async () => {
        kinesis = await startKinesis();
        await kinesis.client.send(new CreateStreamCommand({ StreamName: "events", ShardCount: 1 }));
    });
    after(async () => kinesis.stop());

    async function streamLines(): Promise<Record<string, unknown>[]> {
        const shard = (await kinesis.client.send(new DescribeStreamCommand({ StreamName: "events" }))).StreamDescription!.Shards![0]!.ShardId!;
        const { ShardIterator } = await kinesis.client.send(new GetShardIteratorCommand({ StreamName: "events", ShardId: shard, ShardIteratorType: "TRIM_HORIZON" }));
        const { Records } = await kinesis.client.send(new GetRecordsCommand({ ShardIterator }));
        return (Records ?? []).flatMap((r) => Buffer.from(r.Data!).toString("utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l)));
    }

    it("stores the mapped seed event with the player and answers 200 \"Successfully added event\"", async () => {
        const handle = createPutRecordHandler({ sink: () => new KinesisEventSink(kinesis.client, "events"), clock: { now: () => Date.now() } });
        const res = await handle(proxyEvent(SEED, JWT_CONTEXT));
        assert.equal(res.statusCode, 200);
        assert.equal(res.body, '"Successfully added event"');
        const lines = await streamLines();
        assert.equal(lines.length, 1);
        const line = lines[0] as { application_id: string; player_id: string; source_event_id: string; request_id: string; event: Record<string, unknown> };
        assert.equal(line.application_id, APP);
        assert.equal(line.player_id, "player-9");
        assert.equal(line.source_event_id, "00006");
        assert.equal(line.request_id, "gw-1");
        assert.equal(line.event.event_id, stableEventId(APP, "player-9", "00006"));
        assert.equal(line.event.event_timestamp, 1708570982);
    });

    it("401 \"Unauthorized\" without the player authorizer's JWT context (an API key context included)", async () => {
        const handle = createPutRecordHandler({ sink: () => { throw new Error("must not be called"); }, clock: { now: () => Date.now() } });
        for (const authorizer of [undefined, { applicationId: APP, apiKeyId: "k", credential: "API_KEY" }, { applicationId: APP }]) {
            const res = await handle(proxyEvent(SEED, authorizer));
            assert.deepEqual([res.statusCode, res.body], [401, '"Unauthorized"']);
        }
    });

    it("400 naming the field, and 500 \"Failed\" with Retry-After when the stream is down (nothing accepted is lost)", async () => {
        const down: EventSink = { maxRecordsPerCall: 500, maxBytesPerCall: 5 << 20, maxRecordBytes: 1 << 20, packsEvents: true, putRecords: async () => { throw new Error("down"); } };
        const handle = createPutRecordHandler({ sink: () => down, clock: { now: () => Date.now() } });
        const bad = await handle(proxyEvent('{"event_id":"1","event_type":"Login","updated_at":"yesterday"}', JWT_CONTEXT));
        assert.equal(bad.statusCode, 400);
        assert.match(JSON.parse(bad.body).error_detail, /^updated_at:/);
        const failed = await handle(proxyEvent(SEED, JWT_CONTEXT));
        assert.deepEqual([failed.statusCode, failed.body, failed.headers?.["Retry-After"]], [500, '"Failed"', "1"]);
        const broken = createPutRecordHandler({ sink: () => { throw new Error("environment variable INGEST_MODE is required"); }, clock: { now: () => Date.now() } });
        assert.equal((await broken(proxyEvent(SEED, JWT_CONTEXT))).statusCode, 500);
    });

    it("reads the player from the authorizer context of a JWT only", () => {
        assert.deepEqual(callerOf(proxyEvent(null, JWT_CONTEXT)), { applicationId: APP, playerId: "player-9" });
        assert.equal(playerOf(proxyEvent(null, JWT_CONTEXT)), "player-9");
        assert.equal(playerOf(proxyEvent(null, { credential: "API_KEY", applicationId: APP, apiKeyId: "k" })), undefined);
        assert.equal(playerOf(proxyEvent(null, { applicationId: APP, playerId: "forged-without-credential" })), undefined);
    });
});
