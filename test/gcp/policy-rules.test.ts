/**
 * The GCP policy rules: the GCP pipeline built under mocks passes every one of them in each
 * mode, and each rule fails on a stack broken in the way it guards against.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { buildGcpPipeline } from "../../components/gcp/pipeline";
import { validateSettings } from "../../components/contracts/settings";
import { GCP_RESOURCE_RULES, GCP_STACK_RULES } from "../../policy/rules/gcp-index";
import type { ResourceFacts } from "../../policy/rules/types";
import { GcpMockRecorder, REGION } from "./support/gcp-mocks";

class Parent extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:Parent", name, {}, {});
    }
}

function check(resources: readonly ResourceFacts[]): Array<{ rule: string; message: string }> {
    const out: Array<{ rule: string; message: string }> = [];
    for (const r of resources) for (const rule of GCP_RESOURCE_RULES) if (rule.types.includes(r.type)) for (const m of rule.check(r)) out.push({ rule: rule.name, message: `${r.name}: ${m}` });
    for (const rule of GCP_STACK_RULES) for (const v of rule.check(resources)) out.push({ rule: rule.name, message: v.message });
    return out;
}

async function stack(settings: Record<string, unknown>): Promise<ResourceFacts[]> {
    const mocks = new GcpMockRecorder();
    await mocks.install();
    buildGcpPipeline("game", validateSettings({ workloadName: "mygame", ...settings }), new Parent("p"), { region: REGION });
    await mocks.settle();
    return mocks.resources.map((r) => ({ type: r.type, name: r.name, id: r.id, urn: `urn:${r.name}`, props: JSON.parse(JSON.stringify(r.inputs)) }));
}

const find = (s: ResourceFacts[], suffix: string) => {
    const found = s.filter((r) => r.name.endsWith(suffix));
    assert.equal(found.length, 1, suffix);
    return found[0]!;
};
const drop = (s: ResourceFacts[], suffix: string) => s.splice(s.indexOf(find(s, suffix)), 1);

const CASES: Array<{ rule: string; breaks: string; mutate(s: ResourceFacts[]): void }> = [
    { rule: "gcp-bucket-private-and-cmek", breaks: "public access prevention inherited", mutate: (s) => { find(s, "lake-bucket").props.publicAccessPrevention = "inherited"; } },
    { rule: "gcp-bucket-private-and-cmek", breaks: "fine-grained ACLs", mutate: (s) => { find(s, "lake-bucket").props.uniformBucketLevelAccess = false; } },
    { rule: "gcp-bucket-private-and-cmek", breaks: "Google-managed key", mutate: (s) => { delete find(s, "sources-bucket").props.encryption; } },
    { rule: "gcp-topic-cmek-regional", breaks: "topic without key", mutate: (s) => { delete find(s, "rows-topic").props.kmsKeyName; } },
    { rule: "gcp-topic-cmek-regional", breaks: "topic stored anywhere", mutate: (s) => { delete find(s, "rows-topic").props.messageStoragePolicy; } },
    { rule: "gcp-bigquery-cmek", breaks: "table without key", mutate: (s) => { delete find(s, "raw-events").props.encryptionConfiguration; } },
    { rule: "gcp-firestore-cmek-pitr", breaks: "no PITR", mutate: (s) => { find(s, "registry-database").props.pointInTimeRecoveryEnablement = "POINT_IN_TIME_RECOVERY_DISABLED"; } },
    { rule: "gcp-kms-key-rotation", breaks: "yearly rotation", mutate: (s) => { find(s, "key-key").props.rotationPeriod = "31536000s"; } },
    { rule: "gcp-log-bucket-retention", breaks: "no retention", mutate: (s) => { delete find(s, "operations-logs").props.retentionDays; } },
    { rule: "gcp-no-primitive-roles", breaks: "editor on the project", mutate: (s) => { find(s, "ingest-admin-registry-user").props.role = "roles/editor"; } },
    { rule: "gcp-nothing-public", breaks: "public bucket reader", mutate: (s) => { find(s, "processing-agent-lake-reader").props.member = "allUsers"; } },
    { rule: "gcp-nothing-public", breaks: "public admin function caller", mutate: (s) => { find(s, "admin-invoker-admin-caller").props.member = "allAuthenticatedUsers"; find(s, "admin-invoker-admin-caller").type = "gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember"; } },
    { rule: "gcp-function-own-identity", breaks: "default compute account", mutate: (s) => { find(s, "ingest-admin-function").props.serviceConfig.serviceAccountEmail = "1-compute@developer.gserviceaccount.com"; } },
    { rule: "gcp-subscription-agent-grants", breaks: "no dataEditor for the BigQuery subscription", mutate: (s) => drop(s, "processing-agent-table-editor") },
    { rule: "gcp-subscription-agent-grants", breaks: "no publisher on the dead-letter topic", mutate: (s) => drop(s, "processing-agent-dead-letter-publisher") },
    { rule: "gcp-subscription-agent-grants", breaks: "no subscriber on the dead-lettering subscription", mutate: (s) => drop(s, "processing-agent-bigquery-subscriber") },
    { rule: "gcp-subscription-agent-grants", breaks: "no objectCreator for the Cloud Storage subscription", mutate: (s) => drop(s, "processing-agent-lake-writer") },
    { rule: "gcp-kms-agent-grants", breaks: "no key grant for BigQuery", mutate: (s) => drop(s, "key-bigquery") },
    { rule: "gcp-kms-agent-grants", breaks: "no key grant for Pub/Sub", mutate: (s) => drop(s, "key-pubsub") },
];

describe("GCP policy rules", function () {
    this.timeout(120_000);

    for (const settings of [{ ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: true }, { ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, s3BackupMode: true }]) {
        it(`the GCP pipeline complies (${settings.ingestMode})`, async () => {
            assert.deepEqual(check(await stack(settings)), []);
        });
    }

    it("each rule fails on the stack broken the way it guards against, and only that rule", async () => {
        const base = await stack({ ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: true });
        for (const c of CASES) {
            const broken = structuredClone(base);
            c.mutate(broken);
            const rules = [...new Set(check(broken).map((v) => v.rule))];
            assert.deepEqual(rules, [c.rule], `${c.breaks}: ${JSON.stringify(check(broken))}`);
        }
    });
});
