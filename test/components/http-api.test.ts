/**
 * `aws.apiType: HTTP` under Pulumi mocks, over the matrix {DIRECT_BATCH, KINESIS_DATA_STREAMS} x
 * {OIDC issuer, none} x {CORS origins, no CORS}: the HTTP API (protocolType HTTP, CORS
 * configuration), Lambda proxy integrations (payload 2.0, 30 s), the same routes as the REST API
 * with their authorizers (REQUEST, payload 2.0, simple responses, Authorization header, TTLs), a
 * stage with access logs (retention, the lake key, the JSON format), throttling and autoDeploy,
 * the Lambda permissions scoped to the API's routes, the outputs, the admin policy, no REST API
 * resource, the operations tier's alarms and dashboard on the HTTP API's metrics, every rule of
 * the policy pack; then the HTTP API rules' breaking examples on that stack, and the option's
 * validation.
 */
import * as assert from "node:assert/strict";
import { IngestTier } from "../../components/aws/ingest-tier";
import type { IngestMode } from "../../components/contracts/settings";
import { GameAnalyticsPipeline, validatePipelineArgs } from "../../components/pipeline";
import { SettingsError } from "../../components/contracts/settings";
import { checkResources } from "../../policy/rules";
import type { ResourceFacts } from "../../policy/rules/types";
import { ADMIN_ROUTES, EVENTS, PUT_RECORD } from "../../functions/core/routes";
import { HTTP_API_CASES } from "../policy/http-api-cases";
import { MockRecorder, type RecordedResource, statementsOf, valueOf } from "../support/pulumi-mocks";

const OIDC = { oidcIssuerUrl: "https://id.studio.example.com", oidcAudience: "gamebackend", oidcApplicationClaim: "app_id" };
const ORIGINS = ["https://game.example.com", "https://play.example.com"];
const T = {
    api: "aws:apigatewayv2/api:Api",
    stage: "aws:apigatewayv2/stage:Stage",
    route: "aws:apigatewayv2/route:Route",
    authorizer: "aws:apigatewayv2/authorizer:Authorizer",
    integration: "aws:apigatewayv2/integration:Integration",
    permission: "aws:lambda/permission:Permission",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    policy: "aws:iam/policy:Policy",
};
const EXEC = "arn:aws:execute-api:us-east-1:111122223333:http0001";
const ADMIN_ROUTE_KEYS = Object.entries(ADMIN_ROUTES).flatMap(([path, methods]) => methods.map((m) => `${m} ${path}`));

interface Built { resources: RecordedResource[]; pipeline: GameAnalyticsPipeline; bare: IngestTier }

/** The pipeline with the HTTP API and CORS origins, plus a second ingest tier without CORS on the same registry and target. */
async function build(ingestMode: IngestMode, issuer: boolean): Promise<Built> {
    const mocks = new MockRecorder();
    await mocks.install();
    const pipeline = new GameAnalyticsPipeline("game1", {
        workloadName: "game1", ingestMode, realTimeAnalytics: false, apiStageName: "v1", authorizerCacheTtlSeconds: 120,
        apiThrottlingRateLimit: 150, apiThrottlingBurstLimit: 300, cloudWatchRetentionDays: 14, corsAllowOrigins: ORIGINS,
        aws: { apiType: "HTTP" }, ...(issuer ? OIDC : {}),
    });
    const tiers = pipeline.aws!;
    const bare = new IngestTier("bare-ingest", {
        workloadName: "bare", registry: tiers.registry, corsAllowOrigins: [], apiType: "HTTP", stageName: "live",
        target: tiers.stream ? { ingestMode: "KINESIS_DATA_STREAMS", stream: tiers.stream } : { ingestMode: "DIRECT_BATCH", processing: tiers.processing },
        ...(issuer ? { oidc: { issuerUrl: OIDC.oidcIssuerUrl, audiences: ["gamebackend"], playerIdClaim: "sub", applicationClaim: "app_id", clockSkewSeconds: 60, algorithms: ["RS256"] } } : {}),
    });
    await valueOf(pipeline.dashboardUrl);
    return { resources: [...(await mocks.settle())], pipeline, bare };
}

const of = (resources: RecordedResource[], type: string, prefix: string) => resources.filter((r) => r.type === type && r.name.startsWith(prefix));
const only = (resources: RecordedResource[], type: string, prefix: string): RecordedResource => {
    const found = of(resources, type, prefix);
    assert.equal(found.length, 1, `one ${type} ${prefix}*: ${found.map((r) => r.name).join(", ")}`);
    return found[0]!;
};
const facts = (resources: RecordedResource[]): ResourceFacts[] => resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, id: r.id, props: JSON.parse(JSON.stringify(r.inputs)) as Record<string, unknown> }));

for (const ingestMode of ["DIRECT_BATCH", "KINESIS_DATA_STREAMS"] as const) {
    for (const issuer of [false, true]) {
        describe(`HTTP API ingest (${ingestMode}, ${issuer ? "OIDC issuer" : "API keys only"})`, function () {
            this.timeout(120_000);
            let built: Built;
            before(async () => { built = await build(ingestMode, issuer); });

            for (const [label, prefix, cors] of [["CORS origins", "game1-ingest", ORIGINS], ["no CORS", "bare-ingest", undefined]] as const) {
                describe(label, () => {
                    it("creates one HTTP API with the CORS configuration of the origins (none without them), and no REST API resource", () => {
                        const api = only(built.resources, T.api, prefix);
                        assert.equal(api.inputs.protocolType, "HTTP");
                        if (cors === undefined) assert.equal(api.inputs.corsConfiguration, undefined);
                        else {
                            assert.deepEqual(api.inputs.corsConfiguration.allowOrigins, ORIGINS);
                            assert.deepEqual(api.inputs.corsConfiguration.allowMethods, ["OPTIONS", "POST"]);
                            assert.ok(api.inputs.corsConfiguration.allowHeaders.includes("Authorization"));
                        }
                        assert.deepEqual(built.resources.filter((r) => r.type.startsWith("aws:apigateway/")).map((r) => r.name), [],
                            "no REST API, stage, method, gateway response or account setting");
                    });

                    it("integrates each function with an AWS_PROXY integration, payload format 2.0, 30 s", () => {
                        const integrations = of(built.resources, T.integration, prefix);
                        const expected = issuer ? ["admin", "events", "put-record"] : ["admin", "events"];
                        assert.deepEqual(integrations.map((i) => i.name.replace(`${prefix}-http-`, "").replace("-integration", "")).sort(), expected);
                        for (const i of integrations) {
                            assert.equal(i.inputs.integrationType, "AWS_PROXY");
                            assert.equal(i.inputs.payloadFormatVersion, "2.0");
                            assert.equal(i.inputs.timeoutMilliseconds, 30_000);
                            assert.equal(i.inputs.integrationMethod, "POST");
                        }
                        const workload = prefix === "bare-ingest" ? "bare" : "game1";
                        assert.match(only(built.resources, T.integration, `${prefix}-http-events`).inputs.integrationUri, new RegExp(`function:${workload}-events-ingest/invocations$`));
                        assert.match(only(built.resources, T.integration, `${prefix}-http-admin`).inputs.integrationUri, new RegExp(`function:${workload}-admin-api/invocations$`));
                    });

                    it("serves the REST API's routes: admin on AWS_IAM, events on the (player) authorizer, /put-record with an issuer", () => {
                        const routes = of(built.resources, T.route, prefix);
                        const keys = routes.map((r) => r.inputs.routeKey).sort();
                        assert.deepEqual(keys, [...ADMIN_ROUTE_KEYS, `POST ${EVENTS}`, ...(issuer ? [`POST ${PUT_RECORD}`] : [])].sort());
                        const integrationId = (target: string) => `integrations/${only(built.resources, T.integration, `${prefix}-http-${target}`).id}`;
                        for (const r of routes.filter((x) => ADMIN_ROUTE_KEYS.includes(x.inputs.routeKey))) {
                            assert.equal(r.inputs.authorizationType, "AWS_IAM");
                            assert.equal(r.inputs.authorizerId, undefined);
                            assert.equal(r.inputs.target, integrationId("admin"));
                        }
                        const events = routes.find((r) => r.inputs.routeKey === `POST ${EVENTS}`)!;
                        assert.equal(events.inputs.authorizationType, "CUSTOM");
                        assert.equal(events.inputs.authorizerId, `${prefix}-http-${issuer ? "player-token" : "api-key"}-authorizer-id`);
                        assert.equal(events.inputs.target, integrationId("events"));
                        if (issuer) {
                            const putRecord = routes.find((r) => r.inputs.routeKey === `POST ${PUT_RECORD}`)!;
                            assert.equal(putRecord.inputs.authorizerId, `${prefix}-http-player-token-authorizer-id`);
                            assert.equal(putRecord.inputs.target, integrationId("put-record"));
                        }
                    });

                    it("creates REQUEST authorizers on the Authorization header, payload 2.0, simple responses; API-key TTL from the settings, player TTL 0", () => {
                        const authorizers = of(built.resources, T.authorizer, prefix);
                        assert.deepEqual(authorizers.map((a) => a.inputs.name).sort(), issuer ? ["api-key", "player-token"] : ["api-key"]);
                        for (const a of authorizers) {
                            assert.equal(a.inputs.authorizerType, "REQUEST");
                            assert.equal(a.inputs.authorizerPayloadFormatVersion, "2.0");
                            assert.equal(a.inputs.enableSimpleResponses, true);
                            assert.deepEqual(a.inputs.identitySources, ["$request.header.Authorization"]);
                        }
                        const ttl = (name: string) => authorizers.find((a) => a.inputs.name === name)!.inputs.authorizerResultTtlInSeconds;
                        assert.equal(ttl("api-key"), prefix === "bare-ingest" ? 60 : 120);
                        if (issuer) assert.equal(ttl("player-token"), 0);
                    });

                    it("deploys a stage with access logs (retention, the lake key, the JSON format), throttling and autoDeploy, no execution logs", () => {
                        const stage = only(built.resources, T.stage, prefix);
                        const group = only(built.resources, T.logGroup, `${prefix}-http-access-logs`);
                        assert.equal(stage.inputs.name, prefix === "bare-ingest" ? "live" : "v1");
                        assert.equal(stage.inputs.autoDeploy, true);
                        assert.equal(stage.inputs.deploymentId, undefined);
                        assert.equal(stage.inputs.accessLogSettings.destinationArn, `arn:aws:logs:us-east-1:111122223333:log-group:${group.inputs.name}`);
                        const format = JSON.parse(stage.inputs.accessLogSettings.format);
                        for (const key of ["requestId", "ip", "routeKey", "status", "responseLatency", "integrationLatency", "integrationError", "authorizerError"]) assert.ok(format[key], key);
                        assert.equal(format.routeKey, "$context.routeKey");
                        assert.equal(format.integrationError, "$context.integrationErrorMessage");
                        if (prefix === "game1-ingest") {
                            assert.deepEqual(stage.inputs.defaultRouteSettings, { throttlingRateLimit: 150, throttlingBurstLimit: 300, detailedMetricsEnabled: false });
                            assert.equal(group.inputs.retentionInDays, 14);
                            assert.match(group.inputs.kmsKeyId, /^arn:aws:kms:us-east-1:111122223333:key\//);
                            assert.match(group.inputs.name, /^\/aws\/apigateway\/game1-http-api\/v1$/);
                        }
                        assert.equal(stage.inputs.defaultRouteSettings.loggingLevel, undefined);
                    });

                    it("lets API Gateway invoke each function for its own routes only, and each authorizer for its authorizer", () => {
                        const permissions = of(built.resources, T.permission, `${prefix}-http-`);
                        for (const p of permissions) {
                            assert.equal(p.inputs.principal, "apigateway.amazonaws.com");
                            assert.ok(p.inputs.sourceArn.startsWith(`${EXEC}/`), p.inputs.sourceArn);
                            assert.doesNotMatch(p.inputs.sourceArn, /\/\*\/\*\//, "no any-method wildcard");
                        }
                        assert.equal(permissions.filter((p) => p.name.includes("-http-admin-invoke-")).length, ADMIN_ROUTE_KEYS.length);
                        assert.equal(only(built.resources, T.permission, `${prefix}-http-events-invoke`).inputs.sourceArn, `${EXEC}/*/POST/applications/*/events`);
                        assert.equal(only(built.resources, T.permission, `${prefix}-http-admin-invoke-delete-applications-applicationid-authorizations-apikeyid`).inputs.sourceArn,
                            `${EXEC}/*/DELETE/applications/*/authorizations/*`);
                        assert.equal(only(built.resources, T.permission, `${prefix}-http-authorizer-invoke`).inputs.sourceArn, `${EXEC}/authorizers/${prefix}-http-api-key-authorizer-id`);
                        if (issuer) {
                            assert.equal(only(built.resources, T.permission, `${prefix}-http-player-authorizer-invoke`).inputs.sourceArn, `${EXEC}/authorizers/${prefix}-http-player-token-authorizer-id`);
                            assert.equal(only(built.resources, T.permission, `${prefix}-http-put-record-invoke`).inputs.sourceArn, `${EXEC}/*/POST/put-record`);
                        } else {
                            assert.equal(of(built.resources, T.permission, `${prefix}-http-put-record`).length, 0);
                        }
                    });
                });
            }

            it("outputs the stage's URL, the events endpoint and an admin policy on the HTTP API's admin routes", async () => {
                const ingest = built.pipeline.aws!.ingest;
                assert.equal(await valueOf(ingest.apiUrl), "https://http0001.execute-api.us-east-1.amazonaws.com/v1");
                assert.equal(await valueOf(ingest.eventsEndpoint), "https://http0001.execute-api.us-east-1.amazonaws.com/v1/applications/{applicationId}/events");
                assert.equal(await valueOf(ingest.stageName), "v1");
                assert.equal(ingest.api, undefined);
                const policy = built.resources.find((r) => r.type === T.policy && r.name === "game1-ingest-admin-access")!;
                const resources = statementsOf(policy.inputs.policy).flatMap((s) => s.Resource);
                assert.equal(resources.length, ADMIN_ROUTE_KEYS.length);
                assert.ok(resources.includes(`${EXEC}/v1/GET/applications`));
                assert.ok(resources.includes(`${EXEC}/v1/PUT/applications/*/authorizations/*`));
            });

            it("alarms and charts the HTTP API's metrics: ApiId and Stage, 4xx and 5xx", () => {
                const rate = (suffix: string) => only(built.resources, T.alarm, `game1-operations-alarm-api-${suffix}-rate`);
                for (const [suffix, metric] of [["4xx", "4xx"], ["5xx", "5xx"]] as const) {
                    const queries = rate(suffix).inputs.metricQueries as Array<{ id: string; metric?: { namespace: string; metricName: string; dimensions: Record<string, string> } }>;
                    const errors = queries.find((q) => q.id === "errors")!.metric!;
                    assert.equal(errors.namespace, "AWS/ApiGateway");
                    assert.equal(errors.metricName, metric);
                    assert.deepEqual(errors.dimensions, { ApiId: "game1-ingest-http-api-id", Stage: "v1" });
                    assert.deepEqual(queries.find((q) => q.id === "requests")!.metric!.dimensions, { ApiId: "game1-ingest-http-api-id", Stage: "v1" });
                }
                const body = JSON.parse(only(built.resources, T.dashboard, "game1-operations").inputs.dashboardBody) as { widgets: Array<{ properties: { metrics?: unknown[][] } }> };
                const apiMetrics = body.widgets.flatMap((w) => w.properties.metrics ?? []).filter((m) => m[0] === "AWS/ApiGateway");
                assert.deepEqual(apiMetrics.map((m) => m[1]), ["Count", "4xx", "5xx", "Latency", "IntegrationLatency"]);
                for (const m of apiMetrics) assert.deepEqual(m.slice(2, 6), ["ApiId", "game1-ingest-http-api-id", "Stage", "v1"]);
            });

            it("passes every rule of the policy pack", () => {
                assert.deepEqual(checkResources(facts(built.resources)).map((v) => `${v.rule}: ${v.message}`), []);
            });

            if (issuer && ingestMode === "KINESIS_DATA_STREAMS") {
                for (const c of HTTP_API_CASES) {
                    it(`${c.rule} reports: ${c.breaks}`, () => {
                        const stack = facts(built.resources.filter((r) => !r.name.startsWith("bare-")));
                        assert.deepEqual(checkResources(stack).filter((v) => v.rule === c.rule), [], "passes before the change");
                        c.mutate(stack);
                        const found = checkResources(stack).filter((v) => v.rule === c.rule);
                        assert.ok(found.length > 0, `expected a ${c.rule} violation`);
                        assert.ok(found.some((v) => c.expect.test(v.message)), found.map((v) => v.message).join("\n"));
                    });
                }
            }
        });
    }
}

describe("aws.apiType", () => {
    it("defaults to REST and reads HTTP from the namespace", async () => {
        const mocks = new MockRecorder();
        await mocks.install();
        const pipeline = new GameAnalyticsPipeline("game1", { workloadName: "game1", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false });
        assert.ok(pipeline.aws!.ingest.api, "REST by default");
        assert.equal(pipeline.aws!.ingest.httpApi, undefined);
        assert.equal(pipeline.aws!.ingest.apiMetrics, undefined);
        const resources = await mocks.settle();
        assert.equal(resources.filter((r) => r.type.startsWith("aws:apigatewayv2/")).length, 0);
    });

    it("refuses the REST API's request validation on an HTTP API, naming validateEventsBody", async () => {
        const mocks = new MockRecorder();
        await mocks.install();
        const pipeline = new GameAnalyticsPipeline("game1", { workloadName: "game1", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false });
        const tiers = pipeline.aws!;
        assert.throws(() => new IngestTier("v-ingest", { workloadName: "v", registry: tiers.registry, target: { ingestMode: "DIRECT_BATCH", processing: tiers.processing },
            apiType: "HTTP", validateEventsBody: true }), /^Error: validateEventsBody: applies to the REST API only/);
        await mocks.settle();
    });

    it("refuses another value, naming aws.apiType and the two accepted ones", () => {
        assert.throws(() => validatePipelineArgs({ workloadName: "game1", aws: { apiType: "WEBSOCKET" } }),
            (e: unknown) => e instanceof SettingsError && e.problems.some((p) => p.key === "aws.apiType" && p.value === "WEBSOCKET" && /must be REST or HTTP/.test(p.rule)));
        assert.throws(() => validatePipelineArgs({ workloadName: "game1", aws: { apiType: "http" } }), /aws\.apiType/);
        validatePipelineArgs({ workloadName: "game1", aws: { apiType: "HTTP" } });
        validatePipelineArgs({ workloadName: "game1", aws: '{"apiType":"REST"}' });
    });
});
