/**
 * Real-time metrics on Google Cloud: once a minute (Cloud Scheduler), the function pulls what the
 * real-time subscription received since the last run, runs the same event-time window core as on
 * AWS (functions/core/realtime-event-time.ts: event-time tumbling windows, watermark, late and
 * future events counted, de-duplication, top N), writes the metrics as Cloud Monitoring custom
 * metrics and only then acknowledges the messages (a failed write leaves them to the next run:
 * nothing is lost; a rerun may count them again).
 *
 * Each run is a carrier, like one Lambda tumbling window on AWS: windows the watermark passes are
 * emitted as they close, and what is still open when the run ends is emitted too (as a partial
 * window with the same timestamp; Cloud Monitoring points of one series and time add up in the
 * dashboards' sum). docs/real-time.md states the limits of that boundary.
 */
import { accumulateWindow, DEFAULT_EVENT_TIME, DEFAULT_WINDOW_LIMITS, emptyWindowState, finalizeWindow, flushWindows, type ClosedWindow, type EventTimeSettings } from "../core/realtime-event-time";
import { REALTIME_METRICS, windowStartText, type ArrivalCount, type LateCount, type WindowMetrics } from "../core/realtime-metrics";

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
    valueType: "INT64" | "DOUBLE";
    points: Array<{ interval: { endTime: string }; value: { int64Value: string } | { doubleValue: number } }>;
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
    /** Window length, watermark and future tolerance. @default DEFAULT_EVENT_TIME (60 s, 5 s, 300 s) */
    timing?: EventTimeSettings;
}

/** Most series one timeSeries.create call takes. */
export const MAX_SERIES_PER_CALL = 200;

function series(prefix: string, projectId: string, endTime: string, name: string, value: number, labels: Record<string, string>, double = false): TimeSeries {
    return {
        metric: { type: `${prefix}/${name}`, labels },
        resource: { type: "global", labels: { project_id: projectId } },
        metricKind: "GAUGE",
        valueType: double ? "DOUBLE" : "INT64",
        points: [{ interval: { endTime }, value: double ? { doubleValue: value } : { int64Value: String(Math.round(value)) } }],
    };
}

/** A closed window's metrics as time series, stamped at the window start. */
export function toTimeSeries(metrics: WindowMetrics, projectId: string, prefix: string, endTime: string = metrics.windowStart): TimeSeries[] {
    const one = (name: string, value: number, labels: Record<string, string>, double = false) => series(prefix, projectId, endTime, name, value, labels, double);
    const m = REALTIME_METRICS;
    const out = [one(m.duplicateEvents, metrics.duplicateEvents, {}), one(m.dedupSaturated, metrics.dedupSaturated, {})];
    if (metrics.eventLagSeconds !== null) out.push(one(m.eventLagSeconds, metrics.eventLagSeconds, {}));
    for (const app of metrics.applications) {
        const application_id = app.applicationId;
        out.push(one(m.totalEvents, app.totalEvents, { application_id }), one(m.totalLogins, app.totalLogins, { application_id }),
            one(m.activePlayers, app.activePlayers, { application_id }));
        for (const s of app.knockoutsBySpell) out.push(one(m.knockoutsBySpell, s.count, { application_id, spell_id: s.value }));
        for (const p of app.purchases) out.push(one(m.purchases, p.count, { application_id, item_id: p.value }));
        for (const r of app.revenueByCurrency) out.push(one(m.revenue, r.count, { application_id, currency: r.value }, true));
        for (const s of app.matchStartsByMap) out.push(one(m.matchStarts, s.count, { application_id, map_id: s.value }));
    }
    return out;
}

/** Late events by the window they belong to, and malformed / future lines by arrival window. */
export function countSeries(late: readonly LateCount[], arrivals: readonly ArrivalCount[], projectId: string, prefix: string): TimeSeries[] {
    const m = REALTIME_METRICS;
    return [
        ...late.map((l) => series(prefix, projectId, windowStartText(l.windowStartMs), m.lateEvents, l.count, {})),
        ...arrivals.flatMap((a) => [
            ...(a.malformed > 0 ? [series(prefix, projectId, windowStartText(a.windowStartMs), m.malformedRecords, a.malformed, {})] : []),
            ...(a.future > 0 ? [series(prefix, projectId, windowStartText(a.windowStartMs), m.futureEvents, a.future, {})] : []),
        ]),
    ];
}

/** One run: pull, count by event time, write, acknowledge. Returns what was counted. */
export async function runRealtimeWindow(deps: RealtimeRunDeps): Promise<{ messages: number; series: number; windows: WindowMetrics[]; lateEvents: number }> {
    const timing = deps.timing ?? DEFAULT_EVENT_TIME;
    let state = emptyWindowState(new Date(deps.now()).toISOString());
    const closed: ClosedWindow[] = [];
    const late: LateCount[] = [];
    const arrivals: ArrivalCount[] = [];
    const ackIds: string[] = [];
    for (let i = 0; i < (deps.maxPulls ?? 10); i++) {
        const batch = await deps.pull(1000);
        if (batch.length === 0) break;
        const result = accumulateWindow(state, batch.map((msg) => ({
            sequenceNumber: msg.messageId,
            text: Buffer.from(msg.data, "base64").toString("utf8"),
            approximateArrivalTimestamp: Date.parse(msg.publishTime) / 1000,
        })), DEFAULT_WINDOW_LIMITS, timing);
        state = result.state;
        closed.push(...result.closed);
        late.push(...result.late);
        arrivals.push(...result.arrivals);
        ackIds.push(...batch.map((msg) => msg.ackId));
    }
    closed.push(...flushWindows(state));
    const windows = closed.map((c) => finalizeWindow(c, deps.topN));
    const all = [...windows.flatMap((w) => toTimeSeries(w, deps.projectId, deps.metricsPrefix)), ...countSeries(late, arrivals, deps.projectId, deps.metricsPrefix)];
    for (let i = 0; i < all.length; i += MAX_SERIES_PER_CALL) await deps.writeTimeSeries(all.slice(i, i + MAX_SERIES_PER_CALL));
    for (let i = 0; i < ackIds.length; i += 1000) await deps.acknowledge(ackIds.slice(i, i + 1000));
    return { messages: ackIds.length, series: all.length, windows, lateEvents: late.reduce((n, l) => n + l.count, 0) };
}
