/**
 * A small stack of plain resource facts that complies with every rule: the passing example the
 * rule tests break one property at a time.
 */
import { ResourceFacts, TYPES } from "../../policy/rules/types";

const tlsOnlyPolicy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{
        Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
        Resource: ["arn:aws:s3:::lake-1", "arn:aws:s3:::lake-1/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    }],
});

const functionPolicy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: ["arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/events:*"] },
        { Sid: "WriteTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: ["*"] },
        { Effect: "Allow", Action: "kinesis:PutRecords", Resource: "arn:aws:kinesis:us-east-1:111122223333:stream/events" },
    ],
});

const urn = (type: string, name: string) => `urn:pulumi:dev::game-analytics::${type}::${name}`;

function resource(type: string, name: string, props: Record<string, any>, propertyDependencies?: Record<string, string[]>): ResourceFacts {
    return { type, name, urn: urn(type, name), props, propertyDependencies };
}

/** A fresh compliant stack (callers may mutate it). */
export function compliantStack(): ResourceFacts[] {
    return [
        resource(TYPES.bucket, "lake", { bucket: "lake-1", arn: "arn:aws:s3:::lake-1" }),
        resource(TYPES.bucketEncryption, "lake-encryption", {
            bucket: "lake-1",
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:us-east-1:111122223333:key/1" }, bucketKeyEnabled: true }],
        }),
        resource(TYPES.bucketPublicAccessBlock, "lake-public-access", {
            bucket: "lake-1", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
        }),
        resource(TYPES.bucketPolicy, "lake-tls-only", { bucket: "lake-1", policy: tlsOnlyPolicy }),
        resource(TYPES.dynamoDbTable, "applications", { pointInTimeRecovery: { enabled: true }, serverSideEncryption: { enabled: true } }),
        resource(TYPES.kinesisStream, "events", { encryptionType: "KMS", kmsKeyId: "alias/aws/kinesis" }),
        resource(TYPES.firehose, "delivery", { destination: "extended_s3", extendedS3Configuration: { kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1" } }),
        resource(TYPES.snsTopic, "alarms", { kmsMasterKeyId: "arn:aws:kms:us-east-1:111122223333:key/1" }),
        resource(TYPES.logGroup, "events-logs", { name: "/aws/lambda/events", retentionInDays: 30 }),
        resource(TYPES.lambdaFunction, "events-function", { name: "events", loggingConfig: { logFormat: "JSON", logGroup: "/aws/lambda/events" } }),
        resource(TYPES.iamRole, "events-role", { assumeRolePolicy: "{}" }),
        resource(TYPES.iamRolePolicy, "events-policy", { role: "events", policy: functionPolicy }),
        resource(TYPES.iamRolePolicyAttachment, "events-basic", { role: "events", policyArn: "arn:aws:iam::111122223333:policy/studio-boundary" }),
        resource(TYPES.restApi, "api", { name: "api" }),
        resource(TYPES.apiStage, "live", {
            restApi: "api-id", stageName: "live",
            accessLogSettings: { destinationArn: "arn:aws:logs:us-east-1:111122223333:log-group:api-access", format: "{\"requestId\":\"$context.requestId\"}" },
        }),
        resource(TYPES.apiMethodSettings, "live-throttling", {
            restApi: "api-id", stageName: "live", methodPath: "*/*", settings: { throttlingRateLimit: 1000, throttlingBurstLimit: 2000 },
        }),
        resource(TYPES.apiMethod, "post-events", { restApi: "api-id", resourceId: "events", httpMethod: "POST", authorization: "CUSTOM" }),
        resource(TYPES.apiMethod, "get-applications", { restApi: "api-id", resourceId: "apps", httpMethod: "GET", authorization: "AWS_IAM" }),
        resource(TYPES.apiMethod, "options-events", { restApi: "api-id", resourceId: "events", httpMethod: "OPTIONS", authorization: "NONE" }),
        resource(TYPES.apiIntegration, "options-events-mock", { restApi: "api-id", resourceId: "events", httpMethod: "OPTIONS", type: "MOCK" }),
    ];
}

/** The resource of `stack` with this logical name (throws if absent, so tests cannot silently pass). */
export function named(stack: ResourceFacts[], name: string): ResourceFacts {
    const found = stack.find((r) => r.name === name);
    if (found === undefined) throw new Error(`no resource named ${name} in the compliant stack`);
    return found;
}

export { urn };
