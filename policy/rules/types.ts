/**
 * The shapes the security rules work on: a resource as the policy engine (or a mock capture) sees
 * it, and the violations the rules report. Rules are plain functions over these, so they run the
 * same under `pulumi preview --policy-pack policy` and in unit tests.
 */

/** One resource of a stack: its Pulumi type token and its properties. */
export interface ResourceFacts {
    /** Pulumi type token, e.g. `aws:s3/bucket:Bucket`. */
    type: string;
    /** Logical name. */
    name: string;
    /** URN, used to point at the offending resource. */
    urn?: string;
    /** Provider ID when known (mock captures, or after deployment). */
    id?: string;
    /** Input (preview) or output (update) properties. */
    props: Record<string, any>;
    /**
     * URNs of the resources each property was computed from (the engine's `propertyDependencies`).
     * Lets stack rules relate resources during a preview, when IDs are still unknown.
     */
    propertyDependencies?: Record<string, string[]>;
    /** URNs of every resource this one depends on (property and `dependsOn` dependencies). */
    dependencies?: string[];
    /** Resource options the engine reports (absent when unknown). */
    opts?: { protect?: boolean; deleteBeforeReplace?: boolean };
}

/** One broken rule. */
export interface Violation {
    message: string;
    /** The resource at fault; a stack-level rule may point at any resource. */
    urn?: string;
}

/** A rule checking one resource at a time. */
export interface ResourceRule {
    name: string;
    description: string;
    /** Type tokens the rule applies to. */
    types: readonly string[];
    /** Messages describing each problem; empty when the resource complies. */
    check(resource: ResourceFacts): string[];
}

/** A rule that needs relations between resources (a bucket and its public access block). */
export interface StackRule {
    name: string;
    description: string;
    check(resources: readonly ResourceFacts[]): Violation[];
}

/** Type tokens of the resources the rules inspect (@pulumi/aws v7). */
export const TYPES = {
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketEncryptionV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    dynamoDbTable: "aws:dynamodb/table:Table",
    kinesisStream: "aws:kinesis/stream:Stream",
    firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    snsTopic: "aws:sns/topic:Topic",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    lambdaFunction: "aws:lambda/function:Function",
    restApi: "aws:apigateway/restApi:RestApi",
    apiStage: "aws:apigateway/stage:Stage",
    apiMethod: "aws:apigateway/method:Method",
    apiMethodSettings: "aws:apigateway/methodSettings:MethodSettings",
    apiIntegration: "aws:apigateway/integration:Integration",
    iamRole: "aws:iam/role:Role",
    iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamPolicy: "aws:iam/policy:Policy",
    iamUserPolicy: "aws:iam/userPolicy:UserPolicy",
    iamGroupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
    glueCrawler: "aws:glue/crawler:Crawler",
    glueJob: "aws:glue/job:Job",
    glueTable: "aws:glue/catalogTable:CatalogTable",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    apiDeployment: "aws:apigateway/deployment:Deployment",
    apiResponse: "aws:apigateway/response:Response",
    apiAuthorizer: "aws:apigateway/authorizer:Authorizer",
    apiModel: "aws:apigateway/model:Model",
    apiRequestValidator: "aws:apigateway/requestValidator:RequestValidator",
    apiMethodResponse: "aws:apigateway/methodResponse:MethodResponse",
    apiIntegrationResponse: "aws:apigateway/integrationResponse:IntegrationResponse",
    apiAccount: "aws:apigateway/account:Account",
} as const;
