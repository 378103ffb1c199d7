/**
 * The only actions an identity policy of this project may grant on `Resource: "*"`: actions that
 * have no resource-level permissions (IAM requires "*" for them). One table, with the reason for
 * each; `test/security/iam.test.ts` proves against the IAM service reference (iam-data) that none
 * of them has a required resource type.
 */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS: Readonly<Record<string, string>> = {
    "xray:PutTraceSegments": "X-Ray trace upload has no resource types; Lambda active tracing needs it",
    "xray:PutTelemetryRecords": "X-Ray daemon telemetry has no resource types; Lambda active tracing needs it",
    "xray:GetSamplingRules": "X-Ray SDK sampling rules lookup has no resource types",
    "xray:GetSamplingTargets": "X-Ray SDK sampling quota lookup has no resource types",
    "cloudwatch:PutMetricData": "custom metrics (Powertools EMF or the real-time metrics) have no required resource type; narrow with the cloudwatch:namespace condition key",
    "cloudwatch:GetMetricData": "metric queries have no required resource type",
    "kinesis:ListStreams": "account-level listing of streams",
    "firehose:ListDeliveryStreams": "account-level listing of delivery streams",
    "logs:DescribeLogGroups": "account-level listing of log groups",
    "athena:ListWorkGroups": "account-level listing of workgroups",
    "redshift-data:DescribeStatement": "Data API statements have no resource type; narrowed by the redshift-data:statement-owner-iam-userid condition to the caller's own statements",
    "redshift-data:GetStatementResult": "Data API statements have no resource type; narrowed by the redshift-data:statement-owner-iam-userid condition to the caller's own statements",
};
