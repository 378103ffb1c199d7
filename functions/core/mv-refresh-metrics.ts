/**
 * The streaming materialized view's refresh health, computed from Redshift's refresh history.
 * Redshift publishes no CloudWatch metric for it, so a scheduled function (every 5 minutes) runs
 * {@link refreshHistorySql} through the Data API and publishes the two metrics computed here:
 *
 * - `MaterializedViewRefreshFailures`: refreshes of the last period whose status says they failed
 *   or were aborted (SYS_MV_REFRESH_HISTORY `status`, e.g. "Refresh failed due to an internal error");
 * - `MaterializedViewLagSeconds`: seconds since the end of the last successful refresh (an idle
 *   stream also makes it grow: at 100 events/s a live game never is; see docs/redshift.md).
 *
 * The SQL is plain SQL both Redshift and PostgreSQL run (the instant comes from the caller's clock,
 * no GETDATE/DATEADD), so the local test runs it over pglite rows shaped like the system view.
 */
/** A single-quoted SQL string literal (embedded quotes doubled). */
const sqlLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** Metric names, shared with the alarms (components/aws/warehouse/monitoring.ts). */
export const MV_REFRESH_FAILURES_METRIC = "MaterializedViewRefreshFailures";
export const MV_LAG_SECONDS_METRIC = "MaterializedViewLagSeconds";
/** CloudWatch namespace of the warehouse's own metrics (dimension `Workgroup`). */
export const WAREHOUSE_METRICS_NAMESPACE = "GameAnalytics/Warehouse";
/** How often the monitor runs, seconds (its schedule and the failures' counting period). */
export const REFRESH_MONITOR_PERIOD_SECONDS = 300;
/** How far back the last success is looked for (the system view keeps about 7 days). */
export const LAG_LOOKBACK_SECONDS = 7 * 86_400;

/** A status that means the refresh did not complete. */
export const FAILED_STATUS = /fail|abort|error|cancel/i;
/** A status that means the view is up to date after it ("updated ...", "recomputed ...", "already updated"). */
export const SUCCEEDED_STATUS = /success|already updated/i;

/** One row of the refresh history as the query returns it (Data API strings or pglite values). */
export interface RefreshHistoryRow {
    status: string | null;
    start_time: string | Date | null;
    end_time: string | Date | null;
}

/** The metrics of one run. */
export interface RefreshMetrics {
    /** Refreshes started in the period. */
    refreshes: number;
    /** Of those, failed or aborted ones. */
    failures: number;
    /** Seconds since the last successful refresh ended; the lookback when none is found. */
    lagSeconds: number;
    /** Status text of the latest failure in the period (for the log line), if any. */
    latestFailure?: string;
}

const epochOf = (value: string | Date | null): number | undefined => {
    if (value === null) return undefined;
    if (value instanceof Date) return value.getTime();
    // Redshift and PostgreSQL print "2026-12-01 22:00:00.123456" in UTC (no zone).
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(" ", "T")}Z`);
    return Number.isNaN(ms) ? undefined : ms;
};

/** The UTC timestamp literal of an instant, as both engines read it. */
export function timestampLiteral(epochMs: number): string {
    return `TIMESTAMP ${sqlLiteral(new Date(epochMs).toISOString().replace("T", " ").replace("Z", ""))}`;
}

/**
 * The history of one materialized view since `nowMs - LAG_LOOKBACK_SECONDS`: the rows of the
 * period, and the latest success before it (one extra row), newest first. At most a few hundred rows.
 */
export function refreshHistorySql(schema: string, view: string, nowMs: number): string {
    const periodStart = timestampLiteral(nowMs - REFRESH_MONITOR_PERIOD_SECONDS * 1000);
    const lookback = timestampLiteral(nowMs - LAG_LOOKBACK_SECONDS * 1000);
    const where = `schema_name = ${sqlLiteral(schema)} AND mv_name = ${sqlLiteral(view)}`;
    return `SELECT status, start_time, end_time FROM (
  SELECT status, start_time, end_time FROM sys_mv_refresh_history
  WHERE ${where} AND start_time >= ${periodStart}
  UNION ALL
  SELECT status, start_time, end_time FROM (
    SELECT status, start_time, end_time FROM sys_mv_refresh_history
    WHERE ${where} AND start_time >= ${lookback} AND start_time < ${periodStart} AND end_time IS NOT NULL
      AND (status ILIKE '%success%' OR status ILIKE '%already updated%')
    ORDER BY end_time DESC LIMIT 1
  ) AS before_period
) AS history
ORDER BY start_time DESC
LIMIT 1000`;
}

/** The metrics from the history rows (pure). */
export function refreshMetrics(rows: readonly RefreshHistoryRow[], nowMs: number): RefreshMetrics {
    const periodStart = nowMs - REFRESH_MONITOR_PERIOD_SECONDS * 1000;
    let refreshes = 0;
    let failures = 0;
    let latestFailure: { at: number; status: string } | undefined;
    let lastSuccessEnd: number | undefined;
    for (const row of rows) {
        const start = epochOf(row.start_time);
        const end = epochOf(row.end_time);
        const status = row.status ?? "";
        if (start !== undefined && start >= periodStart) {
            refreshes += 1;
            if (FAILED_STATUS.test(status)) {
                failures += 1;
                if (latestFailure === undefined || start > latestFailure.at) latestFailure = { at: start, status: status.trim() };
            }
        }
        if (end !== undefined && SUCCEEDED_STATUS.test(status) && !FAILED_STATUS.test(status)) {
            lastSuccessEnd = lastSuccessEnd === undefined ? end : Math.max(lastSuccessEnd, end);
        }
    }
    const lagSeconds = lastSuccessEnd === undefined ? LAG_LOOKBACK_SECONDS : Math.max(0, Math.round((nowMs - lastSuccessEnd) / 1000));
    return { refreshes, failures, lagSeconds, ...(latestFailure ? { latestFailure: latestFailure.status } : {}) };
}

/**
 * The CloudWatch Embedded Metric Format document of one run (one log line; CloudWatch Logs
 * extracts the two metrics, dimension `Workgroup` only, so the alarms name exactly that).
 */
export function refreshEmfDocument(metrics: RefreshMetrics, workgroupName: string, nowMs: number): Record<string, unknown> {
    return {
        _aws: {
            Timestamp: nowMs,
            CloudWatchMetrics: [{
                Namespace: WAREHOUSE_METRICS_NAMESPACE,
                Dimensions: [["Workgroup"]],
                Metrics: [
                    { Name: MV_REFRESH_FAILURES_METRIC, Unit: "Count" },
                    { Name: MV_LAG_SECONDS_METRIC, Unit: "Seconds" },
                ],
            }],
        },
        Workgroup: workgroupName,
        [MV_REFRESH_FAILURES_METRIC]: metrics.failures,
        [MV_LAG_SECONDS_METRIC]: metrics.lagSeconds,
        refreshes: metrics.refreshes,
        ...(metrics.latestFailure === undefined ? {} : { latestFailure: metrics.latestFailure }),
    };
}

/** What one monitor run needs (the handler passes the Data API runner, tests a pglite one). */
export interface RefreshMonitorDeps {
    query(sql: string): Promise<Record<string, unknown>[]>;
    now(): number;
    schema: string;
    view: string;
    workgroupName: string;
}

/** One run: query, compute, and return the EMF document to write. Query failures propagate. */
export async function runRefreshMonitor(deps: RefreshMonitorDeps): Promise<{ metrics: RefreshMetrics; emf: Record<string, unknown> }> {
    const now = deps.now();
    const rows = await deps.query(refreshHistorySql(deps.schema, deps.view, now));
    const metrics = refreshMetrics(rows.map((r) => ({
        status: r.status === null || r.status === undefined ? null : String(r.status),
        start_time: (r.start_time ?? null) as string | Date | null,
        end_time: (r.end_time ?? null) as string | Date | null,
    })), now);
    return { metrics, emf: refreshEmfDocument(metrics, deps.workgroupName, now) };
}
