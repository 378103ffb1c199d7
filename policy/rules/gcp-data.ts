/**
 * Google Cloud data stores: customer-managed keys (Cloud KMS) on buckets, topics, BigQuery and
 * Firestore; buckets private (uniform bucket-level access, public access prevention enforced);
 * topics stored only in the key's region; Firestore with point-in-time recovery; keys rotated
 * at least every 90 days; log buckets with a finite retention (Cloud Logging accepts 1-3650 days).
 */
import { GCP_TYPES } from "./gcp-types";
import type { ResourceRule } from "./types";

const MAX_ROTATION_SECONDS = 90 * 86_400;

export const gcpBucketPrivateAndEncrypted: ResourceRule = {
    name: "gcp-bucket-private-and-cmek",
    description: "Every Cloud Storage bucket has uniform bucket-level access, public access prevention \"enforced\" and a default Cloud KMS key.",
    types: [GCP_TYPES.bucket],
    check: (r) => [
        ...(r.props.uniformBucketLevelAccess === true ? [] : ["uniformBucketLevelAccess is not true (object ACLs could make objects public)"]),
        ...(r.props.publicAccessPrevention === "enforced" ? [] : ["publicAccessPrevention is not \"enforced\""]),
        ...(r.props.encryption?.defaultKmsKeyName ? [] : ["no encryption.defaultKmsKeyName (customer-managed key)"]),
    ],
};

export const gcpTopicEncrypted: ResourceRule = {
    name: "gcp-topic-cmek-regional",
    description: "Every Pub/Sub topic has a Cloud KMS key and restricts message storage to named regions (a regional key protects only messages stored in its region).",
    types: [GCP_TYPES.topic],
    check: (r) => [
        ...(r.props.kmsKeyName ? [] : ["no kmsKeyName (customer-managed key)"]),
        ...(Array.isArray(r.props.messageStoragePolicy?.allowedPersistenceRegions) && r.props.messageStoragePolicy.allowedPersistenceRegions.length > 0
            ? [] : ["no messageStoragePolicy.allowedPersistenceRegions"]),
    ],
};

export const gcpBigQueryEncrypted: ResourceRule = {
    name: "gcp-bigquery-cmek",
    description: "Every BigQuery dataset has a default Cloud KMS key and every table (views excepted) its own encryptionConfiguration.",
    types: [GCP_TYPES.dataset, GCP_TYPES.table],
    check: (r) => {
        if (r.type === GCP_TYPES.dataset) return r.props.defaultEncryptionConfiguration?.kmsKeyName ? [] : ["no defaultEncryptionConfiguration.kmsKeyName"];
        if (r.props.view) return [];
        return r.props.encryptionConfiguration?.kmsKeyName ? [] : ["no encryptionConfiguration.kmsKeyName"];
    },
};

export const gcpFirestoreProtected: ResourceRule = {
    name: "gcp-firestore-cmek-pitr",
    description: "Every Firestore database has a Cloud KMS key (cmekConfig) and point-in-time recovery enabled.",
    types: [GCP_TYPES.firestoreDatabase],
    check: (r) => [
        ...(r.props.cmekConfig?.kmsKeyName ? [] : ["no cmekConfig.kmsKeyName"]),
        ...(r.props.pointInTimeRecoveryEnablement === "POINT_IN_TIME_RECOVERY_ENABLED" ? [] : ["point-in-time recovery not enabled"]),
    ],
};

export const gcpKeyRotated: ResourceRule = {
    name: "gcp-kms-key-rotation",
    description: "Every Cloud KMS key rotates at least every 90 days.",
    types: [GCP_TYPES.cryptoKey],
    check: (r) => {
        const match = typeof r.props.rotationPeriod === "string" ? /^(\d+)s$/.exec(r.props.rotationPeriod) : null;
        if (!match) return ["no rotationPeriod"];
        return Number(match[1]) <= MAX_ROTATION_SECONDS ? [] : [`rotationPeriod ${r.props.rotationPeriod} is longer than 90 days`];
    },
};

export const gcpLogBucketRetention: ResourceRule = {
    name: "gcp-log-bucket-retention",
    description: "Every Cloud Logging bucket of the stack sets retentionDays from 1 to 3650.",
    types: [GCP_TYPES.logBucket],
    check: (r) => (Number.isInteger(r.props.retentionDays) && r.props.retentionDays >= 1 && r.props.retentionDays <= 3650 ? [] : ["retentionDays not set to 1-3650"]),
};
