/**
 * Log hygiene of the real Lambda handlers: the admin, authorizer and events handlers run against
 * dynalite (in-process, 127.0.0.1, ephemeral port) with their Powertools loggers at DEBUG, and
 * everything they print is captured. No API key value — valid, disabled, wrong or garbage —
 * may appear in the output.
 */
import * as assert from "node:assert/strict";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import type { AddressInfo, Server } from "node:net";
import * as path from "node:path";
import { createTableInputs } from "../../functions/aws/adapters/dynamodb-tables";
import { captureOutput } from "./support/capture-output";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (options: Record<string, unknown>) => Server;

type Handler<E, R> = (event: E) => Promise<R>;
const HANDLERS_DIR = path.resolve(__dirname, "../../functions");

/** Modules of functions/ other tests loaded, put back after this test. */
const displaced = new Map<string, NodeModule>();

/** Loads a handler module afresh, so it reads this test's environment. */
function freshHandler<E, R>(name: string): Handler<E, R> {
    for (const id of Object.keys(require.cache)) {
        if (!id.startsWith(HANDLERS_DIR)) continue;
        if (!displaced.has(id)) displaced.set(id, require.cache[id]!);
        delete require.cache[id];
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(HANDLERS_DIR, "aws", "handlers", name)).handler as Handler<E, R>;
}

function proxyEvent(method: string, resource: string, pathParameters: Record<string, string>, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyEvent {
    return {
        httpMethod: method, resource, path: resource, pathParameters, headers, body: body === undefined ? null : JSON.stringify(body),
        isBase64Encoded: false, queryStringParameters: null, multiValueHeaders: {}, multiValueQueryStringParameters: null, stageVariables: null,
        requestContext: { requestId: `req-${Math.random()}`, requestTimeEpoch: Date.now() } as APIGatewayProxyEvent["requestContext"],
    };
}

describe("log hygiene of the handlers", function () {
    this.timeout(60_000);
    const saved = { ...process.env };
    let server: Server;

    before(async () => {
        server = dynalite({ createTableMs: 0 });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
        const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        Object.assign(process.env, {
            AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_MAX_ATTEMPTS: "1",
            AWS_ENDPOINT_URL_DYNAMODB: endpoint,
            // Nothing listens on port 9 of 127.0.0.1: the events handler's sink fails fast, exercising its error logging.
            AWS_ENDPOINT_URL_KINESIS: "http://127.0.0.1:9",
            APPLICATIONS_TABLE: "apps", AUTHORIZATIONS_TABLE: "keys", INGEST_MODE: "KINESIS_DATA_STREAMS", STREAM_NAME: "events",
            POWERTOOLS_LOG_LEVEL: "DEBUG", AUTHORIZER_CACHE_TTL_SECONDS: "60",
        });
        const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
        for (const input of createTableInputs("apps", "keys")) await client.send(new CreateTableCommand(input));
        client.destroy();
    });

    after(async () => {
        for (const id of Object.keys(require.cache)) if (id.startsWith(HANDLERS_DIR)) delete require.cache[id];
        for (const [id, module] of displaced) require.cache[id] = module;
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
        await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("never prints an API key value, whatever the request", async () => {
        const admin = freshHandler<APIGatewayProxyEvent, { statusCode: number; body: string }>("admin");
        const authorizer = freshHandler<APIGatewayRequestAuthorizerEvent, { policyDocument: { Statement: { Effect: string }[] } }>("authorizer");
        const events = freshHandler<APIGatewayProxyEvent, { statusCode: number; body: string }>("events");
        const garbage = "Zm9vYmFyLWdhcmJhZ2Uta2V5LXZhbHVlLXRoYXQtaXMtbG9uZw==";
        const methodArn = "arn:aws:execute-api:us-east-1:111122223333:api123/live/POST/applications/x/events";

        const { result: secrets, output } = await captureOutput(async () => {
            const app = JSON.parse((await admin(proxyEvent("POST", "/applications", {}, { Name: "game" }))).body);
            const appId: string = app.ApplicationId;
            const created = JSON.parse((await admin(proxyEvent("POST", "/applications/{applicationId}/authorizations", { applicationId: appId }, { Name: "key" }))).body);
            const value: string = created.ApiKeyValue;
            assert.equal(typeof value, "string");
            await admin(proxyEvent("GET", "/applications/{applicationId}/authorizations", { applicationId: appId }, undefined));
            await admin(proxyEvent("GET", "/applications/{applicationId}/authorizations/{apiKeyId}", { applicationId: appId, apiKeyId: created.ApiKeyId }, undefined));
            await admin(proxyEvent("POST", "/applications/{applicationId}/authorizations", { applicationId: appId }, { Name: value, Description: value }));

            const authorize = (key: string, applicationId: string) => authorizer({
                type: "REQUEST", methodArn, headers: { Authorization: key }, pathParameters: { applicationId },
                requestContext: { requestId: "r" },
            } as unknown as APIGatewayRequestAuthorizerEvent);
            const allowed = await authorize(value, appId);
            assert.equal(allowed.policyDocument.Statement[0]!.Effect, "Allow");
            await authorize(value, "00000000-0000-4000-8000-000000000000");
            await authorize(garbage, appId);
            await authorize(value.slice(0, 40), appId);

            await admin(proxyEvent("PUT", "/applications/{applicationId}/authorizations/{apiKeyId}", { applicationId: appId, apiKeyId: created.ApiKeyId }, { Enabled: false }));
            const event = proxyEvent("POST", "/applications/{applicationId}/events", { applicationId: appId },
                { events: [{ event_id: "8f3e6b7a-4c1d-4e2f-9a0b-1c2d3e4f5a6b", event_type: "login", event_name: "login", event_timestamp: 1767614400 }] },
                { Authorization: value });
            event.requestContext.authorizer = { applicationId: appId, apiKeyId: created.ApiKeyId };
            await events(event);
            await events(proxyEvent("POST", "/applications/{applicationId}/events", { applicationId: appId }, "not events", { Authorization: garbage }));
            return [value, value.slice(0, 40), garbage];
        });

        assert.ok(output.includes("\"level\""), "the handlers' structured logs were captured");
        for (const secret of secrets) assert.ok(!output.includes(secret), `a key value (${secret.slice(0, 4)}...) was printed`);
    });
});
