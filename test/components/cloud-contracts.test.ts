/**
 * The cloud split (issue 11): the `cloud` setting, the neutral settings apart from AWS's own
 * rules, the contracts at the bottom of the import graph (no cloud SDK, no cloud folder), no AWS
 * tier importing another tier, and operations reading real-time health metrics from the real-time
 * tier's outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { awsAccess } from "../../components/aws/access";
import { OperationsTier } from "../../components/aws/operations-tier";
import { awsSettingsProblems } from "../../components/aws/settings";
import type { IngestTierOutputs, ProcessingTierOutputs, RealTimeTierOutputs, RegistryTierOutputs } from "../../components/contracts";
import { AVAILABLE_CLOUDS, checkSettings, SettingsError, validateSettings } from "../../components/contracts/settings";
import { DEPLOYMENT_OPTION_KEYS, GameAnalyticsPipeline, validatePipelineArgs } from "../../components/pipeline";
import { MockRecorder, valueOf } from "../support/pulumi-mocks";

const ROOT = path.resolve(__dirname, "..", "..");

/** Relative and package imports of a TypeScript file. */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]!);
}

function tsFiles(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith(".ts")).map((f) => path.join(ROOT, dir, f));
}

/** Problems of a SettingsError thrown by `run`, as `key: rule`. */
function problemsOf(run: () => unknown): string[] {
    try {
        run();
    } catch (error) {
        if (error instanceof SettingsError) return error.problems.map((p) => `${p.key}: ${p.rule}`);
        throw error;
    }
    return [];
}

describe("cloud setting", () => {
    it("defaults to aws and accepts aws and gcp", () => {
        assert.equal(validateSettings({ workloadName: "g" }).cloud, "aws");
        assert.equal(validateSettings({ workloadName: "g", cloud: "aws" }).cloud, "aws");
        assert.deepEqual(AVAILABLE_CLOUDS, ["aws", "gcp"]);
    });

    it("accepts gcp (issue 14), and refuses any other name listing both clouds", () => {
        assert.equal(validateSettings({ workloadName: "g", cloud: "gcp" }).cloud, "gcp");
        assert.equal(validatePipelineArgs({ workloadName: "g", cloud: "gcp" }).cloud, "gcp");
        assert.deepEqual(problemsOf(() => validateSettings({ workloadName: "g", cloud: "azure" })), ["cloud: must be one of aws, gcp"]);
        assert.deepEqual(problemsOf(() => validateSettings({ workloadName: "g", cloud: 3 })), ["cloud: must be one of aws, gcp"]);
    });

    it("builds gcp through GameAnalyticsPipeline (test/gcp/stack-program.test.ts asserts its resources)", async () => {
        const mocks = new MockRecorder();
        await mocks.install();
        const pipeline = new GameAnalyticsPipeline("g", { workloadName: "g", cloud: "gcp", realTimeAnalytics: false });
        assert.equal(pipeline.settings.cloud, "gcp");
        assert.equal(pipeline.aws, undefined);
        const resources = await mocks.settle();
        assert.ok(resources.length > 0 && resources.every((r) => !r.type.startsWith("aws:")));
    });
});

describe("neutral settings and AWS's own rules", () => {
    it("keeps CloudWatch's retention list and cron(...) out of the neutral rules", () => {
        const { settings, problems } = checkSettings({ workloadName: "g", cloudWatchRetentionDays: "10", etlSchedule: "every 1 hours" });
        assert.deepEqual(problems, []);
        assert.deepEqual(awsSettingsProblems(settings).map((p) => p.key), ["cloudWatchRetentionDays", "etlSchedule"]);
        // The neutral range still holds.
        assert.deepEqual(problemsOf(() => validateSettings({ workloadName: "g", cloudWatchRetentionDays: "4000" })),
            ["cloudWatchRetentionDays: must be a whole number from 1 to 3653"]);
    });

    it("lists the neutral and the AWS problems in one error, neutral first, with today's messages", () => {
        const problems = problemsOf(() => validatePipelineArgs({ workloadName: "1-bad", cloudWatchRetentionDays: 10, etlSchedule: "rate(1 hour)", tracing: "yes", logLevel: "LOUD" }));
        assert.deepEqual(problems.map((p) => p.split(":")[0]), ["workloadName", "cloudWatchRetentionDays", "etlSchedule", "tracing", "logLevel"]);
        assert.ok(problems.includes("cloudWatchRetentionDays: must be one of the retention periods CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"));
        assert.ok(problems.includes("etlSchedule: must be a schedule expression like cron(0 * * * ? *)"));
        assert.ok(problems.includes("tracing: must be true or false"));
    });

    it("knows the deployment option keys of the stack files", () => {
        assert.deepEqual([...DEPLOYMENT_OPTION_KEYS].sort(), ["apiAccessLogging", "apiGatewayAccountRole", "logLevel",
            "redshiftBaseCapacityRpu", "redshiftManageAuditLogGroups", "redshiftSubnetIds", "redshiftUsageLimitBreachAction", "redshiftUsageLimitRpuHoursPerDay",
            "redshiftUsageLimitRpuHoursPerWeek", "redshiftVpcId", "tracing"]);
    });
});

describe("import graph of components/", () => {
    it("contracts import no cloud SDK and no cloud folder (only @pulumi/pulumi, node built-ins and each other)", () => {
        for (const file of tsFiles("components/contracts")) {
            for (const spec of importsOf(file)) {
                assert.ok(spec === "@pulumi/pulumi" || spec.startsWith("node:") || /^\.\/[a-z-]+$/.test(spec),
                    `${path.relative(ROOT, file)} imports ${spec}`);
            }
        }
    });

    it("no AWS tier imports another tier, and nothing under components/aws imports the neutral pipeline", () => {
        const tiers = ["storage-tier", "event-stream", "registry-tables", "processing-tier", "ingest-tier", "realtime-tier", "operations-tier"];
        for (const file of tsFiles("components/aws")) {
            const base = path.basename(file, ".ts");
            for (const spec of importsOf(file)) {
                assert.notEqual(spec, "../pipeline", `${base} imports the neutral pipeline`);
                if (base !== "pipeline" && spec.startsWith("./")) {
                    assert.ok(!tiers.includes(spec.slice(2)) || spec.slice(2) === base, `${base} imports the tier ${spec}`);
                }
            }
        }
    });
});

describe("operations tier through the contracts", () => {
    it("alarms on the health metrics the real-time outputs name (not a list of its own)", async () => {
        const mocks = new MockRecorder();
        await mocks.install();
        const name = (n: string): pulumi.Output<string> => pulumi.output(n);
        const registry: RegistryTierOutputs = {
            applicationsTableName: name("apps"), authorizationsTableName: name("auths"),
            applications: awsAccess(name("arn:aws:dynamodb:us-east-1:111122223333:table/apps")),
            authorizations: awsAccess(name("arn:aws:dynamodb:us-east-1:111122223333:table/auths")),
        };
        const ingest: IngestTierOutputs = {
            apiUrl: name("https://x"), eventsEndpoint: name("https://x/e"), adminAccessName: name("admin"), adminAccessId: name("arn:admin"),
            apiName: name("api"), stageName: name("live"), functions: { "events-ingest": name("events-fn") },
        };
        const processing: ProcessingTierOutputs = {
            deliveryName: name("delivery"), delivery: awsAccess(name("arn:delivery")), bufferingSeconds: 100,
            transformFunctionName: name("transform-fn"), batchWorkflowName: name("wf"), functions: { "events-processing": name("transform-fn") },
        };
        const realTime: RealTimeTierOutputs = {
            metricsNamespace: "Custom/ns", functionName: name("rt-fn"), functions: { "realtime-metrics": name("rt-fn") },
            healthMetrics: [{ metricName: "WidgetsLost", statistic: "Sum", threshold: 7, description: "widgets lost" }],
        };
        new OperationsTier("ops", { workloadName: "g", ingest, processing, registry, realTime }, {});
        const alarms = (await mocks.settle()).filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
        const rt = alarms.filter((a) => a.name.startsWith("ops-alarm-realtime-") && a.name !== "ops-alarm-realtime-iterator-age");
        assert.deepEqual(rt.map((a) => [a.name, a.inputs.namespace, a.inputs.metricName, a.inputs.threshold]), [["ops-alarm-realtime-widgetslost", "Custom/ns", "WidgetsLost", 7]]);
        // Freshness threshold derived from the processing outputs: delivery's longest hold + one 300 s period.
        const freshness = alarms.find((a) => a.inputs.metricName === "DeliveryToS3.DataFreshness");
        assert.equal(freshness?.inputs.threshold, 400);
        // Every watched function of every tier gets its error alarm.
        assert.deepEqual(alarms.filter((a) => /-errors$/.test(a.name) && a.name.includes("lambda")).map((a) => a.name).sort(),
            ["ops-alarm-lambda-events-ingest-errors", "ops-alarm-lambda-events-processing-errors", "ops-alarm-lambda-realtime-metrics-errors"]);
    });

    it("exposes the neutral outputs of every tier on GameAnalyticsPipeline", async () => {
        const mocks = new MockRecorder();
        await mocks.install();
        const pipeline = new GameAnalyticsPipeline("g", { workloadName: "g", realTimeAnalytics: true });
        assert.ok(pipeline.aws !== undefined);
        assert.equal(pipeline.tiers.stream?.stream.cloud, "aws");
        assert.match(await valueOf(pipeline.tiers.stream!.stream.id), /^arn:aws:kinesis:/);
        assert.match(await valueOf(pipeline.tiers.storage.lake.id), /^arn:aws:s3:::/);
        assert.equal(await valueOf(pipeline.adminPolicyArn), await valueOf(pipeline.tiers.ingest.adminAccessId));
        assert.deepEqual(pipeline.tiers.realTime?.healthMetrics.map((m) => m.metricName), ["MalformedRecords", "DedupSaturated", "EventLagSeconds"]);
        await mocks.settle();
    });
});
