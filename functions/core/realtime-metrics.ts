/**
 * Real-time metrics of the game events (REFERENCE section 5): their names and dimensions, how one
 * stream line is read, how dimension values are cleaned and capped, and how a closed event-time
 * window becomes CloudWatch Embedded Metric Format documents.
 *
 * The windowing itself (event time, watermark, late and future events, the state Lambda carries)
 * is in `realtime-event-time.ts`. Pure logic: no I/O, no clock.
 */
import { createHash } from "node:crypto";

/** Names of the metrics (the operations tier's alarms and dashboards use them: do not rename). */
export const REALTIME_METRICS = {
    totalEvents: "TotalEvents",
    totalLogins: "TotalLogins",
    knockoutsBySpell: "KnockoutsBySpell",
    purchases: "Purchases",
    activePlayers: "ActivePlayers",
    revenue: "Revenue",
    matchStarts: "MatchStarts",
    malformedRecords: "MalformedRecords",
    duplicateEvents: "DuplicateEvents",
    dedupSaturated: "DedupSaturated",
    eventLagSeconds: "EventLagSeconds",
    lateEvents: "LateEvents",
    futureEvents: "FutureEvents",
    /** OPENSEARCH destination: documents the sink could not write after its retries (the batch is then retried). */
    openSearchWriteErrors: "OpenSearchWriteErrors",
    /** OPENSEARCH destination: documents written. */
    openSearchDocumentsWritten: "OpenSearchDocumentsWritten",
} as const;

/** Dimension names of the metrics. */
export const REALTIME_DIMENSIONS = { application: "ApplicationId", spell: "SpellId", item: "ItemId", currency: "Currency", map: "MapId" } as const;

/** Dimension value summing everything outside the top N of a window. */
export const OTHER_DIMENSION_VALUE = "other";
/** Dimension value of a knockout without spell_id, a purchase without item_id, and so on. */
export const UNKNOWN_DIMENSION_VALUE = "unknown";

/** event_type values the metrics look at. */
export const LOGIN_EVENT_TYPE = "login";
export const KNOCKOUT_EVENT_TYPE = "user_knockout";
export const PURCHASE_EVENT_TYPE = "iap_transaction";
export const MATCH_START_EVENT_TYPE = "match_start";

/** Characters of one stored id hash (6 bytes in base64, no padding). */
export const ID_HASH_CHARS = 8;
const ID_HASH_BYTES = 6;
/** Longest dimension value kept (longer values are cut). */
export const MAX_DIMENSION_VALUE_CHARS = 128;
/** Revenue is summed in millionths of the currency unit, as whole numbers (exact sums, bounded JSON). */
export const REVENUE_MICROS = 1_000_000;

/** One Kinesis record, decoded: UTF-8 text of one or more newline-delimited IngestRecord lines. */
export interface StreamRecord {
    sequenceNumber: string;
    text: string;
    /** When Kinesis received the record, epoch seconds (Lambda's `approximateArrivalTimestamp`). */
    approximateArrivalTimestamp: number;
}

/** A line that could not be counted, for the log (never its content). */
export interface MalformedLine {
    sequenceNumber: string;
    /** 0-based line number inside the record. */
    line: number;
    reason: string;
}

/** The fields of one ingest line the metrics use. */
export interface CountedEvent {
    applicationId: string;
    eventId: string;
    eventType: string;
    /** `event_timestamp`, epoch seconds; undefined when absent or not a finite number. */
    timestamp?: number;
    /** Player id: the record's `player_id`, else `event_data.player_id`, else `event_data.user_id`. */
    playerId?: string;
    spellId?: unknown;
    itemId?: unknown;
    mapId?: unknown;
    currency?: unknown;
    /** `event_data.currency_amount` when a finite number of at least 0. */
    amount?: number;
}

export type ParsedLine = { ok: true; event: CountedEvent } | { ok: false; reason: string };

/** Reads the fields the metrics need from one IngestRecord line. */
export function parseIngestLine(text: string): ParsedLine {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return { ok: false, reason: "not a JSON document" };
    }
    if (!isObject(value)) return { ok: false, reason: "not a JSON object" };
    if (typeof value.application_id !== "string" || value.application_id === "") {
        return { ok: false, reason: "application_id: required, must be a non-empty string" };
    }
    const event = value.event;
    if (!isObject(event)) return { ok: false, reason: "event: required, must be an object" };
    if (typeof event.event_id !== "string" || event.event_id === "") return { ok: false, reason: "event.event_id: required, must be a non-empty string" };
    if (typeof event.event_type !== "string") return { ok: false, reason: "event.event_type: required, must be a string" };
    const data = isObject(event.event_data) ? event.event_data : {};
    const player = [value.player_id, data.player_id, data.user_id].find((id) => typeof id === "string" && id !== "") as string | undefined;
    const amount = data.currency_amount;
    return {
        ok: true,
        event: {
            applicationId: value.application_id,
            eventId: event.event_id,
            eventType: event.event_type,
            timestamp: typeof event.event_timestamp === "number" && Number.isFinite(event.event_timestamp) ? event.event_timestamp : undefined,
            playerId: player,
            spellId: data.spell_id,
            itemId: data.item_id,
            mapId: data.map_id,
            currency: data.currency_type,
            amount: typeof amount === "number" && Number.isFinite(amount) && amount >= 0 ? amount : undefined,
        },
    };
}

/** One dimension value and its count (or sum). */
export interface DimensionCount {
    value: string;
    count: number;
}

/** Metrics of one application for one event-time window. */
export interface ApplicationMetrics {
    applicationId: string;
    totalEvents: number;
    totalLogins: number;
    /** Distinct player ids among the window's events that carry one. */
    activePlayers: number;
    /** At most topN + 1 entries (the last one "other"), largest first. */
    knockoutsBySpell: DimensionCount[];
    purchases: DimensionCount[];
    /** Sum of `currency_amount` of `iap_transaction` events by `currency_type` (units, not micros). */
    revenueByCurrency: DimensionCount[];
    matchStartsByMap: DimensionCount[];
}

/** Everything a closed event-time window reports. */
export interface WindowMetrics {
    /** Start of the event-time window, ISO 8601 UTC without milliseconds when they are 0. */
    windowStart: string;
    windowStartMs: number;
    /** Sorted by application id. */
    applications: ApplicationMetrics[];
    duplicateEvents: number;
    /** 1 when de-duplication (or the active-player set) stopped for part of the window, else 0. */
    dedupSaturated: 0 | 1;
    /** Largest arrival minus event_timestamp in seconds among the window's events; null without any. */
    eventLagSeconds: number | null;
}

/** Late events (behind the watermark) of one event-time window, counted by one invocation. */
export interface LateCount {
    windowStartMs: number;
    count: number;
}

/** Counters kept by arrival-time window: lines without a usable event time. */
export interface ArrivalCount {
    /** Start of the arrival-time window (the record's arrival in the stream). */
    windowStartMs: number;
    malformed: number;
    /** Events stamped further in the future than the allowed clock skew (excluded). */
    future: number;
}

/** Window start as Lambda and the documents give it: ISO 8601, UTC, without milliseconds when they are 0. */
export function windowStartText(startMs: number): string {
    return new Date(startMs).toISOString().replace(/\.000Z$/, "Z");
}

/** Keeps the `topN` largest counts and sums the others under "other". */
export function topWithOther(counts: Record<string, number>, topN: number): DimensionCount[] {
    const sorted = Object.entries(counts)
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    const kept = sorted.filter((entry) => entry.value !== OTHER_DIMENSION_VALUE).slice(0, topN);
    const keptValues = new Set(kept.map((entry) => entry.value));
    const rest = sorted.filter((entry) => !keptValues.has(entry.value)).reduce((sum, entry) => sum + entry.count, 0);
    return rest > 0 ? [...kept, { value: OTHER_DIMENSION_VALUE, count: rest }] : kept;
}

/** One CloudWatch Embedded Metric Format document (a JSON log line CloudWatch turns into metrics). */
export interface EmfDocument {
    _aws: {
        Timestamp: number;
        CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: EmfUnit }> }>;
    };
    [field: string]: unknown;
}

type EmfUnit = "Count" | "Seconds" | "None";

function emfDocument(namespace: string, timestampMs: number, dimensions: string[], values: Record<string, number>, fields: Record<string, string>, units: Record<string, EmfUnit> = {}): EmfDocument {
    return {
        _aws: {
            Timestamp: timestampMs,
            CloudWatchMetrics: [{
                Namespace: namespace,
                Dimensions: [dimensions],
                Metrics: Object.keys(values).map((name) => ({ Name: name, Unit: units[name] ?? "Count" })),
            }],
        },
        ...fields,
        WindowStart: windowStartText(timestampMs),
        ...values,
    };
}

/**
 * A closed window's metrics as EMF documents, stamped with the window start so that CloudWatch
 * files them under the minute they measure: one document of window health (no dimension), one per
 * application (TotalEvents, TotalLogins, ActivePlayers), one per application and spell, item,
 * currency and map. Each carries `WindowStart` as a plain log field for CloudWatch Logs Insights.
 */
export function toEmfDocuments(metrics: WindowMetrics, namespace: string): EmfDocument[] {
    const m = REALTIME_METRICS;
    const d = REALTIME_DIMENSIONS;
    const doc = (dimensions: string[], values: Record<string, number>, fields: Record<string, string>, units?: Record<string, EmfUnit>) =>
        emfDocument(namespace, metrics.windowStartMs, dimensions, values, fields, units);
    const health: Record<string, number> = {
        [m.duplicateEvents]: metrics.duplicateEvents,
        [m.dedupSaturated]: metrics.dedupSaturated,
        ...(metrics.eventLagSeconds === null ? {} : { [m.eventLagSeconds]: metrics.eventLagSeconds }),
    };
    const documents = [doc([], health, {}, { [m.eventLagSeconds]: "Seconds" })];
    for (const app of metrics.applications) {
        const application = { [d.application]: app.applicationId };
        documents.push(doc([d.application], { [m.totalEvents]: app.totalEvents, [m.totalLogins]: app.totalLogins, [m.activePlayers]: app.activePlayers }, application));
        const each = (entries: DimensionCount[], dimension: string, metric: string, unit?: EmfUnit) => {
            for (const entry of entries) documents.push(doc([d.application, dimension], { [metric]: entry.count }, { ...application, [dimension]: entry.value }, unit ? { [metric]: unit } : undefined));
        };
        each(app.knockoutsBySpell, d.spell, m.knockoutsBySpell);
        each(app.purchases, d.item, m.purchases);
        each(app.revenueByCurrency, d.currency, m.revenue, "None");
        each(app.matchStartsByMap, d.map, m.matchStarts);
    }
    return documents;
}

/** The window-health document of a closed window alone (no dimension): what CloudWatch keeps when the metrics go to OpenSearch. */
export function healthEmfDocument(metrics: WindowMetrics, namespace: string): EmfDocument {
    return toEmfDocuments({ ...metrics, applications: [] }, namespace)[0]!;
}

/** OpenSearchDocumentsWritten and OpenSearchWriteErrors of one invocation, stamped `timestampMs` (the invocation's clock). */
export function sinkEmfDocument(written: number, failed: number, timestampMs: number, namespace: string): EmfDocument {
    return emfDocument(namespace, timestampMs, [], { [REALTIME_METRICS.openSearchDocumentsWritten]: written, [REALTIME_METRICS.openSearchWriteErrors]: failed }, {});
}

/** LateEvents documents, each stamped with the event-time window the late events belong to. */
export function lateEmfDocuments(late: readonly LateCount[], namespace: string): EmfDocument[] {
    return late.filter((l) => l.count > 0).map((l) => emfDocument(namespace, l.windowStartMs, [], { [REALTIME_METRICS.lateEvents]: l.count }, {}));
}

/** MalformedRecords and FutureEvents documents, stamped with the arrival-time window of the lines. */
export function arrivalEmfDocuments(arrivals: readonly ArrivalCount[], namespace: string): EmfDocument[] {
    return arrivals.filter((a) => a.malformed > 0 || a.future > 0).map((a) => emfDocument(namespace, a.windowStartMs, [], {
        [REALTIME_METRICS.malformedRecords]: a.malformed,
        [REALTIME_METRICS.futureEvents]: a.future,
    }, {}));
}

/**
 * A CloudWatch dimension value from an id: printable ASCII only (others become "_"), at most 128
 * characters, "unknown" when absent or blank.
 */
export function dimensionValue(raw: unknown): string {
    if (typeof raw !== "string" && !(typeof raw === "number" && Number.isFinite(raw))) return UNKNOWN_DIMENSION_VALUE;
    const text = String(raw).trim().slice(0, MAX_DIMENSION_VALUE_CHARS).replace(/[^\x20-\x7e]/g, "_");
    return text === "" ? UNKNOWN_DIMENSION_VALUE : text;
}

/** 6-byte hash of application id and another id (event or player), base64 (8 characters). */
export function idHash(applicationId: string, id: string): string {
    return createHash("sha256").update(applicationId).update("\n").update(id).digest().subarray(0, ID_HASH_BYTES).toString("base64");
}

export function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
