import { strict as assert } from "node:assert";
import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent, FirehoseTransformationEvent } from "aws-lambda";
import { eventsMethodArn } from "../../functions/aws/handlers/authorizer";
import { sinkForMode } from "../../functions/aws/handlers/events";
import { FirehoseEventSink } from "../../functions/aws/adapters/firehose-sink";
import { KinesisEventSink } from "../../functions/aws/adapters/kinesis-sink";
import { sampleEvent } from "./support/fixtures";
import { type DynamoFixture, startDynamo } from "./support/servers";
import { forgetHandlerModules, restoreEnvironment } from "./support/handler-modules";

const METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/live/POST/applications/APP/events";

function proxyEvent(method: string, resource: string, init: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
    return {
        httpMethod: method,
        resource,
        path: resource,
        pathParameters: null,
        headers: {},
        multiValueHeaders: {},
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        stageVariables: null,
        body: null,
        isBase64Encoded: false,
        requestContext: { requestId: "gw-req", requestTimeEpoch: 1_767_614_400_000 } as APIGatewayProxyEvent["requestContext"],
        ...init,
    };
}

/** Runs `fn` capturing everything written to stdout/stderr (the Powertools logger's output). */
async function capturingOutput<T>(fn: () => Promise<T>): Promise<{ result: T; output: string }> {
    let output = "";
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: string | Uint8Array) => ((output += String(chunk)), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) => ((output += String(chunk)), true)) as typeof process.stderr.write;
    try {
        return { result: await fn(), output };
    } finally {
        process.stdout.write = out;
        process.stderr.write = err;
    }
}

describe("Lambda handlers", () => {
    let db: DynamoFixture;
    const saved = { ...process.env };
    let admin: typeof import("../../functions/aws/handlers/admin");
    let authorizer: typeof import("../../functions/aws/handlers/authorizer");
    let processing: typeof import("../../functions/aws/handlers/processing");
    let events: typeof import("../../functions/aws/handlers/events");

    before(async () => {
        db = await startDynamo();
        const endpoint = String(await db.client.config.endpoint!().then((e) => `${e.protocol}//${e.hostname}:${e.port}`));
        Object.assign(process.env, {
            AWS_ENDPOINT_URL_DYNAMODB: endpoint,
            AWS_REGION: "us-east-1",
            AWS_ACCESS_KEY_ID: "test",
            AWS_SECRET_ACCESS_KEY: "test",
            APPLICATIONS_TABLE: db.appsTable,
            AUTHORIZATIONS_TABLE: db.keysTable,
            AUTHORIZER_CACHE_TTL_SECONDS: "30",
            APPLICATION_CACHE_TTL_SECONDS: "0",
        });
        // Handlers build their clients once per module from the environment: load them afresh, after setting it.
        forgetHandlerModules();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        admin = require("../../functions/aws/handlers/admin");
        authorizer = require("../../functions/aws/handlers/authorizer");
        processing = require("../../functions/aws/handlers/processing");
        events = require("../../functions/aws/handlers/events");
    });
    after(async () => {
        restoreEnvironment(saved);
        await db.stop();
    });

    it("eventsMethodArn scopes the policy to one application's events method", () => {
        assert.equal(eventsMethodArn(METHOD_ARN, "app-1"), "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/live/POST/applications/app-1/events");
    });

    it("admin -> authorizer -> processing work end to end, and the key value never reaches the logs", async () => {
        const app = await admin.handler(proxyEvent("POST", "/applications", { body: JSON.stringify({ Name: "Space Game" }) }));
        assert.equal(app.statusCode, 200, app.body);
        const applicationId = JSON.parse(app.body).ApplicationId as string;
        const created = await admin.handler(
            proxyEvent("POST", "/applications/{applicationId}/authorizations", {
                pathParameters: { applicationId },
                body: Buffer.from(JSON.stringify({ Name: "k" })).toString("base64"),
                isBase64Encoded: true,
            }),
        );
        const key = JSON.parse(created.body) as { ApiKeyId: string; ApiKeyValue: string };
        const authEvent = (value: string | undefined, appId: string): APIGatewayRequestAuthorizerEvent =>
            ({
                type: "REQUEST",
                methodArn: METHOD_ARN.replace("APP", appId),
                headers: value === undefined ? {} : { authorization: value },
                pathParameters: { applicationId: appId },
                requestContext: { requestId: "gw-req" },
            }) as unknown as APIGatewayRequestAuthorizerEvent;

        const { result, output } = await capturingOutput(async () => ({
            allowed: await authorizer.handler(authEvent(key.ApiKeyValue, applicationId)),
            wrongPath: await authorizer.handler(authEvent(key.ApiKeyValue, "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968")),
        }));
        assert.deepEqual(result.wrongPath, result.allowed, "the policy depends on the key only (API Gateway caches it by header)");
        assert.deepEqual(result.allowed, {
            principalId: key.ApiKeyId,
            policyDocument: {
                Version: "2012-10-17",
                Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: eventsMethodArn(METHOD_ARN, applicationId) }],
            },
            context: { applicationId, apiKeyId: key.ApiKeyId },
        });
        assert.ok(output.includes("denied"), "the deny was logged");
        assert.ok(!output.includes(key.ApiKeyValue), "the key value was logged");

        const denied = await authorizer.handler(authEvent(undefined, applicationId));
        assert.equal(denied.policyDocument.Statement[0]!.Effect, "Deny");

        const lines = [sampleEvent(), sampleEvent()].map((event) => JSON.stringify({ application_id: applicationId, event, request_id: "r", request_time_epoch: 1 }));
        const firehoseEvent = {
            invocationId: "inv",
            deliveryStreamArn: "arn",
            region: "us-east-1",
            records: [
                { recordId: "a", approximateArrivalTimestamp: 1, data: Buffer.from(lines.join("\n") + "\n").toString("base64") },
                { recordId: "b", approximateArrivalTimestamp: 1, data: Buffer.from("oops").toString("base64") },
            ],
        } as FirehoseTransformationEvent;
        const transformed = await capturingOutput(() => processing.handler(firehoseEvent));
        assert.deepEqual(transformed.result.records.map((r) => r.result), ["Ok", "ProcessingFailed"]);
        const rows = Buffer.from(transformed.result.records[0]!.data!, "base64").toString().trim().split("\n").map((l) => JSON.parse(l));
        assert.deepEqual(rows.map((r) => [r.application_name, JSON.parse(r.metadata).processing_status]), [["Space Game", "ok"], ["Space Game", "ok"]]);
    });

    it("the authorizer caches decisions for AUTHORIZER_CACHE_TTL_SECONDS, and admin promises the sum of both caches", async () => {
        const app = JSON.parse((await admin.handler(proxyEvent("POST", "/applications", { body: JSON.stringify({ Name: "ttl" }) }))).body);
        const applicationId = app.ApplicationId as string;
        const key = JSON.parse((await admin.handler(proxyEvent("POST", "/applications/{applicationId}/authorizations", {
            pathParameters: { applicationId }, body: JSON.stringify({ Name: "k" }),
        }))).body) as { ApiKeyId: string; ApiKeyValue: string };
        const setEnabled = async (Enabled: boolean) => JSON.parse((await admin.handler(proxyEvent("PUT", "/applications/{applicationId}/authorizations/{apiKeyId}", {
            pathParameters: { applicationId, apiKeyId: key.ApiKeyId }, body: JSON.stringify({ Enabled }),
        }))).body) as { EffectiveWithinSeconds: number };
        const authEvent = { type: "REQUEST", methodArn: METHOD_ARN.replace("APP", applicationId), headers: { Authorization: key.ApiKeyValue },
            pathParameters: { applicationId }, requestContext: { requestId: "r" } } as unknown as APIGatewayRequestAuthorizerEvent;
        const effect = async (handler: typeof authorizer.handler) =>
            (await capturingOutput(() => handler(authEvent))).result.policyDocument.Statement[0]!.Effect;

        // API Gateway's cache (30 s here) and the handler's (the same variable) are in series.
        assert.equal((await setEnabled(true)).EffectiveWithinSeconds, 60);

        // TTL 0: no handler cache, so a disabled key is refused on the next call (was: 10 s more).
        process.env.AUTHORIZER_CACHE_TTL_SECONDS = "0";
        delete require.cache[require.resolve("../../functions/aws/handlers/authorizer")];
        const uncached: typeof import("../../functions/aws/handlers/authorizer") = require("../../functions/aws/handlers/authorizer");
        try {
            assert.equal(await effect(uncached.handler), "Allow");
            await setEnabled(false);
            assert.equal(await effect(uncached.handler), "Deny");
        } finally {
            process.env.AUTHORIZER_CACHE_TTL_SECONDS = "30";
        }

        // TTL 30: the handler keeps its decision (within the promised 60 s).
        await setEnabled(true);
        assert.equal(await effect(authorizer.handler), "Allow");
        await setEnabled(false);
        assert.equal(await effect(authorizer.handler), "Allow", "served from the handler's 30 s cache");
    });

    it("events answers 403 when the authorizer context carries no application", async () => {
        const response = await events.handler(proxyEvent("POST", "/applications/{applicationId}/events", { pathParameters: { applicationId: "a" } }));
        assert.deepEqual([response.statusCode, JSON.parse(response.body)], [403, { error: "AccessDenied" }]);
    });

    it("events answers carry CORS headers for an allowed origin, and none for another", async () => {
        const answerFrom = async (origin: string) => {
            process.env.CORS_ALLOW_ORIGINS = "https://game.example.com";
            delete require.cache[require.resolve("../../functions/aws/handlers/events")];
            const fresh: typeof import("../../functions/aws/handlers/events") = require("../../functions/aws/handlers/events");
            delete process.env.CORS_ALLOW_ORIGINS;
            const response = await fresh.handler(proxyEvent("POST", "/applications/{applicationId}/events", { headers: { Origin: origin } }));
            return [response.statusCode, response.headers?.["Access-Control-Allow-Origin"]];
        };
        assert.deepEqual(await answerFrom("https://game.example.com"), [403, "https://game.example.com"]);
        assert.deepEqual(await answerFrom("https://evil.example.com"), [403, undefined]);
    });

    it("events picks the sink of the ingest mode and names a missing variable", () => {
        assert.ok(sinkForMode({ INGEST_MODE: "DIRECT_BATCH", DELIVERY_STREAM_NAME: "d" }) instanceof FirehoseEventSink);
        assert.ok(sinkForMode({ INGEST_MODE: "KINESIS_DATA_STREAMS", STREAM_NAME: "s" }) instanceof KinesisEventSink);
        assert.throws(() => sinkForMode({ INGEST_MODE: "KINESIS_DATA_STREAMS" }), /STREAM_NAME is required/);
        assert.throws(() => sinkForMode({ INGEST_MODE: "CARRIER_PIGEON" }), /must be DIRECT_BATCH or KINESIS_DATA_STREAMS/);
    });
});
