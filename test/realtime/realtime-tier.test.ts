import * as assert from "node:assert/strict";
import { RealTimeTier, REALTIME_ALARM_METRICS, realTimeDashboardBody } from "../../components/aws/realtime-tier";
import { REALTIME_METRICS } from "../../functions/core/realtime-metrics";
import { REALTIME_TOP_N } from "../../functions/core/environment-names";
import { checkResources } from "../../policy/rules";
import { awsStreamOutputs } from "../support/contract-outputs";
import { asList, MockRecorder, RecordedResource, statementsOf, valueOf } from "../support/pulumi-mocks";

const STREAM_ARN = "arn:aws:kinesis:us-east-1:111122223333:stream/mygame-events";
const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/stream-key";

describe("RealTimeTier under Pulumi mocks", () => {
    const mocks = new MockRecorder();
    let plain: RealTimeTier;
    let encrypted: RealTimeTier;
    const mine = (tierName: string, type: string, suffix: string): RecordedResource => mocks.one(type, `${tierName}-${suffix}`);

    before(async () => {
        await mocks.install();
        plain = new RealTimeTier("rt", { workloadName: "mygame", stream: awsStreamOutputs("mygame-events", STREAM_ARN), logRetentionDays: 14 });
        encrypted = new RealTimeTier("rtkms", {
            workloadName: "other", stream: awsStreamOutputs("mygame-events", STREAM_ARN, KEY_ARN), logRetentionDays: 30,
            windowSeconds: 120, topN: 5, dashboard: false, tags: { team: "analytics" },
        });
        await valueOf(plain.eventSourceMapping.id);
        await valueOf(encrypted.eventSourceMapping.id);
        await mocks.settle();
    });

    it("maps the stream to the function with Lambda's longest tumbling window (900 s) as the carrier of the event-time state, from LATEST, bisecting and retrying a failing batch a bounded number of times", () => {
        const mapping = mine("rt", "aws:lambda/eventSourceMapping:EventSourceMapping", "stream-mapping").inputs;
        const fn = mine("rt", "aws:lambda/function:Function", "metrics-function");
        assert.deepEqual(
            {
                source: mapping.eventSourceArn, target: mapping.functionName, window: mapping.tumblingWindowInSeconds, start: mapping.startingPosition,
                bisect: mapping.bisectBatchOnFunctionError, retries: mapping.maximumRetryAttempts, responses: mapping.functionResponseTypes,
                parallelization: mapping.parallelizationFactor,
            },
            {
                source: STREAM_ARN, target: `arn:aws:lambda:us-east-1:111122223333:function:${fn.inputs.name}`, window: 900, start: "LATEST",
                bisect: true, retries: 2, responses: ["ReportBatchItemFailures"], parallelization: 1,
            },
        );
    });

    it("grants the function reading of that stream only, every action spelled out and no Resource \"*\"", () => {
        const statements = statementsOf(mine("rt", "aws:iam/rolePolicy:RolePolicy", "metrics-policy").inputs.policy);
        const actions = statements.flatMap((s) => asList(s.Action));
        assert.deepEqual(
            {
                wildcards: actions.filter((a) => a.includes("*")),
                starResources: statements.filter((s) => asList(s.Resource).includes("*")).map((s) => s.Sid),
                kinesis: statements.filter((s) => asList(s.Action).some((a) => a.startsWith("kinesis:"))).map((s) => ({ actions: [...asList(s.Action)].sort(), resources: s.Resource })),
                kms: actions.filter((a) => a.startsWith("kms:")),
                metrics: actions.filter((a) => a.startsWith("cloudwatch:")),
            },
            {
                wildcards: [],
                starResources: [],
                kinesis: [{ actions: ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"], resources: [STREAM_ARN] }],
                kms: [],
                metrics: [],
            },
        );
    });

    it("grants kms:Decrypt on a customer-managed stream key, and only on it", () => {
        const statements = statementsOf(mine("rtkms", "aws:iam/rolePolicy:RolePolicy", "metrics-policy").inputs.policy);
        assert.deepEqual(statements.filter((s) => asList(s.Action).some((a) => a.startsWith("kms:"))).map((s) => [s.Action, s.Resource]), [[["kms:Decrypt"], [KEY_ARN]]]);
    });

    it("creates the function's log group with the given retention and logs the function there", () => {
        const group = mine("rt", "aws:cloudwatch/logGroup:LogGroup", "metrics-logs").inputs;
        const fn = mine("rt", "aws:lambda/function:Function", "metrics-function").inputs;
        assert.deepEqual([group.retentionInDays, group.name, fn.loggingConfig.logGroup], [14, "/aws/lambda/mygame-realtime-metrics", "/aws/lambda/mygame-realtime-metrics"]);
    });

    it("tells the function its namespace, top N, event-time window and watermark, and honours a custom window length", () => {
        const env = (tier: string) => mine(tier, "aws:lambda/function:Function", "metrics-function").inputs.environment.variables;
        assert.deepEqual(
            [env("rt").POWERTOOLS_METRICS_NAMESPACE, env("rt")[REALTIME_TOP_N], env("rtkms").POWERTOOLS_METRICS_NAMESPACE, env("rtkms")[REALTIME_TOP_N],
                env("rt").REALTIME_WINDOW_SECONDS, env("rtkms").REALTIME_WINDOW_SECONDS, env("rt").REALTIME_WATERMARK_SECONDS,
                mine("rtkms", "aws:lambda/eventSourceMapping:EventSourceMapping", "stream-mapping").inputs.tumblingWindowInSeconds],
            ["GameAnalytics/mygame", "20", "GameAnalytics/other", "5", "60", "120", "5", 900],
        );
    });

    it("tags the function, its role, its log group and the mapping when tags are given", () => {
        const types = ["aws:lambda/function:Function", "aws:iam/role:Role", "aws:cloudwatch/logGroup:LogGroup", "aws:lambda/eventSourceMapping:EventSourceMapping"];
        const tagged = mocks.resources.filter((r) => r.name.startsWith("rtkms-") && types.includes(r.type));
        assert.deepEqual(
            [tagged.length, tagged.every((r) => r.inputs.tags?.team === "analytics"), mocks.resources.filter((r) => r.name.startsWith("rt-") && r.inputs.tags?.team).length],
            [4, true, 0],
        );
    });

    it("exports the function name, the namespace and the metrics worth an alarm", async () => {
        assert.deepEqual(
            { functionName: await valueOf(plain.functionName), namespace: plain.metricsNamespace, alarms: plain.alarmMetricNames },
            { functionName: "mygame-realtime-metrics", namespace: "GameAnalytics/mygame", alarms: [REALTIME_METRICS.malformedRecords, REALTIME_METRICS.dedupSaturated, REALTIME_METRICS.eventLagSeconds] },
        );
        assert.deepEqual(REALTIME_ALARM_METRICS.map((m) => m.metricName), plain.alarmMetricNames);
    });

    it("creates a dashboard searching every application, spell and item of the namespace, unless told not to", () => {
        const dashboards = mocks.ofType("aws:cloudwatch/dashboard:Dashboard");
        const body = JSON.parse(dashboards[0]!.inputs.dashboardBody) as { widgets: Array<{ properties: { metrics?: unknown[] } }> };
        const expressions = JSON.stringify(body.widgets.map((w) => w.properties.metrics ?? []));
        assert.deepEqual(
            { names: dashboards.map((d) => d.inputs.dashboardName), searchesKnockouts: expressions.includes(`SEARCH('{\\"GameAnalytics/mygame\\",ApplicationId,SpellId} MetricName=\\"KnockoutsBySpell\\"', 'Sum', 60)`) },
            { names: ["mygame-realtime"], searchesKnockouts: true },
        );
    });

    it("breaks no rule of the project's security policy pack", () => {
        const facts = mocks.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, id: r.id, props: r.inputs }));
        assert.deepEqual(checkResources(facts).map((v) => `${v.rule}: ${v.message}`), []);
    });

    it("rejects a window AWS would refuse, naming the argument and the rule", () => {
        assert.throws(
            () => new RealTimeTier("bad", { workloadName: "g", stream: awsStreamOutputs("s", STREAM_ARN), windowSeconds: 901, logRetentionDays: 30 }),
            /windowSeconds = 901: must be a whole number from 1 to 900/,
        );
    });

    it("builds a dashboard body that is plain JSON with one widget per metric family", () => {
        const body = JSON.parse(realTimeDashboardBody({ region: "eu-west-1", namespace: "N/x", streamName: "s", functionName: "f", windowSeconds: 60 }));
        assert.deepEqual(body.widgets.map((w: { type: string }) => w.type), ["text", "metric", "metric", "metric", "metric", "metric", "metric"]);
    });
});
