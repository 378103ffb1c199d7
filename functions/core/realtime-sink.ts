/**
 * The metric sink port: where the real-time function sends the metrics of the windows it closed
 * when they do not go to CloudWatch (EMF on stdout needs no port). One adapter today:
 * functions/aws/adapters/opensearch-sink.ts (signed `_bulk` writes to OpenSearch Serverless).
 *
 * Documents carry deterministic ids: the same metric of the same window, counted by the same shard
 * in the same carrier, always gets the same id, so a retried write (a bulk item retried, or the
 * whole batch retried by the event source mapping) overwrites the document instead of adding a
 * second one. Late events, malformed lines and future events are counted per batch: their ids also
 * name the batch (its first sequence number), so two batches never overwrite each other's counts.
 *
 * Pure logic: no I/O, no clock.
 */
import { createHash } from "node:crypto";
import {
    type ArrivalCount,
    type DimensionCount,
    type LateCount,
    REALTIME_DIMENSIONS,
    REALTIME_METRICS,
    type WindowMetrics,
    windowStartText,
} from "./realtime-metrics";

/** One metric value of one window, ready for an index. */
export interface MetricDocument {
    /** Deterministic id (URL-safe base64 of a SHA-256, 22 characters). */
    id: string;
    /** The event-time (or arrival-time) window the value belongs to, epoch ms: what is reported when it fails. */
    windowStartMs: number;
    source: MetricDocumentSource;
}

/** The indexed fields (docs/real-time.md lists them; the dashboard's saved objects read them). */
export interface MetricDocumentSource {
    /** Window start, ISO 8601 (the index's time field). */
    "@timestamp": string;
    window_end: string;
    window_seconds: number;
    /** One of REALTIME_METRICS' values. */
    metric: string;
    value: number;
    /** Absent on window-health, late, malformed and future documents. */
    application_id?: string;
    /** SpellId, ItemId, Currency or MapId; absent when the metric has no dimension. */
    dimension?: string;
    dimension_value?: string;
    /** "event" (windows by event_timestamp) or "arrival" (malformed and future lines, by arrival). */
    time_basis: "event" | "arrival";
    shard_id: string;
}

/** Mappings of the metrics index (created by the sink at its first write): exact-match keywords, one date field. */
export const METRIC_INDEX_MAPPINGS = {
    dynamic: "strict",
    properties: {
        "@timestamp": { type: "date" },
        window_end: { type: "date" },
        window_seconds: { type: "integer" },
        metric: { type: "keyword" },
        value: { type: "double" },
        application_id: { type: "keyword" },
        dimension: { type: "keyword" },
        dimension_value: { type: "keyword" },
        time_basis: { type: "keyword" },
        shard_id: { type: "keyword" },
    },
} as const;

/** Where a set of documents was computed: ids depend on it. */
export interface DocumentOrigin {
    shardId: string;
    /** The carrier of the state (Lambda's tumbling `window.start`). */
    carrier: string;
    /** First sequence number of the batch (ids of per-batch counts). */
    batchKey: string;
    windowSeconds: number;
}

/** What a write did. `failed` lists what is still not written after the sink's own retries. */
export interface SinkWriteResult {
    written: number;
    failed: readonly FailedDocument[];
    /** Bulk requests sent, retries included. */
    requests: number;
}

export interface FailedDocument {
    document: MetricDocument;
    /** HTTP status of the last attempt (0 when the request itself failed). */
    status: number;
    reason: string;
}

/** The port. An adapter retries what is worth retrying and reports the rest; it never throws for a refused document. */
export interface MetricSink {
    write(documents: readonly MetricDocument[]): Promise<SinkWriteResult>;
}

/** Distinct window starts of failed documents, oldest first (what the handler reports back). */
export function failedWindowStarts(failed: readonly FailedDocument[]): number[] {
    return [...new Set(failed.map((f) => f.document.windowStartMs))].sort((a, b) => a - b);
}

/**
 * The documents of the windows closed by one invocation, and of its late and arrival counts.
 * @example metricDocuments([finalizeWindow(closed)], [], [], { shardId: "shardId-000", carrier: "2026-01-01T00:00:00Z", batchKey: "49", windowSeconds: 60 })
 */
export function metricDocuments(windows: readonly WindowMetrics[], late: readonly LateCount[], arrivals: readonly ArrivalCount[], origin: DocumentOrigin): MetricDocument[] {
    const m = REALTIME_METRICS;
    const d = REALTIME_DIMENSIONS;
    const out: MetricDocument[] = [];
    const windowMs = origin.windowSeconds * 1000;
    const add = (startMs: number, basis: "event" | "arrival", metric: string, value: number, scope: { app?: string; dimension?: string; dimensionValue?: string; batch?: string }) => {
        const key = [origin.shardId, origin.carrier, basis, startMs, metric, scope.app ?? "", scope.dimension ?? "", scope.dimensionValue ?? "", scope.batch ?? ""];
        out.push({
            id: documentId(key),
            windowStartMs: startMs,
            source: {
                "@timestamp": windowStartText(startMs),
                window_end: windowStartText(startMs + windowMs),
                window_seconds: origin.windowSeconds,
                metric,
                value,
                ...(scope.app === undefined ? {} : { application_id: scope.app }),
                ...(scope.dimension === undefined ? {} : { dimension: scope.dimension, dimension_value: scope.dimensionValue }),
                time_basis: basis,
                shard_id: origin.shardId,
            },
        });
    };
    for (const w of windows) {
        const at = w.windowStartMs;
        add(at, "event", m.duplicateEvents, w.duplicateEvents, {});
        add(at, "event", m.dedupSaturated, w.dedupSaturated, {});
        if (w.eventLagSeconds !== null) add(at, "event", m.eventLagSeconds, w.eventLagSeconds, {});
        for (const a of w.applications) {
            const app = a.applicationId;
            add(at, "event", m.totalEvents, a.totalEvents, { app });
            add(at, "event", m.totalLogins, a.totalLogins, { app });
            add(at, "event", m.activePlayers, a.activePlayers, { app });
            const each = (entries: readonly DimensionCount[], dimension: string, metric: string) => {
                for (const e of entries) add(at, "event", metric, e.count, { app, dimension, dimensionValue: e.value });
            };
            each(a.knockoutsBySpell, d.spell, m.knockoutsBySpell);
            each(a.purchases, d.item, m.purchases);
            each(a.revenueByCurrency, d.currency, m.revenue);
            each(a.matchStartsByMap, d.map, m.matchStarts);
        }
    }
    for (const l of late) if (l.count > 0) add(l.windowStartMs, "event", m.lateEvents, l.count, { batch: origin.batchKey });
    for (const a of arrivals) {
        if (a.malformed > 0) add(a.windowStartMs, "arrival", m.malformedRecords, a.malformed, { batch: origin.batchKey });
        if (a.future > 0) add(a.windowStartMs, "arrival", m.futureEvents, a.future, { batch: origin.batchKey });
    }
    return out;
}

function documentId(parts: readonly (string | number)[]): string {
    return createHash("sha256").update(parts.map(String).join("\u0000")).digest().subarray(0, 16).toString("base64url");
}
