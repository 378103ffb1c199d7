/**
 * Rules learned while building the REDSHIFT functions (POST /redshift/setup and the
 * materialized-view refresh monitor), from the IAM service reference and the Redshift docs:
 *
 * - `redshift-data-own-statements-only`: the Data API's DescribeStatement, GetStatementResult,
 *   CancelStatement and ListStatements have no resource type (IAM takes only `Resource: "*"`), so
 *   without a condition a role may read the results of every statement in the account, the ones
 *   run with the admin secret included. The documented narrowing is the condition key
 *   `redshift-data:statement-owner-iam-userid` equal to `${aws:userid}` (the caller's own).
 * - `redshift-audit-log-groups-encrypted`: Redshift exports audit logs (connections, users, every
 *   query text) to `/aws/redshift/...` groups it creates without a key and never expiring unless the
 *   stack creates them first; those groups carry a customer-managed key (retention is
 *   `log-group-retention`'s).
 * - `lambda-service-invoke-scoped`: a Lambda permission for an AWS service principal
 *   (EventBridge, S3, SNS, API Gateway...) names the `sourceArn` (or `sourceAccount`): without it any
 *   resource of that service, in any account, may invoke the function (confused deputy).
 * - `redshift-refresh-monitored`: Redshift publishes no CloudWatch metric for a streaming
 *   materialized view's refresh, so a stack with a workgroup has an alarm on the refresh monitor's
 *   `MaterializedViewLagSeconds` (namespace `GameAnalytics/Warehouse`) that breaches on missing data.
 */
import { identityPolicyDocuments } from "./iam";
import { parsePolicyDocument, statementLabel } from "./policy-documents";
import { REDSHIFT_TYPES } from "./redshift";
import { ResourceFacts, ResourceRule, StackRule, TYPES, Violation } from "./types";

/** Data API actions scoped by the statement owner, not by a resource. */
export const OWNER_SCOPED_DATA_API_ACTIONS = ["redshift-data:DescribeStatement", "redshift-data:GetStatementResult", "redshift-data:CancelStatement", "redshift-data:ListStatements"];
export const STATEMENT_OWNER_KEY = "redshift-data:statement-owner-iam-userid";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";
const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

export const redshiftDataOwnStatementsOnly: ResourceRule = {
    name: "redshift-data-own-statements-only",
    description: "Identity policies grant the Data API's statement actions (DescribeStatement, GetStatementResult, CancelStatement, ListStatements) only with redshift-data:statement-owner-iam-userid = ${aws:userid}.",
    types: [TYPES.iamRole, TYPES.iamRolePolicy, TYPES.iamPolicy, TYPES.iamUserPolicy, TYPES.iamGroupPolicy],
    check: (resource) => identityPolicyDocuments(resource).flatMap(({ where, document }) => {
        let statements;
        try {
            statements = parsePolicyDocument(document);
        } catch {
            return []; // iam-least-privilege reports unparseable documents
        }
        return statements.flatMap((s, i) => {
            if (s.effect !== "Allow") return [];
            const owned = s.actions.filter((a) => OWNER_SCOPED_DATA_API_ACTIONS.includes(a));
            if (owned.length === 0) return [];
            const equals = s.condition?.StringEquals?.[STATEMENT_OWNER_KEY];
            const values = Array.isArray(equals) ? equals : equals === undefined ? [] : [equals];
            return values.length === 1 && values[0] === "${aws:userid}" ? [] : [
                `${where} ${statementLabel(s, i)}: ${owned.join(", ")} without Condition StringEquals ${STATEMENT_OWNER_KEY} = "\${aws:userid}" reads every principal's statements`,
            ];
        });
    }),
};

export const redshiftAuditLogGroupsEncrypted: ResourceRule = {
    name: "redshift-audit-log-groups-encrypted",
    description: "The /aws/redshift/... audit log groups (query texts, connections, users) are encrypted with a customer-managed KMS key.",
    types: [LOG_GROUP],
    check: ({ props }) => {
        if (typeof props.name !== "string" || !props.name.startsWith("/aws/redshift/")) return [];
        const key = props.kmsKeyId;
        return typeof key === "string" && key !== "" && !/alias\/aws\//.test(key) ? [] : ["kmsKeyId must be a customer-managed KMS key (the audit logs hold every query text)"];
    },
};

export const lambdaServiceInvokeScoped: ResourceRule = {
    name: "lambda-service-invoke-scoped",
    description: "A Lambda permission for an AWS service principal names the sourceArn (or sourceAccount), so no other account's resource can invoke the function.",
    types: [LAMBDA_PERMISSION],
    check: ({ props }) => {
        const principal = String(props.principal ?? "");
        if (!principal.endsWith(".amazonaws.com")) return [];
        return props.sourceArn || props.sourceAccount ? [] : [`principal ${principal} without sourceArn: any ${principal.split(".")[0]} resource, in any account, may invoke the function`];
    },
};

export const redshiftRefreshMonitored: StackRule = {
    name: "redshift-refresh-monitored",
    description: "A stack with a Redshift Serverless workgroup alarms on its materialized view's refresh lag (MaterializedViewLagSeconds, breaching on missing data): Redshift publishes no such metric itself.",
    check: (resources: readonly ResourceFacts[]): Violation[] => {
        const workgroups = resources.filter((r) => r.type === REDSHIFT_TYPES.workgroup);
        if (workgroups.length === 0) return [];
        const alarms = resources.filter((r) => r.type === METRIC_ALARM && r.props.metricName === "MaterializedViewLagSeconds" && r.props.treatMissingData === "breaching");
        return workgroups.filter((wg) => !alarms.some((a) => workgroups.length === 1 || a.props.dimensions?.Workgroup === wg.props.workgroupName)).map((wg) => ({
            urn: wg.urn,
            message: `${wg.type} "${wg.name}": no MaterializedViewLagSeconds alarm (treatMissingData breaching) watches this workgroup's refresh`,
        }));
    },
};

export const REDSHIFT_MONITORING_RESOURCE_RULES: readonly ResourceRule[] = [redshiftDataOwnStatementsOnly, redshiftAuditLogGroupsEncrypted, lambdaServiceInvokeScoped];
export const REDSHIFT_MONITORING_STACK_RULES: readonly StackRule[] = [redshiftRefreshMonitored];
