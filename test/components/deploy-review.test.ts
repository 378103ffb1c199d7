/**
 * The defects of the pre-deployment review (issue 17), each pinned under Pulumi mocks: resource
 * options captured by a transformation (replacement, protection, dependencies), and the inputs
 * AWS would reject or misread.
 */
import * as assert from "node:assert/strict";
import { dataFreshnessThresholdSeconds } from "../../components/aws/processing-tier";
import { GameAnalyticsPipeline, GameAnalyticsPipelineArgs } from "../../components/pipeline";
import { FIXED_NAME_STATELESS_TYPES, STATEFUL_TYPES } from "../../components/aws/replacement";
import { MockRecorder, RecordedResource, statementsOf, valueOf } from "../support/pulumi-mocks";
import { OptionsCapture } from "./resource-options";

const T = {
    firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    crawler: "aws:glue/crawler:Crawler",
    job: "aws:glue/job:Job",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    deployment: "aws:apigateway/deployment:Deployment",
    response: "aws:apigateway/response:Response",
    stage: "aws:apigateway/stage:Stage",
    methodSettings: "aws:apigateway/methodSettings:MethodSettings",
    account: "aws:apigateway/account:Account",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    fn: "aws:lambda/function:Function",
    table: "aws:dynamodb/table:Table",
    database: "aws:glue/catalogDatabase:CatalogDatabase",
};

interface Run { resources: RecordedResource[]; mocks: MockRecorder; options: OptionsCapture }

async function deploy(args: GameAnalyticsPipelineArgs): Promise<Run> {
    const mocks = new MockRecorder();
    await mocks.install();
    const options = new OptionsCapture();
    const pipeline = new GameAnalyticsPipeline("game1", args, { transformations: [options.transformation] });
    await valueOf(pipeline.dashboardUrl);
    return { resources: await mocks.settle(), mocks, options };
}

const PROD_KDS: GameAnalyticsPipelineArgs = { workloadName: "game1", ingestMode: "KINESIS_DATA_STREAMS", devMode: false, realTimeAnalytics: true };
const PROD_DIRECT: GameAnalyticsPipelineArgs = { workloadName: "game1", ingestMode: "DIRECT_BATCH", devMode: false, realTimeAnalytics: false };

describe("pre-deployment review (issue 17)", () => {
    let kds: Run;
    let direct: Run;
    before(async () => {
        kds = await deploy(PROD_KDS);
        direct = await deploy(PROD_DIRECT);
    });

    it("1. the crawler crawls new folders only with the one schema change policy Glue accepts (LOG/LOG)", () => {
        const crawler = kds.mocks.one(T.crawler, "-glue-crawler").inputs;
        assert.equal(crawler.recrawlPolicy.recrawlBehavior, "CRAWL_NEW_FOLDERS_ONLY");
        assert.deepEqual(crawler.schemaChangePolicy, { updateBehavior: "LOG", deleteBehavior: "LOG" });
    });

    it("2. logging in a fresh account: the stack sets the account's API Gateway CloudWatch role before the stage logs", () => {
        const account = kds.mocks.one(T.account, "-account");
        const role = kds.mocks.one(T.role, "-account-logging-role");
        assert.equal(account.inputs.cloudwatchRoleArn, `arn:aws:iam::111122223333:role/${role.inputs.name}`);
        assert.equal(statementsOf(role.inputs.assumeRolePolicy)[0]!.Principal && JSON.stringify(statementsOf(role.inputs.assumeRolePolicy)[0]!.Principal), JSON.stringify({ Service: "apigateway.amazonaws.com" }));
        // Account-wide: kept when the stack is destroyed.
        assert.equal(kds.options.one(T.account, "-account").retainOnDelete, true);
        assert.ok(kds.options.one(T.stage, "-stage").dependsOn.some((d) => d.startsWith(T.account)));
        assert.ok(kds.options.one(T.methodSettings, "-stage-settings").dependsOn.some((d) => d.startsWith(T.account)));
    });

    it("2. an account that already has the role: apiGatewayAccountRole false leaves the account setting alone", async () => {
        const run = await deploy({ ...PROD_DIRECT, apiGatewayAccountRole: false });
        assert.deepEqual(run.mocks.ofType(T.account), []);
        assert.ok(run.mocks.one(T.stage, "-stage").inputs.accessLogSettings.destinationArn);
    });

    it("3. stateless fixed-name resources are deleted before being replaced; an ingestMode switch keeps the same Firehose name", () => {
        const a = kds.mocks.one(T.firehose, "-firehose").inputs;
        const b = direct.mocks.one(T.firehose, "-firehose").inputs;
        // Switching ingestMode changes the replace-on-change Kinesis source under the same name.
        assert.equal(a.name, b.name);
        assert.notDeepEqual(a.kinesisSourceConfiguration, b.kinesisSourceConfiguration);
        for (const run of [kds, direct]) {
            const missing = run.options.all().filter((r) => FIXED_NAME_STATELESS_TYPES.includes(r.type) && !r.deleteBeforeReplace).map((r) => r.name);
            assert.deepEqual(missing, []);
        }
        assert.equal(kds.options.one(T.firehose, "-firehose").deleteBeforeReplace, true);
        assert.equal(kds.options.one(T.fn, "-transform-function").deleteBeforeReplace, true);
    });

    it("3. stateful resources are never deleted first; in production they are protected and retained", () => {
        const stateful = kds.options.all().filter((r) => STATEFUL_TYPES.includes(r.type));
        assert.ok(stateful.length >= 7, stateful.map((r) => r.name).join());
        assert.deepEqual(stateful.filter((r) => r.deleteBeforeReplace || !r.protect || !r.retainOnDelete).map((r) => r.name), []);
        // A setting that replaces the Glue database (eventsDatabase) meets a protected resource: the update fails safely.
        assert.equal(kds.options.one(T.database, "-database").protect, true);
    });

    it("3. development stacks stay destroyable (stateful resources not protected)", async () => {
        const dev = await deploy({ ...PROD_DIRECT, devMode: true });
        const stateful = dev.options.all().filter((r) => STATEFUL_TYPES.includes(r.type));
        assert.deepEqual(stateful.filter((r) => r.protect || r.retainOnDelete).map((r) => r.name), []);
    });

    it("4. Firehose's trust policy uses sts:ExternalId = the account (as Firehose documents), Glue's the documented one without condition", () => {
        const trust = (suffix: string) => statementsOf(kds.mocks.one(T.role, suffix).inputs.assumeRolePolicy)[0]!;
        assert.deepEqual(trust("-firehose-role").Condition, { StringEquals: { "sts:ExternalId": "111122223333" } });
        assert.equal(trust("-glue-role").Condition, undefined);
    });

    it("5. the deployment depends on every gateway response, the authorizer, methods and integrations", () => {
        const deps = kds.options.one(T.deployment, "-deployment").dependsOn;
        for (const type of [T.response, "aws:apigateway/authorizer:Authorizer", "aws:apigateway/method:Method", "aws:apigateway/integration:Integration", "aws:apigateway/integrationResponse:IntegrationResponse"]) {
            const all = kds.mocks.ofType(type).map((r) => `${type}::${r.name}`);
            assert.ok(all.length > 0 && all.every((n) => deps.includes(n)), `${type}: ${all.filter((n) => !deps.includes(n)).join()}`);
        }
    });

    it("5. editing what the stage serves changes the redeploy trigger (CORS origins of the gateway responses)", async () => {
        const hash = (run: Run) => run.mocks.one(T.deployment, "-deployment").inputs.triggers.definition;
        const other = await deploy({ ...PROD_DIRECT, corsAllowOrigins: ["https://game.example.com"] });
        assert.notEqual(hash(direct), hash(other));
        const responses = other.mocks.ofType(T.response).map((r) => r.inputs.responseParameters["gatewayresponse.header.Access-Control-Allow-Origin"]);
        assert.ok(responses.every((v) => v === "'https://game.example.com'"));
        const same = await deploy(PROD_DIRECT);
        assert.equal(hash(direct), hash(same), "the trigger is stable when nothing changes");
    });

    it("6. the freshness alarm threshold is above what the buffers produce (1.5 x 900 s + 60 s processor buffer)", () => {
        const alarm = kds.mocks.one(T.alarm, "-alarm-firehose-data-freshness").inputs;
        assert.equal(alarm.threshold, 1710);
        assert.ok(alarm.threshold > 1.5 * 900 + 60);
        assert.equal(dataFreshnessThresholdSeconds(60), 450);
    });

    it("7. logLevel WARN keeps Lambda's log filter at INFO (EMF lines carry no level) and WARN in Powertools", async () => {
        const run = await deploy({ ...PROD_KDS, logLevel: "WARN" });
        const fns = run.mocks.ofType(T.fn);
        assert.ok(fns.length >= 5);
        assert.deepEqual([...new Set(fns.map((f) => f.inputs.loggingConfig.applicationLogLevel))], ["INFO"]);
        assert.deepEqual([...new Set(fns.map((f) => f.inputs.environment.variables.POWERTOOLS_LOG_LEVEL))], ["WARN"]);
        const debug = await deploy({ ...PROD_DIRECT, logLevel: "DEBUG" });
        assert.deepEqual([...new Set(debug.mocks.ofType(T.fn).map((f) => f.inputs.loggingConfig.applicationLogLevel))], ["DEBUG"]);
    });

    it("11. the execution log group exists with retention and encryption before the stage settings turn logging on", () => {
        const group = kds.mocks.one(T.logGroup, "-execution-logs").inputs;
        assert.equal(group.name, "API-Gateway-Execution-Logs_game1-ingest-api-id/live");
        assert.equal(group.retentionInDays, 30);
        assert.match(group.kmsKeyId, /^arn:aws:kms:/);
        assert.ok(kds.options.one(T.methodSettings, "-stage-settings").dependsOn.includes(`${T.logGroup}::game1-ingest-execution-logs`));
    });

    it("13. Firehose, the Glue job and the crawler are created after their role's inline policy", () => {
        assert.ok(kds.options.one(T.firehose, "-firehose").dependsOn.some((d) => d.endsWith("-firehose-policy")));
        assert.ok(kds.options.one(T.job, "-glue-job").dependsOn.some((d) => d.endsWith("-glue-policy")));
        assert.ok(kds.options.one(T.crawler, "-glue-crawler").dependsOn.some((d) => d.endsWith("-glue-policy")));
    });
});
