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
import { AVAILABLE_CLOUDS, checkSettings, validateSettings } from "../../components/contracts/settings";
import { DEPLOYMENT_OPTION_KEYS, GameAnalyticsPipeline, validatePipelineArgs } from "../../components/pipeline";
import { MockRecorder, valueOf } from "../support/pulumi-mocks";
import type * as C from "../../components/contracts";
import { describeSchedule } from "../../components/contracts/schedule";
import type { SettingsProblem } from "../../components/contracts/settings";
import type { AwsPipeline } from "../../components/aws/pipeline";
import { EventStream, type AwsStreamWiring, type EventStreamArgs } from "../../components/aws/event-stream";
import { IngestTier, type AwsIngestWiring, type IngestTierArgs } from "../../components/aws/ingest-tier";
import type { OperationsTierArgs as AwsOperationsTierArgs } from "../../components/aws/operations-tier";
import { ProcessingTier, type AwsProcessingWiring, type ProcessingTierArgs } from "../../components/aws/processing-tier";
import { RealTimeTier, type AwsRealTimeWiring, type RealTimeTierArgs } from "../../components/aws/realtime-tier";
import { RegistryTables, type AwsRegistryWiring, type RegistryTablesArgs } from "../../components/aws/registry-tables";
import { glueSchedule } from "../../components/aws/schedule";
import { readAwsSettings } from "../../components/aws/settings";
import { StorageTier, type AwsStorageWiring, type StorageTierArgs } from "../../components/aws/storage-tier";
import { WarehouseTier, type AwsWarehouseTierOptions, type WarehouseTierArgs } from "../../components/aws/warehouse-tier";
import type { GcpIngestTier, GcpIngestTierArgs, GcpIngestWiring } from "../../components/gcp/ingest-tier";
import type { GcpOperationsTier, GcpOperationsTierArgs, GcpOperationsWiring } from "../../components/gcp/operations-tier";
import type { GcpPipeline } from "../../components/gcp/pipeline";
import type { GcpProcessingTier, GcpProcessingTierArgs, GcpProcessingWiring } from "../../components/gcp/processing-tier";
import type { GcpRealTimeTier, GcpRealTimeTierArgs, GcpRealTimeWiring } from "../../components/gcp/realtime-tier";
import type { GcpRegistryTier, GcpRegistryTierArgs } from "../../components/gcp/registry-tier";
import { readGcpSettings } from "../../components/gcp/settings";
import type { GcpStorageTier, GcpStorageTierArgs } from "../../components/gcp/storage-tier";
import { GcpStreamTier, type GcpStreamTierArgs, type GcpStreamWiring } from "../../components/gcp/stream-tier";
import { problemsOf } from "../support/settings-problems";

const ROOT = path.resolve(__dirname, "..", "..");

/** Relative and package imports of a TypeScript file. */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]!);
}

function tsFiles(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith(".ts")).map((f) => path.join(ROOT, dir, f));
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
    it("keeps CloudWatch's retention list and Glue's cron(...) syntax out of the neutral rules", () => {
        const { settings, problems } = checkSettings({ workloadName: "g", cloudWatchRetentionDays: "10", etlSchedule: "rate(1 hour)" });
        assert.deepEqual(problems, []);
        assert.deepEqual(settings.etlSchedule, { expression: "rate(1 hour)" });
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
        assert.deepEqual([...DEPLOYMENT_OPTION_KEYS].sort(), ["apiAccessLogging", "apiGatewayAccountRole", "aws", "gcp", "icebergOptimizerLogGroups", "logLevel",
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

// ---------------------------------------------------------------------------------------------
// Every tier of every cloud against its contract, checked by the compiler: `npm test` runs
// `tsc --noEmit`, so a tier whose arguments stop extending its contract's, or whose outputs stop
// satisfying it, fails the build. The runtime assertions only keep mocha honest about it.

/** true when A is assignable to B. */
type Extends<A, B> = [A] extends [B] ? true : false;
/** Keys of A that are neither in the contract C nor in the cloud's wiring part W. */
type Stray<A, C, W> = Exclude<keyof A, keyof C | keyof W>;
const holds = <T extends true>(): T => true as T;
const none = <T extends never>(): [T] extends [never] ? true : false => true as never;

describe("tier contracts, compile-time", () => {
    it("every AWS tier's arguments are its contract's plus a separate AWS wiring part, and its class satisfies the contract outputs", () => {
        const checks: true[] = [
            holds<Extends<StorageTierArgs, C.StorageTierArgs>>(), none<Stray<StorageTierArgs, C.StorageTierArgs, AwsStorageWiring>>(), holds<Extends<StorageTier, C.StorageTierOutputs>>(),
            holds<Extends<EventStreamArgs, C.StreamTierArgs>>(), none<Stray<EventStreamArgs, C.StreamTierArgs, AwsStreamWiring>>(), holds<Extends<EventStream, C.StreamTierOutputs>>(),
            holds<Extends<RegistryTablesArgs, C.RegistryTierArgs>>(), none<Stray<RegistryTablesArgs, C.RegistryTierArgs, AwsRegistryWiring>>(), holds<Extends<RegistryTables, C.RegistryTierOutputs>>(),
            holds<Extends<ProcessingTierArgs, C.ProcessingTierArgs>>(), none<Stray<ProcessingTierArgs, C.ProcessingTierArgs, AwsProcessingWiring>>(), holds<Extends<ProcessingTier, C.ProcessingTierOutputs>>(),
            holds<Extends<IngestTierArgs, C.IngestTierArgs>>(), none<Stray<IngestTierArgs, C.IngestTierArgs, AwsIngestWiring>>(), holds<Extends<IngestTier, C.IngestTierOutputs>>(),
            holds<Extends<RealTimeTierArgs, C.RealTimeTierArgs>>(), none<Stray<RealTimeTierArgs, C.RealTimeTierArgs, AwsRealTimeWiring>>(), holds<Extends<RealTimeTier, C.RealTimeTierOutputs>>(),
            holds<Extends<WarehouseTierArgs, C.WarehouseTierArgs>>(), none<Stray<WarehouseTierArgs, C.WarehouseTierArgs, AwsWarehouseTierOptions>>(), holds<Extends<WarehouseTier, C.WarehouseTierOutputs>>(),
            holds<Extends<AwsOperationsTierArgs, C.OperationsTierArgs>>(), holds<Extends<OperationsTier, C.OperationsTierOutputs>>(),
            holds<Extends<AwsPipeline, C.PipelineTiers>>(),
        ];
        assert.equal(checks.length, 24);
    });

    it("every GCP tier's arguments are its contract's (narrowed to the GCP tiers' outputs) plus a separate GCP wiring part, and its class satisfies the contract outputs", () => {
        const checks: true[] = [
            holds<Extends<GcpStorageTierArgs, C.StorageTierArgs>>(), holds<Extends<GcpStorageTier, C.StorageTierOutputs>>(),
            holds<Extends<GcpRegistryTierArgs, C.RegistryTierArgs>>(), holds<Extends<GcpRegistryTier, C.RegistryTierOutputs>>(),
            holds<Extends<GcpStreamTierArgs, C.StreamTierArgs>>(), none<Stray<GcpStreamTierArgs, C.StreamTierArgs, GcpStreamWiring>>(), holds<Extends<GcpStreamTier, C.StreamTierOutputs>>(),
            holds<Extends<GcpProcessingTierArgs, C.ProcessingTierArgs>>(), none<Stray<GcpProcessingTierArgs, C.ProcessingTierArgs, GcpProcessingWiring>>(), holds<Extends<GcpProcessingTier, C.ProcessingTierOutputs>>(),
            holds<Extends<GcpIngestTierArgs, C.IngestTierArgs>>(), none<Stray<GcpIngestTierArgs, C.IngestTierArgs, GcpIngestWiring>>(), holds<Extends<GcpIngestTier, C.IngestTierOutputs>>(),
            holds<Extends<GcpRealTimeTierArgs, C.RealTimeTierArgs>>(), none<Stray<GcpRealTimeTierArgs, C.RealTimeTierArgs, GcpRealTimeWiring>>(), holds<Extends<GcpRealTimeTier, C.RealTimeTierOutputs>>(),
            holds<Extends<GcpOperationsTierArgs, C.OperationsTierArgs>>(), none<Stray<GcpOperationsTierArgs, C.OperationsTierArgs, GcpOperationsWiring>>(), holds<Extends<GcpOperationsTier, C.OperationsTierOutputs>>(),
            holds<Extends<GcpPipeline, C.PipelineTiers>>(),
        ];
        assert.equal(checks.length, 20);
    });

    it("a GCP tier refuses, by name, a contract argument Google Cloud cannot honour", async () => {
        const mocks = new MockRecorder();
        await mocks.install();
        assert.throws(() => new GcpStreamTier("s", { workloadName: "g", region: "europe-west1", dataKey: undefined as never, shardCount: 2 }),
            /^Error: GcpStreamTier: shardCount is not supported on gcp: Pub\/Sub has no shards$/);
        assert.throws(() => new GcpStreamTier("s", { workloadName: "g", region: "europe-west1", dataKey: undefined as never, provisioned: true }),
            /provisioned is not supported on gcp/);
        await mocks.settle();
    });
});

describe("etlSchedule: a neutral interval, the cloud's expression still accepted", () => {
    const glueTrigger = async (etlSchedule: string | C.BatchSchedule): Promise<unknown> => {
        const mocks = new MockRecorder();
        await mocks.install();
        new GameAnalyticsPipeline("g", { workloadName: "g", realTimeAnalytics: false, etlSchedule });
        const triggers = (await mocks.settle()).filter((r) => r.type === "aws:glue/trigger:Trigger" && r.inputs.type === "SCHEDULED");
        return triggers.map((t) => t.inputs.schedule);
    };

    it("reads words, objects and their JSON text as intervals", () => {
        assert.deepEqual(validateSettings({ workloadName: "g", etlSchedule: "every 1 hours" }).etlSchedule, { every: 1, unit: "hours" });
        assert.deepEqual(validateSettings({ workloadName: "g", etlSchedule: "every 2 hours at :15" }).etlSchedule, { every: 2, unit: "hours", atMinute: 15 });
        assert.deepEqual(validateSettings({ workloadName: "g", etlSchedule: "Every 1 day at 02:30" }).etlSchedule, { every: 1, unit: "days", atHour: 2, atMinute: 30 });
        assert.deepEqual(validateSettings({ workloadName: "g", etlSchedule: { every: 15, unit: "minutes" } }).etlSchedule, { every: 15, unit: "minutes" });
        assert.deepEqual(validateSettings({ workloadName: "g", etlSchedule: '{"every":"6","unit":"hours"}' }).etlSchedule, { every: 6, unit: "hours" });
        assert.equal(describeSchedule({ every: 1, unit: "days", atHour: 2 }), "every 1 days at 02:00");
    });

    it("keeps the old cron(...) value of the stack files valid, verbatim, on AWS", async () => {
        assert.deepEqual(validatePipelineArgs({ workloadName: "g", etlSchedule: "cron(0 * * * ? *)" }).etlSchedule, { expression: "cron(0 * * * ? *)" });
        assert.deepEqual(await glueTrigger("cron(15 2 ? * MON-FRI *)"), ["cron(15 2 ? * MON-FRI *)"]);
    });

    it("renders intervals in Glue's cron syntax (UTC)", async () => {
        assert.equal(glueSchedule({ every: 1, unit: "hours" }), "cron(0 * * * ? *)");
        assert.equal(glueSchedule({ every: 4, unit: "hours", atMinute: 30 }), "cron(30 0/4 * * ? *)");
        assert.equal(glueSchedule({ every: 15, unit: "minutes" }), "cron(0/15 * * * ? *)");
        assert.equal(glueSchedule({ every: 1, unit: "days", atHour: 2, atMinute: 5 }), "cron(5 2 * * ? *)");
        assert.deepEqual(await glueTrigger("every 1 hours"), ["cron(0 * * * ? *)"]);
        assert.deepEqual(await glueTrigger({ every: 1, unit: "days", atHour: 3 }), ["cron(0 3 * * ? *)"]);
    });

    it("refuses bad values naming etlSchedule and the rule", () => {
        const cases: [unknown, RegExp][] = [
            ["every 7 minutes", /^etlSchedule: every 7 minutes: the interval must divide the hour/],
            ["every 5 hours", /^etlSchedule: every 5 hours: the interval must divide the day/],
            ["every 2 days", /^etlSchedule: every 2 days: only every 1 days/],
            ["every 1 hours at 02:00", /^etlSchedule: every N hours takes `at :MM`/],
            ["every 1 days at 02:61", /^etlSchedule: atMinute must be a whole number from 0 to 59/],
            ["every 1 days at :30", /^etlSchedule: every 1 days takes `at HH:MM` \(UTC\)/],
            ["every fortnight", /^etlSchedule: must be an interval like "every 15 minutes"/],
            [{ every: 1, unit: "weeks" }, /^etlSchedule: unit must be one of minutes, hours, days/],
            [{ every: 1, unit: "hours", at: 3 }, /^etlSchedule: unknown field at/],
            ["{not json", /^etlSchedule: must be .*the JSON object does not parse/],
        ];
        for (const [value, rule] of cases) {
            const problems = problemsOf(() => validateSettings({ workloadName: "g", etlSchedule: value }));
            assert.equal(problems.length, 1, `${JSON.stringify(value)}: ${problems.join("; ")}`);
            assert.match(problems[0]!, rule);
        }
        // AWS's own rules: Glue's cron(...) syntax for expressions, 5 minutes at least.
        assert.deepEqual(problemsOf(() => validatePipelineArgs({ workloadName: "g", etlSchedule: "every 2 minutes" })),
            ["etlSchedule: every 2 minutes: Glue triggers run at most every 5 minutes"]);
        assert.deepEqual(problemsOf(() => validatePipelineArgs({ workloadName: "g", etlSchedule: "rate(1 hour)" })),
            ["etlSchedule: must be a schedule expression like cron(0 * * * ? *)"]);
    });
});

describe("cloud-only options in their namespace (aws, gcp), the old top-level keys as aliases", () => {
    const stageTracing = async (args: Record<string, unknown>): Promise<unknown> => {
        const mocks = new MockRecorder();
        await mocks.install();
        new GameAnalyticsPipeline("g", { workloadName: "g", realTimeAnalytics: false, ...args });
        const resources = await mocks.settle();
        return resources.find((r) => r.type === "aws:apigateway/stage:Stage")?.inputs.xrayTracingEnabled;
    };

    it("reads aws.* as the top-level alias would, from an object or its JSON text", async () => {
        assert.equal(await stageTracing({ aws: { tracing: true } }), true);
        assert.equal(await stageTracing({ aws: '{"tracing":"true"}' }), true);
        assert.equal(await stageTracing({ tracing: "true" }), true);
        assert.equal(await stageTracing({}), false);
        const problems: SettingsProblem[] = [];
        const read = readAwsSettings({ aws: { apiAccessLogging: false, redshift: { baseCapacityRpu: 8, subnetIds: ["a", "b", "c"], vpcId: "vpc-1" } } }, problems);
        assert.deepEqual(problems, []);
        assert.equal(read.options.apiAccessLogging, false);
        assert.deepEqual(read.warehouse, { baseCapacityRpu: 8, vpcId: "vpc-1", subnetIds: ["a", "b", "c"] });
    });

    it("accepts both forms with one value, and refuses two values naming both", () => {
        assert.deepEqual(problemsOf(() => validatePipelineArgs({ workloadName: "g", tracing: "true", aws: { tracing: true } })), []);
        assert.deepEqual(problemsOf(() => validatePipelineArgs({ workloadName: "g", redshiftSubnetIds: "a, b", aws: { redshift: { subnetIds: ["a", "b"] } } })), []);
        assert.deepEqual(problemsOf(() => validatePipelineArgs({ workloadName: "g", tracing: "false", aws: { tracing: true } })),
            ["aws.tracing: differs from tracing = \"false\"; tracing is the old name of aws.tracing: set one of them"]);
    });

    it("names bad and unknown namespaced options by their namespaced name", () => {
        assert.deepEqual(problemsOf(() => validatePipelineArgs({ workloadName: "g", aws: { tracing: "yes", apiLogs: true, redshift: { rpu: 4 } } })),
            ["aws.apiLogs: unknown AWS option; known ones are apiAccessLogging, apiGatewayAccountRole, tracing, icebergOptimizerLogGroups, apiType, redshift",
                "aws.redshift.rpu: unknown warehouse option; known ones are baseCapacityRpu, usageLimitRpuHoursPerDay, usageLimitRpuHoursPerWeek, usageLimitBreachAction, vpcId, subnetIds, manageAuditLogGroups",
                "aws.tracing: must be true or false"]);
        assert.deepEqual(problemsOf(() => validatePipelineArgs({ workloadName: "g", dataStack: "REDSHIFT", realTimeAnalytics: false, aws: { redshift: { baseCapacityRpu: 5 } } })).map((p) => p.split(":")[0]),
            ["aws.redshift.baseCapacityRpu"]);
        assert.deepEqual(problemsOf(() => validatePipelineArgs({ workloadName: "g", aws: "true" })),
            ["aws: must be an object (Pulumi structured config), e.g. { apiAccessLogging: true }"]);
    });

    it("refuses one cloud's namespace on the other, and validates gcp's own", () => {
        assert.deepEqual(problemsOf(() => validatePipelineArgs({ workloadName: "g", gcp: { region: "europe-west1" } })),
            ["gcp: holds the options of cloud gcp; this stack deploys to aws: remove it"]);
        assert.deepEqual(problemsOf(() => validatePipelineArgs({ workloadName: "g", cloud: "gcp", aws: { tracing: false } })),
            ["aws: holds the options of cloud aws; this stack deploys to gcp: remove it"]);
        assert.deepEqual(problemsOf(() => validatePipelineArgs({ workloadName: "g", cloud: "gcp", gcp: { region: "Europe", zone: "b" } })),
            ["gcp.region: must be a Google Cloud region like europe-west1", "gcp.zone: unknown Google Cloud option; the known one is region"]);
        assert.deepEqual(readGcpSettings({ gcp: '{"region":"europe-west1"}' }, []), { region: "europe-west1" });
    });

    it("keeps the neutral validation free of every cloud's keys", () => {
        const source = fs.readFileSync(path.join(ROOT, "components/contracts/settings.ts"), "utf8");
        // The cloud names themselves are the `cloud` setting's values; their options are not named.
        for (const key of DEPLOYMENT_OPTION_KEYS.filter((k) => k !== "logLevel" && !(AVAILABLE_CLOUDS as readonly string[]).includes(k))) {
            assert.ok(!new RegExp(`["'\`]${key}["'\`]`).test(source), `components/contracts/settings.ts names ${key}`);
        }
        assert.deepEqual(problemsOf(() => validateSettings({ workloadName: "g", tracing: true })).map((p) => p.split(":")[0]), ["tracing"]);
    });
});
