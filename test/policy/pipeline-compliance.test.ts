/**
 * Every resource `GameAnalyticsPipeline` registers, captured under Pulumi mocks, for every valid
 * combination of the main settings, breaks no rule of the security policy pack.
 */
import * as assert from "node:assert/strict";
import { GameAnalyticsPipeline, GameAnalyticsPipelineArgs } from "../../components/pipeline";
import { IngestMode } from "../../components/contracts/settings";
import { checkResources, RuleViolation } from "../../policy/rules";
import { ResourceFacts } from "../../policy/rules/types";
import { MockRecorder, RecordedResource } from "../support/pulumi-mocks";
import { OptionsCapture } from "../components/resource-options";

const urnOf = (typeAndName: string): string => `urn:pulumi:dev::game-analytics::${typeAndName}`;

/**
 * The resources as the policy engine sees them after an update: inputs, ID and URN, and, when the
 * options were captured, the options and `dependsOn` dependencies the engine reports too.
 */
export function toFacts(resources: readonly RecordedResource[], options?: OptionsCapture): ResourceFacts[] {
    const byName = new Map((options?.all() ?? []).map((o) => [`${o.type}::${o.name}`, o]));
    return resources.map((r) => {
        const o = byName.get(`${r.type}::${r.name}`);
        return {
            type: r.type, name: r.name, urn: r.urn, id: r.id, props: r.inputs,
            ...(o ? { opts: { protect: o.protect, deleteBeforeReplace: o.deleteBeforeReplace }, dependencies: o.dependsOn.map(urnOf) } : {}),
        };
    });
}

/**
 * Valid combinations of the main settings. Real-time analytics requires KINESIS_DATA_STREAMS, so
 * it follows the ingest mode here (on with the stream, off without).
 */
function settingsMatrix(): { label: string; args: GameAnalyticsPipelineArgs }[] {
    const cases: { label: string; args: GameAnalyticsPipelineArgs }[] = [];
    for (const ingestMode of ["KINESIS_DATA_STREAMS", "DIRECT_BATCH"] as IngestMode[]) {
        for (const devMode of [true, false]) {
            for (const s3BackupMode of [true, false]) {
                for (const emailAddress of [undefined, "ops@studio.example"]) {
                    cases.push({
                        label: `${ingestMode}, ${devMode ? "dev" : "prod"}, backup ${s3BackupMode ? "on" : "off"}, email ${emailAddress ? "on" : "off"}`,
                        args: { workloadName: "game1", ingestMode, devMode, s3BackupMode, emailAddress, realTimeAnalytics: ingestMode === "KINESIS_DATA_STREAMS" },
                    });
                }
            }
        }
    }
    cases.push({ label: "KINESIS_DATA_STREAMS, prod, with X-Ray tracing and DEBUG logs", args: { workloadName: "game1", realTimeAnalytics: false, tracing: true, logLevel: "DEBUG" } });
    cases.push({ label: "KINESIS_DATA_STREAMS, prod, WARN logs", args: { workloadName: "game1", realTimeAnalytics: true, logLevel: "WARN" } });
    cases.push({ label: "DIRECT_BATCH, prod, account role left to the account", args: { workloadName: "game1", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, apiGatewayAccountRole: false } });
    cases.push({ label: "DIRECT_BATCH, provisioned-free, long retention", args: { workloadName: "game1", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, cloudWatchRetentionDays: 365, dataRetentionDays: 400 } });
    return cases;
}

const describeViolations = (violations: RuleViolation[]) => violations.map((v) => `${v.rule}: ${v.message}`).join("\n");

describe("security policy pack over the whole pipeline", () => {
    for (const { label, args } of settingsMatrix()) {
        it(`breaks no rule: ${label}`, async () => {
            const mocks = new MockRecorder();
            await mocks.install();
            const options = new OptionsCapture();
            new GameAnalyticsPipeline("game1", args, { transformations: [options.transformation] });
            const resources = await mocks.settle();
            assert.ok(resources.length > 30, `only ${resources.length} resources were captured`);
            const violations = checkResources(toFacts(resources, options));
            assert.deepEqual(violations, [], describeViolations(violations));
        });
    }

    it("would catch a regression: the same capture with one bucket's public access block removed fails", async () => {
        const mocks = new MockRecorder();
        await mocks.install();
        new GameAnalyticsPipeline("game1", { workloadName: "game1", realTimeAnalytics: false });
        const facts = toFacts(await mocks.settle()).filter((r) => r.type !== "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        assert.ok(checkResources(facts).some((v) => v.rule === "s3-public-access-blocked"));
    });
});
