/** Every security rule of the `game-analytics-security` policy pack. */
import {
    apiDeploymentCoversStage, apiExecutionLogGroupManaged, apiLoggingAfterAccountRole, apiMethodAuthorized, apiOpenApiOperationsAuthorized,
    apiStageAccessLogging, apiStageThrottled,
} from "./api-gateway";
import { athenaProjectionBounded } from "./athena";
import { glueScheduleSupported } from "./glue-schedule";
import { dynamoDbPitrAndSse, firehoseEncrypted, kinesisEncrypted, snsEncrypted } from "./data-stores";
import { iamLeastPrivilege, iamNoBroadManagedPolicies } from "./iam";
import { lambdaLogGroupManaged, logGroupRetention } from "./logs";
import { fixedNameDeletedBeforeReplace, statefulNeverDeletedFirst } from "./replacement";
import { s3BucketEncryptedWithKms, s3LifecycleExplicitFilter, s3PublicAccessBlocked, s3TlsOnly, s3VersionedBucketExpiresNoncurrent } from "./s3";
import { createdAfterRolePolicy, firehoseFreshnessAlarmAboveBuffers, firehoseTrustExternalId, glueCrawlerNewFoldersOnlyLogs, lambdaLogLevelKeepsMetrics } from "./services";
import { GCP_RESOURCE_RULES, GCP_STACK_RULES } from "./gcp-index";
import { ResourceFacts, ResourceRule, StackRule, Violation } from "./types";
import { REDSHIFT_RESOURCE_RULES, REDSHIFT_STACK_RULES } from "./redshift";
import { ICEBERG_RESOURCE_RULES, ICEBERG_STACK_RULES } from "./iceberg";
import { ICEBERG_OPERATION_RESOURCE_RULES, ICEBERG_OPERATION_STACK_RULES } from "./iceberg-operations";
import { OPENSEARCH_RESOURCE_RULES, OPENSEARCH_STACK_RULES } from "./opensearch";
import { PLAYER_AUTH_RESOURCE_RULES } from "./player-auth";
import { REDSHIFT_MONITORING_RESOURCE_RULES, REDSHIFT_MONITORING_STACK_RULES } from "./redshift-monitoring";
import { HTTP_API_RESOURCE_RULES, HTTP_API_STACK_RULES } from "./http-api";
import { STREAM_CONSUMER_RESOURCE_RULES, STREAM_CONSUMER_STACK_RULES } from "./stream-consumers";

export const RESOURCE_RULES: readonly ResourceRule[] = [
    dynamoDbPitrAndSse, kinesisEncrypted, firehoseEncrypted, snsEncrypted,
    logGroupRetention, apiStageAccessLogging, apiOpenApiOperationsAuthorized,
    iamLeastPrivilege, iamNoBroadManagedPolicies,
    glueCrawlerNewFoldersOnlyLogs, firehoseTrustExternalId, lambdaLogLevelKeepsMetrics, athenaProjectionBounded,
    s3LifecycleExplicitFilter, fixedNameDeletedBeforeReplace, statefulNeverDeletedFirst,
    glueScheduleSupported,
    ...REDSHIFT_RESOURCE_RULES,
    ...REDSHIFT_MONITORING_RESOURCE_RULES,
    ...ICEBERG_RESOURCE_RULES,
    ...ICEBERG_OPERATION_RESOURCE_RULES,
    ...OPENSEARCH_RESOURCE_RULES,
    ...PLAYER_AUTH_RESOURCE_RULES,
    ...HTTP_API_RESOURCE_RULES,
    ...STREAM_CONSUMER_RESOURCE_RULES,
    // Google Cloud (gcp: types only; the AWS rules above look at aws: types only).
    ...GCP_RESOURCE_RULES,
];

export const STACK_RULES: readonly StackRule[] = [
    s3BucketEncryptedWithKms, s3PublicAccessBlocked, s3TlsOnly,
    lambdaLogGroupManaged, apiStageThrottled, apiMethodAuthorized,
    createdAfterRolePolicy, firehoseFreshnessAlarmAboveBuffers, apiDeploymentCoversStage, apiExecutionLogGroupManaged,
    apiLoggingAfterAccountRole, s3VersionedBucketExpiresNoncurrent,
    ...REDSHIFT_STACK_RULES,
    ...REDSHIFT_MONITORING_STACK_RULES,
    ...ICEBERG_STACK_RULES,
    ...ICEBERG_OPERATION_STACK_RULES,
    ...OPENSEARCH_STACK_RULES,
    ...HTTP_API_STACK_RULES,
    ...STREAM_CONSUMER_STACK_RULES,
    ...GCP_STACK_RULES,
];

/** A violation with the rule that found it. */
export interface RuleViolation extends Violation {
    rule: string;
}

/** Runs every rule over a list of resources (the same checks the policy pack makes). */
export function checkResources(resources: readonly ResourceFacts[]): RuleViolation[] {
    const violations: RuleViolation[] = [];
    for (const resource of resources) {
        for (const rule of RESOURCE_RULES) {
            if (!rule.types.includes(resource.type)) continue;
            for (const message of rule.check(resource)) {
                violations.push({ rule: rule.name, urn: resource.urn, message: `${resource.type} "${resource.name}": ${message}` });
            }
        }
    }
    for (const rule of STACK_RULES) {
        violations.push(...rule.check(resources).map((v) => ({ ...v, rule: rule.name })));
    }
    return violations;
}
