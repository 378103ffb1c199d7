/**
 * Redshift Serverless rules learned from the AWS documentation and known provider issues, for the
 * REDSHIFT data stack (components/aws/warehouse-tier.ts):
 * - namespace: a customer-managed KMS key; the admin password managed in Secrets Manager
 *   (`manageAdminPassword`, never a password in the program) under a customer-managed key
 *   (`adminPasswordSecretKmsKeyId`, only valid with `manageAdminPassword`); audit logs exported to
 *   CloudWatch (`connectionlog`, `userlog`, `useractivitylog`);
 * - workgroup: not publicly accessible, enhanced VPC routing, at least 3 subnets (3 AZs are
 *   required), a security group, `require_ssl` and `enable_user_activity_logging` on (without it
 *   `useractivitylog` stays empty), a base capacity AWS accepts (4, multiples of 8 to 512, of 32 to 1024);
 * - usage limits: `serverless-compute` in whole RPU-hours, a documented period and breach action,
 *   and every workgroup has one;
 * - network: no NAT gateway (awsx `natGateways.strategy` "None"), no security-group ingress from
 *   anywhere;
 * - Data API statements: Serverless addressing (`workgroupName` + `secretArn`), never a
 *   cluster identifier or database user.
 */
import { baseCapacityProblem, COMPUTE_USAGE_TYPE, USAGE_LIMIT_BREACH_ACTIONS, USAGE_LIMIT_PERIODS, usageLimitAmountProblem } from "./redshift-capacity";
import { ResourceFacts, ResourceRule, StackRule, Violation } from "./types";

export const REDSHIFT_TYPES = {
    namespace: "aws:redshiftserverless/namespace:Namespace",
    workgroup: "aws:redshiftserverless/workgroup:Workgroup",
    usageLimit: "aws:redshiftserverless/usageLimit:UsageLimit",
    statement: "aws:redshiftdata/statement:Statement",
    awsxVpc: "awsx:ec2:Vpc",
    natGateway: "aws:ec2/natGateway:NatGateway",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
} as const;

/** Audit logs a namespace must export. */
export const REQUIRED_LOG_EXPORTS = ["connectionlog", "userlog", "useractivitylog"];
const ANYWHERE = ["0.0.0.0/0", "::/0"];
const isTrue = (v: unknown): boolean => v === true || v === "true";
const customerKey = (v: unknown): boolean => typeof v === "string" && v !== "" && !/alias\/aws\//.test(v);

export const redshiftNamespaceEncrypted: ResourceRule = {
    name: "redshift-namespace-encrypted",
    description: "A Redshift Serverless namespace uses a customer-managed KMS key, lets Secrets Manager manage the admin password under a customer-managed key, and exports its audit logs to CloudWatch.",
    types: [REDSHIFT_TYPES.namespace],
    check: ({ props }) => {
        const problems: string[] = [];
        if (!customerKey(props.kmsKeyId)) problems.push("kmsKeyId must be a customer-managed KMS key (the default is an AWS-owned key)");
        if (!isTrue(props.manageAdminPassword)) problems.push("manageAdminPassword must be true (Secrets Manager generates and keeps the admin password)");
        if (props.adminUserPassword !== undefined || props.adminUserPasswordWo !== undefined) problems.push("adminUserPassword must not be set: a password in the program ends up in the state");
        if (!customerKey(props.adminPasswordSecretKmsKeyId)) problems.push("adminPasswordSecretKmsKeyId must be a customer-managed KMS key (only valid with manageAdminPassword)");
        const exports: string[] = props.logExports ?? [];
        const missing = REQUIRED_LOG_EXPORTS.filter((t) => !exports.includes(t));
        if (missing.length > 0) problems.push(`logExports must include ${missing.join(", ")} (audit logs to CloudWatch)`);
        return problems;
    },
};

export const redshiftWorkgroupPrivate: ResourceRule = {
    name: "redshift-workgroup-private",
    description: "A Redshift Serverless workgroup is not publicly accessible, routes through its VPC, spans at least 3 subnets, has a security group, requires TLS, logs user activity and has a base capacity AWS accepts.",
    types: [REDSHIFT_TYPES.workgroup],
    check: ({ props }) => {
        const problems: string[] = [];
        if (props.publiclyAccessible !== false && props.publiclyAccessible !== "false") problems.push("publiclyAccessible must be false (explicitly)");
        if (!isTrue(props.enhancedVpcRouting)) problems.push("enhancedVpcRouting must be true (the workgroup's traffic stays in the VPC)");
        const subnets: unknown[] = props.subnetIds ?? [];
        if (subnets.length < 3) problems.push(`subnetIds must list at least 3 subnets in 3 Availability Zones (got ${subnets.length})`);
        if ((props.securityGroupIds ?? []).length === 0) problems.push("securityGroupIds must name the workgroup's security group (the VPC's default group is not the pipeline's)");
        const params: Record<string, string> = Object.fromEntries((props.configParameters ?? []).map((p: { parameterKey: string; parameterValue: string }) => [p.parameterKey, String(p.parameterValue)]));
        if (params.require_ssl !== "true") problems.push("configParameters must set require_ssl to true (TLS only)");
        if (params.enable_user_activity_logging !== "true") problems.push("configParameters must set enable_user_activity_logging to true (the exported useractivitylog is empty otherwise)");
        if (props.baseCapacity !== undefined) {
            const capacity = baseCapacityProblem(Number(props.baseCapacity));
            if (capacity) problems.push(`baseCapacity ${capacity}`);
        }
        return problems;
    },
};

export const redshiftUsageLimitValid: ResourceRule = {
    name: "redshift-usage-limit-valid",
    description: "A Redshift Serverless compute usage limit is a whole number of RPU-hours with a documented period and breach action.",
    types: [REDSHIFT_TYPES.usageLimit],
    check: ({ props }) => {
        if (props.usageType !== COMPUTE_USAGE_TYPE) return [];
        const problems: string[] = [];
        const amount = usageLimitAmountProblem(Number(props.amount));
        if (amount) problems.push(`amount ${amount}`);
        if (!(USAGE_LIMIT_PERIODS as readonly string[]).includes(props.period)) problems.push(`period must be one of ${USAGE_LIMIT_PERIODS.join(", ")} (got ${JSON.stringify(props.period)}; AWS defaults to monthly)`);
        if (!(USAGE_LIMIT_BREACH_ACTIONS as readonly string[]).includes(props.breachAction)) problems.push(`breachAction must be one of ${USAGE_LIMIT_BREACH_ACTIONS.join(", ")} (got ${JSON.stringify(props.breachAction)}; AWS defaults to log)`);
        return problems;
    },
};

export const noNatGateway: ResourceRule = {
    name: "no-nat-gateway",
    description: "The pipeline deploys no NAT gateway (it costs more than the warehouse's idle time): awsx VPCs use natGateways.strategy None and VPC endpoints instead.",
    types: [REDSHIFT_TYPES.awsxVpc, REDSHIFT_TYPES.natGateway],
    check: ({ type, props }) => {
        if (type === REDSHIFT_TYPES.natGateway) return ["a NAT gateway is deployed; use VPC endpoints (the pipeline's services all have one)"];
        const strategy = props.natGateways?.strategy;
        return strategy === "None" ? [] : [`natGateways.strategy must be "None" (got ${JSON.stringify(strategy)}; awsx creates one NAT gateway per AZ by default)`];
    },
};

export const securityGroupNotOpenToTheWorld: ResourceRule = {
    name: "security-group-not-open",
    description: "No security group accepts traffic from anywhere (0.0.0.0/0 or ::/0): the warehouse is reachable from inside its VPC only.",
    types: [REDSHIFT_TYPES.securityGroup, REDSHIFT_TYPES.ingressRule],
    check: ({ type, props }) => {
        const rules: Array<{ cidrBlocks?: string[]; ipv6CidrBlocks?: string[] }> = type === REDSHIFT_TYPES.ingressRule
            ? [{ cidrBlocks: [props.cidrIpv4, props.cidrIpv6].filter(Boolean) }] : props.ingress ?? [];
        const open = rules.flatMap((r) => [...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? [])]).filter((c) => ANYWHERE.includes(c));
        return open.length === 0 ? [] : [`ingress from ${[...new Set(open)].join(", ")}; allow the VPC's CIDR (or a security group) only`];
    },
};

export const redshiftStatementServerless: ResourceRule = {
    name: "redshift-statement-serverless",
    description: "A Data API statement addresses a Serverless workgroup with the namespace's managed secret (workgroupName + secretArn), never a cluster identifier or a database user.",
    types: [REDSHIFT_TYPES.statement],
    check: ({ props }) => {
        const problems: string[] = [];
        if (!props.workgroupName) problems.push("workgroupName must be set (Redshift Serverless)");
        if (!props.secretArn) problems.push("secretArn must be the namespace's adminPasswordSecretArn");
        if (props.clusterIdentifier !== undefined || props.dbUser !== undefined) problems.push("clusterIdentifier and dbUser are for provisioned clusters; remove them");
        return problems;
    },
};

/** Every workgroup has a compute usage limit on it: without one a runaway dashboard bills without bound. */
export const redshiftWorkgroupHasUsageLimit: StackRule = {
    name: "redshift-workgroup-usage-limit",
    description: "Every Redshift Serverless workgroup has a serverless-compute usage limit whose action is not just log.",
    check: (resources: readonly ResourceFacts[]): Violation[] => {
        const workgroups = resources.filter((r) => r.type === REDSHIFT_TYPES.workgroup);
        const limits = resources.filter((r) => r.type === REDSHIFT_TYPES.usageLimit && r.props.usageType === COMPUTE_USAGE_TYPE && r.props.breachAction !== "log");
        return workgroups.filter((wg) => !limits.some((l) => limitsWorkgroup(l, wg, workgroups.length))).map((wg) => ({
            urn: wg.urn,
            message: `${wg.type} "${wg.name}": no serverless-compute usage limit with action emit-metric or deactivate targets this workgroup`,
        }));
    },
};

/** Whether a usage limit targets a workgroup: by property dependency, by ID in its ARN, or (one workgroup, nothing known) by elimination. */
function limitsWorkgroup(limit: ResourceFacts, wg: ResourceFacts, workgroups: number): boolean {
    const deps = limit.propertyDependencies?.resourceArn;
    if (deps !== undefined && wg.urn !== undefined) return deps.includes(wg.urn);
    const arn = String(limit.props.resourceArn ?? "");
    const workgroupId = wg.props.workgroupId as string | undefined;
    if (workgroupId) return arn.endsWith(`workgroup/${workgroupId}`);
    return workgroups === 1 && /:workgroup\//.test(arn);
}

export const REDSHIFT_RESOURCE_RULES: readonly ResourceRule[] = [
    redshiftNamespaceEncrypted, redshiftWorkgroupPrivate, redshiftUsageLimitValid, noNatGateway, securityGroupNotOpenToTheWorld, redshiftStatementServerless,
];
export const REDSHIFT_STACK_RULES: readonly StackRule[] = [redshiftWorkgroupHasUsageLimit];
