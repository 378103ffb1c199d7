/** Physical names: prefixed by the workload, within AWS limits, distinct for distinct workloads. */
import * as assert from "node:assert/strict";
import { physicalName } from "../../components/contracts/names";
import { GameAnalyticsPipeline } from "../../components/pipeline";
import { MockRecorder, valueOf } from "../support/pulumi-mocks";

describe("physicalName", () => {
    it("prefixes with the workload name when it fits", () => {
        assert.equal(physicalName("Game1", "events", 64), "Game1-events");
    });

    it("shortens long workload names with a hash that keeps them distinct", () => {
        const a = physicalName(`a${"x".repeat(100)}1`, "events-processing", 64);
        const b = physicalName(`a${"x".repeat(100)}2`, "events-processing", 64);
        assert.ok(a.length <= 64 && b.length <= 64 && a !== b && a.startsWith("axxx") && a.endsWith("-events-processing"));
    });
});

describe("GameAnalyticsPipeline with a 128-character workload name", () => {
    it("keeps every Lambda, role and delivery stream name within its limit", async () => {
        const mocks = new MockRecorder();
        await mocks.install();
        const pipeline = new GameAnalyticsPipeline("long", { workloadName: `W${"x".repeat(127)}`, realTimeAnalytics: false });
        await valueOf(pipeline.dashboardUrl);
        const resources = await mocks.settle();
        const limited = resources.filter((r) => ["aws:lambda/function:Function", "aws:iam/role:Role", "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"].includes(r.type));
        // 4 functions; 4 function roles + Firehose + Glue + API Gateway's CloudWatch role; 1 stream.
        assert.equal(limited.length, 4 + 7 + 1);
        assert.deepEqual(limited.filter((r) => r.inputs.name.length > 64).map((r) => r.inputs.name), []);
        assert.ok(mocks.one("aws:s3/bucket:Bucket", "-bucket").inputs.bucketPrefix.length <= 37);
        assert.ok(mocks.one("aws:glue/catalogDatabase:CatalogDatabase", "-database").inputs.name.length <= 255);
    });
});
