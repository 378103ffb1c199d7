/**
 * The Lambda handlers behind the HTTP API (payload format 2.0), on real parts: dynalite for the
 * registry, kinesalite for put-record's stream, the development OIDC issuer on 127.0.0.1 for the
 * player authorizer. Events are shaped as AWS documents them ("Create AWS Lambda proxy
 * integrations for HTTP APIs", "Control access to HTTP APIs with AWS Lambda authorizers"): lowercase
 * headers, `cookies`, `routeKey`, a `rawPath` with the stage, `requestContext.http`, `timeEpoch`,
 * the Lambda authorizer's context under `requestContext.authorizer.lambda`. The payload 1.0
 * conversion stays as it was.
 */
import { strict as assert } from "node:assert";
import { CreateStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-kinesis";
import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEventV2 } from "aws-lambda";
import { KinesisEventSink } from "../../functions/aws/adapters/kinesis-sink";
import { authorizerContext, isPayloadV2, type ProxyEventV2, resourceOfRouteKey, toHttpRequest } from "../../functions/aws/handlers/api-gateway";
import { authorizedResource } from "../../functions/aws/handlers/authorizer-event";
import { playerOf } from "../../functions/aws/handlers/events";
import type { createPlayerAuthorizer } from "../../functions/aws/handlers/player-authorizer";
import { callerOf, createPutRecordHandler } from "../../functions/aws/handlers/put-record";
import { generateApiKey } from "../../functions/core/api-keys";
import { type DevIssuer, startDevIssuer } from "../../functions/core/player-auth/dev-issuer";
import { sampleEvent } from "./support/fixtures";
import { type DynamoFixture, type KinesisFixture, startDynamo, startKinesis } from "./support/servers";
import { forgetHandlerModules, restoreEnvironment } from "./support/handler-modules";
import { APP, OTHER_APP, OffsetClock } from "./player-auth/support/issuers";
import { KEYS_APP, playerAuthorizerOnRegistry } from "./player-auth/support/registry";

const STAGE = "v1";
const API = "http0001";
const TIME_EPOCH = 1_796_173_200_000;

/** A payload 2.0 proxy event as an HTTP API with a named stage sends it. */
function v2Event(method: string, template: string, init: { path?: string; pathParameters?: Record<string, string>; headers?: Record<string, string>; body?: string;
    isBase64Encoded?: boolean; cookies?: string[]; rawQueryString?: string; queryStringParameters?: Record<string, string>; lambda?: Record<string, unknown>; iam?: boolean } = {}): ProxyEventV2 {
    const concrete = init.path ?? template;
    return {
        version: "2.0",
        routeKey: `${method} ${template}`,
        rawPath: `/${STAGE}${concrete}`,
        rawQueryString: init.rawQueryString ?? "",
        ...(init.cookies ? { cookies: init.cookies } : {}),
        headers: { "content-type": "application/json", host: `${API}.execute-api.us-east-1.amazonaws.com`, "user-agent": "game/1.0", "x-forwarded-for": "203.0.113.7", ...init.headers },
        ...(init.queryStringParameters ? { queryStringParameters: init.queryStringParameters } : {}),
        requestContext: {
            accountId: "111122223333", apiId: API, domainName: `${API}.execute-api.us-east-1.amazonaws.com`, domainPrefix: API,
            http: { method, path: `/${STAGE}${concrete}`, protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: "game/1.0" },
            requestId: "JKJaXmPLvHcESHA=", routeKey: `${method} ${template}`, stage: STAGE, time: "02/Dec/2026:01:00:00 +0000", timeEpoch: TIME_EPOCH,
            ...(init.lambda ? { authorizer: { lambda: init.lambda } } : init.iam ? { authorizer: { iam: { accessKey: "AKIA", accountId: "111122223333", callerId: "AIDA", userArn: "arn:aws:iam::111122223333:user/admin", userId: "AIDA" } } } : {}),
        },
        ...(init.pathParameters ? { pathParameters: init.pathParameters } : {}),
        ...(init.body !== undefined ? { body: init.body } : {}),
        isBase64Encoded: init.isBase64Encoded ?? false,
    } as ProxyEventV2;
}

/** A payload 2.0 REQUEST authorizer event (identity source: the Authorization header). */
function v2AuthorizerEvent(template: string, authorization: string | undefined, applicationId?: string): APIGatewayRequestAuthorizerEventV2 {
    const concrete = applicationId === undefined ? template : template.replace("{applicationId}", applicationId);
    const proxy = v2Event("POST", template, { path: concrete, headers: authorization === undefined ? {} : { authorization }, ...(applicationId ? { pathParameters: { applicationId } } : {}) });
    return {
        version: "2.0", type: "REQUEST",
        routeArn: `arn:aws:execute-api:us-east-1:111122223333:${API}/${STAGE}/POST${concrete}`,
        identitySource: authorization === undefined ? [] : [authorization],
        routeKey: proxy.routeKey, rawPath: proxy.rawPath, rawQueryString: "", cookies: [],
        headers: proxy.headers, requestContext: proxy.requestContext,
        ...(applicationId ? { pathParameters: { applicationId } } : {}),
    } as APIGatewayRequestAuthorizerEventV2;
}

describe("payload format 2.0: conversion to the core's request", () => {
    it("reads the method, the route's template (not the staged raw path), lowercase headers, cookies, the base64 body, the request id and time", () => {
        const body = JSON.stringify({ events: [sampleEvent()] });
        const event = v2Event("POST", "/applications/{applicationId}/events", {
            path: "/applications/app-1/events", pathParameters: { applicationId: "app-1" }, cookies: ["session=abc", "theme=dark"],
            headers: { authorization: "key", origin: "https://game.example.com" }, body: Buffer.from(body).toString("base64"), isBase64Encoded: true,
        });
        assert.ok(isPayloadV2(event));
        const request = toHttpRequest(event);
        assert.equal(request.method, "POST");
        assert.equal(request.resource, "/applications/{applicationId}/events");
        assert.deepEqual(request.pathParameters, { applicationId: "app-1" });
        assert.equal(request.headers.authorization, "key");
        assert.equal(request.headers.cookie, "session=abc; theme=dark");
        assert.equal(request.body, body);
        assert.equal(request.requestId, "JKJaXmPLvHcESHA=");
        assert.equal(request.requestTimeEpoch, TIME_EPOCH);
        assert.equal(request.queryStringParameters, null);
    });

    it("reads query parameters, a plain body, no body, and the $default route's raw path", () => {
        const list = toHttpRequest(v2Event("GET", "/applications", { queryStringParameters: { limit: "5" }, rawQueryString: "limit=5" }));
        assert.deepEqual([list.method, list.resource, list.queryStringParameters, list.body, list.pathParameters], ["GET", "/applications", { limit: "5" }, null, {}]);
        assert.equal(toHttpRequest(v2Event("POST", "/put-record", { body: "{}" })).body, "{}");
        assert.equal(resourceOfRouteKey("$default", "/anything"), "/anything");
        assert.equal(resourceOfRouteKey("DELETE /applications/{applicationId}", "/v1/applications/a"), "/applications/{applicationId}");
    });

    it("finds a Lambda authorizer's context under requestContext.authorizer.lambda (2.0) and requestContext.authorizer (1.0)", () => {
        const context = { applicationId: APP, apiKeyId: "k", credential: "API_KEY" };
        assert.deepEqual(authorizerContext(v2Event("POST", "/applications/{applicationId}/events", { lambda: context })), context);
        assert.equal(authorizerContext(v2Event("GET", "/applications", { iam: true })), undefined, "IAM routes carry no Lambda context");
        const jwt = { credential: "JWT", applicationId: APP, playerId: "player-7", expiresAt: 2_000_000_000 };
        assert.equal(playerOf(v2Event("POST", "/applications/{applicationId}/events", { lambda: jwt })), "player-7");
        assert.deepEqual(callerOf(v2Event("POST", "/put-record", { lambda: jwt })), { applicationId: APP, playerId: "player-7" });
        assert.equal(callerOf(v2Event("POST", "/put-record", { lambda: context })), undefined, "an API key never calls put-record");
    });

    it("leaves the payload 1.0 conversion as it was", () => {
        const v1 = {
            httpMethod: "POST", resource: "/applications/{applicationId}/events", path: "/applications/a/events", pathParameters: { applicationId: "a" },
            headers: { Authorization: "k" }, multiValueHeaders: {}, queryStringParameters: null, multiValueQueryStringParameters: null, stageVariables: null,
            body: Buffer.from("{}").toString("base64"), isBase64Encoded: true,
            requestContext: { requestId: "gw", requestTimeEpoch: 5, authorizer: { applicationId: "a" } },
        } as unknown as APIGatewayProxyEvent;
        assert.equal(isPayloadV2(v1), false);
        assert.deepEqual(toHttpRequest(v1), {
            method: "POST", resource: "/applications/{applicationId}/events", pathParameters: { applicationId: "a" }, headers: { Authorization: "k" },
            queryStringParameters: null, body: "{}", requestId: "gw", requestTimeEpoch: 5,
        });
        assert.deepEqual(authorizerContext(v1), { applicationId: "a" });
    });
});

describe("HTTP API handlers on dynalite (payload 2.0)", () => {
    let db: DynamoFixture;
    const saved = { ...process.env };
    let admin: typeof import("../../functions/aws/handlers/admin");
    let authorizer: typeof import("../../functions/aws/handlers/authorizer");
    let events: typeof import("../../functions/aws/handlers/events");

    before(async () => {
        db = await startDynamo();
        const endpoint = String(await db.client.config.endpoint!().then((e) => `${e.protocol}//${e.hostname}:${e.port}`));
        Object.assign(process.env, {
            AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test",
            APPLICATIONS_TABLE: db.appsTable, AUTHORIZATIONS_TABLE: db.keysTable, AUTHORIZER_CACHE_TTL_SECONDS: "0",
            // The events function builds its Firehose sink before the ingest rules run; no call reaches it here.
            INGEST_MODE: "DIRECT_BATCH", DELIVERY_STREAM_NAME: "never-called", CORS_ALLOW_ORIGINS: "https://game.example.com",
        });
        forgetHandlerModules();
        /* eslint-disable @typescript-eslint/no-require-imports */
        admin = require("../../functions/aws/handlers/admin");
        authorizer = require("../../functions/aws/handlers/authorizer");
        events = require("../../functions/aws/handlers/events");
        /* eslint-enable @typescript-eslint/no-require-imports */
    });
    after(async () => {
        restoreEnvironment(saved);
        await db.stop();
    });

    it("admin (AWS_IAM routes) creates, lists and reads applications and keys from 2.0 events", async () => {
        const created = await admin.handler(v2Event("POST", "/applications", { iam: true, body: Buffer.from(JSON.stringify({ Name: "Space Game" })).toString("base64"), isBase64Encoded: true }));
        assert.equal(created.statusCode, 200, created.body);
        const applicationId = JSON.parse(created.body).ApplicationId as string;
        const read = await admin.handler(v2Event("GET", "/applications/{applicationId}", { iam: true, path: `/applications/${applicationId}`, pathParameters: { applicationId } }));
        assert.deepEqual([read.statusCode, JSON.parse(read.body).ApplicationName], [200, "Space Game"], read.body);
        const listed = await admin.handler(v2Event("GET", "/applications", { iam: true, queryStringParameters: { limit: "1" } }));
        assert.equal(listed.statusCode, 200, listed.body);
        const wrongLimit = await admin.handler(v2Event("GET", "/applications", { iam: true, queryStringParameters: { limit: "zero" } }));
        assert.equal(wrongLimit.statusCode, 400, "the query string reaches the core");
        const bad = await admin.handler(v2Event("POST", "/applications", { iam: true, body: "{not json" }));
        assert.equal(bad.statusCode, 400);
        assert.match(JSON.parse(bad.body).error_detail, /^body: not valid JSON/);
    });

    it("the API-key authorizer answers simple responses: its own application for a valid key on any path, false for a bad or missing key", async () => {
        const created = await admin.handler(v2Event("POST", "/applications", { iam: true, body: JSON.stringify({ Name: "Keyed" }) }));
        const applicationId = JSON.parse(created.body).ApplicationId as string;
        const keyAnswer = await admin.handler(v2Event("POST", "/applications/{applicationId}/authorizations", {
            iam: true, path: `/applications/${applicationId}/authorizations`, pathParameters: { applicationId }, body: JSON.stringify({ Name: "k" }),
        }));
        assert.equal(keyAnswer.statusCode, 200, keyAnswer.body);
        const key = JSON.parse(keyAnswer.body) as { ApiKeyId: string; ApiKeyValue: string };
        const template = "/applications/{applicationId}/events";
        const allowed = await authorizer.handler(v2AuthorizerEvent(template, key.ApiKeyValue, applicationId));
        assert.deepEqual(allowed, { isAuthorized: true, context: { applicationId, apiKeyId: key.ApiKeyId } });
        const wrongPath = await authorizer.handler(v2AuthorizerEvent(template, key.ApiKeyValue, OTHER_APP));
        assert.deepEqual(wrongPath, allowed, "the answer depends on the key only (API Gateway caches it by the Authorization header)");
        assert.deepEqual(await authorizer.handler(v2AuthorizerEvent(template, "not-a-key", applicationId)), { isAuthorized: false });
        assert.deepEqual(await authorizer.handler(v2AuthorizerEvent(template, undefined, applicationId)), { isAuthorized: false });
    });

    it("events refuses a key of another application (403 naming the rule) and reports a bad body (400), with the origin's CORS headers", async () => {
        const template = "/applications/{applicationId}/events";
        const lambda = { applicationId: APP, apiKeyId: "k" };
        const other = await events.handler(v2Event("POST", template, { path: `/applications/${OTHER_APP}/events`, pathParameters: { applicationId: OTHER_APP }, lambda,
            headers: { origin: "https://game.example.com" }, body: JSON.stringify({ events: [sampleEvent()] }) }));
        assert.equal(other.statusCode, 403);
        assert.match(JSON.parse(other.body).error_detail, /^applicationId: the API key is not authorized for this application/);
        assert.equal(other.headers?.["Access-Control-Allow-Origin"], "https://game.example.com");
        const bad = await events.handler(v2Event("POST", template, { path: `/applications/${APP}/events`, pathParameters: { applicationId: APP }, lambda, body: JSON.stringify({ events: "x" }) }));
        assert.equal(bad.statusCode, 400, bad.body);
        assert.match(JSON.parse(bad.body).error_detail, /events/);
        const none = await events.handler(v2Event("POST", template, { path: `/applications/${APP}/events`, pathParameters: { applicationId: APP }, body: "{}" }));
        assert.deepEqual([none.statusCode, JSON.parse(none.body)], [403, { error: "AccessDenied" }], "no authorizer context: denied");
    });
});

describe("put-record and the player authorizer on 2.0 events (kinesalite, dynalite, dev issuer)", () => {
    let kinesis: KinesisFixture;
    let db: DynamoFixture;
    let issuer: DevIssuer;
    let authorize: ReturnType<typeof createPlayerAuthorizer>;
    const clock = new OffsetClock();
    const apiKey = generateApiKey();

    before(async () => {
        kinesis = await startKinesis();
        await kinesis.client.send(new CreateStreamCommand({ StreamName: "events", ShardCount: 1 }));
        db = await startDynamo();
        issuer = await startDevIssuer({ clock });
        authorize = await playerAuthorizerOnRegistry(db, issuer, clock, apiKey);
    });
    after(async () => {
        await issuer.close();
        await db.stop();
        await kinesis.stop();
    });

    it("names the route of a 2.0 authorizer event by its route key", () => {
        assert.equal(authorizedResource(v2AuthorizerEvent("/put-record", "t")), "/put-record");
        assert.equal(authorizedResource(v2AuthorizerEvent("/applications/{applicationId}/events", "t", APP)), "/applications/{applicationId}/events");
    });

    it("authorizes a player token on put-record with the player in the context, and answers false (API Gateway's 403) otherwise, never throwing", async () => {
        const token = await issuer.mintToken({ playerId: "player-42", applicationId: APP });
        const allowed = await authorize(v2AuthorizerEvent("/put-record", token));
        assert.equal(allowed.isAuthorized, true);
        assert.deepEqual({ ...allowed.context, expiresAt: typeof allowed.context?.expiresAt }, { credential: "JWT", applicationId: APP, playerId: "player-42", expiresAt: "number" });
        const expired = await issuer.mintToken({ playerId: "p", applicationId: APP, ttlSeconds: -300 });
        for (const authorization of [expired, apiKey.value, "Bearer x.y.z"]) {
            assert.deepEqual(await authorize(v2AuthorizerEvent("/put-record", authorization)), { isAuthorized: false });
        }
    });

    it("on the events route: a JWT where the application allows it, an API key where it allows keys, false otherwise", async () => {
        const template = "/applications/{applicationId}/events";
        const jwt = await issuer.mintToken({ playerId: "p", applicationId: APP });
        const allowed = await authorize(v2AuthorizerEvent(template, jwt, APP));
        assert.deepEqual([allowed.isAuthorized, allowed.context?.credential, allowed.context?.applicationId], [true, "JWT", APP]);
        assert.deepEqual(await authorize(v2AuthorizerEvent(template, jwt, OTHER_APP)), { isAuthorized: false });
        assert.deepEqual(await authorize(v2AuthorizerEvent(template, apiKey.value, KEYS_APP)),
            { isAuthorized: true, context: { credential: "API_KEY", applicationId: KEYS_APP, apiKeyId: "key-1" } });
    });

    it("put-record stores the player's event from a 2.0 event with the authorizer's context in the stream", async () => {
        const handle = createPutRecordHandler({ sink: () => new KinesisEventSink(kinesis.client, "events"), clock: { now: () => Date.now() } });
        const seed = JSON.stringify({ event_id: "00007", event_type: "Login", updated_at: "2024-02-22 03:03:02", event_data: "hi" });
        const res = await handle(v2Event("POST", "/put-record", { body: seed, lambda: { credential: "JWT", applicationId: APP, playerId: "player-9", expiresAt: 2_000_000_000 } }));
        assert.deepEqual([res.statusCode, res.body], [200, '"Successfully added event"']);
        const shard = (await kinesis.client.send(new DescribeStreamCommand({ StreamName: "events" }))).StreamDescription!.Shards![0]!.ShardId!;
        const { ShardIterator } = await kinesis.client.send(new GetShardIteratorCommand({ StreamName: "events", ShardId: shard, ShardIteratorType: "TRIM_HORIZON" }));
        const { Records } = await kinesis.client.send(new GetRecordsCommand({ ShardIterator }));
        const lines = (Records ?? []).flatMap((r) => Buffer.from(r.Data!).toString("utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l)));
        assert.equal(lines.length, 1);
        assert.deepEqual([lines[0].application_id, lines[0].player_id, lines[0].request_id, lines[0].source_event_id], [APP, "player-9", "JKJaXmPLvHcESHA=", "00007"]);
        const anonymous = await handle(v2Event("POST", "/put-record", { body: seed }));
        assert.deepEqual([anonymous.statusCode, anonymous.body], [401, '"Unauthorized"'], "without the player authorizer's context");
    });
});
