/**
 * The materialized-view refresh monitor: the metric computation over rows shaped like
 * SYS_MV_REFRESH_HISTORY (the SQL really runs, in pglite), the EMF line, and the Data API runner
 * (start + poll + paged result) over a real RedshiftDataClient whose network is a script.
 */
import { strict as assert } from "node:assert";
import { PGlite } from "@electric-sql/pglite";
import { RedshiftDataQueryRunner, StatementError } from "../../functions/aws/adapters/redshift-data-statements";
import { WAREHOUSE_SDK_USAGE } from "../../functions/aws/sdk-usage";
import {
    LAG_LOOKBACK_SECONDS, MV_LAG_SECONDS_METRIC, MV_REFRESH_FAILURES_METRIC, refreshEmfDocument, refreshMetrics, runRefreshMonitor, WAREHOUSE_METRICS_NAMESPACE,
} from "../../functions/core/mv-refresh-metrics";
import { scriptedRedshiftData } from "./support/scripted-redshift-data";

const NOW = Date.UTC(2026, 11, 1, 22, 0, 0);
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString().replace("T", " ").replace("Z", "");
const OK = "Refresh successfully updated MV incrementally";
const FAILED = "Refresh failed due to an internal error";

describe("materialized-view refresh monitor", function () {
    this.timeout(60_000);

    describe("the history query over pglite rows shaped like SYS_MV_REFRESH_HISTORY", () => {
        let db: PGlite;
        const query = async (sql: string) => (await db.query<Record<string, unknown>>(sql)).rows;
        before(async () => {
            db = await PGlite.create();
            await db.exec(`CREATE TABLE sys_mv_refresh_history (database_name TEXT, schema_name TEXT, mv_name TEXT, refresh_type TEXT, status CHAR(128), start_time TIMESTAMP, end_time TIMESTAMP)`);
        });
        after(async () => db?.close());
        beforeEach(async () => db.exec("DELETE FROM sys_mv_refresh_history"));
        const insert = (rows: [string, string, number, number | null][]) => Promise.all(rows.map(([mv, status, startAgo, endAgo]) =>
            db.query(`INSERT INTO sys_mv_refresh_history VALUES ('analytics', 'game_events', $1, 'Auto', $2, $3, $4)`, [mv, status, at(startAgo), endAgo === null ? null : at(endAgo)])));
        const run = () => runRefreshMonitor({ query, now: () => NOW, schema: "game_events", view: "kinesis_events", workgroupName: "game1-warehouse" });

        it("counts the failures of the last 5 minutes and the lag since the last success", async () => {
            await insert([
                ["kinesis_events", OK, 3600, 3590],          // an hour ago: before the period
                ["kinesis_events", OK, 250, 240],             // the last success, 240 s ago
                ["kinesis_events", FAILED, 120, 119],
                ["kinesis_events", "Refresh was aborted", 60, null],
                ["other_view", FAILED, 30, 29],               // another view: not counted
            ]);
            const { metrics } = await run();
            assert.deepEqual(metrics, { refreshes: 3, failures: 2, lagSeconds: 240, latestFailure: "Refresh was aborted" });
        });

        it("finds the last success before the period (one row), so the lag keeps growing while every refresh fails", async () => {
            await insert([["kinesis_events", OK, 7200, 7100], ["kinesis_events", OK, 5000, 4000], ["kinesis_events", FAILED, 100, 99]]);
            const { metrics } = await run();
            assert.deepEqual([metrics.refreshes, metrics.failures, metrics.lagSeconds], [1, 1, 4000]);
        });

        it("reports the whole lookback as lag when no refresh ever succeeded (or the view never refreshed)", async () => {
            const { metrics } = await run();
            assert.deepEqual(metrics, { refreshes: 0, failures: 0, lagSeconds: LAG_LOOKBACK_SECONDS });
        });

        it("counts 'already updated' as up to date", async () => {
            await insert([["kinesis_events", "MV was already updated", 30, 29]]);
            assert.deepEqual((await run()).metrics, { refreshes: 1, failures: 0, lagSeconds: 29 });
        });
    });

    it("reads Data API strings (UTC, no zone) as pglite dates", () => {
        const rows = [{ status: OK, start_time: at(20), end_time: at(10) }, { status: FAILED, start_time: new Date(NOW - 5000), end_time: null }];
        assert.deepEqual(refreshMetrics(rows, NOW), { refreshes: 2, failures: 1, lagSeconds: 10, latestFailure: FAILED });
    });

    it("writes one EMF line with the two metrics on the Workgroup dimension only", () => {
        const emf = refreshEmfDocument({ refreshes: 3, failures: 2, lagSeconds: 240 }, "game1-warehouse", NOW) as any;
        assert.deepEqual(emf._aws.CloudWatchMetrics, [{
            Namespace: WAREHOUSE_METRICS_NAMESPACE, Dimensions: [["Workgroup"]],
            Metrics: [{ Name: MV_REFRESH_FAILURES_METRIC, Unit: "Count" }, { Name: MV_LAG_SECONDS_METRIC, Unit: "Seconds" }],
        }]);
        assert.deepEqual([emf.Workgroup, emf[MV_REFRESH_FAILURES_METRIC], emf[MV_LAG_SECONDS_METRIC], emf._aws.Timestamp], ["game1-warehouse", 2, 240, NOW]);
    });

    describe("the Data API runner (asynchronous: start, poll, page)", () => {
        const target = { workgroupName: "game1-warehouse", database: "analytics", secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin" };
        const noWait = { intervalMs: 1, sleep: async () => undefined };

        it("starts the statement with the secret, polls until FINISHED and pages the rows", async () => {
            let describes = 0;
            const { client, calls } = scriptedRedshiftData((action, input) => {
                if (action === "ExecuteStatement") return { Id: "st-1" };
                if (action === "DescribeStatement") return { Id: "st-1", Status: ++describes < 3 ? "STARTED" : "FINISHED", HasResultSet: true };
                const columns = { ColumnMetadata: [{ label: "status" }, { label: "start_time" }, { label: "end_time" }] };
                return input.NextToken === undefined
                    ? { ...columns, Records: [[{ stringValue: OK }, { stringValue: at(30) }, { stringValue: at(29) }]], NextToken: "t2" }
                    : { ...columns, Records: [[{ stringValue: FAILED }, { stringValue: at(10) }, { isNull: true }]] };
            });
            const runner = new RedshiftDataQueryRunner(client, target, noWait);
            const rows = await runner.query("SELECT 1");
            assert.deepEqual(rows, [{ status: OK, start_time: at(30), end_time: at(29) }, { status: FAILED, start_time: at(10), end_time: null }]);
            assert.deepEqual(calls.map((c) => c.action), ["ExecuteStatement", "DescribeStatement", "DescribeStatement", "DescribeStatement", "GetStatementResult", "GetStatementResult"]);
            assert.deepEqual(calls[0]!.input, { WorkgroupName: target.workgroupName, Database: "analytics", SecretArn: target.secretArn, Sql: "SELECT 1" });
            const declared = WAREHOUSE_SDK_USAGE.warehouseMonitor.flatMap((u) => u.actions);
            for (const c of calls) assert.ok(declared.includes(`redshift-data:${c.action}`), `${c.action} is declared`);
        });

        it("fails with the statement's error when it FAILED", async () => {
            const { client } = scriptedRedshiftData((action) => action === "ExecuteStatement" ? { Id: "st-2" } : { Status: "FAILED", Error: "permission denied for relation sys_mv_refresh_history" });
            await assert.rejects(new RedshiftDataQueryRunner(client, target, noWait).query("SELECT 1"),
                (e: Error) => e instanceof StatementError && /st-2 FAILED: permission denied/.test(e.message));
        });

        it("gives up at its deadline instead of outliving the function's timeout", async () => {
            let clock = 0;
            const { client, calls } = scriptedRedshiftData((action) => action === "ExecuteStatement" ? { Id: "st-3" } : { Status: "STARTED" });
            const runner = new RedshiftDataQueryRunner(client, target, { intervalMs: 500, deadlineMs: 2000, now: () => clock, sleep: async (ms) => { clock += ms; } });
            await assert.rejects(runner.query("SELECT 1"), /st-3 STARTED: still running after 2000 ms/);
            assert.equal(calls.filter((c) => c.action === "DescribeStatement").length, 5);
        });
    });
});
