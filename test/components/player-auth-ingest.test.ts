/**
 * The AWS ingest tier with an OIDC issuer (issue 16), under Pulumi mocks, in both ingest modes:
 * the player-token authorizer (TTL 0, Authorization header), /put-record and its function, the
 * events route behind the player authorizer, the deployment's trigger covering them, the
 * authorizer's least-privilege role, the Lambda permissions, every policy-pack rule; and
 * stacks without an issuer unchanged. Then the new policy rules on failing and passing cases.
 */
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { IngestMode } from "../../components/contracts/settings";
import { GameAnalyticsPipeline } from "../../components/pipeline";
import { checkResources } from "../../policy/rules";
import { apiAuthorizerTtlExplicit, playerTokenAuthorizerUncached } from "../../policy/rules/player-auth";
import { TYPES } from "../../policy/rules/types";
import { asList, MockRecorder, type RecordedResource, statementsOf } from "../support/pulumi-mocks";

const OIDC = { oidcIssuerUrl: "https://id.studio.example.com", oidcAudience: "gamebackend", oidcApplicationClaim: "app_id", oidcClockSkewSeconds: 30 };
const T = {
    authorizer: "aws:apigateway/authorizer:Authorizer",
    resource: "aws:apigateway/resource:Resource",
    method: "aws:apigateway/method:Method",
    integration: "aws:apigateway/integration:Integration",
    fn: "aws:lambda/function:Function",
    permission: "aws:lambda/permission:Permission",
    role: "aws:iam/role:Role",
    response: "aws:apigateway/response:Response",
    deployment: "aws:apigateway/deployment:Deployment",
};

async function capture(ingestMode: IngestMode, oidc: boolean): Promise<{ resources: RecordedResource[]; trigger: string; pipeline: GameAnalyticsPipeline }> {
    const mocks = new MockRecorder();
    await mocks.install();
    const pipeline = new GameAnalyticsPipeline("game1", {
        workloadName: "game1", ingestMode, realTimeAnalytics: ingestMode === "KINESIS_DATA_STREAMS", ...(oidc ? OIDC : {}),
    });
    const resources = [...(await mocks.settle())];
    const deployment = resources.filter((r) => r.type === T.deployment);
    assert.equal(deployment.length, 1);
    return { resources, trigger: deployment[0]!.inputs.triggers.definition, pipeline };
}

const one = (resources: RecordedResource[], type: string, suffix: string): RecordedResource => {
    const found = resources.filter((r) => r.type === type && r.name.endsWith(suffix));
    assert.equal(found.length, 1, `one ${type} *${suffix}: ${found.map((r) => r.name).join(", ")}`);
    return found[0]!;
};

for (const ingestMode of ["KINESIS_DATA_STREAMS", "DIRECT_BATCH"] as const) {
    describe(`ingest tier with an OIDC issuer (${ingestMode})`, function () {
        this.timeout(60_000);
        let resources: RecordedResource[];
        let trigger: string;
        let plainTrigger: string;
        let plain: RecordedResource[];
        let pipeline: GameAnalyticsPipeline;

        before(async () => {
            ({ resources: plain, trigger: plainTrigger } = await capture(ingestMode, false));
            ({ resources, trigger, pipeline } = await capture(ingestMode, true));
        });

        it("creates the player-token authorizer: REQUEST on the Authorization header, API Gateway cache off", () => {
            const authorizer = one(resources, T.authorizer, "-player-token-authorizer");
            assert.equal(authorizer.inputs.name, "player-token");
            assert.equal(authorizer.inputs.type, "REQUEST");
            assert.equal(authorizer.inputs.identitySource, "method.request.header.Authorization");
            assert.equal(authorizer.inputs.authorizerResultTtlInSeconds, 0);
            assert.match(authorizer.inputs.authorizerUri, /function:game1-player-authorizer\/invocations$/);
        });

        it("serves POST /put-record through the put-record function behind the player authorizer, and the events route too", () => {
            const resource = one(resources, T.resource, "-resource-put-record");
            assert.equal(resource.inputs.pathPart, "put-record");
            assert.equal(resource.inputs.parentId, "root0001");
            const method = one(resources, T.method, "-post-put-record");
            assert.equal(method.inputs.authorization, "CUSTOM");
            assert.equal(method.inputs.authorizerId, "game1-ingest-player-token-authorizer-id");
            assert.equal(method.inputs.requestValidatorId, undefined, "the events body validator is the events route's only");
            const integration = one(resources, T.integration, "-post-put-record-integration");
            assert.equal(integration.inputs.type, "AWS_PROXY");
            assert.match(integration.inputs.uri, /function:game1-put-record\/invocations$/);
            const events = one(resources, T.method, "-post-applications-applicationid-events");
            assert.equal(events.inputs.authorizerId, "game1-ingest-player-token-authorizer-id", "the events route takes a JWT or an API key");
        });

        it("puts the new route and authorizer into the deployment's trigger (a change redeploys)", () => {
            assert.notEqual(trigger, plainTrigger);
            const served = pipeline.aws!.ingest.servedDefinition;
            assert.ok((served.routes as Array<{ path: string }>).some((r) => r.path === "/put-record"));
            assert.ok((served.authorizer as Array<{ name: string }>).some((r) => r.name === "player-token"));
            assert.ok((served.integrations as Array<{ route: string }>).some((r) => r.route === "POST /put-record"));
            assert.equal(trigger.length, createHash("sha256").digest("hex").length);
        });

        it("gives the authorizer GetItem on the two registry tables only, and the issuer settings in its environment", () => {
            const fn = one(resources, T.fn, "-player-authorizer-function");
            const variables = fn.inputs.environment.variables;
            assert.equal(variables.OIDC_ISSUER_URL, "https://id.studio.example.com");
            assert.equal(variables.OIDC_AUDIENCE, "gamebackend");
            assert.equal(variables.OIDC_APPLICATION_CLAIM, "app_id");
            assert.equal(variables.OIDC_CLOCK_SKEW_SECONDS, "30");
            assert.equal(variables.OIDC_PLAYER_ID_CLAIM, "sub");
            const roleName = String(fn.inputs.role).split("/").pop();
            const role = resources.find((r) => r.type === T.role && r.inputs.name === roleName)!;
            const statements = [
                ...(role.inputs.inlinePolicies ?? []).flatMap((p: { policy: string }) => statementsOf(p.policy)),
                ...resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === roleName).flatMap((r) => statementsOf(r.inputs.policy)),
            ];
            const data = statements.filter((s) => asList(s.Action).some((a) => a.startsWith("dynamodb:")));
            assert.deepEqual(data.flatMap((s) => asList(s.Action)).sort(), ["dynamodb:GetItem", "dynamodb:GetItem"]);
            assert.deepEqual(data.flatMap((s) => asList(s.Resource)).map((r) => r.split("/").pop()).sort(), ["game1-applications", "game1-authorizations"]);
            for (const s of statements) for (const a of asList(s.Action)) assert.doesNotMatch(a, /\*/);
        });

        it("lets the put-record function write to the destination only", () => {
            const fn = one(resources, T.fn, "-put-record-function");
            assert.equal(fn.inputs.environment.variables.INGEST_MODE, ingestMode);
            const roleName = String(fn.inputs.role).split("/").pop();
            const actions = resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === roleName)
                .flatMap((r) => statementsOf(r.inputs.policy)).flatMap((s) => asList(s.Action)).filter((a) => !a.startsWith("logs:") && !a.startsWith("xray:"));
            assert.deepEqual(actions.filter((a) => !a.startsWith("kms:")), [ingestMode === "DIRECT_BATCH" ? "firehose:PutRecordBatch" : "kinesis:PutRecords"]);
        });

        it("lets API Gateway invoke the authorizer for its authorizer and put-record for its route only", () => {
            const invoke = one(resources, T.permission, "-player-authorizer-invoke");
            assert.equal(invoke.inputs.sourceArn, "arn:aws:execute-api:us-east-1:111122223333:api0001/authorizers/game1-ingest-player-token-authorizer-id");
            const putRecord = one(resources, T.permission, "-put-record-invoke");
            assert.equal(putRecord.inputs.sourceArn, "arn:aws:execute-api:us-east-1:111122223333:api0001/*/POST/put-record");
        });

        it("answers the seeds' \"Unauthorized\" on /put-record and keeps the API's 401 body elsewhere", () => {
            const template = one(resources, T.response, "-response-unauthorized").inputs.responseTemplates["application/json"];
            assert.match(template, /^#if\(\$context\.resourcePath == "\/put-record"\)"Unauthorized"#else\{"error":"Unauthorized"/);
            const before = one(plain, T.response, "-response-unauthorized").inputs.responseTemplates["application/json"];
            assert.equal(before, `{"error":"Unauthorized","error_detail":"send the API key in the Authorization header"}`);
        });

        it("passes every rule of the policy pack", () => {
            assert.deepEqual(checkResources(resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, id: r.id, props: r.inputs }))), []);
        });

        it("a stack without an issuer has no put-record route, function or player authorizer", () => {
            assert.equal(plain.filter((r) => r.name.includes("put-record") || r.name.includes("player")).length, 0);
            assert.equal(one(plain, T.method, "-post-applications-applicationid-events").inputs.authorizerId, "game1-ingest-api-key-authorizer-id");
        });
    });
}

describe("policy rules of player-token authorizers", () => {
    const authorizer = (props: Record<string, unknown>) => ({ type: TYPES.apiAuthorizer, name: "a", props: { type: "REQUEST", identitySource: "method.request.header.Authorization", ...props } });

    it("api-authorizer-ttl-explicit: refuses an unset or out-of-range TTL and a cached authorizer without identity source", () => {
        assert.equal(apiAuthorizerTtlExplicit.check(authorizer({})).length, 1);
        assert.match(apiAuthorizerTtlExplicit.check(authorizer({}))[0]!, /300 s/);
        assert.equal(apiAuthorizerTtlExplicit.check(authorizer({ authorizerResultTtlInSeconds: 3601 })).length, 1);
        assert.equal(apiAuthorizerTtlExplicit.check(authorizer({ authorizerResultTtlInSeconds: 60, identitySource: "" })).length, 1);
        assert.deepEqual(apiAuthorizerTtlExplicit.check(authorizer({ authorizerResultTtlInSeconds: 60 })), []);
        assert.deepEqual(apiAuthorizerTtlExplicit.check(authorizer({ authorizerResultTtlInSeconds: 0, identitySource: undefined })), []);
        assert.deepEqual(apiAuthorizerTtlExplicit.check({ type: TYPES.apiAuthorizer, name: "c", props: { type: "COGNITO_USER_POOLS" } }), []);
    });

    it("player-token-authorizer-uncached: the player-token authorizer must have TTL 0", () => {
        assert.equal(playerTokenAuthorizerUncached.check(authorizer({ name: "player-token", authorizerResultTtlInSeconds: 60 })).length, 1);
        assert.equal(playerTokenAuthorizerUncached.check(authorizer({ name: "player-token" })).length, 1, "unset = 300 s");
        assert.deepEqual(playerTokenAuthorizerUncached.check(authorizer({ name: "player-token", authorizerResultTtlInSeconds: 0 })), []);
        assert.deepEqual(playerTokenAuthorizerUncached.check(authorizer({ name: "api-key", authorizerResultTtlInSeconds: 60 })), []);
    });
});
