/**
 * `cloud: gcp` through the package: the stack program (stacks/index.ts) with Pulumi.gcp-dev.yaml's
 * configuration under the GCP mocks, GameAnalyticsPipeline on gcp, and the settings each cloud
 * refuses from the other.
 */
import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { SettingsError, validateSettings } from "../../components/contracts/settings";
import { GameAnalyticsPipeline, validatePipelineArgs } from "../../components/pipeline";
import { readStackSettings } from "../../stacks/settings";
import { GcpMockRecorder } from "./support/gcp-mocks";
import { problemsOf } from "../support/settings-problems";

const ROOT = path.resolve(__dirname, "..", "..");
const PROGRAM = path.join(ROOT, "stacks", "index.ts");

/** Every config value of a committed stack file, keys with their namespace. */
function stackFile(file: string): Record<string, string> {
    const { config } = parseYaml(fs.readFileSync(path.join(ROOT, file), "utf8")) as { config: Record<string, unknown> };
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, String(v)]));
}

/** Runs the stack program afresh with `config` (namespaced keys). */
function runProgram(config: Record<string, string>): Record<string, unknown> {
    pulumi.runtime.setAllConfig(config);
    delete require.cache[require.resolve(PROGRAM)];
    return require(PROGRAM);
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => { resolve(v); return v; }));
}

describe("stack program on gcp (Pulumi.gcp-dev.yaml)", function () {
    this.timeout(120_000);
    const mocks = new GcpMockRecorder();
    beforeEach(() => mocks.install());
    afterEach(() => pulumi.runtime.setAllConfig({}));

    it("builds the Google Cloud pipeline, no aws: resource, and exports its outputs", async () => {
        const config = stackFile("Pulumi.gcp-dev.yaml");
        assert.equal(config["game-analytics:cloud"], "gcp");
        const outputs = runProgram(config);
        const resources = await mocks.settle();
        assert.deepEqual(resources.filter((r) => r.type.startsWith("aws:")).map((r) => `${r.type} ${r.name}`), []);
        assert.ok(resources.some((r) => r.type === "game-analytics:index:GameAnalyticsPipeline" && r.name === "gap-dev"));
        // The tiers of the settings: the events topic (KINESIS_DATA_STREAMS), BigQuery, the functions, real-time.
        const types = new Set(resources.map((r) => r.type));
        for (const t of ["gcp:pubsub/topic:Topic", "gcp:bigquery/table:Table", "gcp:cloudfunctionsv2/function:Function", "gcp:firestore/database:Database"]) {
            assert.ok(types.has(t), `a ${t}`);
        }
        // gcp:region of the stack file is where everything lives.
        const dataset = resources.find((r) => r.type === "gcp:bigquery/dataset:Dataset")!;
        assert.equal(dataset.inputs.location, "europe-west1");
        assert.equal(dataset.inputs.datasetId, "game_events");
        // The sample views, rendered in GoogleSQL from the shared query definitions.
        const views = resources.filter((r) => r.type === "gcp:bigquery/table:Table" && r.inputs.view !== undefined);
        assert.ok(views.length > 0, "BigQuery views");
        for (const v of views) assert.doesNotMatch(v.inputs.view.query, /from_iso8601|json_extract_scalar/i, `${v.name} is GoogleSQL`);
        assert.equal(await valueOf(outputs.eventsDatabase as pulumi.Output<string>), "game_events");
        assert.equal(await valueOf(outputs.rawEventsTable as pulumi.Output<string>), "raw_events");
        assert.match(await valueOf(outputs.apiUrl as pulumi.Output<string>), /^https:\/\//);
        assert.ok(outputs.streamName !== undefined);
        assert.equal(typeof await valueOf(outputs.adminPolicyName as pulumi.Output<string>), "string");
    });

    it("reads no AWS deployment option default into a gcp stack", () => {
        const config = stackFile("Pulumi.gcp-dev.yaml");
        const ga = Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith("game-analytics:")).map(([k, v]) => [k.slice("game-analytics:".length), v]));
        const { options } = readStackSettings({ name: "game-analytics", get: (k) => ga[k], keys: () => Object.keys(ga) });
        assert.deepEqual(options, { logLevel: "INFO" });
    });

    it("refuses an AWS-only key set in a gcp stack before any resource, saying what to do", async () => {
        const config = { ...stackFile("Pulumi.gcp-dev.yaml"), "game-analytics:apiAccessLogging": "true", "game-analytics:etlSchedule": "cron(0 * * * ? *)" };
        assert.throws(() => runProgram(config), (e: unknown) => e instanceof SettingsError
            && e.problems.map((p) => p.key).join() === "apiAccessLogging,etlSchedule"
            && /game-analytics:etlSchedule = "cron\(0 \* \* \* \? \*\)": is a Glue workflow schedule .*AWS only/.test(e.message));
        assert.deepEqual(await mocks.settle(), []);
    });
});

describe("GameAnalyticsPipeline with cloud: gcp", function () {
    this.timeout(120_000);
    const mocks = new GcpMockRecorder();
    beforeEach(() => mocks.install());

    it("builds on gcp and exposes the GCP tiers' outputs under the pipeline's names", async () => {
        const pipeline = new GameAnalyticsPipeline("g", { workloadName: "g", cloud: "gcp", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false });
        assert.equal(pipeline.aws, undefined);
        assert.equal(pipeline.streamName, undefined);
        assert.equal(await valueOf(pipeline.adminPolicyArn), await valueOf(pipeline.tiers.ingest.adminAccessId));
        assert.equal(await valueOf(pipeline.athenaWorkgroup), await valueOf(pipeline.tiers.storage.queryWorkgroupName));
        const resources = await mocks.settle();
        assert.deepEqual(resources.filter((r) => r.type.startsWith("aws:")), []);
        assert.ok(resources.some((r) => r.type === "gcp:bigquery/table:Table"));
    });
});

describe("settings of one cloud refused on the other", () => {
    it("refuses every AWS-only setting and option on gcp, naming it and what to do", () => {
        const problems = problemsOf(() => validatePipelineArgs({
            workloadName: "g", cloud: "gcp", apiAccessLogging: "false", apiGatewayAccountRole: "true", tracing: "true", etlSchedule: "cron(0 * * * ? *)",
            streamProvisioned: "true", streamShardCount: "2", apiThrottlingRateLimit: "100", apiThrottlingBurstLimit: "200",
            processedEventsPrefix: "processed", glueTmpPrefix: "tmp", dataStack: "REDSHIFT", streamRetentionHours: "1000",
        }));
        assert.deepEqual(problems.map((p) => p.split(":")[0]).sort(), ["apiAccessLogging", "apiGatewayAccountRole", "apiThrottlingBurstLimit", "apiThrottlingRateLimit",
            "dataStack", "etlSchedule", "glueTmpPrefix", "processedEventsPrefix", "streamProvisioned", "streamRetentionHours", "streamShardCount", "tracing"]);
        assert.ok(problems.includes("apiGatewayAccountRole: is the API Gateway CloudWatch role of the AWS account (AWS only); gcp has no such account setting: remove it"));
        assert.ok(problems.includes("dataStack: REDSHIFT is AWS only; on gcp the events land in BigQuery, which serves the sample views: use DATA_LAKE"));
        assert.ok(problems.includes("streamRetentionHours: must be at most 744 on gcp (a Pub/Sub topic keeps messages 31 days at most)"));
    });

    it("accepts the defaults and a Cloud Logging retention CloudWatch would refuse on gcp; AWS keeps its own list", () => {
        assert.equal(validatePipelineArgs({ workloadName: "g", cloud: "gcp", cloudWatchRetentionDays: "10" }).cloud, "gcp");
        assert.deepEqual(problemsOf(() => validatePipelineArgs({ workloadName: "g", cloud: "aws", cloudWatchRetentionDays: "10" })).map((p) => p.split(":")[0]), ["cloudWatchRetentionDays"]);
        // No GCP-only setting exists (project and region are the gcp provider's config): aws accepts the neutral keys.
        assert.equal(validateSettings({ workloadName: "g" }).cloud, "aws");
    });
});
