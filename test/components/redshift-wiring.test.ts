/**
 * The REDSHIFT pipeline's wiring added with issue 13's remaining work, under Pulumi mocks: the raw
 * copy of the stream in the lake by the stream archiver (what a studio falls back on when the view
 * refresh falls behind the stream's retention), POST /redshift/setup's environment and IAM on the admin function, the
 * refresh monitor's alarms, and the `redshiftManageAuditLogGroups` config key.
 */
import * as assert from "node:assert/strict";
import { GameAnalyticsPipeline } from "../../components/pipeline";
import { SettingsError } from "../../components/contracts/settings";
import { MockRecorder, RecordedResource, valueOf } from "../support/pulumi-mocks";

async function build(args: ConstructorParameters<typeof GameAnalyticsPipeline>[1]): Promise<{ mocks: MockRecorder; resources: RecordedResource[] }> {
    const mocks = new MockRecorder();
    await mocks.install();
    const p = new GameAnalyticsPipeline("game1", args);
    await valueOf(p.dashboardUrl);
    return { mocks, resources: [...(await mocks.settle())] };
}

describe("GameAnalyticsPipeline (REDSHIFT): raw copy, setup report, refresh alarms, audit log groups", function () {
    this.timeout(60_000);
    let mocks: MockRecorder;
    before(async () => {
        ({ mocks } = await build({ workloadName: "game1", dataStack: "REDSHIFT", realTimeAnalytics: false }));
    });

    it("keeps a raw copy of every stream record in the lake, independent of the warehouse's reading", () => {
        const mapping = mocks.one("aws:lambda/eventSourceMapping:EventSourceMapping", "-processing-archiver-stream-mapping").inputs;
        assert.match(mapping.eventSourceArn, /stream\/game1-events$/);
        const archiver = mocks.one("aws:lambda/function:Function", "-processing-archiver-function-function").inputs;
        assert.equal(mapping.functionName, `arn:aws:lambda:us-east-1:111122223333:function:${archiver.name}`);
        // The lake bucket (the mocks name it "<workload>-lake-<n>"), the one bucket of the stack.
        assert.equal(mocks.ofType("aws:s3/bucket:Bucket").length, 1);
        const env = archiver.environment.variables;
        assert.match(env.LAKE_BUCKET, /^game1-lake-/);
        assert.deepEqual([env.RAW_EVENTS_PREFIX, env.ERRORS_PREFIX], ["raw_events", "firehose-errors"]);
        // A separate consumer of the stream: the warehouse's materialized view falling behind (or the
        // workgroup paused by a usage limit) does not hold it back. No Firehose reads the stream.
        assert.equal(mocks.ofType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").length, 0);
        assert.equal(mocks.ofType("aws:lambda/eventSourceMapping:EventSourceMapping").length, 1);
        // Raw events are kept unless the studio sets dataRetentionDays.
        const lifecycles = mocks.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").flatMap((l) => l.inputs.rules ?? []);
        assert.ok(!lifecycles.some((r: any) => r.status === "Enabled" && r.expiration && /^raw_events/.test(r.filter?.prefix ?? "")), "no expiry of raw events by default");
    });

    it("gives the admin function the warehouse's names and a Data API grant for POST /redshift/setup", () => {
        const admin = mocks.one("aws:lambda/function:Function", "-admin-function").inputs;
        const env = admin.environment.variables;
        assert.deepEqual([env.DATA_STACK, env.REDSHIFT_WORKGROUP_NAME, env.REDSHIFT_DATABASE, env.REDSHIFT_SCHEMA], ["REDSHIFT", "game1-warehouse", "analytics", "game_events"]);
        const grant = mocks.one("aws:iam/rolePolicy:RolePolicy", "-admin-setup-report").inputs;
        assert.equal(grant.role, admin.role.split("/").pop());
        const statement = JSON.parse(grant.policy).Statement;
        assert.deepEqual(statement.map((s: any) => [s.Action, s.Resource]), [[["redshift-data:ListTables", "redshift-serverless:GetCredentials"], ["arn:aws:redshift-serverless:us-east-1:111122223333:workgroup/game1-warehouse-workgroup"]]]);
    });

    it("alarms when a materialized-view refresh fails and when the view lags (missing data breaches)", () => {
        const alarms = mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
        const failures = alarms.find((r) => r.name.endsWith("-alarm-warehouse-mv-refresh-failures"))!.inputs;
        assert.deepEqual([failures.namespace, failures.metricName, failures.dimensions, failures.threshold, failures.comparisonOperator, failures.treatMissingData],
            ["GameAnalytics/Warehouse", "MaterializedViewRefreshFailures", { Workgroup: "game1-warehouse" }, 0, "GreaterThanThreshold", "notBreaching"]);
        const lag = alarms.find((r) => r.name.endsWith("-alarm-warehouse-mv-lag"))!.inputs;
        assert.deepEqual([lag.metricName, lag.threshold, lag.treatMissingData, lag.period], ["MaterializedViewLagSeconds", 1800, "breaching", 300]);
        assert.ok(lag.alarmActions.length === 1 && failures.alarmActions.length === 1, "to the alarm topic");
        assert.ok(alarms.some((r) => r.name.endsWith("-alarm-warehouse-usage-limit")));
        const body = JSON.parse(mocks.one("aws:cloudwatch/dashboard:Dashboard", "-dashboard").inputs.dashboardBody);
        const titles = body.widgets.map((w: any) => w.properties?.title);
        for (const t of ["Warehouse queries completed per second", "Warehouse connections", "Warehouse storage (MB)", "Warehouse RPUs in use and RPU-hours", "Materialized view refresh lag (s) and failures"]) {
            assert.ok(titles.includes(t), t);
        }
    });

    it("redshiftManageAuditLogGroups: true by default (groups with retention and KMS), false leaves them to another stack", async () => {
        const groups = (ms: MockRecorder) => ms.ofType("aws:cloudwatch/logGroup:LogGroup").filter((g) => g.inputs.name.startsWith("/aws/redshift/"));
        assert.deepEqual(groups(mocks).map((g) => [g.inputs.name, Boolean(g.inputs.kmsKeyId), g.inputs.retentionInDays > 0]), [
            ["/aws/redshift/serverless/connectionlog", true, true], ["/aws/redshift/serverless/userlog", true, true], ["/aws/redshift/serverless/useractivitylog", true, true]]);
        const second = await build({ workloadName: "game2", dataStack: "REDSHIFT", realTimeAnalytics: false, redshiftManageAuditLogGroups: "false" });
        assert.equal(groups(second.mocks).length, 0);
        assert.equal(second.mocks.ofType("aws:redshiftserverless/namespace:Namespace").length, 1);
    });

    it("redshiftManageAuditLogGroups: anything but true/false is refused, naming the key", () => {
        assert.throws(() => new GameAnalyticsPipeline("g", { workloadName: "g1", dataStack: "REDSHIFT", realTimeAnalytics: false, redshiftManageAuditLogGroups: "maybe" }),
            (e: unknown) => e instanceof SettingsError && e.problems.some((p) => p.key === "redshiftManageAuditLogGroups" && /must be true or false/.test(p.rule)));
    });

    it("DATA_LAKE: the admin function gets no warehouse names and no Data API grant", async () => {
        const lake = await build({ workloadName: "game3", realTimeAnalytics: false });
        assert.equal(lake.mocks.one("aws:lambda/function:Function", "-admin-function").inputs.environment.variables.DATA_STACK, undefined);
        assert.equal(lake.mocks.ofType("aws:iam/rolePolicy:RolePolicy").filter((r) => r.name.endsWith("-admin-setup-report")).length, 0);
        assert.equal(lake.mocks.ofType("aws:lambda/function:Function").filter((f) => f.name.includes("refresh-monitor")).length, 0);
    });
});
