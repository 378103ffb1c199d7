/**
 * Which AWS API actions each Lambda function calls, and on which resource: the source of the
 * functions' least-privilege IAM policies (components) and checked against the adapters' real
 * calls by test/functions/sdk-usage.test.ts.
 */

/** Lambda functions of the pipeline (functions/aws/handlers/<name>.ts). */
export type HandlerName = "authorizer" | "admin" | "events" | "processing" | "player-authorizer" | "put-record";

/** Logical resources the functions touch; components map them to ARNs. */
export type SdkResource =
    | "applicationsTable"
    | "authorizationsTable"
    /** The `by-application` index of the authorizations table. */
    | "authorizationsTableIndex"
    | "deliveryStream"
    | "stream";

/** A set of IAM actions on one resource, optionally only in one ingest mode. */
export interface SdkUsage {
    resource: SdkResource;
    /** IAM action names, e.g. "dynamodb:GetItem" (never a wildcard). */
    actions: readonly string[];
    /** Only when the pipeline runs in this ingest mode. */
    ingestMode?: "DIRECT_BATCH" | "KINESIS_DATA_STREAMS";
}

/** Per function, every AWS call it makes. */
export const SDK_USAGE: Readonly<Record<HandlerName, readonly SdkUsage[]>> = {
    authorizer: [{ resource: "authorizationsTable", actions: ["dynamodb:GetItem"] }],
    admin: [
        { resource: "applicationsTable", actions: ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Scan", "dynamodb:UpdateItem", "dynamodb:DeleteItem"] },
        {
            resource: "authorizationsTable",
            actions: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
        },
        { resource: "authorizationsTableIndex", actions: ["dynamodb:Query"] },
    ],
    events: [
        { resource: "deliveryStream", actions: ["firehose:PutRecordBatch"], ingestMode: "DIRECT_BATCH" },
        { resource: "stream", actions: ["kinesis:PutRecords"], ingestMode: "KINESIS_DATA_STREAMS" },
    ],
    processing: [{ resource: "applicationsTable", actions: ["dynamodb:GetItem"] }],
    // Stacks with an OIDC issuer only (issue 16): the player authorizer reads an application's
    // AuthModes and, on the events route, API keys; put-record writes like the events function.
    "player-authorizer": [
        { resource: "applicationsTable", actions: ["dynamodb:GetItem"] },
        { resource: "authorizationsTable", actions: ["dynamodb:GetItem"] },
    ],
    "put-record": [
        { resource: "deliveryStream", actions: ["firehose:PutRecordBatch"], ingestMode: "DIRECT_BATCH" },
        { resource: "stream", actions: ["kinesis:PutRecords"], ingestMode: "KINESIS_DATA_STREAMS" },
    ],
};

/**
 * The real-time function with the OPENSEARCH destination makes no AWS SDK call: it sends signed
 * `_bulk` requests to the collection (functions/aws/adapters/opensearch-transport.ts). IAM lets
 * them through with this one action on the collection's ARN; what they may do inside is the
 * collection's data access policy (components/aws/opensearch/policies.ts).
 */
export const REALTIME_OPENSEARCH_ACTIONS: readonly string[] = ["aoss:APIAccessAll"];

/**
 * The REDSHIFT data stack's calls (only deployed with `dataStack: REDSHIFT`): the admin function's
 * `POST /redshift/setup` and the materialized-view refresh monitor. Their ARNs exist only once the
 * warehouse does, so the warehouse tier attaches these statements (components/aws/warehouse/*).
 *
 * - `workgroup`: the Redshift Serverless workgroup ARN (resource-level permissions apply).
 * - `adminSecret`: the namespace's managed admin secret (the monitor reads system views that show
 *   a regular user only its own rows; the materialized view's refreshes run as the admin).
 * - `adminSecretKey`: the customer-managed key of that secret (GetSecretValue decrypts with the
 *   caller's permission; narrowed by `kms:ViaService` to Secrets Manager).
 * - `ownStatements`: DescribeStatement / GetStatementResult have no resource type; they take
 *   `Resource: "*"` narrowed by the `redshift-data:statement-owner-iam-userid` condition to the
 *   statements the caller started.
 */
export type WarehouseHandlerName = "admin" | "warehouseMonitor";
export type WarehouseSdkResource = "workgroup" | "adminSecret" | "adminSecretKey" | "ownStatements";

export interface WarehouseSdkUsage {
    resource: WarehouseSdkResource;
    /** IAM action names (never a wildcard). */
    actions: readonly string[];
}

export const WAREHOUSE_SDK_USAGE: Readonly<Record<WarehouseHandlerName, readonly WarehouseSdkUsage[]>> = {
    // ListTables with WorkgroupName and no SecretArn: the Data API takes temporary credentials (GetCredentials).
    admin: [{ resource: "workgroup", actions: ["redshift-data:ListTables", "redshift-serverless:GetCredentials"] }],
    warehouseMonitor: [
        { resource: "workgroup", actions: ["redshift-data:ExecuteStatement"] },
        { resource: "adminSecret", actions: ["secretsmanager:GetSecretValue"] },
        { resource: "adminSecretKey", actions: ["kms:Decrypt"] },
        { resource: "ownStatements", actions: ["redshift-data:DescribeStatement", "redshift-data:GetStatementResult"] },
    ],
};

/**
 * The stream archiver's calls (only deployed with `dataStack: REDSHIFT`, components/aws/stream-archiver.ts):
 * the function's own (the row core's application lookups, one PutObject per object, encrypted with
 * the lake key) and those its Kinesis event source mapping makes with the function's role (reading
 * the stream; writing a discarded batch, payload included, to the on-failure bucket).
 *
 * - `rawEventsFolder`, `errorsFolder`: `<bucket>/<rawEventsPrefix>/*` and `<bucket>/firehose-errors/*`.
 * - `failedBatchesFolder`: `<bucket>/aws/lambda/*`, where Lambda writes a discarded batch's
 *   invocation record (`aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/...`,
 *   https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html).
 * - `lakeBucket`: the bucket itself (the S3 on-failure destination also needs ListBucket).
 * - `lakeKey`: the lake's KMS key (SSE-KMS of every object written).
 */
export type ArchiverSdkResource = "applicationsTable" | "stream" | "rawEventsFolder" | "errorsFolder" | "rawBackupFolder" | "failedBatchesFolder" | "lakeBucket" | "lakeKey";

export interface ArchiverSdkUsage {
    resource: ArchiverSdkResource;
    /** IAM action names (never a wildcard). */
    actions: readonly string[];
    /** Who calls: the function's code, or its event source mapping (with the function's role). */
    caller: "function" | "eventSourceMapping";
    /** Only with s3BackupMode (`<bucket>/raw_backup/*`). */
    rawBackupOnly?: true;
}

export const STREAM_ARCHIVER_SDK_USAGE: readonly ArchiverSdkUsage[] = [
    { resource: "applicationsTable", actions: ["dynamodb:GetItem"], caller: "function" },
    { resource: "rawEventsFolder", actions: ["s3:PutObject"], caller: "function" },
    { resource: "errorsFolder", actions: ["s3:PutObject"], caller: "function" },
    { resource: "rawBackupFolder", actions: ["s3:PutObject"], caller: "function", rawBackupOnly: true },
    { resource: "lakeKey", actions: ["kms:Decrypt", "kms:GenerateDataKey"], caller: "function" },
    // https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html#events-kinesis-permissions (AWSLambdaKinesisExecutionRole without ListStreams, which the mapping does not need).
    { resource: "stream", actions: ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"], caller: "eventSourceMapping" },
    { resource: "failedBatchesFolder", actions: ["s3:PutObject"], caller: "eventSourceMapping" },
    { resource: "lakeBucket", actions: ["s3:ListBucket"], caller: "eventSourceMapping" },
];
