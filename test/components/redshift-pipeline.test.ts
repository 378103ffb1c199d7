/**
 * The whole pipeline with `dataStack: REDSHIFT` under Pulumi mocks: the warehouse tier is wired to
 * the stream (private workgroup, no NAT gateway, usage limits, the setup statements in order), the
 * lake keeps the raw copy, and the policy pack (with the Redshift rules) passes.
 */
import * as assert from "node:assert/strict";
import { GameAnalyticsPipeline } from "../../components/pipeline";
import { setupStatementNames } from "../../components/aws/warehouse-tier";
import { SettingsError } from "../../components/contracts/settings";
import { checkResources } from "../../policy/rules";
import { sinkForMode } from "../../functions/aws/handlers/events";
import { MockRecorder, RecordedResource, valueOf } from "../support/pulumi-mocks";

const T = {
    workgroup: "aws:redshiftserverless/workgroup:Workgroup",
    namespace: "aws:redshiftserverless/namespace:Namespace",
    limit: "aws:redshiftserverless/usageLimit:UsageLimit",
    statement: "aws:redshiftdata/statement:Statement",
    nat: "aws:ec2/natGateway:NatGateway",
    vpc: "awsx:ec2:Vpc",
    firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
};

describe("GameAnalyticsPipeline (REDSHIFT, prod)", () => {
    const mocks = new MockRecorder();
    let resources: RecordedResource[];
    let pipeline: GameAnalyticsPipeline;

    before(async () => {
        await mocks.install();
        pipeline = new GameAnalyticsPipeline("game1", { workloadName: "game1", dataStack: "REDSHIFT", realTimeAnalytics: false, devMode: false });
        await valueOf(pipeline.dashboardUrl);
        await valueOf(pipeline.warehouse!.endpoint);
        resources = await mocks.settle();
    });

    it("passes every rule of the policy pack, the Redshift rules included", () => {
        const violations = checkResources(resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, id: r.id, props: r.inputs })));
        assert.deepEqual(violations, []);
    });

    it("builds a private workgroup with enhanced VPC routing in a new VPC without NAT gateway", () => {
        const wg = mocks.one(T.workgroup, "-warehouse-workgroup").inputs;
        assert.deepEqual([wg.publiclyAccessible, wg.enhancedVpcRouting, wg.baseCapacity, wg.workgroupName], [false, true, 4, "game1-warehouse"]);
        assert.deepEqual(wg.subnetIds, ["subnet-a", "subnet-b", "subnet-c"]);
        assert.equal(mocks.ofType(T.vpc).length, 1);
        assert.equal(mocks.ofType(T.vpc)[0]!.inputs.natGateways?.strategy, "None");
        assert.equal(mocks.ofType(T.nat).length, 0);
    });

    it("limits compute per day and per week, deactivating at the limit", () => {
        const limits = mocks.ofType(T.limit).map((r) => [r.inputs.period, r.inputs.amount, r.inputs.breachAction, r.inputs.usageType]);
        assert.deepEqual(limits.sort(), [["daily", 8, "deactivate", "serverless-compute"], ["weekly", 40, "deactivate", "serverless-compute"]]);
    });

    it("runs the 16 setup statements in order against the workgroup, reading the pipeline's stream", () => {
        const statements = mocks.ofType(T.statement);
        assert.equal(statements.length, 16);
        assert.deepEqual(statements.map((r) => r.name), setupStatementNames().map((n) => `game1-warehouse-sql-${n}`));
        assert.ok(statements.every((r) => r.inputs.workgroupName === "game1-warehouse" && r.inputs.database === "analytics"));
        assert.ok(statements.some((r) => /"game1-events"/.test(r.inputs.sql)), "a statement reads the pipeline's stream");
    });

    it("keeps the raw copy in the lake (the stream archiver reading the stream, no Firehose) and protects the namespace in production", () => {
        const mapping = mocks.one("aws:lambda/eventSourceMapping:EventSourceMapping", "-processing-archiver-stream-mapping").inputs;
        assert.ok(mapping.eventSourceArn.endsWith("stream/game1-events"));
        assert.equal(mapping.maximumBatchingWindowInSeconds, 300, "production: Lambda's longest batching window");
        assert.equal(mocks.ofType(T.firehose).length, 0, "no Firehose: it bills each one-event record as 5 KB");
        assert.equal(mocks.ofType(T.namespace).length, 1);
    });

    it("has the events function put one event per Kinesis record (the materialized view parses one JSON document per record)", () => {
        const events = mocks.ofType("aws:lambda/function:Function").filter((f) => f.inputs.environment?.variables?.STREAM_NAME !== undefined);
        assert.equal(events.length, 1);
        assert.equal(events[0]!.inputs.environment.variables.KINESIS_PACK_EVENTS, "false");
        const env = { INGEST_MODE: "KINESIS_DATA_STREAMS", STREAM_NAME: "s" };
        assert.equal(sinkForMode({ ...env, ...events[0]!.inputs.environment.variables }).packsEvents, false);
        assert.equal(sinkForMode(env).packsEvents, true);
        assert.throws(() => sinkForMode({ ...env, KINESIS_PACK_EVENTS: "no" }), /KINESIS_PACK_EVENTS must be true or false/);
    });

    it("alarms on the daily usage limit and the stream lag, and shows the warehouse on the dashboard", async () => {
        const alarms = mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
        const usage = alarms.find((r) => r.name.endsWith("-alarm-warehouse-usage-limit"))!.inputs;
        assert.deepEqual([usage.namespace, usage.metricName, usage.dimensions, usage.threshold], ["AWS/Redshift-Serverless", "ComputeSeconds", { Workgroup: "game1-warehouse" }, 8 * 3600]);
        const lag = alarms.find((r) => r.name.endsWith("-alarm-warehouse-refresh-lag"))!.inputs;
        assert.deepEqual([lag.namespace, lag.dimensions], ["AWS/Kinesis", { StreamName: "game1-events" }]);
        const body = JSON.parse(mocks.one("aws:cloudwatch/dashboard:Dashboard", "-dashboard").inputs.dashboardBody);
        assert.ok(body.widgets.some((w: any) => w.properties?.title === "Warehouse RPUs in use and RPU-hours"));
    });

    it("exposes the warehouse outputs", async () => {
        const outputs = pipeline.outputs();
        assert.equal(await valueOf(outputs.warehouseDatabase!), "analytics");
        assert.equal(await valueOf(outputs.warehouseEndpoint!), "game1-warehouse.111122223333.us-east-1.redshift-serverless.amazonaws.com");
        assert.match(await valueOf(outputs.warehouseSecretArn!), /^arn:aws:secretsmanager:us-east-1:111122223333:secret:redshift!game1-warehouse-admin/);
        assert.equal(await valueOf(outputs.warehouseQueryEditorUrl!), "https://us-east-1.console.aws.amazon.com/sqlworkbench/home?region=us-east-1#/client");
    });
});

describe("GameAnalyticsPipeline: REDSHIFT settings", () => {
    const mocks = new MockRecorder();
    beforeEach(() => mocks.install());

    it("still refuses DIRECT_BATCH with REDSHIFT and REDSHIFT with ICEBERG", () => {
        assert.throws(() => new GameAnalyticsPipeline("g", { workloadName: "g1", ingestMode: "DIRECT_BATCH", dataStack: "REDSHIFT", realTimeAnalytics: false }),
            (e: unknown) => e instanceof SettingsError && /REDSHIFT requires ingestMode KINESIS_DATA_STREAMS/.test(e.message));
        assert.throws(() => new GameAnalyticsPipeline("g", { workloadName: "g1", dataStack: "REDSHIFT", tableFormat: "ICEBERG", realTimeAnalytics: false }),
            (e: unknown) => e instanceof SettingsError && /ICEBERG applies to the DATA_LAKE data stack only/.test(e.message));
    });

    it("names each bad warehouse option and its rule", () => {
        assert.throws(() => new GameAnalyticsPipeline("g", { workloadName: "g1", dataStack: "REDSHIFT", realTimeAnalytics: false,
            redshiftBaseCapacityRpu: "12", redshiftUsageLimitBreachAction: "stop", redshiftVpcId: "vpc-0abc" }), (e: unknown) =>
            e instanceof SettingsError && e.problems.map((p) => p.key).sort().join() === "redshiftBaseCapacityRpu,redshiftSubnetIds,redshiftUsageLimitBreachAction,redshiftUsageLimitRpuHoursPerDay");
    });

    it("uses the studio's VPC when given, and builds no VPC", async () => {
        const p = new GameAnalyticsPipeline("g", { workloadName: "g1", dataStack: "REDSHIFT", realTimeAnalytics: false,
            redshiftVpcId: "vpc-0abc1234", redshiftSubnetIds: "subnet-1,subnet-2,subnet-3" });
        await valueOf(p.warehouse!.endpoint);
        await mocks.settle();
        assert.equal(mocks.ofType(T.vpc).length, 0);
        assert.deepEqual(mocks.one(T.workgroup, "-warehouse-workgroup").inputs.subnetIds, ["subnet-1", "subnet-2", "subnet-3"]);
    });
});
