/**
 * The whole pipeline under Pulumi mocks, over a matrix of settings (both ingest modes, dev and
 * prod, raw backup on and off): security properties, wiring and names of what it registers.
 */
import * as assert from "node:assert/strict";
import { GameAnalyticsPipeline, GameAnalyticsPipelineArgs } from "../../components/pipeline";
import { checkResources } from "../../policy/rules";
import { asList, MockRecorder, RecordedResource, statementsOf, valueOf } from "../support/pulumi-mocks";

const T = {
    bucket: "aws:s3/bucket:Bucket",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    stream: "aws:kinesis/stream:Stream",
    fn: "aws:lambda/function:Function",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    method: "aws:apigateway/method:Method",
    resource: "aws:apigateway/resource:Resource",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
    table: "aws:dynamodb/table:Table",
};

interface Case { label: string; args: GameAnalyticsPipelineArgs }
const CASES: Case[] = [
    { label: "KDS, dev, backup", args: { workloadName: "game1", ingestMode: "KINESIS_DATA_STREAMS", devMode: true, s3BackupMode: true } },
    { label: "KDS, prod, real-time", args: { workloadName: "game1", ingestMode: "KINESIS_DATA_STREAMS", devMode: false, realTimeAnalytics: true } },
    { label: "KDS, prod, no backup", args: { workloadName: "game1", ingestMode: "KINESIS_DATA_STREAMS", devMode: false, s3BackupMode: false } },
    { label: "DIRECT_BATCH, dev, no backup", args: { workloadName: "game1", ingestMode: "DIRECT_BATCH", devMode: true, s3BackupMode: false } },
    { label: "DIRECT_BATCH, prod, backup", args: { workloadName: "game1", ingestMode: "DIRECT_BATCH", devMode: false, s3BackupMode: true } },
];

/** Admin routes of the API contract (REFERENCE section 2), as "METHOD path" pairs. */
const ADMIN_ROUTES = [
    "POST /applications", "GET /applications", "GET /applications/{applicationId}", "PUT /applications/{applicationId}", "DELETE /applications/{applicationId}",
    "POST /applications/{applicationId}/authorizations", "GET /applications/{applicationId}/authorizations",
    "GET /applications/{applicationId}/authorizations/{apiKeyId}", "PUT /applications/{applicationId}/authorizations/{apiKeyId}",
    "DELETE /applications/{applicationId}/authorizations/{apiKeyId}", "POST /redshift/setup",
];

/** "METHOD /path/{param}" of every recorded API method, rebuilt from the resource tree. */
function routesOf(mocks: MockRecorder): Map<string, string> {
    const byId = new Map(mocks.ofType(T.resource).map((r) => [r.id, r]));
    const pathOf = (resourceId: string): string => {
        const r = byId.get(resourceId);
        return r === undefined ? "" : `${pathOf(r.inputs.parentId)}/${r.inputs.pathPart}`;
    };
    return new Map(mocks.ofType(T.method).map((m) => [`${m.inputs.httpMethod} ${pathOf(m.inputs.resourceId)}`, m.inputs.authorization]));
}

for (const { label, args } of CASES) {
    describe(`GameAnalyticsPipeline (${label})`, () => {
        const mocks = new MockRecorder();
        let resources: RecordedResource[];
        let pipeline: GameAnalyticsPipeline;
        const kds = args.ingestMode === "KINESIS_DATA_STREAMS";
        const realTime = args.realTimeAnalytics === true;

        before(async () => {
            await mocks.install();
            pipeline = new GameAnalyticsPipeline("game1", { realTimeAnalytics: false, ...args });
            await valueOf(pipeline.dashboardUrl);
            resources = await mocks.settle();
        });

        it("passes every rule of the game-analytics-security policy pack", () => {
            const violations = checkResources(resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, id: r.id, props: r.inputs })));
            assert.deepEqual(violations, []);
        });

        it("gives every resource a unique type and name", () => {
            const keys = resources.map((r) => `${r.type}::${r.name}`);
            assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), []);
        });

        it("grants no wildcard action in any IAM role or managed policy", () => {
            const actions = [...mocks.ofType(T.rolePolicy), ...mocks.ofType(T.policy)]
                .flatMap((p) => statementsOf(p.inputs.policy)).filter((s) => s.Effect === "Allow").flatMap((s) => asList(s.Action));
            assert.ok(actions.length > 20);
            assert.deepEqual(actions.filter((a) => a.includes("*")), []);
        });

        it("blocks public access, enforces TLS and SSE-KMS on the analytics bucket", () => {
            const bucket = mocks.one(T.bucket, "-storage-bucket");
            const pab = mocks.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "-bucket-public-access").inputs;
            assert.deepEqual([pab.bucket, pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets], [bucket.id, true, true, true, true]);
            const deny = statementsOf(mocks.one("aws:s3/bucketPolicy:BucketPolicy", "-bucket-tls-only").inputs.policy)[0]!;
            assert.deepEqual([deny.Effect, deny.Condition], ["Deny", { Bool: { "aws:SecureTransport": "false" } }]);
            const sse = mocks.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "-bucket-encryption").inputs.rules[0];
            assert.deepEqual([sse.applyServerSideEncryptionByDefault.sseAlgorithm, sse.bucketKeyEnabled], ["aws:kms", true]);
        });

        it(args.devMode ? "lets dev storage be destroyed, without versioning" : "versions prod storage and protects its tables", () => {
            assert.equal(mocks.one(T.bucket, "-storage-bucket").inputs.forceDestroy, args.devMode);
            assert.equal(mocks.ofType(T.versioning).length, args.devMode ? 0 : 1);
            assert.deepEqual(mocks.ofType(T.table).map((t) => t.inputs.deletionProtectionEnabled), [!args.devMode, !args.devMode]);
        });

        it("delivers through Firehose with Lambda partitions, Parquet conversion and the configured buffering", () => {
            const s3 = mocks.one(T.firehose, "-processing-firehose").inputs.extendedS3Configuration;
            assert.equal(s3.prefix, "raw_events/year=!{partitionKeyFromLambda:year}/month=!{partitionKeyFromLambda:month}/day=!{partitionKeyFromLambda:day}/");
            assert.equal(s3.errorOutputPrefix, "firehose-errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/");
            assert.deepEqual([s3.bufferingSize, s3.bufferingInterval], [128, args.devMode ? 60 : 900]);
            assert.equal(s3.dynamicPartitioningConfiguration.enabled, true);
            const conversion = s3.dataFormatConversionConfiguration;
            assert.deepEqual([conversion.enabled, conversion.outputFormatConfiguration.serializer.parquetSerDe.compression, conversion.schemaConfiguration.tableName],
                [true, "SNAPPY", "raw_events"]);
            assert.ok(conversion.inputFormatConfiguration.deserializer.openXJsonSerDe);
            const params = Object.fromEntries(s3.processingConfiguration.processors[0].parameters.map((p: any) => [p.parameterName, p.parameterValue]));
            assert.deepEqual([params.BufferSizeInMBs, params.BufferIntervalInSeconds, params.NumberOfRetries], ["2", "60", "3"]);
            assert.match(params.LambdaArn, /:function:game1-events-processing$/);
        });

        it(args.s3BackupMode === true ? "backs up raw records under raw_backup/" : "keeps no raw backup", () => {
            const s3 = mocks.one(T.firehose, "-processing-firehose").inputs.extendedS3Configuration;
            const backup = args.s3BackupMode === true;
            assert.equal(s3.s3BackupMode, backup ? "Enabled" : "Disabled");
            assert.equal(s3.s3BackupConfiguration?.prefix?.startsWith("raw_backup/"), backup ? true : undefined);
            const firehoseS3Resources = statementsOf(mocks.one(T.rolePolicy, "-firehose-policy").inputs.policy)
                .find((s) => s.Sid === "WriteEventFolders")!.Resource;
            assert.equal(asList(firehoseS3Resources).some((r) => r.endsWith("/raw_backup/*")), backup);
        });

        it(kds ? "feeds Firehose from the encrypted Kinesis stream" : "has Firehose accept direct puts, encrypted, and no stream", () => {
            const firehose = mocks.one(T.firehose, "-processing-firehose").inputs;
            if (kds) {
                const stream = mocks.one(T.stream, "-stream-stream").inputs;
                assert.deepEqual([stream.encryptionType, stream.kmsKeyId, stream.streamModeDetails.streamMode], ["KMS", "alias/aws/kinesis", "ON_DEMAND"]);
                assert.match(firehose.kinesisSourceConfiguration.kinesisStreamArn, /:stream\/game1-events$/);
                assert.equal(firehose.serverSideEncryption, undefined);
            } else {
                assert.equal(mocks.ofType(T.stream).length, 0);
                assert.equal(firehose.kinesisSourceConfiguration, undefined);
                assert.equal(firehose.serverSideEncryption.enabled, true);
            }
        });

        it("lets each Lambda call exactly the AWS actions its handler makes", () => {
            const policyOf = (fn: string) => statementsOf(mocks.one(T.rolePolicy, `-${fn}-policy`).inputs.policy)
                .filter((s) => s.Sid !== "WriteOwnLogs").map((s) => `${asList(s.Action).join(",")} on ${asList(s.Resource).join(",")}`);
            const table = (t: string) => `arn:aws:dynamodb:us-east-1:111122223333:table/game1-${t}`;
            assert.deepEqual(policyOf("transform"), [`dynamodb:GetItem on ${table("applications")}`]);
            assert.deepEqual(policyOf("authorizer"), [`dynamodb:GetItem on ${table("authorizations")}`]);
            assert.deepEqual(policyOf("events"), [kds
                ? "kinesis:PutRecords on arn:aws:kinesis:us-east-1:111122223333:stream/game1-events"
                : "firehose:PutRecordBatch on arn:aws:firehose:us-east-1:111122223333:deliverystream/game1-events"]);
            assert.deepEqual(policyOf("admin"), [
                `dynamodb:PutItem,dynamodb:GetItem,dynamodb:Scan,dynamodb:UpdateItem,dynamodb:DeleteItem on ${table("applications")}`,
                `dynamodb:PutItem,dynamodb:UpdateItem,dynamodb:DeleteItem,dynamodb:BatchWriteItem on ${table("authorizations")}`,
                `dynamodb:Query on ${table("authorizations")}/index/by-application`,
            ]);
        });

        it("tells the events Lambda where to write", () => {
            const env = mocks.one(T.fn, "-events-function").inputs.environment.variables;
            assert.deepEqual(kds ? [env.INGEST_MODE, env.STREAM_NAME] : [env.INGEST_MODE, env.DELIVERY_STREAM_NAME],
                [args.ingestMode, "game1-events"]);
        });

        it("protects admin routes with IAM and the events route with the API key authorizer", () => {
            const routes = routesOf(mocks);
            assert.deepEqual(Object.fromEntries([...routes].filter(([, auth]) => auth === "AWS_IAM")), Object.fromEntries(ADMIN_ROUTES.map((r) => [r, "AWS_IAM"])));
            assert.equal(routes.get("POST /applications/{applicationId}/events"), "CUSTOM");
            assert.equal(routes.get("OPTIONS /applications/{applicationId}/events"), "NONE");
            assert.equal(routes.size, ADMIN_ROUTES.length + 2);
            const authorizer = mocks.one("aws:apigateway/authorizer:Authorizer", "-api-key-authorizer").inputs;
            assert.deepEqual([authorizer.type, authorizer.identitySource, authorizer.authorizerResultTtlInSeconds], ["REQUEST", "method.request.header.Authorization", 60]);
        });

        it("grants studio admins execute-api:Invoke on the admin routes only", () => {
            const [statement] = statementsOf(mocks.one(T.policy, "-admin-access").inputs.policy);
            const resourcesGranted = asList(statement!.Resource);
            assert.deepEqual(asList(statement!.Action), ["execute-api:Invoke"]);
            assert.equal(resourcesGranted.length, ADMIN_ROUTES.length);
            assert.ok(resourcesGranted.every((r) => r.startsWith("arn:aws:execute-api:us-east-1:111122223333:api0001/live/")));
            assert.ok(!resourcesGranted.some((r) => r.endsWith("/events")));
        });

        it("throttles the stage and never logs bodies", () => {
            const settings = mocks.one("aws:apigateway/methodSettings:MethodSettings", "-stage-settings").inputs.settings;
            assert.deepEqual([settings.throttlingRateLimit, settings.throttlingBurstLimit, settings.dataTraceEnabled, settings.metricsEnabled], [1000, 2000, false, true]);
        });

        it("gives every Lambda a bundled index.js, arm64 Node.js 22 and its own log group with retention", async () => {
            const functions = mocks.ofType(T.fn);
            assert.equal(functions.length, realTime ? 5 : 4);
            for (const fn of functions) {
                const logGroup = mocks.ofType(T.logGroup).find((g) => g.inputs.name === `/aws/lambda/${fn.inputs.name}`);
                assert.equal(logGroup?.inputs.retentionInDays, 30, fn.inputs.name);
                assert.equal(fn.inputs.loggingConfig.logGroup, logGroup.inputs.name);
                assert.deepEqual([fn.inputs.runtime, fn.inputs.architectures, fn.inputs.handler], ["nodejs22.x", ["arm64"], "index.handler"]);
            }
            const lambdas = [pipeline.aws!.processing.transform ?? pipeline.aws!.processing.streamArchiver!.archiver, pipeline.aws!.ingest.eventsFunction, pipeline.aws!.ingest.adminFunction, pipeline.aws!.ingest.authorizerFunction,
                ...(pipeline.aws!.realTime ? [pipeline.aws!.realTime.metricsFunction] : [])];
            for (const lambda of lambdas) {
                const assets = await lambda.code.assets;
                assert.deepEqual(Object.keys(assets), ["index.js"]);
                const code = await (assets["index.js"] as import("@pulumi/pulumi").asset.StringAsset).text;
                assert.ok(code.length > 1000 && code.includes("handler"), `${lambda.code} has no handler code`);
            }
        });

        it("tells the events function the CORS origins, so browsers can read its answers", () => {
            assert.equal(mocks.one(T.fn, "-ingest-events-function").inputs.environment.variables.CORS_ALLOW_ORIGINS, "*");
        });

        it("gives every log group a retention", () => {
            assert.deepEqual(mocks.ofType(T.logGroup).filter((g) => !(g.inputs.retentionInDays > 0)).map((g) => g.inputs.name), []);
        });

        it("wires every alarm to the KMS-encrypted alarm topic, for alarms and recoveries", () => {
            const topic = mocks.one(T.topic, "-operations-alarms");
            assert.ok(topic.inputs.kmsMasterKeyId);
            const topicArn = "arn:aws:sns:us-east-1:111122223333:game1-alarms";
            const alarms = mocks.ofType(T.alarm);
            assert.ok(alarms.every((a) => a.inputs.alarmActions[0] === topicArn && a.inputs.okActions[0] === topicArn));
            const names = alarms.map((a) => a.inputs.name as string).sort();
            const expected = [
                "api-4xx-rate", "api-5xx-rate", "firehose-failed-conversion", "firehose-processing-failed", "firehose-delivery-failed",
                "firehose-data-freshness", "dynamodb-user-errors", "dynamodb-applications-system-errors", "dynamodb-authorizations-system-errors",
                ...["events-processing", "events-ingest", "events-authorizer", "admin-api", ...(realTime ? ["realtime-metrics"] : [])]
                    .flatMap((f) => [`lambda-${f}-errors`, `lambda-${f}-throttles`]),
                ...(kds ? ["stream-write-throttled", "stream-read-throttled", "stream-iterator-age"] : []),
                ...(realTime ? ["realtime-malformedrecords", "realtime-dedupsaturated", "realtime-eventlagseconds", "realtime-iterator-age"] : []),
            ].map((n) => `game1-${n}`).sort();
            assert.deepEqual(names, expected);
        });

        it(realTime ? "reads the stream for 60 s event-time windows, Lambda's 900 s tumbling window carrying their state" : "deploys no real-time metrics function", () => {
            const mappings = mocks.ofType("aws:lambda/eventSourceMapping:EventSourceMapping");
            assert.deepEqual(mappings.map((m) => [m.inputs.tumblingWindowInSeconds, m.inputs.eventSourceArn]),
                realTime ? [[900, "arn:aws:kinesis:us-east-1:111122223333:stream/game1-events"]] : []);
            const metrics = mocks.ofType("aws:lambda/function:Function").filter((f) => f.inputs.name === "game1-realtime-metrics");
            assert.deepEqual(metrics.map((f) => f.inputs.environment.variables.REALTIME_WINDOW_SECONDS), realTime ? ["60"] : []);
        });

        it("exports every output of the pipeline", async () => {
            const outputs = pipeline.outputs();
            assert.equal("streamName" in outputs, kds);
            assert.equal(await valueOf(outputs.apiUrl!), "https://api0001.execute-api.us-east-1.amazonaws.com/live");
            assert.equal(await valueOf(outputs.eventsEndpoint!), "https://api0001.execute-api.us-east-1.amazonaws.com/live/applications/{applicationId}/events");
        });
    });
}
