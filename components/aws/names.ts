/**
 * Physical names of AWS resources: every name starts with the workload name, and fits the
 * service's length limit. A workload name too long for a limit is shortened and made unique again
 * with a short hash of the full name, so two long workload names never collide.
 */
export { physicalName } from "../contracts/names";

/** Length limits of the names this package sets. */
export const NAME_LIMITS = {
    lambdaFunction: 64,
    iamRole: 64,
    iamPolicy: 128,
    firehose: 64,
    kinesisStream: 128,
    dynamoDbTable: 255,
    athenaWorkgroup: 128,
    glue: 255,
    snsTopic: 256,
    alarm: 255,
    dashboard: 255,
    restApi: 1024,
    /** Longest `bucketPrefix` S3 accepts (Pulumi appends a unique suffix). */
    bucketPrefix: 37,
} as const;
