/**
 * Reads real-time metrics back from their EMF documents (the lines of `realtime-YYYY-MM-DD.jsonl`)
 * and sums them per window and application the way CloudWatch's Sum statistic does: each shard
 * writes its own documents for a window, late events of a window are written after it, and they
 * add up. Used by the local mode's per-window console line and by `npm run metrics`.
 */
import {
    ApplicationMetrics,
    DimensionCount,
    OTHER_DIMENSION_VALUE,
    REALTIME_DIMENSIONS,
    REALTIME_METRICS,
} from "../functions/core/realtime-metrics";

/** One application's metrics in one window, summed over shards: the window core's fields (ApplicationMetrics), summed. */
export interface ApplicationWindowSummary extends ApplicationMetrics {
    /** Sum over shards of the distinct players of each shard (exact with one shard; see docs/real-time.md). */
    activePlayers: number;
    /** Largest first ("other" included where the window had one). */
    knockoutsBySpell: DimensionCount[];
}

/** One window, summed over shards. */
export interface WindowSummary {
    /** ISO time, as in the documents' `WindowStart` field. */
    windowStart: string;
    /** Sorted by application id. */
    applications: ApplicationWindowSummary[];
    /** False when only late, future or malformed counts were written for this window (so far). */
    emitted: boolean;
    malformedRecords: number;
    duplicateEvents: number;
    /** Events behind the watermark that belong to this window (not in its totals). */
    lateEvents: number;
    /** Events arrived in this window stamped beyond the future tolerance (excluded). */
    futureEvents: number;
    /** 1 when any shard's window saturated. */
    dedupSaturated: number;
    /** Largest lag over shards (the Maximum statistic); null without timestamped events. */
    eventLagSeconds: number | null;
}

interface WorkingApplication {
    totalEvents: number;
    totalLogins: number;
    activePlayers: number;
    knockouts: Map<string, number>;
    purchases: Map<string, number>;
    revenue: Map<string, number>;
    matchStarts: Map<string, number>;
}

type WorkingWindow = Omit<WindowSummary, "windowStart" | "applications"> & { applications: Map<string, WorkingApplication> };

/**
 * Sums EMF documents into windows, sorted by window start. Values that are not real-time metric
 * documents (no `WindowStart`, unexpected shapes) are skipped and counted in `skipped`.
 */
export function summarizeEmfDocuments(documents: Iterable<unknown>): { windows: WindowSummary[]; skipped: number } {
    const m = REALTIME_METRICS;
    const d = REALTIME_DIMENSIONS;
    const windows = new Map<string, WorkingWindow>();
    let skipped = 0;
    for (const doc of documents) {
        if (!isObject(doc) || typeof doc.WindowStart !== "string") {
            skipped++;
            continue;
        }
        let window = windows.get(doc.WindowStart);
        if (window === undefined) {
            window = { applications: new Map(), emitted: false, malformedRecords: 0, duplicateEvents: 0, lateEvents: 0, futureEvents: 0, dedupSaturated: 0, eventLagSeconds: null };
            windows.set(doc.WindowStart, window);
        }
        const applicationId = doc[d.application];
        if (typeof applicationId !== "string") {
            if (doc[m.duplicateEvents] !== undefined || doc[m.dedupSaturated] !== undefined) window.emitted = true;
            window.malformedRecords += numberOr0(doc[m.malformedRecords]);
            window.duplicateEvents += numberOr0(doc[m.duplicateEvents]);
            window.lateEvents += numberOr0(doc[m.lateEvents]);
            window.futureEvents += numberOr0(doc[m.futureEvents]);
            window.dedupSaturated = Math.max(window.dedupSaturated, numberOr0(doc[m.dedupSaturated]));
            const lag = doc[m.eventLagSeconds];
            if (typeof lag === "number" && (window.eventLagSeconds === null || lag > window.eventLagSeconds)) window.eventLagSeconds = lag;
            continue;
        }
        let app = window.applications.get(applicationId);
        if (app === undefined) {
            app = { totalEvents: 0, totalLogins: 0, activePlayers: 0, knockouts: new Map(), purchases: new Map(), revenue: new Map(), matchStarts: new Map() };
            window.applications.set(applicationId, app);
        }
        if (typeof doc[d.spell] === "string") add(app.knockouts, doc[d.spell] as string, numberOr0(doc[m.knockoutsBySpell]));
        else if (typeof doc[d.item] === "string") add(app.purchases, doc[d.item] as string, numberOr0(doc[m.purchases]));
        else if (typeof doc[d.currency] === "string") add(app.revenue, doc[d.currency] as string, numberOr0(doc[m.revenue]));
        else if (typeof doc[d.map] === "string") add(app.matchStarts, doc[d.map] as string, numberOr0(doc[m.matchStarts]));
        else {
            app.totalEvents += numberOr0(doc[m.totalEvents]);
            app.totalLogins += numberOr0(doc[m.totalLogins]);
            app.activePlayers += numberOr0(doc[m.activePlayers]);
        }
    }
    const summaries = [...windows].sort(([a], [b]) => compare(a, b)).map(([windowStart, w]): WindowSummary => ({
        windowStart,
        applications: [...w.applications].sort(([a], [b]) => compare(a, b)).map(([applicationId, app]) => ({
            applicationId,
            totalEvents: app.totalEvents,
            totalLogins: app.totalLogins,
            activePlayers: app.activePlayers,
            knockoutsBySpell: sortedCounts(app.knockouts),
            purchases: sortedCounts(app.purchases),
            revenueByCurrency: sortedCounts(new Map([...app.revenue].map(([k, v]) => [k, Math.round(v * 1e6) / 1e6]))),
            matchStartsByMap: sortedCounts(app.matchStarts),
        })),
        emitted: w.emitted || w.applications.size > 0,
        malformedRecords: w.malformedRecords,
        duplicateEvents: w.duplicateEvents,
        lateEvents: w.lateEvents,
        futureEvents: w.futureEvents,
        dedupSaturated: w.dedupSaturated,
        eventLagSeconds: w.eventLagSeconds,
    }));
    return { windows: summaries, skipped };
}

/** Sums dimension counts of several applications (or shards), largest first. */
export function mergeCounts(lists: readonly (readonly DimensionCount[])[]): DimensionCount[] {
    const counts = new Map<string, number>();
    for (const list of lists) for (const entry of list) add(counts, entry.value, entry.count);
    return sortedCounts(counts);
}

/** "fireball 3, frostbolt 1, +2 more" for the first `n` entries ("-" when empty); "other" is listed last. */
export function formatTopCounts(counts: readonly DimensionCount[], n: number): string {
    if (counts.length === 0) return "-";
    const named = counts.filter((c) => c.value !== OTHER_DIMENSION_VALUE);
    const other = counts.find((c) => c.value === OTHER_DIMENSION_VALUE);
    const shown = named.slice(0, n).map((c) => `${c.value} ${c.count}`);
    const hidden = named.length - Math.min(n, named.length) + (other ? 1 : 0);
    if (hidden > 0) shown.push(`+${hidden} more`);
    return shown.join(", ");
}

/**
 * One console line for a window: a closed window with its totals over applications, or, for
 * counts written after (or without) the window itself, the late, future and malformed counts.
 */
export function formatWindowLine(window: WindowSummary, windowSeconds?: number): string {
    const head = `real-time ${window.windowStart}${windowSeconds === undefined ? "" : ` (${windowSeconds} s)`}`;
    const apps = window.applications;
    const extra = [
        window.lateEvents > 0 ? `late ${window.lateEvents}` : "",
        window.futureEvents > 0 ? `future ${window.futureEvents}` : "",
        window.malformedRecords > 0 ? `malformed ${window.malformedRecords}` : "",
    ].filter((s) => s !== "");
    if (!window.emitted) return `${head}: ${extra.join(", ") || "nothing"} (counted after the window)`;
    const sum = (f: (a: ApplicationWindowSummary) => number) => apps.reduce((s, a) => s + f(a), 0);
    const list = (f: (a: ApplicationWindowSummary) => DimensionCount[]) => formatTopCounts(mergeCounts(apps.map(f)), 3);
    const lag = window.eventLagSeconds === null ? "-" : `${window.eventLagSeconds} s`;
    return `${head}: ${sum((a) => a.totalEvents)} events, ${sum((a) => a.totalLogins)} logins, ` +
        `${sum((a) => a.activePlayers)} players, ${apps.length} application${apps.length === 1 ? "" : "s"}; ` +
        `knockouts: ${list((a) => a.knockoutsBySpell)}; purchases: ${list((a) => a.purchases)}; revenue: ${list((a) => a.revenueByCurrency)}; ` +
        `match starts: ${list((a) => a.matchStartsByMap)}; duplicates ${window.duplicateEvents}, late ${window.lateEvents}, ` +
        `future ${window.futureEvents}, malformed ${window.malformedRecords}, max lag ${lag}` +
        (window.dedupSaturated > 0 ? "; de-duplication saturated" : "");
}

function add(counts: Map<string, number>, key: string, count: number): void {
    counts.set(key, (counts.get(key) ?? 0) + count);
}

function sortedCounts(counts: Map<string, number>): DimensionCount[] {
    return [...counts].map(([value, count]) => ({ value, count }))
        .sort((a, b) => (a.value === OTHER_DIMENSION_VALUE ? 1 : 0) - (b.value === OTHER_DIMENSION_VALUE ? 1 : 0) || b.count - a.count || compare(a.value, b.value));
}

function numberOr0(value: unknown): number {
    return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
