/**
 * `realtimeWatermarkSeconds` and `realTimeDestination`: validated by the neutral settings and
 * carried to every real-time implementation (the AWS function's environment, the Google Cloud
 * function's environment, the local stage).
 */
import * as assert from "node:assert/strict";
import { awsStreamOutputs } from "../support/contract-outputs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SettingsError, validateSettings } from "../../components/contracts/settings";
import { GameAnalyticsPipeline } from "../../components/pipeline";
import { RealTimeTier } from "../../components/aws/realtime-tier";
import { buildGcpPipeline } from "../../components/gcp/pipeline";
import { REALTIME_WATERMARK_SECONDS } from "../../functions/core/environment-names";
import { timingFromEnvironment } from "../../functions/core/realtime-timing";
import { startLocalPipeline } from "../../local/pipeline";
import { tempDir, writeStackFile } from "../local/helpers";
import { GcpMockRecorder, REGION } from "../gcp/support/gcp-mocks";
import { MockRecorder, valueOf } from "../support/pulumi-mocks";

const problemsOf = (raw: Record<string, unknown>): string[] => {
    try {
        validateSettings({ workloadName: "g1", ...raw });
        return [];
    } catch (error) {
        assert.ok(error instanceof SettingsError);
        return error.problems.map((p) => `${p.key}: ${p.rule}`);
    }
};

describe("realtimeWatermarkSeconds and realTimeDestination settings", () => {
    it("default to 5 s and CLOUDWATCH, and read config strings", () => {
        const d = validateSettings({ workloadName: "g1" });
        assert.deepEqual([d.realtimeWatermarkSeconds, d.realTimeDestination], [5, "CLOUDWATCH"]);
        const s = validateSettings({ workloadName: "g1", realtimeWatermarkSeconds: "30", realTimeDestination: "OPENSEARCH" });
        assert.deepEqual([s.realtimeWatermarkSeconds, s.realTimeDestination], [30, "OPENSEARCH"]);
        assert.equal(validateSettings({ workloadName: "g1", realtimeWatermarkSeconds: "0" }).realtimeWatermarkSeconds, 0);
        assert.equal(validateSettings({ workloadName: "g1", realtimeWatermarkSeconds: 300 }).realtimeWatermarkSeconds, 300);
    });

    it("refuses a watermark that is not a whole number of seconds from 0 to 300, naming the key and the rule", () => {
        for (const bad of ["301", "-1", "2.5", "five", 900]) {
            assert.deepEqual(problemsOf({ realtimeWatermarkSeconds: bad }), ["realtimeWatermarkSeconds: must be a whole number from 0 to 300"], String(bad));
        }
    });

    it("refuses an unknown destination, OPENSEARCH on gcp, and OPENSEARCH without real-time analytics", () => {
        assert.deepEqual(problemsOf({ realTimeDestination: "KIBANA" }), ["realTimeDestination: must be one of CLOUDWATCH, OPENSEARCH"]);
        assert.match(problemsOf({ cloud: "gcp", realTimeDestination: "OPENSEARCH" }).join("\n"), /realTimeDestination: OPENSEARCH .* aws only/);
        assert.match(problemsOf({ realTimeAnalytics: "false", realTimeDestination: "OPENSEARCH" }).join("\n"), /realTimeDestination: OPENSEARCH needs realTimeAnalytics true/);
    });

    it("reaches the AWS real-time function's environment, which the handler reads back", async () => {
        const mocks = new MockRecorder();
        await mocks.install();
        const pipeline = new GameAnalyticsPipeline("wm", { workloadName: "wm", realTimeAnalytics: true, realtimeWatermarkSeconds: 42 });
        await valueOf(pipeline.dashboardUrl);
        await mocks.settle();
        const fn = mocks.one("aws:lambda/function:Function", "realtime-metrics-function");
        const env = fn.inputs.environment.variables as Record<string, string>;
        assert.equal(env[REALTIME_WATERMARK_SECONDS], "42");
        assert.equal(timingFromEnvironment(env).watermarkMs, 42_000);
    });

    it("is checked by the AWS tier itself (a component used without the settings)", () => {
        assert.throws(() => new RealTimeTier("bad", { workloadName: "g", stream: awsStreamOutputs("s", "arn:aws:kinesis:us-east-1:111122223333:stream/s"), watermarkSeconds: 301 }),
            /watermarkSeconds = 301: must be a whole number from 0 to 300/);
    });

    it("reaches the Google Cloud real-time function's environment", async () => {
        class Parent extends pulumi.ComponentResource {
            constructor(name: string) { super("test:index:Parent", name, {}, {}); }
        }
        const mocks = new GcpMockRecorder();
        await mocks.install();
        buildGcpPipeline("game", validateSettings({ workloadName: "mygame", cloud: "gcp", realtimeWatermarkSeconds: "12" }), new Parent("p"), { region: REGION });
        await mocks.settle();
        const fn = mocks.one("gcp:cloudfunctionsv2/function:Function", "realtime-metrics-function");
        assert.equal(fn.inputs.serviceConfig.environmentVariables[REALTIME_WATERMARK_SECONDS], "12");
    });

    it("reaches the local real-time stage from the stack file", async function () {
        this.timeout(60_000);
        const dir = tempDir("watermark");
        writeStackFile(dir, "wm", { workloadName: "wm", ingestMode: "KINESIS_DATA_STREAMS", realtimeWatermarkSeconds: 17 });
        const pipeline = await startLocalPipeline({ stack: "wm", configDir: dir, dataRoot: path.join(dir, ".gap"), port: 0, log: () => undefined });
        try {
            assert.equal(pipeline.settings.realtimeWatermarkSeconds, 17);
            assert.equal(pipeline.realtime?.timing.watermarkMs, 17_000);
        } finally {
            await pipeline.stop();
        }
    });
});
