/**
 * Encryption and recovery of the data stores: DynamoDB tables (point-in-time recovery, SSE with
 * KMS), Kinesis streams (KMS), Firehose delivery streams (SSE for Direct PUT or a KMS key on the
 * S3 destination) and SNS topics (KMS).
 */
import { ResourceRule, TYPES } from "./types";

export const dynamoDbPitrAndSse: ResourceRule = {
    name: "dynamodb-pitr-and-kms",
    description: "Every DynamoDB table has point-in-time recovery and server-side encryption with KMS enabled.",
    types: [TYPES.dynamoDbTable],
    check: ({ props }) => [
        ...(props.pointInTimeRecovery?.enabled === true ? [] : ["point-in-time recovery is off; set pointInTimeRecovery.enabled to true"]),
        ...(props.serverSideEncryption?.enabled === true ? [] : ["server-side encryption with KMS is off; set serverSideEncryption.enabled to true"]),
    ],
};

export const kinesisEncrypted: ResourceRule = {
    name: "kinesis-stream-encrypted",
    description: "Every Kinesis data stream is encrypted with KMS.",
    types: [TYPES.kinesisStream],
    check: ({ props }) => props.encryptionType === "KMS" && typeof props.kmsKeyId === "string" && props.kmsKeyId !== ""
        ? []
        : ["stream is not encrypted; set encryptionType \"KMS\" and kmsKeyId (e.g. \"alias/aws/kinesis\")"],
};

export const firehoseEncrypted: ResourceRule = {
    name: "firehose-encrypted",
    description: "Every Firehose delivery stream encrypts data: server-side encryption (Direct PUT) or a KMS key on its S3 destination.",
    types: [TYPES.firehose],
    check: ({ props }) => {
        const sse = props.serverSideEncryption?.enabled === true;
        // The Iceberg destination's S3 block (error records) carries the key; its data files take the bucket's default SSE-KMS.
        const s3 = props.extendedS3Configuration ?? props.icebergConfiguration?.s3Configuration;
        const destinationKey = typeof s3?.kmsKeyArn === "string" && s3.kmsKeyArn !== "";
        return sse || destinationKey
            ? []
            : ["delivery stream is not encrypted; enable serverSideEncryption (Direct PUT) or set extendedS3Configuration.kmsKeyArn (icebergConfiguration.s3Configuration.kmsKeyArn)"];
    },
};

export const snsEncrypted: ResourceRule = {
    name: "sns-topic-encrypted",
    description: "Every SNS topic is encrypted with KMS.",
    types: [TYPES.snsTopic],
    check: ({ props }) => typeof props.kmsMasterKeyId === "string" && props.kmsMasterKeyId !== ""
        ? []
        : ["topic is not encrypted; set kmsMasterKeyId (a key CloudWatch alarms may use)"],
};
