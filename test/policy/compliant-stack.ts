/**
 * A small stack of plain resource facts that complies with every rule: the passing example the
 * rule tests break one property at a time.
 */
import { FIXED_NAME_STATELESS_TYPES } from "../../policy/rules/replacement";
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

function resource(type: string, name: string, props: Record<string, any>, propertyDependencies?: Record<string, string[]>, dependencies?: string[]): ResourceFacts {
    // Fixed-name stateless resources are deleted before being replaced, as the engine would report.
    const opts = { protect: false, deleteBeforeReplace: FIXED_NAME_STATELESS_TYPES.includes(type) };
    return { type, name, urn: urn(type, name), props, propertyDependencies, dependencies, opts };
}

const firehoseTrust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "firehose.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "111122223333" } } }],
});
const rolePolicy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:PutObject"], Resource: ["arn:aws:s3:::lake-1/raw/*"] }] });

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
        resource(TYPES.firehose, "delivery", {
            name: "delivery", destination: "extended_s3",
            extendedS3Configuration: {
                kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1", roleArn: "arn:aws:iam::111122223333:role/delivery",
                bufferingInterval: 900, dynamicPartitioningConfiguration: { enabled: true },
                processingConfiguration: { enabled: true, processors: [{ type: "Lambda", parameters: [{ parameterName: "BufferIntervalInSeconds", parameterValue: "60" }] }] },
            },
        }, undefined, [urn(TYPES.iamRolePolicy, "delivery-policy")]),
        resource(TYPES.iamRole, "delivery-role", { name: "delivery", assumeRolePolicy: firehoseTrust }),
        resource(TYPES.iamRolePolicy, "delivery-policy", { role: "delivery", policy: rolePolicy }),
        resource(TYPES.metricAlarm, "freshness", { metricName: "DeliveryToS3.DataFreshness", dimensions: { DeliveryStreamName: "delivery" }, threshold: 1710 }),
        resource(TYPES.glueCrawler, "crawler", {
            name: "crawler", role: "arn:aws:iam::111122223333:role/etl", recrawlPolicy: { recrawlBehavior: "CRAWL_NEW_FOLDERS_ONLY" },
            schemaChangePolicy: { updateBehavior: "LOG", deleteBehavior: "LOG" },
        }, undefined, [urn(TYPES.iamRolePolicy, "etl-policy")]),
        resource(TYPES.glueJob, "job", { name: "job", roleArn: "arn:aws:iam::111122223333:role/etl" }, undefined, [urn(TYPES.iamRolePolicy, "etl-policy")]),
        resource(TYPES.iamRole, "etl-role", { name: "etl", assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole" }] }) }),
        resource(TYPES.iamRolePolicy, "etl-policy", { role: "etl", policy: rolePolicy }),
        resource(TYPES.glueTable, "events-table", {
            name: "raw_events", partitionKeys: [{ name: "year", type: "string" }, { name: "month", type: "string" }, { name: "day", type: "string" }],
            parameters: {
                "projection.enabled": "true",
                "projection.year.type": "date", "projection.year.format": "yyyy", "projection.year.range": "NOW-10YEARS,NOW+1YEARS",
                "projection.year.interval": "1", "projection.year.interval.unit": "YEARS",
                "projection.month.type": "integer", "projection.month.range": "1,12",
                "projection.day.type": "integer", "projection.day.range": "1,31",
            },
        }),
        resource(TYPES.bucketVersioning, "lake-versioning", { bucket: "lake-1", versioningConfiguration: { status: "Enabled" } }),
        resource(TYPES.bucketLifecycle, "lake-lifecycle", {
            bucket: "lake-1",
            rules: [
                { id: "abort", status: "Enabled", filter: { prefix: "" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
                { id: "tmp", status: "Enabled", filter: { prefix: "tmp/" }, expiration: { days: 7 } },
                { id: "noncurrent", status: "Enabled", filter: { prefix: "" }, noncurrentVersionExpiration: { noncurrentDays: 30 }, expiration: { expiredObjectDeleteMarker: true } },
            ],
        }),
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
        }, undefined, [urn(TYPES.apiAccount, "account")]),
        resource(TYPES.apiMethodSettings, "live-throttling", {
            restApi: "api-id", stageName: "live", methodPath: "*/*", settings: { throttlingRateLimit: 1000, throttlingBurstLimit: 2000, loggingLevel: "ERROR" },
        }, undefined, [urn(TYPES.logGroup, "execution-logs"), urn(TYPES.apiAccount, "account")]),
        resource(TYPES.logGroup, "execution-logs", { name: "API-Gateway-Execution-Logs_api-id/live", retentionInDays: 30 }),
        resource(TYPES.apiAccount, "account", { cloudwatchRoleArn: "arn:aws:iam::111122223333:role/apigw-logs" }),
        resource(TYPES.apiResponse, "unauthorized", { restApiId: "api-id", responseType: "UNAUTHORIZED", statusCode: "401" }),
        resource(TYPES.apiDeployment, "deployment", { restApi: "api-id", triggers: { definition: "5f2c" } }, undefined, [
            urn(TYPES.apiMethod, "post-events"), urn(TYPES.apiMethod, "get-applications"), urn(TYPES.apiMethod, "options-events"),
            urn(TYPES.apiIntegration, "options-events-mock"), urn(TYPES.apiResponse, "unauthorized"),
        ]),
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
