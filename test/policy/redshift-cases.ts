/**
 * A compliant Redshift Serverless warehouse (as facts) and the changes that break each Redshift
 * rule. Shared by redshift-rules.test.ts and the whole pack's coverage check (rules.test.ts).
 */
import { REDSHIFT_TYPES } from "../../policy/rules/redshift";
import { ResourceFacts } from "../../policy/rules/types";
const KEY = "arn:aws:kms:us-east-1:111122223333:key/k1";
export const WG_URN = "urn:pulumi:dev::game-analytics::aws:redshiftserverless/workgroup:Workgroup::wh-workgroup";

/** A warehouse that follows every rule. */
export function compliant(): ResourceFacts[] {
    return [
        { type: REDSHIFT_TYPES.namespace, name: "wh-namespace", props: { kmsKeyId: KEY, manageAdminPassword: true, adminPasswordSecretKmsKeyId: KEY, logExports: ["connectionlog", "userlog", "useractivitylog"] } },
        {
            type: REDSHIFT_TYPES.workgroup, name: "wh-workgroup", urn: WG_URN,
            props: {
                publiclyAccessible: false, enhancedVpcRouting: true, baseCapacity: 4, subnetIds: ["a", "b", "c"], securityGroupIds: ["sg-1"],
                configParameters: [{ parameterKey: "require_ssl", parameterValue: "true" }, { parameterKey: "enable_user_activity_logging", parameterValue: "true" }],
            },
        },
        { type: REDSHIFT_TYPES.usageLimit, name: "wh-daily-limit", props: { usageType: "serverless-compute", amount: 8, period: "daily", breachAction: "deactivate", resourceArn: "arn:aws:redshift-serverless:us-east-1:111122223333:workgroup/uuid" } },
        { type: REDSHIFT_TYPES.statement, name: "wh-sql-schema", props: { workgroupName: "wh", database: "analytics", secretArn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:x", sql: "CREATE SCHEMA IF NOT EXISTS x" } },
        { type: REDSHIFT_TYPES.awsxVpc, name: "wh-vpc", props: { natGateways: { strategy: "None" } } },
        { type: REDSHIFT_TYPES.securityGroup, name: "wh-sg", props: { ingress: [{ protocol: "tcp", fromPort: 5439, toPort: 5439, cidrBlocks: ["10.42.0.0/16"] }] } },
    ];
}

export const named = (stack: ResourceFacts[], name: string): ResourceFacts => stack.find((r) => r.name === name)!;

export const REDSHIFT_CASES: { rule: string; breaks: string; message: RegExp; mutate(s: ResourceFacts[]): void }[] = [
    { rule: "redshift-namespace-encrypted", breaks: "no KMS key (AWS-owned)", message: /kmsKeyId must be a customer-managed/, mutate: (s) => { delete named(s, "wh-namespace").props.kmsKeyId; } },
    { rule: "redshift-namespace-encrypted", breaks: "an AWS-managed alias", message: /kmsKeyId must be a customer-managed/, mutate: (s) => { named(s, "wh-namespace").props.kmsKeyId = "alias/aws/redshift"; } },
    { rule: "redshift-namespace-encrypted", breaks: "a password in the program", message: /adminUserPassword must not be set/, mutate: (s) => { Object.assign(named(s, "wh-namespace").props, { adminUserPassword: "hunter22", manageAdminPassword: false }); } },
    { rule: "redshift-namespace-encrypted", breaks: "managed secret under the default key", message: /adminPasswordSecretKmsKeyId must be a customer-managed/, mutate: (s) => { delete named(s, "wh-namespace").props.adminPasswordSecretKmsKeyId; } },
    { rule: "redshift-namespace-encrypted", breaks: "user activity log not exported", message: /logExports must include useractivitylog/, mutate: (s) => { named(s, "wh-namespace").props.logExports = ["connectionlog", "userlog"]; } },
    { rule: "redshift-workgroup-private", breaks: "publicly accessible", message: /publiclyAccessible must be false/, mutate: (s) => { named(s, "wh-workgroup").props.publiclyAccessible = true; } },
    { rule: "redshift-workgroup-private", breaks: "publicly accessible left to the default", message: /publiclyAccessible must be false/, mutate: (s) => { delete named(s, "wh-workgroup").props.publiclyAccessible; } },
    { rule: "redshift-workgroup-private", breaks: "no enhanced VPC routing", message: /enhancedVpcRouting must be true/, mutate: (s) => { named(s, "wh-workgroup").props.enhancedVpcRouting = false; } },
    { rule: "redshift-workgroup-private", breaks: "two subnets", message: /at least 3 subnets in 3 Availability Zones \(got 2\)/, mutate: (s) => { named(s, "wh-workgroup").props.subnetIds = ["a", "b"]; } },
    { rule: "redshift-workgroup-private", breaks: "no security group", message: /securityGroupIds must name/, mutate: (s) => { named(s, "wh-workgroup").props.securityGroupIds = []; } },
    { rule: "redshift-workgroup-private", breaks: "TLS not required", message: /require_ssl to true/, mutate: (s) => { named(s, "wh-workgroup").props.configParameters[0].parameterValue = "false"; } },
    { rule: "redshift-workgroup-private", breaks: "user activity logging off", message: /enable_user_activity_logging to true/, mutate: (s) => { named(s, "wh-workgroup").props.configParameters.pop(); } },
    { rule: "redshift-workgroup-private", breaks: "a base capacity of 12 RPU", message: /baseCapacity must be 4, a multiple of 8/, mutate: (s) => { named(s, "wh-workgroup").props.baseCapacity = 12; } },
    { rule: "redshift-usage-limit-valid", breaks: "a fractional amount", message: /amount must be a positive whole number/, mutate: (s) => { named(s, "wh-daily-limit").props.amount = 0.5; } },
    { rule: "redshift-usage-limit-valid", breaks: "an hourly period", message: /period must be one of daily, weekly, monthly/, mutate: (s) => { named(s, "wh-daily-limit").props.period = "hourly"; } },
    { rule: "redshift-usage-limit-valid", breaks: "an unknown action", message: /breachAction must be one of log, emit-metric, deactivate/, mutate: (s) => { named(s, "wh-daily-limit").props.breachAction = "stop"; } },
    { rule: "redshift-workgroup-usage-limit", breaks: "no usage limit", message: /no serverless-compute usage limit/, mutate: (s) => { s.splice(s.indexOf(named(s, "wh-daily-limit")), 1); } },
    { rule: "redshift-workgroup-usage-limit", breaks: "a limit that only logs", message: /no serverless-compute usage limit/, mutate: (s) => { named(s, "wh-daily-limit").props.breachAction = "log"; } },
    { rule: "redshift-workgroup-usage-limit", breaks: "a limit on another workgroup (preview dependencies)", message: /no serverless-compute usage limit/, mutate: (s) => { named(s, "wh-daily-limit").propertyDependencies = { resourceArn: ["urn:other"] }; } },
    { rule: "no-nat-gateway", breaks: "awsx's default NAT strategy", message: /natGateways.strategy must be "None"/, mutate: (s) => { delete named(s, "wh-vpc").props.natGateways; } },
    { rule: "no-nat-gateway", breaks: "a NAT gateway resource", message: /a NAT gateway is deployed/, mutate: (s) => { s.push({ type: REDSHIFT_TYPES.natGateway, name: "nat", props: {} }); } },
    { rule: "security-group-not-open", breaks: "5439 open to the internet", message: /ingress from 0.0.0.0\/0/, mutate: (s) => { named(s, "wh-sg").props.ingress[0].cidrBlocks = ["0.0.0.0/0"]; } },
    { rule: "security-group-not-open", breaks: "an IPv6 ingress rule from anywhere", message: /ingress from ::\/0/, mutate: (s) => { s.push({ type: REDSHIFT_TYPES.ingressRule, name: "open", props: { cidrIpv6: "::/0" } }); } },
    { rule: "redshift-statement-serverless", breaks: "a provisioned-cluster statement", message: /clusterIdentifier and dbUser are for provisioned clusters/, mutate: (s) => { Object.assign(named(s, "wh-sql-schema").props, { clusterIdentifier: "c1", dbUser: "admin" }); } },
    { rule: "redshift-statement-serverless", breaks: "no secret", message: /secretArn must be/, mutate: (s) => { delete named(s, "wh-sql-schema").props.secretArn; } },
];
