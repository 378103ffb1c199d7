/** The Google Cloud rules, for registration in policy/rules/index.ts. */
import { gcpBigQueryEncrypted, gcpBucketPrivateAndEncrypted, gcpFirestoreProtected, gcpKeyRotated, gcpLogBucketRetention, gcpTopicEncrypted } from "./gcp-data";
import { gcpFunctionIdentity, gcpNoPrimitiveRoles, gcpNothingPublic } from "./gcp-iam";
import { gcpKmsAgentGrants, gcpSubscriptionAgentGrants } from "./gcp-service-agents";
import type { ResourceRule, StackRule } from "./types";

export const GCP_RESOURCE_RULES: readonly ResourceRule[] = [
    gcpBucketPrivateAndEncrypted, gcpTopicEncrypted, gcpBigQueryEncrypted, gcpFirestoreProtected, gcpKeyRotated, gcpLogBucketRetention,
    gcpNoPrimitiveRoles, gcpNothingPublic, gcpFunctionIdentity,
];

export const GCP_STACK_RULES: readonly StackRule[] = [gcpSubscriptionAgentGrants, gcpKmsAgentGrants];
