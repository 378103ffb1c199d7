/**
 * The whole AWS pipeline under Pulumi mocks with each real-time destination (and DIRECT_BATCH,
 * which has no real-time tier): the resources of the OPENSEARCH option and their security
 * properties, and the policy-pack rules of OpenSearch Serverless with breaking examples.
 */
import * as assert from "node:assert/strict";
import { GameAnalyticsPipeline, type GameAnalyticsPipelineArgs } from "../../components/pipeline";
import { METRICS_COLLECTION_TYPE, METRICS_INDEX } from "../../components/aws/opensearch/metrics-collection";
import { OPENSEARCH_UI_SOURCE_SERVICE, WRITER_INDEX_PERMISSIONS } from "../../components/aws/opensearch/policies";
import { LAMBDA_VPC_ACCESS_POLICY } from "../../components/aws/lambda-function";
import { OPENSEARCH_ENDPOINT, OPENSEARCH_INDEX, REALTIME_DESTINATION } from "../../functions/core/environment-names";
import { checkResources } from "../../policy/rules";
import { OPENSEARCH_RESOURCE_RULES, OPENSEARCH_STACK_RULES, OPENSEARCH_TYPES } from "../../policy/rules/opensearch";
import type { ResourceFacts } from "../../policy/rules/types";
import { OPENSEARCH_CASES } from "../policy/opensearch-cases";
import { asList, MockRecorder, type RecordedResource, statementsOf, valueOf } from "../support/pulumi-mocks";

const T = {
    ...OPENSEARCH_TYPES,
    vpcEndpoint: "aws:opensearch/serverlessVpcEndpoint:ServerlessVpcEndpoint",
    application: "aws:opensearch/application:Application",
    fn: "aws:lambda/function:Function",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    key: "aws:kms/key:Key",
};

async function build(args: Omit<GameAnalyticsPipelineArgs, "workloadName">): Promise<MockRecorder> {
    const mocks = new MockRecorder();
    await mocks.install();
    const pipeline = new GameAnalyticsPipeline("g", { workloadName: "Game1", ...args });
    await valueOf(pipeline.dashboardUrl);
    await mocks.settle();
    return mocks;
}

const facts = (resources: RecordedResource[]): ResourceFacts[] => resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, id: r.id, props: JSON.parse(JSON.stringify(r.inputs)) }));

describe("real-time destinations under Pulumi mocks", function () {
    this.timeout(120_000);
    const stacks: Record<string, MockRecorder> = {};

    before(async () => {
        stacks.cloudwatch = await build({ ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: true });
        stacks.opensearch = await build({ ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: true, realTimeDestination: "OPENSEARCH", devMode: false });
        stacks.opensearchDev = await build({ ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: true, realTimeDestination: "OPENSEARCH", devMode: true });
        stacks.directBatch = await build({ ingestMode: "DIRECT_BATCH", realTimeAnalytics: false });
    });

    it("every stack passes every rule of the policy pack", () => {
        for (const [label, mocks] of Object.entries(stacks)) assert.deepEqual(checkResources(facts(mocks.resources)), [], label);
    });

    it("CLOUDWATCH and DIRECT_BATCH create no OpenSearch resource, no VPC for the function; CLOUDWATCH keeps its CloudWatch dashboard", () => {
        for (const label of ["cloudwatch", "directBatch"]) {
            const m = stacks[label]!;
            assert.deepEqual(m.resources.filter((r) => r.type.startsWith("aws:opensearch/")).map((r) => r.name), [], label);
            assert.deepEqual(m.ofType(T.attachment).filter((r) => r.inputs.policyArn === LAMBDA_VPC_ACCESS_POLICY).map((r) => r.name), [], label);
        }
        assert.equal(stacks.cloudwatch!.ofType(T.dashboard).filter((d) => d.name.endsWith("realtime-dashboard")).length, 1);
        const env = stacks.cloudwatch!.one(T.fn, "realtime-metrics-function").inputs.environment.variables;
        assert.equal(env[REALTIME_DESTINATION], undefined);
    });

    it("OPENSEARCH: a SEARCH collection (ids kept) with standby replicas in production and not in development", () => {
        const prod = stacks.opensearch!.one(T.collection, "opensearch-collection").inputs;
        const dev = stacks.opensearchDev!.one(T.collection, "opensearch-collection").inputs;
        assert.deepEqual([prod.name, prod.type, prod.standbyReplicas, dev.standbyReplicas], ["game1-rt-metrics", METRICS_COLLECTION_TYPE, "ENABLED", "DISABLED"]);
    });

    it("OPENSEARCH: encryption with the tier's own rotating customer-managed key, and a network policy with no public access", () => {
        const m = stacks.opensearch!;
        const key = m.one(T.key, "opensearch-key");
        assert.equal(key.inputs.enableKeyRotation, true);
        const encryption = JSON.parse(m.ofType(T.securityPolicy).find((p) => p.inputs.type === "encryption")!.inputs.policy);
        assert.deepEqual(encryption, { Rules: [{ ResourceType: "collection", Resource: ["collection/game1-rt-metrics"] }], AWSOwnedKey: false, KmsARN: `arn:aws:kms:us-east-1:111122223333:key/${key.name}` });
        const endpoint = m.one(T.vpcEndpoint, "opensearch-vpc-endpoint");
        const network = JSON.parse(m.ofType(T.securityPolicy).find((p) => p.inputs.type === "network")!.inputs.policy);
        assert.deepEqual(network.map((s: Record<string, unknown>) => [s.Rules, s.AllowFromPublic, s.SourceVPCEs, s.SourceServices]), [
            [[{ ResourceType: "collection", Resource: ["collection/game1-rt-metrics"] }], false, [endpoint.id], [OPENSEARCH_UI_SOURCE_SERVICE]],
        ]);
        assert.deepEqual(endpoint.inputs.subnetIds, ["subnet-a", "subnet-b", "subnet-c"]);
    });

    it("OPENSEARCH: the function runs in the VPC, writes through the endpoint, and is the only principal of the data access policy", () => {
        const m = stacks.opensearch!;
        const fn = m.one(T.fn, "realtime-metrics-function").inputs;
        const collection = m.one(T.collection, "opensearch-collection");
        const endpoint = `https://${collection.name}-id.us-east-1.aoss.amazonaws.com`;
        assert.deepEqual([fn.environment.variables[REALTIME_DESTINATION], fn.environment.variables[OPENSEARCH_ENDPOINT], fn.environment.variables[OPENSEARCH_INDEX]], ["OPENSEARCH", endpoint, METRICS_INDEX]);
        assert.deepEqual(fn.vpcConfig.subnetIds, ["subnet-a", "subnet-b", "subnet-c"]);
        assert.equal(fn.vpcConfig.securityGroupIds.length, 1);
        assert.ok(m.ofType(T.attachment).some((a) => a.inputs.policyArn === LAMBDA_VPC_ACCESS_POLICY));
        const aoss = statementsOf(m.one(T.rolePolicy, "realtime-metrics-policy").inputs.policy).filter((s) => asList(s.Action).some((a) => a.startsWith("aoss:")));
        assert.deepEqual(aoss.map((s) => [s.Action, s.Resource]), [[["aoss:APIAccessAll"], [`arn:aws:aoss:us-east-1:111122223333:collection/${collection.name}-id`]]]);
        const data = JSON.parse(m.one(T.accessPolicy, "opensearch-data-access").inputs.policy);
        const role = m.one("aws:iam/role:Role", "realtime-metrics-role");
        assert.deepEqual(data, [{
            Description: "The real-time metrics function writes its index",
            Rules: [
                { ResourceType: "index", Resource: [`index/game1-rt-metrics/${METRICS_INDEX}`], Permission: [...WRITER_INDEX_PERMISSIONS] },
                { ResourceType: "collection", Resource: ["collection/game1-rt-metrics"], Permission: ["aoss:DescribeCollectionItems"] },
            ],
            Principal: [`arn:aws:iam::111122223333:role/${role.inputs.name}`],
        }]);
    });

    it("OPENSEARCH: an OpenSearch UI application on the collection, an alarm on OpenSearchWriteErrors, no CloudWatch real-time dashboard", () => {
        const m = stacks.opensearch!;
        const ui = m.one(T.application, "opensearch-ui").inputs;
        const collection = m.one(T.collection, "opensearch-collection");
        assert.deepEqual([ui.dataSources[0].dataSourceArn, ui.iamIdentityCenterOptions.enabled, typeof ui.kmsKeyArn], [`arn:aws:aoss:us-east-1:111122223333:collection/${collection.name}-id`, false, "string"]);
        const alarm = m.ofType(T.alarm).find((a) => a.inputs.metricName === "OpenSearchWriteErrors");
        assert.ok(alarm, "an alarm on OpenSearchWriteErrors");
        assert.deepEqual([alarm.inputs.namespace, alarm.inputs.statistic, alarm.inputs.threshold, alarm.inputs.comparisonOperator], ["GameAnalytics/Game1", "Sum", 0, "GreaterThanThreshold"]);
        assert.deepEqual(m.ofType(T.dashboard).filter((d) => d.name.endsWith("realtime-dashboard")), []);
    });
});

describe("policy rules: OpenSearch Serverless", function () {
    this.timeout(120_000);
    let stack: ResourceFacts[];
    const fresh = (): ResourceFacts[] => JSON.parse(JSON.stringify(stack));
    const violations = (s: ResourceFacts[], rule: string): string[] => [
        ...OPENSEARCH_RESOURCE_RULES.filter((r) => r.name === rule).flatMap((r) => s.filter((x) => r.types.includes(x.type)).flatMap((x) => r.check(x))),
        ...OPENSEARCH_STACK_RULES.filter((r) => r.name === rule).flatMap((r) => r.check(s).map((v) => v.message)),
    ];

    before(async () => {
        stack = facts((await build({ ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: true, realTimeDestination: "OPENSEARCH" })).resources);
    });

    it("every OpenSearch rule has a breaking example", () => {
        const covered = new Set(OPENSEARCH_CASES.map((c) => c.rule));
        assert.deepEqual([...OPENSEARCH_RESOURCE_RULES, ...OPENSEARCH_STACK_RULES].map((r) => r.name).filter((n) => !covered.has(n)), []);
    });

    for (const c of OPENSEARCH_CASES) {
        it(`${c.rule} reports ${c.breaks}`, () => {
            const s = fresh();
            assert.deepEqual(violations(s, c.rule), [], "passes before the change");
            c.mutate(s);
            const found = violations(s, c.rule);
            assert.ok(found.some((v) => c.expect.test(v)), found.join("\n") || "no violation");
        });
    }
});
