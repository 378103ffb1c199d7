/**
 * Reads real-time metrics back from their EMF documents (the lines of `realtime-YYYY-MM-DD.jsonl`)
 * and sums them per window and application the way CloudWatch's Sum statistic does: each shard
 * writes its own documents for a window, and they add up. Used by the local mode's per-window
 * console line and by `npm run metrics`.
 */
import {
    DimensionCount,
    OTHER_DIMENSION_VALUE,
    REALTIME_DIMENSIONS,
    REALTIME_METRICS,
} from "../functions/core/realtime-metrics";

/** One application's metrics in one window, summed over shards. */
export interface ApplicationWindowSummary {
    applicationId: string;
    totalEvents: number;
    totalLogins: number;
    /** Largest first ("other" included where the window had one). */
    knockoutsBySpell: DimensionCount[];
    purchases: DimensionCount[];
}

/** One window, summed over shards. */
export interface WindowSummary {
    /** ISO time, as in the documents' `WindowStart` field. */
    windowStart: string;
    /** Sorted by application id. */
    applications: ApplicationWindowSummary[];
    malformedRecords: number;
    duplicateEvents: number;
    /** 1 when any shard's window saturated. */
    dedupSaturated: number;
    /** Largest lag over shards (the Maximum statistic); null without timestamped events. */
    eventLagSeconds: number | null;
}

interface WorkingApplication {
    totalEvents: number;
    totalLogins: number;
    knockouts: Map<string, number>;
    purchases: Map<string, number>;
}

interface WorkingWindow {
    applications: Map<string, WorkingApplication>;
    malformedRecords: number;
    duplicateEvents: number;
    dedupSaturated: number;
    eventLagSeconds: number | null;
}

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
            window = { applications: new Map(), malformedRecords: 0, duplicateEvents: 0, dedupSaturated: 0, eventLagSeconds: null };
            windows.set(doc.WindowStart, window);
        }
        const applicationId = doc[d.application];
        if (typeof applicationId !== "string") {
            window.malformedRecords += numberOr0(doc[m.malformedRecords]);
            window.duplicateEvents += numberOr0(doc[m.duplicateEvents]);
            window.dedupSaturated = Math.max(window.dedupSaturated, numberOr0(doc[m.dedupSaturated]));
            const lag = doc[m.eventLagSeconds];
            if (typeof lag === "number" && (window.eventLagSeconds === null || lag > window.eventLagSeconds)) window.eventLagSeconds = lag;
            continue;
        }
        let app = window.applications.get(applicationId);
        if (app === undefined) {
            app = { totalEvents: 0, totalLogins: 0, knockouts: new Map(), purchases: new Map() };
            window.applications.set(applicationId, app);
        }
        if (typeof doc[d.spell] === "string") add(app.knockouts, doc[d.spell] as string, numberOr0(doc[m.knockoutsBySpell]));
        else if (typeof doc[d.item] === "string") add(app.purchases, doc[d.item] as string, numberOr0(doc[m.purchases]));
        else {
            app.totalEvents += numberOr0(doc[m.totalEvents]);
            app.totalLogins += numberOr0(doc[m.totalLogins]);
        }
    }
    const summaries = [...windows].sort(([a], [b]) => compare(a, b)).map(([windowStart, w]): WindowSummary => ({
        windowStart,
        applications: [...w.applications].sort(([a], [b]) => compare(a, b)).map(([applicationId, app]) => ({
            applicationId,
            totalEvents: app.totalEvents,
            totalLogins: app.totalLogins,
            knockoutsBySpell: sortedCounts(app.knockouts),
            purchases: sortedCounts(app.purchases),
        })),
        malformedRecords: w.malformedRecords,
        duplicateEvents: w.duplicateEvents,
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

/** One console line for a closed window (totals over applications). */
export function formatWindowLine(window: WindowSummary, windowSeconds: number): string {
    const apps = window.applications;
    const events = apps.reduce((sum, a) => sum + a.totalEvents, 0);
    const logins = apps.reduce((sum, a) => sum + a.totalLogins, 0);
    const spells = formatTopCounts(mergeCounts(apps.map((a) => a.knockoutsBySpell)), 3);
    const items = formatTopCounts(mergeCounts(apps.map((a) => a.purchases)), 3);
    const lag = window.eventLagSeconds === null ? "-" : `${window.eventLagSeconds} s`;
    return `real-time ${window.windowStart} (${windowSeconds} s): ${events} events, ${logins} logins, ` +
        `${apps.length} application${apps.length === 1 ? "" : "s"}; knockouts: ${spells}; purchases: ${items}; ` +
        `duplicates ${window.duplicateEvents}, malformed ${window.malformedRecords}, max lag ${lag}` +
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
