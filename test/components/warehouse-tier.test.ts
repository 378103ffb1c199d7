/**
 * The REDSHIFT data stack's AWS half under Pulumi mocks: namespace, workgroup, network without NAT
 * gateway, usage limits, the streaming role and the setup statements run at deploy time, in order.
 * Its own mock harness answers the invokes and the awsx VPC (a remote component) the shared
 * MockRecorder does not know.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { redshiftSetupStatements } from "../../analytics/query-definitions/redshift";
import { auditLogGroupName, queryEditorUrl, WarehouseTier, WarehouseTierArgs, warehouseArgsProblems } from "../../components/aws/warehouse-tier";
import { warehouseAlarmSpecs, warehouseWidgets } from "../../components/aws/warehouse/monitoring";
import { checkResources } from "../../policy/rules";
import { REDSHIFT_RESOURCE_RULES, REDSHIFT_STACK_RULES } from "../../policy/rules/redshift";
import { ResourceFacts } from "../../policy/rules/types";
import { replacementPolicy } from "../../components/aws/replacement";
import { OptionsCapture } from "./resource-options";
import { awsStreamOutputs } from "../support/contract-outputs";

const ACCOUNT = "111122223333";
const REGION = "us-east-1";
const STREAM = "game1-events";
const STREAM_ARN = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${STREAM}`;
const STUDIO_VPC_CIDR = "172.31.0.0/16";

interface Recorded { type: string; name: string; urn: string; id: string; inputs: Record<string, any> }

/** Mock harness: records registrations, answers with AWS-shaped state. */
class WarehouseMocks {
    readonly resources: Recorded[] = [];
    readonly invokes: string[] = [];

    async install(): Promise<void> {
        this.resources.length = 0;
        await pulumi.runtime.setMocks({
            newResource: (args) => {
                const id = `${args.name}-id`;
                const state: Record<string, unknown> = { ...args.inputs };
                switch (args.type) {
                    case "awsx:ec2:Vpc":
                        Object.assign(state, { vpcId: "vpc-0new", isolatedSubnetIds: ["subnet-a", "subnet-b", "subnet-c"], privateSubnetIds: [], publicSubnetIds: [] });
                        break;
                    case "aws:redshiftserverless/namespace:Namespace":
                        Object.assign(state, { adminPasswordSecretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:redshift!${args.inputs.namespaceName}-admin-AbCdEf`, arn: `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:namespace/ns-uuid` });
                        break;
                    case "aws:redshiftserverless/workgroup:Workgroup":
                        Object.assign(state, { arn: `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:workgroup/wg-uuid`, workgroupId: "wg-uuid", endpoints: [{ address: `${args.inputs.workgroupName}.${ACCOUNT}.${REGION}.redshift-serverless.amazonaws.com`, port: 5439 }] });
                        break;
                    case "aws:iam/role:Role":
                        Object.assign(state, { arn: `arn:aws:iam::${ACCOUNT}:role/${args.inputs.name}` });
                        break;
                    case "aws:kms/key:Key":
                        Object.assign(state, { arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${args.name}` });
                        break;
                    case "aws:ec2/vpcEndpoint:VpcEndpoint":
                        Object.assign(state, { prefixListId: args.inputs.vpcEndpointType === "Gateway" ? "pl-63a5400a" : undefined });
                        break;
                    default:
                        break;
                }
                this.resources.push({ type: args.type, name: args.name, urn: `urn:pulumi:dev::game-analytics::${args.type}::${args.name}`, id, inputs: args.inputs });
                return { id, state };
            },
            call: (args) => {
                this.invokes.push(args.token);
                switch (args.token) {
                    case "aws:index/getCallerIdentity:getCallerIdentity": return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/test`, userId: "test", id: ACCOUNT };
                    case "aws:index/getRegion:getRegion": return { name: REGION, region: REGION, id: REGION };
                    case "aws:index/getPartition:getPartition": return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
                    case "aws:ec2/getVpc:getVpc": return { id: args.inputs.id, cidrBlock: STUDIO_VPC_CIDR };
                    case "aws:ec2/getRouteTables:getRouteTables": return { id: args.inputs.vpcId, ids: ["rtb-a", "rtb-b", "rtb-c"] };
                    default: throw new Error(`unexpected invoke ${args.token}`);
                }
            },
        }, "game-analytics", "dev", true);
    }

    async settle(): Promise<Recorded[]> {
        let last = -1;
        let stable = 0;
        while (stable < 3) {
            await new Promise((resolve) => setTimeout(resolve, 15));
            stable = this.resources.length === last ? stable + 1 : 0;
            last = this.resources.length;
        }
        return this.resources;
    }

    ofType(type: string): Recorded[] {
        return this.resources.filter((r) => r.type === type);
    }

    one(type: string): Recorded {
        const found = this.ofType(type);
        assert.equal(found.length, 1, `expected one ${type}, found ${found.map((r) => r.name).join(", ") || "none"}`);
        return found[0]!;
    }
}

const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply((v) => { resolve(v); return v; }));
/** The resources as the policy engine sees them: inputs, and the options the pipeline's replacement policy gives. */
const facts = (resources: Recorded[], options?: OptionsCapture): ResourceFacts[] => {
    const byName = new Map((options?.all() ?? []).map((o) => [`${o.type}::${o.name}`, o]));
    return resources.map((r) => {
        const o = byName.get(`${r.type}::${r.name}`);
        return { type: r.type, name: r.name, urn: r.urn, id: r.id, props: r.inputs, ...(o ? { opts: { protect: o.protect, deleteBeforeReplace: o.deleteBeforeReplace } } : {}) };
    });
};

async function build(mocks: WarehouseMocks, args: Partial<WarehouseTierArgs> = {}): Promise<{ tier: WarehouseTier; resources: Recorded[]; options: OptionsCapture }> {
    await mocks.install();
    const options = new OptionsCapture();
    const tier = new WarehouseTier("warehouse", { workloadName: "Game1", stream: awsStreamOutputs(STREAM, STREAM_ARN), ...args }, { transformations: [replacementPolicy(true), options.transformation] });
    await valueOf(tier.queryEditorUrl);
    return { tier, resources: [...(await mocks.settle())], options };
}

describe("WarehouseTier (REDSHIFT data stack, AWS)", () => {
    describe("with the VPC it creates", () => {
        const mocks = new WarehouseMocks();
        let tier: WarehouseTier;
        let resources: Recorded[];
        let options: OptionsCapture;
        before(async () => ({ tier, resources, options } = await build(mocks, { stream: awsStreamOutputs(STREAM, STREAM_ARN, `arn:aws:kms:${REGION}:${ACCOUNT}:key/stream-key`) })));

        it("creates a VPC with isolated subnets in 3 AZs and no NAT gateway", () => {
            const vpc = mocks.one("awsx:ec2:Vpc").inputs;
            assert.equal(vpc.natGateways.strategy, "None");
            assert.equal(vpc.numberOfAvailabilityZones, 3);
            assert.deepEqual(vpc.subnetSpecs.map((s: any) => s.type), ["Isolated"]);
            assert.equal(mocks.ofType("aws:ec2/natGateway:NatGateway").length, 0);
            assert.equal(mocks.ofType("aws:ec2/internetGateway:InternetGateway").length, 0);
        });

        it("opens the security group only inside the VPC, and adds the Kinesis and S3 endpoints", () => {
            const sg = mocks.one("aws:ec2/securityGroup:SecurityGroup").inputs;
            const cidrs = [...sg.ingress, ...sg.egress].flatMap((r: any) => r.cidrBlocks ?? []);
            assert.ok(cidrs.length > 0 && cidrs.every((c: string) => c === "10.42.0.0/16"), JSON.stringify(cidrs));
            assert.deepEqual(sg.ingress.map((r: any) => r.fromPort).sort(), [443, 5439]);
            const endpoints = mocks.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => [e.inputs.serviceName, e.inputs.vpcEndpointType]);
            assert.deepEqual(endpoints.sort(), [[`com.amazonaws.${REGION}.kinesis-streams`, "Interface"], [`com.amazonaws.${REGION}.s3`, "Gateway"]]);
            const kinesis = mocks.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.inputs.vpcEndpointType === "Interface")!.inputs;
            assert.equal(kinesis.privateDnsEnabled, true);
            assert.deepEqual(kinesis.subnetIds, ["subnet-a"], "one AZ: one endpoint-hour");
            assert.deepEqual(mocks.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.inputs.vpcEndpointType === "Gateway")!.inputs.routeTableIds, ["rtb-a", "rtb-b", "rtb-c"]);
            assert.equal(mocks.one("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").inputs.prefixListId, "pl-63a5400a");
        });

        it("encrypts the namespace and its managed admin secret with a customer-managed key and exports the audit logs", () => {
            const key = mocks.one("aws:kms/key:Key");
            assert.equal(key.inputs.enableKeyRotation, true);
            const ns = mocks.one("aws:redshiftserverless/namespace:Namespace").inputs;
            const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${key.name}`;
            assert.deepEqual([ns.kmsKeyId, ns.adminPasswordSecretKmsKeyId, ns.manageAdminPassword, ns.adminUserPassword], [keyArn, keyArn, true, undefined]);
            assert.deepEqual(ns.logExports, ["connectionlog", "userlog", "useractivitylog"]);
            assert.equal(ns.namespaceName, "game1-warehouse");
            assert.deepEqual(ns.iamRoles, [`arn:aws:iam::${ACCOUNT}:role/Game1-redshift-streaming`]);
            const groups = mocks.ofType("aws:cloudwatch/logGroup:LogGroup").filter((g) => g.inputs.name.startsWith("/aws/redshift/")).map((g) => [g.inputs.name, g.inputs.retentionInDays, g.inputs.kmsKeyId]);
            assert.deepEqual(groups, ["connectionlog", "userlog", "useractivitylog"].map((t) => [auditLogGroupName(t), 365, keyArn]));
            const logsGrant = JSON.parse(key.inputs.policy).Statement.find((s: any) => s.Sid === "CloudWatchLogsEncryptsTheAuditLogGroups");
            assert.equal(logsGrant.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"], `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/redshift/serverless/*`);
        });

        it("makes the workgroup private, VPC-routed, TLS-only, case-sensitive, at the guidance's 4 RPU", () => {
            const wg = mocks.one("aws:redshiftserverless/workgroup:Workgroup").inputs;
            assert.deepEqual([wg.publiclyAccessible, wg.enhancedVpcRouting, wg.baseCapacity, wg.port], [false, true, 4, 5439]);
            assert.deepEqual(wg.subnetIds, ["subnet-a", "subnet-b", "subnet-c"]);
            assert.deepEqual(wg.securityGroupIds, ["warehouse-network-sg-id"]);
            const params = Object.fromEntries(wg.configParameters.map((p: any) => [p.parameterKey, p.parameterValue]));
            assert.deepEqual([params.enable_case_sensitive_identifier, params.require_ssl, params.enable_user_activity_logging], ["true", "true", "true"]);
        });

        it("limits compute per day and per week on the workgroup, with an action", () => {
            const limits = mocks.ofType("aws:redshiftserverless/usageLimit:UsageLimit").map((l) => l.inputs);
            assert.deepEqual(limits.map((l) => [l.usageType, l.period, l.amount, l.breachAction, l.resourceArn]), [
                ["serverless-compute", "daily", 8, "deactivate", `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:workgroup/wg-uuid`],
                ["serverless-compute", "weekly", 40, "deactivate", `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:workgroup/wg-uuid`],
            ]);
        });

        it("gives the streaming role read access to the one stream and decrypt on its key only", () => {
            const role = mocks.ofType("aws:iam/role:Role").filter((r) => r.name.startsWith("warehouse-streaming"))[0]!.inputs;
            const trust = JSON.parse(role.assumeRolePolicy);
            assert.deepEqual(trust.Statement[0].Principal.Service, ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"]);
            const policy = JSON.parse(mocks.ofType("aws:iam/rolePolicy:RolePolicy").filter((r) => r.name.startsWith("warehouse-streaming"))[0]!.inputs.policy);
            assert.deepEqual(policy.Statement.map((s: any) => [s.Action, s.Resource]), [
                [["kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards", "kinesis:DescribeStream"], [STREAM_ARN]],
                [["kms:Decrypt"], [`arn:aws:kms:${REGION}:${ACCOUNT}:key/stream-key`]],
            ]);
        });

        it("creates the schema, streaming view and 12 views at deploy time, in order, through the Data API", async () => {
            const statements = mocks.ofType("aws:redshiftdata/statement:Statement");
            const expected = redshiftSetupStatements({ streamName: STREAM, streamingRoleArn: `arn:aws:iam::${ACCOUNT}:role/Game1-redshift-streaming` });
            assert.equal(statements.length, 16);
            assert.deepEqual(statements.map((s) => s.inputs.sql), expected.map((s) => s.sql));
            for (const s of statements) {
                assert.deepEqual([s.inputs.workgroupName, s.inputs.database, s.inputs.clusterIdentifier, s.inputs.dbUser], ["game1-warehouse", "analytics", undefined, undefined]);
                assert.match(s.inputs.secretArn, /^arn:aws:secretsmanager:.*:secret:redshift!game1-warehouse-admin/);
            }
            // Each statement waits for the previous one (and the first for the workgroup and limits).
            const deps = expected.map((e) => options.one("aws:redshiftdata/statement:Statement", `-sql-${e.name}`).dependsOn);
            assert.deepEqual(deps[0]!.sort(), ["aws:redshiftserverless/usageLimit:UsageLimit::warehouse-daily-limit", "aws:redshiftserverless/usageLimit:UsageLimit::warehouse-weekly-limit", "aws:redshiftserverless/workgroup:Workgroup::warehouse-workgroup"]);
            for (let i = 1; i < deps.length; i++) assert.deepEqual(deps[i], [`aws:redshiftdata/statement:Statement::warehouse-sql-${expected[i - 1]!.name}`]);
        });

        it("outputs the endpoint, database, secret and query editor link", async () => {
            assert.equal(await valueOf(tier.endpointAddress), `game1-warehouse.${ACCOUNT}.${REGION}.redshift-serverless.amazonaws.com`);
            assert.equal(await valueOf(tier.databaseName), "analytics");
            assert.match(await valueOf(tier.adminSecretArn), /^arn:aws:secretsmanager:/);
            assert.equal(await valueOf(tier.queryEditorUrl), queryEditorUrl(REGION));
            assert.equal(tier.port, 5439);
        });

        it("breaks no rule of the policy pack, Redshift rules included, under the pipeline's replacement policy", () => {
            const all = facts(resources, options);
            assert.ok(all.some((r) => r.opts !== undefined));
            const redshift = [
                ...all.flatMap((r) => REDSHIFT_RESOURCE_RULES.filter((rule) => rule.types.includes(r.type)).flatMap((rule) => rule.check(r).map((m) => `${rule.name}: ${m}`))),
                ...REDSHIFT_STACK_RULES.flatMap((rule) => rule.check(all).map((v) => `${rule.name}: ${v.message}`)),
            ];
            assert.deepEqual(redshift, []);
            // The refresh-lag alarm belongs to the operations tier: alone, the tier breaks only that
            // stack rule (the whole pipeline passes it: redshift-pipeline.test.ts, redshift-wiring.test.ts).
            assert.deepEqual(checkResources(all).map((v) => `${v.rule}: ${v.message}`),
                ["redshift-refresh-monitored: aws:redshiftserverless/workgroup:Workgroup \"warehouse-workgroup\": no MaterializedViewLagSeconds alarm (treatMissingData breaching) watches this workgroup's refresh"]);
        });
    });

    describe("in the studio's own VPC", () => {
        const mocks = new WarehouseMocks();
        before(async () => { await build(mocks, { vpcId: "vpc-studio", subnetIds: ["subnet-1", "subnet-2", "subnet-3"], baseCapacityRpu: 8, usageLimitRpuHoursPerDay: 16, usageLimitRpuHoursPerWeek: 80, usageLimitBreachAction: "emit-metric", manageAuditLogGroups: false }); });

        it("creates no VPC and no endpoints, uses the given subnets, opens the group to the VPC's CIDR only", () => {
            assert.equal(mocks.ofType("awsx:ec2:Vpc").length, 0);
            assert.equal(mocks.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").length, 0);
            const wg = mocks.one("aws:redshiftserverless/workgroup:Workgroup").inputs;
            assert.deepEqual([wg.subnetIds, wg.baseCapacity], [["subnet-1", "subnet-2", "subnet-3"], 8]);
            const sg = mocks.one("aws:ec2/securityGroup:SecurityGroup").inputs;
            assert.equal(sg.vpcId, "vpc-studio");
            assert.ok([...sg.ingress, ...sg.egress].every((r: any) => r.cidrBlocks.every((c: string) => c === STUDIO_VPC_CIDR)));
            assert.ok(mocks.invokes.includes("aws:ec2/getVpc:getVpc"));
        });

        it("applies the configured limits and leaves the shared audit log groups to another stack", () => {
            const limits = mocks.ofType("aws:redshiftserverless/usageLimit:UsageLimit").map((l) => [l.inputs.amount, l.inputs.breachAction]);
            assert.deepEqual(limits, [[16, "emit-metric"], [80, "emit-metric"]]);
            assert.equal(mocks.ofType("aws:cloudwatch/logGroup:LogGroup").filter((g) => g.inputs.name.startsWith("/aws/redshift/")).length, 0);
            assert.equal(mocks.ofType("aws:kms/key:Key").length, 1);
            assert.equal(mocks.ofType("aws:iam/rolePolicy:RolePolicy").filter((r) => r.name.startsWith("warehouse-streaming"))[0]!.inputs.policy.includes("kms:Decrypt"), false);
        });
    });

    describe("arguments", () => {
        const base: WarehouseTierArgs = { workloadName: "g", stream: awsStreamOutputs(STREAM, STREAM_ARN) };
        const cases: [string, Partial<WarehouseTierArgs>, RegExp][] = [
            ["a base capacity AWS refuses", { baseCapacityRpu: 6 }, /redshiftBaseCapacityRpu: must be 4, a multiple of 8/],
            ["a base capacity above 512 off the 32 grid", { baseCapacityRpu: 520, usageLimitRpuHoursPerDay: 600, usageLimitRpuHoursPerWeek: 4000 }, /redshiftBaseCapacityRpu: must be 4/],
            ["a fractional daily limit", { usageLimitRpuHoursPerDay: 7.5 }, /redshiftUsageLimitRpuHoursPerDay: must be a positive whole number/],
            ["a weekly limit under the daily one", { usageLimitRpuHoursPerWeek: 4 }, /redshiftUsageLimitRpuHoursPerWeek: must be at least the daily limit \(8\)/],
            ["a daily limit under one hour of base capacity", { baseCapacityRpu: 16 }, /redshiftUsageLimitRpuHoursPerDay: must allow at least one hour at the base capacity \(16/],
            ["an unknown breach action", { usageLimitBreachAction: "stop" as any }, /redshiftUsageLimitBreachAction: must be one of log, emit-metric, deactivate/],
            ["subnets without their VPC", { subnetIds: ["a", "b", "c"] }, /redshiftVpcId: required with redshiftSubnetIds/],
            ["a VPC without subnets", { vpcId: "vpc-1" }, /redshiftSubnetIds: required with redshiftVpcId/],
            ["two subnets", { vpcId: "vpc-1", subnetIds: ["a", "b"] }, /redshiftSubnetIds: Redshift Serverless needs at least 3 subnets in 3 Availability Zones \(got 2\)/],
            ["a Kinesis endpoint in 4 AZs", { kinesisEndpointAzs: 4 }, /redshiftKinesisEndpointAzs: a whole number from 1 to 3/],
            ["an upper-case database", { databaseName: "Events" }, /redshiftDatabaseName: lower case letters/],
        ];
        for (const [label, args, message] of cases) {
            it(`refuses ${label}, naming the setting`, () => {
                const problems = warehouseArgsProblems({ ...base, ...args });
                assert.ok(problems.some((p) => message.test(p)), problems.join("\n"));
                assert.throws(() => new WarehouseTier("w", { ...base, ...args }), message);
            });
        }
        it("accepts the defaults and the documented capacities", () => {
            assert.deepEqual(warehouseArgsProblems(base), []);
            for (const rpu of [4, 8, 128, 512, 544, 1024]) {
                assert.deepEqual(warehouseArgsProblems({ ...base, baseCapacityRpu: rpu, usageLimitRpuHoursPerDay: rpu, usageLimitRpuHoursPerWeek: rpu * 7 }), [], String(rpu));
            }
        });
    });

    describe("operations: widgets and alarms", () => {
        const watch = { region: REGION, workgroupName: "game1-warehouse", namespaceName: "game1-warehouse", databaseName: "analytics", streamName: STREAM, usageLimitRpuHoursPerDay: 8, streamRetentionHours: 24 };
        it("shows queries/s, connections, storage and RPU usage", () => {
            const metrics = warehouseWidgets(watch).flatMap((w: any) => w.properties.metrics.map((m: any[]) => m[1] ?? m[0].expression));
            assert.deepEqual(metrics, ["QueriesCompletedPerSecond", "DatabaseConnections", "DataStorage", "ComputeCapacity", "ComputeSeconds", "seconds / 3600", "MaterializedViewLagSeconds", "MaterializedViewRefreshFailures"]);
        });
        it("alarms when the daily usage limit is used and when a reader nears the stream's retention", () => {
            const specs = warehouseAlarmSpecs(watch);
            const usage = specs.find((s) => s.suffix === "warehouse-usage-limit");
            const lag = specs.find((s) => s.suffix === "warehouse-refresh-lag");
            assert.deepEqual([usage!.metricName, usage!.threshold, usage!.period], ["ComputeSeconds", 8 * 3600, 86_400]);
            assert.deepEqual([lag!.metricName, lag!.threshold, lag!.dimensions], ["GetRecords.IteratorAgeMilliseconds", 12 * 3_600_000, { StreamName: STREAM }]);
        });
    });
});
