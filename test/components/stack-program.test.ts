/**
 * The Pulumi program (stacks/index.ts) under mocks, with stack configuration set the way the
 * CLI sets it; and the committed stack files.
 */
import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { SETTING_KEYS, SettingsError } from "../../components/contracts/settings";
import { loadSettings as loadCostSettings } from "../../cost/stack-settings";
import { loadStackSettings } from "../../local/stack-settings";
import { namespacedName } from "../../components/aws/settings";
import { DEPLOYMENT_OPTION_KEYS, readStackSettings } from "../../stacks/settings";
import { configSourceOf, readStackFile } from "../../stacks/stack-file";
import { MockRecorder, valueOf } from "../support/pulumi-mocks";

const ROOT = path.resolve(__dirname, "..", "..");
const PROGRAM = path.join(ROOT, "stacks", "index.ts");

/** Runs the stack program afresh with `config` (keys without namespace). */
function runProgram(config: Record<string, string>): Record<string, pulumi.Output<unknown>> {
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [`game-analytics:${k}`, v])));
    delete require.cache[require.resolve(PROGRAM)];
    return require(PROGRAM);
}

/** The `game-analytics:*` config of a committed stack file, keys without namespace. */
function stackFileConfig(file: string): Record<string, string> {
    const { config } = parseYaml(fs.readFileSync(path.join(ROOT, file), "utf8")) as { config: Record<string, unknown> };
    return Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith("game-analytics:"))
        // A structured value reads as its JSON text, as pulumi.Config.get gives it.
        .map(([k, v]) => [k.slice("game-analytics:".length), typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)]));
}

describe("stack program", () => {
    const mocks = new MockRecorder();
    beforeEach(() => mocks.install());

    it("stops on invalid config before registering any resource, naming every bad key", async () => {
        assert.throws(() => runProgram({ workloadName: "1-bad", ingestMode: "SQS", cloudWatchRetentionDays: "10" }), (error: unknown) =>
            error instanceof SettingsError && error.problems.map((p) => p.key).join() === "workloadName,ingestMode,cloudWatchRetentionDays"
            && error.message.includes("game-analytics:ingestMode = \"SQS\": must be one of KINESIS_DATA_STREAMS, DIRECT_BATCH"));
        assert.deepEqual(await mocks.settle(), []);
    });

    it("refuses bad warehouse options of a REDSHIFT stack before registering any resource", async () => {
        assert.throws(() => runProgram({ workloadName: "game1", dataStack: "REDSHIFT", realTimeAnalytics: "false", redshiftBaseCapacityRpu: "5" }),
            /game-analytics:redshiftBaseCapacityRpu = 5: /);
        assert.deepEqual(await mocks.settle(), []);
    });

    it("deploys a REDSHIFT stack and exports the warehouse outputs", async () => {
        const outputs = runProgram({ workloadName: "game1", dataStack: "REDSHIFT", realTimeAnalytics: "false", redshiftBaseCapacityRpu: "8", redshiftUsageLimitRpuHoursPerDay: "16" });
        assert.equal(await valueOf(outputs.warehouseDatabase as pulumi.Output<string>), "analytics");
        assert.match(await valueOf(outputs.warehouseEndpoint as pulumi.Output<string>), /\.redshift-serverless\.amazonaws\.com$/);
        assert.match(await valueOf(outputs.warehouseSecretArn as pulumi.Output<string>), /^arn:aws:secretsmanager:/);
        assert.match(await valueOf(outputs.warehouseQueryEditorUrl as pulumi.Output<string>), /sqlworkbench/);
        const resources = await mocks.settle();
        assert.equal(resources.find((r) => r.type === "aws:redshiftserverless/workgroup:Workgroup")?.inputs.baseCapacity, 8);
        assert.deepEqual(resources.filter((r) => r.type === "aws:redshiftserverless/usageLimit:UsageLimit").map((r) => r.inputs.amount).sort(), [16, 40]);
    });

    it("exports the OpenSearch collection endpoint and UI of an OPENSEARCH stack, and neither without it", async () => {
        const outputs = runProgram({ workloadName: "game1", realTimeDestination: "OPENSEARCH" });
        assert.match(await valueOf(outputs.realTimeSearchEndpoint as pulumi.Output<string>), /\.aoss\.amazonaws\.com$/);
        assert.match(await valueOf(outputs.realTimeSearchUiUrl as pulumi.Output<string>), /^https:\/\/application-/);
        await mocks.settle();
        const plain = runProgram({ workloadName: "game1" });
        assert.equal(plain.realTimeSearchEndpoint, undefined);
        assert.equal(plain.realTimeSearchUiUrl, undefined);
        await mocks.settle();
    });

    it("deploys the pipeline of the dev stack file and exports its outputs", async () => {
        const outputs = runProgram(stackFileConfig("Pulumi.dev.yaml"));
        assert.equal(await valueOf(outputs.apiUrl as pulumi.Output<string>), "https://api0001.execute-api.us-east-1.amazonaws.com/live");
        assert.equal(await valueOf(outputs.streamName as pulumi.Output<string>), "gap-dev-events");
        assert.equal(outputs.realTimeMetricsNamespace, "GameAnalytics/gap-dev");
        // eventsDatabase unset (""): derived from the workload name.
        assert.equal(await valueOf(outputs.eventsDatabase as pulumi.Output<string>), "gap_dev_events");
        const resources = await mocks.settle();
        assert.ok(resources.some((r) => r.type === "game-analytics:index:GameAnalyticsPipeline" && r.name === "gap-dev"));
    });
});

describe("stack program: Glue database name", () => {
    const mocks = new MockRecorder();
    beforeEach(() => mocks.install());

    it("derives distinct default databases for two workloads, and keeps an explicit one", async () => {
        const names: string[] = [];
        const configs: Record<string, string>[] = [{ workloadName: "studio-a" }, { workloadName: "studio-b" }, { workloadName: "studio-c", eventsDatabase: "game_events" }];
        for (const config of configs) {
            const outputs = runProgram({ ...config, realTimeAnalytics: "false" });
            names.push(await valueOf(outputs.eventsDatabase as pulumi.Output<string>));
        }
        assert.deepEqual(names, ["studio_a_events", "studio_b_events", "game_events"]);
    });
});

describe("stack files", () => {
    it("Pulumi.dev.yaml sets every setting and deployment option, the AWS ones in the aws namespace (not their top-level aliases)", () => {
        const config = stackFileConfig("Pulumi.dev.yaml");
        const aliases = DEPLOYMENT_OPTION_KEYS.filter((k) => namespacedName(k) !== k);
        assert.deepEqual(Object.keys(config).sort(), [...SETTING_KEYS, ...DEPLOYMENT_OPTION_KEYS].filter((k) => k !== "gcp" && !aliases.includes(k)).sort());
        // Every alias has its namespaced value (the studio's VPC stays unset: a new VPC is created).
        const aws = JSON.parse(config.aws!) as Record<string, unknown>;
        const at = (name: string): unknown => name.split(".").slice(1).reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], aws);
        assert.deepEqual(aliases.filter((k) => at(namespacedName(k)) === undefined).sort(), ["redshiftSubnetIds", "redshiftVpcId"]);
    });

    for (const file of ["Pulumi.dev.yaml", "Pulumi.prod.yaml"]) {
        it(`${file} is valid`, () => {
            const config = stackFileConfig(file);
            const { settings } = readStackSettings({ name: "game-analytics", get: (key) => config[key] });
            assert.equal(settings.devMode, file === "Pulumi.dev.yaml");
        });
    }

    for (const stack of ["dev", "prod"]) {
        it(`Pulumi.${stack}.yaml reads the same in the local mode and the cost model as in the program`, () => {
            const program = readStackSettings(configSourceOf(readStackFile(ROOT, stack)!.values)).settings;
            assert.deepEqual(loadStackSettings(ROOT, stack).settings, program);
            assert.deepEqual(loadCostSettings(stack, ROOT, {}).settings, program);
        });
    }

    it("refuses a misspelt key instead of silently using the default", () => {
        const source = configSourceOf({ workloadName: "g", ingestmode: "DIRECT_BATCH" });
        assert.throws(() => readStackSettings(source), /game-analytics:ingestmode = "DIRECT_BATCH": unknown key/);
    });

    it("rejects a bad deployment option with the rule", () => {
        assert.throws(() => readStackSettings({ name: "game-analytics", get: (key) => ({ workloadName: "g", realTimeAnalytics: "false", tracing: "yes" } as Record<string, string>)[key] }),
            /game-analytics:tracing = "yes": must be true or false/);
    });
});
