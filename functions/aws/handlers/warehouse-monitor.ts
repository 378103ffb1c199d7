/**
 * Lambda entry point of the materialized-view refresh monitor (REDSHIFT), run every 5 minutes by an
 * EventBridge rule: reads SYS_MV_REFRESH_HISTORY through the Data API (start + poll within the
 * function's timeout) and writes `MaterializedViewRefreshFailures` and `MaterializedViewLagSeconds`
 * as one Embedded Metric Format line (functions/core/mv-refresh-metrics.ts). A run that cannot
 * query (workgroup paused by a usage limit, statement failed) writes no metric and fails: the lag
 * alarm treats missing data as breaching, so a silent monitor alarms too.
 */
import { RedshiftDataClient } from "@aws-sdk/client-redshift-data";
import { RedshiftDataQueryRunner } from "../adapters/redshift-data-statements";
import { REDSHIFT_DATABASE, REDSHIFT_RECORDS_VIEW, REDSHIFT_SCHEMA, REDSHIFT_SECRET_ARN, REDSHIFT_WORKGROUP_NAME } from "../../core/environment-names";
import { runRefreshMonitor } from "../../core/mv-refresh-metrics";
import { requiredEnv } from "./environment";
import { observability } from "./observability";

const { logger } = observability("warehouse-monitor");
let runner: RedshiftDataQueryRunner | undefined;

/** Scheduled handler (the event carries nothing it needs). */
export async function handler(): Promise<{ failures: number; lagSeconds: number; refreshes: number }> {
    const workgroupName = requiredEnv(REDSHIFT_WORKGROUP_NAME);
    runner ??= new RedshiftDataQueryRunner(new RedshiftDataClient({}), {
        workgroupName, database: requiredEnv(REDSHIFT_DATABASE), secretArn: requiredEnv(REDSHIFT_SECRET_ARN),
    }, { deadlineMs: 40_000 });
    try {
        const { metrics, emf } = await runRefreshMonitor({
            query: (sql) => runner!.query(sql), now: Date.now,
            schema: requiredEnv(REDSHIFT_SCHEMA), view: requiredEnv(REDSHIFT_RECORDS_VIEW), workgroupName,
        });
        process.stdout.write(`${JSON.stringify(emf)}\n`);
        if (metrics.failures > 0) logger.warn("materialized view refresh failures", { failures: metrics.failures, latestFailure: metrics.latestFailure });
        return { failures: metrics.failures, lagSeconds: metrics.lagSeconds, refreshes: metrics.refreshes };
    } catch (error) {
        logger.error("refresh monitor could not read the refresh history", { error: error as Error });
        throw error;
    }
}
