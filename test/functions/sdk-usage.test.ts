import { strict as assert } from "node:assert";
import { FirehoseClient } from "@aws-sdk/client-firehose";
import { CreateStreamCommand } from "@aws-sdk/client-kinesis";
import { DynamoDbApplicationRegistry, DynamoDbKeyStore } from "../../functions/aws/adapters/dynamodb-store";
import { DynamoDbApplicationAuthModes } from "../../functions/aws/adapters/dynamodb-auth-modes";
import { authorizeEventsRequest } from "../../functions/core/player-auth/player-authorizer";
import { FirehoseEventSink } from "../../functions/aws/adapters/firehose-sink";
import { KinesisEventSink } from "../../functions/aws/adapters/kinesis-sink";
import { handleAdminRequest } from "../../functions/core/admin";
import { newUuid } from "../../functions/core/api-keys";
import { authorizeApiKey } from "../../functions/core/authorize";
import { cachedApplicationLookup } from "../../functions/core/rows";
import { APPLICATION, APPLICATIONS, AUTHORIZATION, AUTHORIZATIONS } from "../../functions/core/routes";
import { type HandlerName, SDK_USAGE } from "../../functions/aws/sdk-usage";
import { ManualClock, request } from "./support/fixtures";
import { startDynamo, startKinesis } from "./support/servers";

type Client = { middlewareStack: { add(mw: unknown, options: unknown): void } };

/** Records "service:Action" on "table[/index]" or "stream" for every command sent through `client`. */
function recordCalls(client: Client, service: string, seen: Set<string>, names: Record<string, string>): void {
    client.middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
            const action = (context.commandName ?? "").replace(/Command$/, "");
            const input = args.input;
            let resource = names[String(input.TableName ?? input.StreamName ?? input.DeliveryStreamName)] ?? "?";
            const batchTable = input.RequestItems ? Object.keys(input.RequestItems as object)[0] : undefined;
            if (batchTable) resource = names[batchTable] ?? "?";
            if (input.IndexName) resource = "authorizationsTableIndex";
            seen.add(`${service}:${action}@${resource}`);
            return next(args);
        },
        { step: "initialize", name: "recordCalls" },
    );
}

function declared(handler: HandlerName): Set<string> {
    return new Set(SDK_USAGE[handler].flatMap((u) => u.actions.map((a) => `${a}@${u.resource}`)));
}

describe("SDK_USAGE", () => {
    it("declares no wildcard action", () => {
        for (const usages of Object.values(SDK_USAGE)) for (const u of usages) for (const a of u.actions) assert.doesNotMatch(a, /\*/);
    });

    it("covers every DynamoDB call the admin, authorizer and processing code makes (dynalite)", async () => {
        const db = await startDynamo();
        try {
            const names = { [db.appsTable]: "applicationsTable", [db.keysTable]: "authorizationsTable" };
            const seen = { admin: new Set<string>(), authorizer: new Set<string>(), processing: new Set<string>(), "player-authorizer": new Set<string>() };
            let current = seen.admin;
            recordCalls(db.client as unknown as Client, "dynamodb", { add: (v: string) => current.add(v) } as Set<string>, names);
            const registry = new DynamoDbApplicationRegistry(db.doc, db.appsTable);
            const keys = new DynamoDbKeyStore(db.doc, db.keysTable);
            const deps = { registry, keys, clock: new ManualClock(), newId: newUuid, authorizerCacheTtlSeconds: 60 };
            const app = JSON.parse((await handleAdminRequest(request("POST", APPLICATIONS, { body: '{"Name":"g"}' }), deps)).body).ApplicationId;
            const p = { applicationId: app };
            const key = JSON.parse((await handleAdminRequest(request("POST", AUTHORIZATIONS, { pathParameters: p, body: '{"Name":"k"}' }), deps)).body);
            const k = { ...p, apiKeyId: key.ApiKeyId };
            for (const [method, resource, params, body] of [
                ["GET", APPLICATIONS, {}, null],
                ["GET", APPLICATION, p, null],
                ["GET", AUTHORIZATIONS, p, null],
                ["GET", AUTHORIZATION, k, null],
                ["PUT", APPLICATION, p, '{"AuthModes":["API_KEY","JWT"]}'],
                ["PUT", AUTHORIZATION, k, '{"Enabled":false}'],
                ["DELETE", AUTHORIZATION, k, null],
                ["POST", AUTHORIZATIONS, p, '{"Name":"second"}'],
                ["DELETE", APPLICATION, p, null],
            ] as Array<readonly [string, string, Record<string, string>, string | null]>) {
                await handleAdminRequest(request(method, resource, { pathParameters: params, body }), deps);
            }
            current = seen.authorizer;
            await authorizeApiKey(key.ApiKeyValue, app, { keys, clock: new ManualClock() });
            current = seen.processing;
            await cachedApplicationLookup(registry, 0, new ManualClock())(app);
            // The player authorizer: an API key on the events route (key, then the application's AuthModes).
            current = seen.admin;
            const second = JSON.parse((await handleAdminRequest(request("POST", APPLICATIONS, { body: '{"Name":"h"}' }), deps)).body).ApplicationId;
            const secondKey = JSON.parse((await handleAdminRequest(request("POST", AUTHORIZATIONS, { pathParameters: { applicationId: second }, body: '{"Name":"k"}' }), deps)).body);
            current = seen["player-authorizer"];
            const decision = await authorizeEventsRequest(secondKey.ApiKeyValue, second, {
                keys, clock: new ManualClock(), applications: new DynamoDbApplicationAuthModes(db.doc, db.appsTable),
            });
            assert.equal(decision.allow, true);

            for (const handler of ["admin", "authorizer", "processing", "player-authorizer"] as const) {
                const extra = [...seen[handler]].filter((call) => !declared(handler).has(call));
                assert.deepEqual(extra, [], `${handler} makes undeclared calls`);
            }
            assert.deepEqual(seen.admin, declared("admin"), "admin: every declared action is used (no excess privilege)");
            assert.deepEqual(seen["player-authorizer"], declared("player-authorizer"), "player-authorizer: every declared action is used");
        } finally {
            await db.stop();
        }
    });

    it("covers the events function's Kinesis and Firehose calls", async () => {
        const kinesis = await startKinesis();
        try {
            const seen = new Set<string>();
            await kinesis.client.send(new CreateStreamCommand({ StreamName: "s", ShardCount: 1 }));
            recordCalls(kinesis.client as unknown as Client, "kinesis", seen, { s: "stream" });
            await new KinesisEventSink(kinesis.client, "s").putRecords([{ data: Buffer.from("x\n"), partitionKey: "k" }]);
            const firehose = new FirehoseClient({ region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } });
            recordCalls(firehose as unknown as Client, "firehose", seen, { d: "deliveryStream" });
            firehose.middlewareStack.add(() => async () => ({ output: { $metadata: {}, RequestResponses: [{}] }, response: {} }), { step: "initialize", name: "stub", priority: "low" });
            await new FirehoseEventSink(firehose, "d").putRecords([{ data: Buffer.from("x\n"), partitionKey: "k" }]);
            assert.deepEqual(seen, declared("events"));
            // The put-record function stores through the same sinks (functions/aws/adapters/sink-for-mode.ts).
            assert.deepEqual(seen, declared("put-record"));
        } finally {
            await kinesis.stop();
        }
    });
});
