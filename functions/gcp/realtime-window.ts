/**
 * Real-time metrics on Google Cloud: once a minute (Cloud Scheduler), the function pulls what the
 * real-time subscription received since the last run, runs the same window core as on AWS
 * (functions/core/realtime-metrics.ts: de-duplication, the four metrics, top N), writes the
 * window's metrics as Cloud Monitoring custom metrics and only then acknowledges the messages
 * (a failed write leaves them to the next run: nothing is lost; a rerun may count them again).
 * Windows follow the run's minute (arrival time), as Lambda's tumbling windows follow arrival.
 */
import { accumulateWindow, DEFAULT_WINDOW_LIMITS, emptyWindowState, finalizeWindow, REALTIME_METRICS, type WindowMetrics } from "../core/realtime-metrics";

/** One pulled message. */
export interface PulledMessage {
    ackId: string;
    /** base64 data. */
    data: string;
    messageId: string;
    /** RFC 3339. */
    publishTime: string;
}

/** A Cloud Monitoring time series (projects.timeSeries.create request shape). */
export interface TimeSeries {
    metric: { type: string; labels: Record<string, string> };
    resource: { type: "global"; labels: { project_id: string } };
    metricKind: "GAUGE";
    valueType: "INT64";
    points: Array<{ interval: { endTime: string }; value: { int64Value: string } }>;
}

/** What a run needs. */
export interface RealtimeRunDeps {
    pull(maxMessages: number): Promise<PulledMessage[]>;
    acknowledge(ackIds: string[]): Promise<void>;
    /** projects.timeSeries.create: at most 200 series per call. */
    writeTimeSeries(series: TimeSeries[]): Promise<void>;
    projectId: string;
    /** e.g. `custom.googleapis.com/game_analytics/mygame` */
    metricsPrefix: string;
    topN: number;
    now(): number;
    /** Most pulls per run (each up to 1,000 messages). */
    maxPulls?: number;
}

/** Most series one timeSeries.create call takes. */
export const MAX_SERIES_PER_CALL = 200;

/** The window's metrics as time series, stamped at the window start. */
export function toTimeSeries(metrics: WindowMetrics, projectId: string, prefix: string, endTime: string): TimeSeries[] {
    const series = (name: string, value: number, labels: Record<string, string>): TimeSeries => ({
        metric: { type: `${prefix}/${name}`, labels },
        resource: { type: "global", labels: { project_id: projectId } },
        metricKind: "GAUGE",
        valueType: "INT64",
        points: [{ interval: { endTime }, value: { int64Value: String(Math.round(value)) } }],
    });
    const m = REALTIME_METRICS;
    const out = [series(m.malformedRecords, metrics.malformedRecords, {}), series(m.duplicateEvents, metrics.duplicateEvents, {}), series(m.dedupSaturated, metrics.dedupSaturated, {})];
    if (metrics.eventLagSeconds !== null) out.push(series(m.eventLagSeconds, metrics.eventLagSeconds, {}));
    for (const app of metrics.applications) {
        const application_id = app.applicationId;
        out.push(series(m.totalEvents, app.totalEvents, { application_id }), series(m.totalLogins, app.totalLogins, { application_id }));
        for (const s of app.knockoutsBySpell) out.push(series(m.knockoutsBySpell, s.count, { application_id, spell_id: s.value }));
        for (const p of app.purchases) out.push(series(m.purchases, p.count, { application_id, item_id: p.value }));
    }
    return out;
}

/** One run: pull, count, write, acknowledge. Returns what was counted. */
export async function runRealtimeWindow(deps: RealtimeRunDeps): Promise<{ messages: number; series: number; metrics: WindowMetrics }> {
    const minute = Math.floor(deps.now() / 60_000) * 60_000;
    const windowStart = new Date(minute - 60_000).toISOString();
    let state = emptyWindowState(windowStart);
    const ackIds: string[] = [];
    for (let i = 0; i < (deps.maxPulls ?? 10); i++) {
        const batch = await deps.pull(1000);
        if (batch.length === 0) break;
        state = accumulateWindow(state, batch.map((msg) => ({
            sequenceNumber: msg.messageId,
            text: Buffer.from(msg.data, "base64").toString("utf8"),
            approximateArrivalTimestamp: Date.parse(msg.publishTime) / 1000,
        })), DEFAULT_WINDOW_LIMITS).state;
        ackIds.push(...batch.map((msg) => msg.ackId));
    }
    const metrics = finalizeWindow(state, deps.topN);
    const series = toTimeSeries(metrics, deps.projectId, deps.metricsPrefix, windowStart);
    for (let i = 0; i < series.length; i += MAX_SERIES_PER_CALL) await deps.writeTimeSeries(series.slice(i, i + MAX_SERIES_PER_CALL));
    for (let i = 0; i < ackIds.length; i += 1000) await deps.acknowledge(ackIds.slice(i, i + 1000));
    return { messages: ackIds.length, series: series.length, metrics };
}
