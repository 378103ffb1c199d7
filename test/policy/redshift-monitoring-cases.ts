/**
 * Compliant facts and breaking changes of the rules in policy/rules/redshift-monitoring.ts. Shared
 * by redshift-monitoring-rules.test.ts and the whole pack's coverage check (rules.test.ts).
 */
import { ResourceFacts } from "../../policy/rules/types";

const doc = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const OWN = { StringEquals: { "redshift-data:statement-owner-iam-userid": "${aws:userid}" } };

/** The monitor's policy, its schedule permission, an audit log group, a workgroup and its lag alarm. */
export function compliantMonitoring(): ResourceFacts[] {
    return [
        {
            type: "aws:iam/rolePolicy:RolePolicy", name: "monitor-policy", urn: "urn:monitor-policy",
            props: { policy: doc([
                { Effect: "Allow", Action: ["redshift-data:ExecuteStatement"], Resource: ["arn:aws:redshift-serverless:us-east-1:111122223333:workgroup/w"] },
                { Sid: "Own", Effect: "Allow", Action: ["redshift-data:DescribeStatement", "redshift-data:GetStatementResult"], Resource: ["*"], Condition: OWN },
            ]) },
        },
        { type: "aws:lambda/permission:Permission", name: "monitor-invoke", urn: "urn:monitor-invoke", props: { principal: "events.amazonaws.com", action: "lambda:InvokeFunction", sourceArn: "arn:aws:events:us-east-1:111122223333:rule/r" } },
        { type: "aws:cloudwatch/logGroup:LogGroup", name: "wh-userlog", urn: "urn:wh-userlog", props: { name: "/aws/redshift/serverless/userlog", retentionInDays: 365, kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k1" } },
        { type: "aws:redshiftserverless/workgroup:Workgroup", name: "wh-workgroup", urn: "urn:wh-workgroup", props: { workgroupName: "game1-warehouse" } },
        { type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "alarm-mv-lag", urn: "urn:alarm-mv-lag", props: { metricName: "MaterializedViewLagSeconds", namespace: "GameAnalytics/Warehouse", dimensions: { Workgroup: "game1-warehouse" }, treatMissingData: "breaching" } },
    ];
}

const named = (stack: ResourceFacts[], name: string): ResourceFacts => stack.find((r) => r.name === name)!;

export const REDSHIFT_MONITORING_CASES: { rule: string; breaks: string; message: RegExp; mutate(s: ResourceFacts[]): void }[] = [
    {
        rule: "redshift-data-own-statements-only", breaks: "GetStatementResult on \"*\" without the statement-owner condition", message: /GetStatementResult without Condition StringEquals redshift-data:statement-owner-iam-userid/,
        mutate: (s) => { named(s, "monitor-policy").props.policy = doc([{ Effect: "Allow", Action: ["redshift-data:DescribeStatement", "redshift-data:GetStatementResult"], Resource: ["*"] }]); },
    },
    {
        rule: "redshift-data-own-statements-only", breaks: "the condition naming a fixed user instead of ${aws:userid}", message: /DescribeStatement/,
        mutate: (s) => { named(s, "monitor-policy").props.policy = doc([{ Effect: "Allow", Action: ["redshift-data:DescribeStatement"], Resource: ["*"], Condition: { StringEquals: { "redshift-data:statement-owner-iam-userid": "AROAOTHER" } } }]); },
    },
    {
        rule: "redshift-data-own-statements-only", breaks: "ListStatements in a role's inline policy without condition", message: /ListStatements/,
        mutate: (s) => { s.push({ type: "aws:iam/role:Role", name: "r", urn: "urn:r", props: { inlinePolicies: [{ name: "p", policy: doc([{ Effect: "Allow", Action: "redshift-data:ListStatements", Resource: "*" }]) }] } }); },
    },
    {
        rule: "redshift-audit-log-groups-encrypted", breaks: "an audit log group without a KMS key", message: /kmsKeyId must be a customer-managed KMS key/,
        mutate: (s) => { delete named(s, "wh-userlog").props.kmsKeyId; },
    },
    {
        rule: "redshift-audit-log-groups-encrypted", breaks: "an audit log group under an AWS-managed alias", message: /customer-managed/,
        mutate: (s) => { named(s, "wh-userlog").props.kmsKeyId = "alias/aws/logs"; },
    },
    {
        rule: "lambda-service-invoke-scoped", breaks: "an EventBridge permission without sourceArn", message: /principal events\.amazonaws\.com without sourceArn/,
        mutate: (s) => { delete named(s, "monitor-invoke").props.sourceArn; },
    },
    {
        rule: "redshift-refresh-monitored", breaks: "a workgroup without a lag alarm", message: /no MaterializedViewLagSeconds alarm/,
        mutate: (s) => { s.splice(s.indexOf(named(s, "alarm-mv-lag")), 1); },
    },
    {
        rule: "redshift-refresh-monitored", breaks: "a lag alarm that goes quiet when the monitor stops publishing", message: /treatMissingData breaching/,
        mutate: (s) => { named(s, "alarm-mv-lag").props.treatMissingData = "notBreaching"; },
    },
];
