/**
 * The stream archiver under Pulumi mocks: a REDSHIFT stack copies the stream into the lake with a
 * Lambda on an event source mapping (the settings decided in components/aws/stream-archiver.ts),
 * without Firehose or its transform, and its alarms and dashboard follow; a DATA_LAKE stack keeps
 * Firehose and has no archiver (its resources are pinned by resource-snapshot.test.ts).
 */
import * as assert from "node:assert/strict";
import { GameAnalyticsPipeline } from "../../components/pipeline";
import { archiverMaximumRecordAgeSeconds } from "../../components/aws/stream-archiver";
import { MockRecorder, valueOf } from "../support/pulumi-mocks";

const T = {
    fn: "aws:lambda/function:Function",
    esm: "aws:lambda/eventSourceMapping:EventSourceMapping",
    firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    policy: "aws:iam/rolePolicy:RolePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
};

async function build(args: ConstructorParameters<typeof GameAnalyticsPipeline>[1]): Promise<MockRecorder> {
    const mocks = new MockRecorder();
    await mocks.install();
    const p = new GameAnalyticsPipeline("game1", args);
    await valueOf(p.dashboardUrl);
    await mocks.settle();
    return mocks;
}

describe("stream archiver (REDSHIFT raw copy) under Pulumi mocks", function () {
    this.timeout(120_000);
    let mocks: MockRecorder;
    before(async () => {
        mocks = await build({ workloadName: "game1", dataStack: "REDSHIFT", realTimeAnalytics: false, devMode: false });
    });

    it("reads the stream with large batches, from the trim horizon, retrying whole batches and discarding to the lake before the stream expires them", () => {
        const mapping = mocks.one(T.esm, "-processing-archiver-stream-mapping").inputs;
        assert.deepEqual({
            startingPosition: mapping.startingPosition, batchSize: mapping.batchSize, window: mapping.maximumBatchingWindowInSeconds,
            parallelization: mapping.parallelizationFactor, bisect: mapping.bisectBatchOnFunctionError, retries: mapping.maximumRetryAttempts,
            age: mapping.maximumRecordAgeInSeconds, responseTypes: mapping.functionResponseTypes, onFailure: mapping.destinationConfig?.onFailure?.destinationArn,
        }, {
            startingPosition: "TRIM_HORIZON", batchSize: 10_000, window: 300, parallelization: 1, bisect: false, retries: 10_000,
            age: 23 * 3600, responseTypes: undefined, onFailure: mapping.destinationConfig.onFailure.destinationArn,
        });
        assert.match(mapping.destinationConfig.onFailure.destinationArn, /^arn:aws:s3:::game1-lake-/, "the lake bucket: Lambda writes the whole invocation record there");
        assert.match(mapping.eventSourceArn, /stream\/game1-events$/);
    });

    it("creates no Firehose, no transform Lambda and none of their alarms or widgets", () => {
        assert.equal(mocks.ofType(T.firehose).length, 0);
        assert.equal(mocks.ofType(T.fn).filter((f) => f.inputs.name.endsWith("events-processing")).length, 0);
        assert.equal(mocks.ofType(T.logGroup).filter((g) => g.inputs.name.startsWith("/aws/kinesisfirehose/")).length, 0);
        const alarms = mocks.ofType(T.alarm).map((a) => a.name);
        assert.deepEqual(alarms.filter((n) => /firehose|events-processing/.test(n)), []);
        const body = JSON.parse(mocks.one("aws:cloudwatch/dashboard:Dashboard", "-operations-dashboard").inputs.dashboardBody);
        const metrics = JSON.stringify(body.widgets.map((w: any) => w.properties?.metrics ?? []));
        assert.doesNotMatch(metrics, /AWS\/Firehose/);
        assert.ok(body.widgets.some((w: any) => w.properties?.title === "Stream archiver errors, throttles, success %"));
    });

    it("alarms on the archiver's errors, throttles and iterator age, to the alarm topic", () => {
        const alarms = mocks.ofType(T.alarm);
        const find = (suffix: string) => alarms.find((a) => a.name.endsWith(`-alarm-${suffix}`))?.inputs;
        const fn = mocks.one(T.fn, "-processing-archiver-function-function").inputs.name;
        for (const suffix of ["lambda-stream-archiver-errors", "lambda-stream-archiver-throttles", "stream-archiver-iterator-age"]) {
            const alarm = find(suffix);
            assert.ok(alarm, suffix);
            assert.deepEqual([alarm.namespace, alarm.dimensions, alarm.alarmActions.length], ["AWS/Lambda", { FunctionName: fn }, 1], suffix);
        }
        assert.deepEqual([find("stream-archiver-iterator-age")!.metricName, find("stream-archiver-iterator-age")!.threshold], ["IteratorAge", 300_000]);
        assert.match(find("stream-iterator-age")!.alarmDescription, /stream archiver or the warehouse/);
    });

    it("is an arm64 LambdaFunction with its log group's retention, writing to the lake with the lake key", () => {
        const fn = mocks.one(T.fn, "-processing-archiver-function-function").inputs;
        assert.deepEqual([fn.architectures, fn.runtime, fn.memorySize, fn.timeout], [["arm64"], "nodejs22.x", 1024, 300]);
        const group = mocks.ofType(T.logGroup).find((g) => g.inputs.name === `/aws/lambda/${fn.name}`)!;
        assert.equal(group.inputs.retentionInDays, 30);
        const key = mocks.one("aws:kms/key:Key", "-storage-key");
        assert.equal(fn.environment.variables.LAKE_KEY_ARN, `arn:aws:kms:us-east-1:111122223333:key/${key.name}`);
        const policy = JSON.parse(mocks.one(T.policy, "-processing-archiver-function-policy").inputs.policy);
        const bySid = Object.fromEntries(policy.Statement.map((s: any) => [s.Sid, [s.Action, s.Resource]]));
        const bucket = fn.environment.variables.LAKE_BUCKET;
        assert.deepEqual(bySid.WriteRawEvents, [["s3:PutObject"], [`arn:aws:s3:::${bucket}/raw_events/*`]]);
        assert.deepEqual(bySid.WriteErrorOutput, [["s3:PutObject"], [`arn:aws:s3:::${bucket}/firehose-errors/*`]]);
        assert.deepEqual(bySid.WriteDiscardedBatches, [["s3:PutObject"], [`arn:aws:s3:::${bucket}/aws/lambda/*`]]);
        assert.deepEqual(bySid.EncryptWithTheLakeKey, [["kms:Decrypt", "kms:GenerateDataKey"], [fn.environment.variables.LAKE_KEY_ARN]]);
        assert.deepEqual(bySid.ReadTheEventStream[1], ["arn:aws:kinesis:us-east-1:111122223333:stream/game1-events"]);
        assert.equal(bySid.WriteRawBackup, undefined, "no raw backup without s3BackupMode");
        assert.equal(fn.environment.variables.RAW_BACKUP_PREFIX, undefined);
    });

    it("development: a 60 s batching window; a longer stream retention moves the record age, within Lambda's 7 days", async () => {
        const dev = await build({ workloadName: "game1", dataStack: "REDSHIFT", realTimeAnalytics: false, devMode: true, streamRetentionHours: 48 });
        const mapping = dev.one(T.esm, "-processing-archiver-stream-mapping").inputs;
        assert.deepEqual([mapping.maximumBatchingWindowInSeconds, mapping.maximumRecordAgeInSeconds], [60, 47 * 3600]);
        const backup = await build({ workloadName: "game1", dataStack: "REDSHIFT", realTimeAnalytics: false, s3BackupMode: true });
        const fn = backup.one(T.fn, "-processing-archiver-function-function").inputs;
        assert.equal(fn.environment.variables.RAW_BACKUP_PREFIX, "raw_backup", "s3BackupMode: the archiver keeps the records as received");
        const sids = JSON.parse(backup.one(T.policy, "-processing-archiver-function-policy").inputs.policy).Statement.map((s: any) => [s.Sid, s.Resource]);
        assert.deepEqual(sids.find((s: any) => s[0] === "WriteRawBackup"), ["WriteRawBackup", [`arn:aws:s3:::${fn.environment.variables.LAKE_BUCKET}/raw_backup/*`]]);
        assert.equal(archiverMaximumRecordAgeSeconds(24 * 365), 604_800);
        assert.equal(archiverMaximumRecordAgeSeconds(1), 60);
    });

    it("DATA_LAKE with a stream keeps Firehose and its transform, and has no archiver", async () => {
        const lake = await build({ workloadName: "game1", realTimeAnalytics: false });
        assert.equal(lake.ofType(T.firehose).length, 1);
        assert.equal(lake.ofType(T.fn).filter((f) => f.inputs.name.endsWith("events-processing")).length, 1);
        assert.equal(lake.ofType(T.esm).length, 0);
        assert.equal(lake.ofType(T.fn).filter((f) => f.inputs.name.includes("stream-archiver")).length, 0);
        assert.ok(lake.ofType(T.alarm).some((a) => a.name.endsWith("-alarm-firehose-data-freshness")));
    });
});
