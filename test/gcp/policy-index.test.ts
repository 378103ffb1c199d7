/**
 * The GCP rules registered in the policy pack's rule set (policy/rules/index.ts): the whole set
 * (AWS and GCP rules) passes the GCP pipeline of GameAnalyticsPipeline, the AWS rules find
 * nothing to say about gcp: resources, and a GCP rule of the set fires on a broken GCP stack.
 */
import * as assert from "node:assert/strict";
import { GameAnalyticsPipeline } from "../../components/pipeline";
import { checkResources, RESOURCE_RULES, STACK_RULES } from "../../policy/rules/index";
import { GCP_RESOURCE_RULES, GCP_STACK_RULES } from "../../policy/rules/gcp-index";
import type { ResourceFacts } from "../../policy/rules/types";
import { GcpMockRecorder } from "./support/gcp-mocks";

async function gcpStack(): Promise<ResourceFacts[]> {
    const mocks = new GcpMockRecorder();
    await mocks.install();
    new GameAnalyticsPipeline("game", { workloadName: "mygame", cloud: "gcp", realTimeAnalytics: true, devMode: false });
    await mocks.settle();
    return mocks.resources.map((r) => ({ type: r.type, name: r.name, id: r.id, urn: `urn:${r.name}`, props: JSON.parse(JSON.stringify(r.inputs)) }));
}

describe("policy rule set with the GCP rules", function () {
    this.timeout(120_000);

    it("registers every GCP rule once", () => {
        for (const rule of GCP_RESOURCE_RULES) assert.equal(RESOURCE_RULES.filter((r) => r === rule).length, 1, rule.name);
        for (const rule of GCP_STACK_RULES) assert.equal(STACK_RULES.filter((r) => r === rule).length, 1, rule.name);
    });

    it("passes the GCP pipeline; no AWS resource rule looks at a gcp: type", async () => {
        const resources = await gcpStack();
        assert.deepEqual(checkResources(resources), []);
        const gcpTypes = new Set(resources.map((r) => r.type));
        for (const rule of RESOURCE_RULES.filter((r) => !GCP_RESOURCE_RULES.includes(r))) {
            assert.deepEqual(rule.types.filter((t) => gcpTypes.has(t)), [], rule.name);
        }
    });

    it("reports a GCP violation through checkResources", async () => {
        const resources = await gcpStack();
        const lake = resources.find((r) => r.type === "gcp:storage/bucket:Bucket" && r.name.endsWith("lake-bucket"))!;
        lake.props.publicAccessPrevention = "inherited";
        assert.deepEqual([...new Set(checkResources(resources).map((v) => v.rule))], ["gcp-bucket-private-and-cmek"]);
    });
});
