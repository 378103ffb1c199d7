/**
 * Real-time metrics over 1-minute tumbling windows of the Kinesis stream (REFERENCE section 5):
 * TotalEvents and TotalLogins per application, KnockoutsBySpell and Purchases per application and
 * spell/item, de-duplicated by event id within the window; plus MalformedRecords, DuplicateEvents,
 * DedupSaturated and EventLagSeconds to operate it.
 *
 * Lambda hands the window state from one invocation to the next as JSON and caps it at 1 MB per
 * shard, so the state stores event ids as 6-byte hashes (8 base64 characters each) concatenated in
 * one string, and stops storing new ones when the byte budget is reached (the rest of the window
 * is counted without de-duplication and the window reports DedupSaturated = 1).
 *
 * Windows follow arrival time in the stream (Lambda tumbling windows), not event time.
 * Pure logic: no I/O, no clock.
 */
import { createHash } from "node:crypto";

/** Names of the metrics this module computes. */
export const REALTIME_METRICS = {
    totalEvents: "TotalEvents",
    totalLogins: "TotalLogins",
    knockoutsBySpell: "KnockoutsBySpell",
    purchases: "Purchases",
    malformedRecords: "MalformedRecords",
    duplicateEvents: "DuplicateEvents",
    dedupSaturated: "DedupSaturated",
    eventLagSeconds: "EventLagSeconds",
} as const;

/** Dimension names of the metrics. */
export const REALTIME_DIMENSIONS = { application: "ApplicationId", spell: "SpellId", item: "ItemId" } as const;

/** Dimension value summing everything outside the top N of a window. */
export const OTHER_DIMENSION_VALUE = "other";
/** Dimension value of a knockout without spell_id or a purchase without item_id. */
export const UNKNOWN_DIMENSION_VALUE = "unknown";

/** event_type values the metrics look at. */
export const LOGIN_EVENT_TYPE = "login";
export const KNOCKOUT_EVENT_TYPE = "user_knockout";
export const PURCHASE_EVENT_TYPE = "iap_transaction";

/** Characters of one stored event-id hash (6 bytes in base64, no padding). */
export const ID_HASH_CHARS = 8;
const ID_HASH_BYTES = 6;
/** Longest dimension value kept (longer values are cut). */
export const MAX_DIMENSION_VALUE_CHARS = 128;
/** Bytes reserved in the state estimate for a new application's counters, beyond its id. */
const NEW_APPLICATION_BYTES = 96;
/** Bytes reserved in the state estimate for a new dimension value, beyond its JSON text. */
const NEW_KEY_BYTES = 12;
/** Bytes kept free for the state's own counters growing digits (malformed, duplicates, lag). */
const STATE_SLACK_BYTES = 1024;

/** Counters of one application within the window. */
export interface ApplicationCounters {
    events: number;
    logins: number;
    /** Knockouts by spell id. */
    knockouts: Record<string, number>;
    /** Purchases by item id. */
    purchases: Record<string, number>;
}

/** The state Lambda carries between the invocations of one window of one shard (plain JSON). */
export interface WindowState {
    /** Format version. */
    v: 1;
    /** Start of the window this state belongs to (Lambda's `window.start`). */
    window: string;
    /** Hashes of `application_id` + event id seen in the window, `ID_HASH_CHARS` characters each, concatenated. */
    ids: string;
    /** True once the id budget ran out: events after that point are counted without de-duplication. */
    saturated: boolean;
    /** Counters by application id. */
    apps: Record<string, ApplicationCounters>;
    /** Lines that were not a readable ingest record. */
    malformed: number;
    /** Events skipped because their id was already counted in the window. */
    duplicates: number;
    /** Largest arrival time minus event_timestamp, seconds; null before the first timestamped event. */
    maxLagSeconds: number | null;
}

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

/** Limits of the window state. */
export interface WindowLimits {
    /**
     * Largest state, in bytes of JSON, the window may grow to. Lambda's limit is 1 MB per shard;
     * the default leaves room for Lambda's own envelope.
     */
    stateBudgetBytes: number;
    /** Distinct spell ids (and item ids) kept per application; later new ones count under "other". */
    maxKeysPerDimension: number;
}

export const DEFAULT_WINDOW_LIMITS: WindowLimits = { stateBudgetBytes: 800_000, maxKeysPerDimension: 500 };

/** A fresh state for the window starting at `windowStart`. */
export function emptyWindowState(windowStart: string): WindowState {
    return { v: 1, window: windowStart, ids: "", saturated: false, apps: {}, malformed: 0, duplicates: 0, maxLagSeconds: null };
}

/**
 * The state Lambda passed in, when it is one of ours for this window; otherwise (first invocation
 * of a window: `{}`, or anything unexpected) a fresh state.
 */
export function restoreWindowState(raw: unknown, windowStart: string): WindowState {
    if (!isObject(raw) || raw.v !== 1 || raw.window !== windowStart) return emptyWindowState(windowStart);
    if (typeof raw.ids !== "string" || raw.ids.length % ID_HASH_CHARS !== 0 || typeof raw.saturated !== "boolean") return emptyWindowState(windowStart);
    if (!isObject(raw.apps) || typeof raw.malformed !== "number" || typeof raw.duplicates !== "number") return emptyWindowState(windowStart);
    if (raw.maxLagSeconds !== null && typeof raw.maxLagSeconds !== "number") return emptyWindowState(windowStart);
    return raw as unknown as WindowState;
}

/** Result of accumulating one batch. */
export interface AccumulateResult {
    state: WindowState;
    malformed: MalformedLine[];
}

/**
 * Adds one batch of records to the window. Never throws on bad data: unreadable lines are counted
 * (MalformedRecords) and returned for logging. The input state is not modified.
 */
export function accumulateWindow(state: WindowState, records: readonly StreamRecord[], limits: WindowLimits = DEFAULT_WINDOW_LIMITS): AccumulateResult {
    const next: WorkingState = { ...state, apps: toWorkingCounters(state.apps) };
    const seen = new Set<string>();
    for (let i = 0; i < next.ids.length; i += ID_HASH_CHARS) seen.add(next.ids.slice(i, i + ID_HASH_CHARS));
    const newIds: string[] = [];
    let idsBytes = next.ids.length;
    let otherBytes = Buffer.byteLength(JSON.stringify({ ...state, ids: "" }));
    const malformed: MalformedLine[] = [];

    for (const record of records) {
        const lines = record.text.split("\n");
        for (let lineNumber = 0; lineNumber < lines.length; lineNumber++) {
            const text = lines[lineNumber]!.trim();
            if (text === "") continue;
            const parsed = parseIngestLine(text);
            if (!parsed.ok) {
                next.malformed++;
                malformed.push({ sequenceNumber: record.sequenceNumber, line: lineNumber, reason: parsed.reason });
                continue;
            }
            const { applicationId, event } = parsed;
            const hash = idHash(applicationId, event.eventId);
            if (seen.has(hash)) {
                next.duplicates++;
                continue;
            }
            if (!next.saturated) {
                if (otherBytes + idsBytes + ID_HASH_CHARS + growthReserve(event, applicationId) + STATE_SLACK_BYTES <= limits.stateBudgetBytes) {
                    seen.add(hash);
                    newIds.push(hash);
                    idsBytes += ID_HASH_CHARS;
                } else {
                    next.saturated = true;
                }
            }
            otherBytes += countEvent(next, applicationId, event, limits);
            if (event.timestamp !== undefined) {
                const lag = roundMillis(record.approximateArrivalTimestamp - event.timestamp);
                if (next.maxLagSeconds === null || lag > next.maxLagSeconds) next.maxLagSeconds = lag;
            }
        }
    }
    next.ids += newIds.join("");
    if (otherBytes + next.ids.length > limits.stateBudgetBytes) {
        // Counters alone outgrew the budget (thousands of applications on one shard): give up the
        // stored ids so the state stays under Lambda's limit; the window is reported as saturated.
        next.ids = "";
        next.saturated = true;
    }
    return { state: { ...next, apps: fromWorkingCounters(next.apps) }, malformed };
}

/**
 * Counters while a batch is counted: Maps, so that ids such as "__proto__" or "constructor" are
 * keys like any other (never prototype properties); the state stores them as own JSON properties.
 */
interface WorkingCounters {
    events: number;
    logins: number;
    knockouts: Map<string, number>;
    purchases: Map<string, number>;
}

type WorkingState = Omit<WindowState, "apps"> & { apps: Map<string, WorkingCounters> };

function toWorkingCounters(apps: Record<string, ApplicationCounters>): Map<string, WorkingCounters> {
    return new Map(Object.entries(apps).map(([id, c]) => [id, {
        events: c.events,
        logins: c.logins,
        knockouts: new Map(Object.entries(c.knockouts)),
        purchases: new Map(Object.entries(c.purchases)),
    }]));
}

function fromWorkingCounters(apps: Map<string, WorkingCounters>): Record<string, ApplicationCounters> {
    return Object.fromEntries([...apps].map(([id, c]) => [id, {
        events: c.events,
        logins: c.logins,
        knockouts: Object.fromEntries(c.knockouts),
        purchases: Object.fromEntries(c.purchases),
    }]));
}

/** One dimension value and its count. */
export interface DimensionCount {
    value: string;
    count: number;
}

/** Metrics of one application for the window. */
export interface ApplicationMetrics {
    applicationId: string;
    totalEvents: number;
    totalLogins: number;
    /** At most topN + 1 entries (the last one "other"), largest first. */
    knockoutsBySpell: DimensionCount[];
    purchases: DimensionCount[];
}

/** Everything a finished window reports. */
export interface WindowMetrics {
    windowStart: string;
    /** Sorted by application id. */
    applications: ApplicationMetrics[];
    malformedRecords: number;
    duplicateEvents: number;
    /** 1 when de-duplication stopped for part of the window, else 0. */
    dedupSaturated: 0 | 1;
    /** Largest arrival minus event_timestamp in seconds (negative when clients' clocks run ahead); null without events. */
    eventLagSeconds: number | null;
}

/**
 * The metrics of a finished window. Spell and item dimensions keep the `topN` largest values
 * (ties by value name) and sum the rest under "other", so each window publishes at most
 * `2 + 2 * (topN + 1)` metrics per application.
 */
export function finalizeWindow(state: WindowState, topN = 20): WindowMetrics {
    if (!Number.isInteger(topN) || topN < 1) throw new RangeError(`topN must be a whole number of at least 1 (got ${topN})`);
    const byId = (a: [string, ApplicationCounters], b: [string, ApplicationCounters]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    const applications = Object.entries(state.apps).sort(byId).map(([applicationId, counters]): ApplicationMetrics => {
        return {
            applicationId,
            totalEvents: counters.events,
            totalLogins: counters.logins,
            knockoutsBySpell: topWithOther(counters.knockouts, topN),
            purchases: topWithOther(counters.purchases, topN),
        };
    });
    return {
        windowStart: state.window,
        applications,
        malformedRecords: state.malformed,
        duplicateEvents: state.duplicates,
        dedupSaturated: state.saturated ? 1 : 0,
        eventLagSeconds: state.maxLagSeconds,
    };
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
        CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: "Count" | "Seconds" }> }>;
    };
    [field: string]: unknown;
}

/**
 * The window's metrics as EMF documents, stamped with the window start so that CloudWatch files
 * them under the minute they measure: one document of operational metrics (no dimension), one per
 * application (TotalEvents, TotalLogins), one per application and spell, one per application and
 * item. Each carries `WindowStart` as a plain log field for CloudWatch Logs Insights.
 */
export function toEmfDocuments(metrics: WindowMetrics, namespace: string, timestampMs: number): EmfDocument[] {
    const doc = (dimensions: string[], values: Record<string, number>, fields: Record<string, string>, units: Record<string, "Count" | "Seconds"> = {}): EmfDocument => ({
        _aws: {
            Timestamp: timestampMs,
            CloudWatchMetrics: [{
                Namespace: namespace,
                Dimensions: [dimensions],
                Metrics: Object.keys(values).map((name) => ({ Name: name, Unit: units[name] ?? "Count" })),
            }],
        },
        ...fields,
        WindowStart: metrics.windowStart,
        ...values,
    });
    const m = REALTIME_METRICS;
    const d = REALTIME_DIMENSIONS;
    const operational: Record<string, number> = {
        [m.malformedRecords]: metrics.malformedRecords,
        [m.duplicateEvents]: metrics.duplicateEvents,
        [m.dedupSaturated]: metrics.dedupSaturated,
        ...(metrics.eventLagSeconds === null ? {} : { [m.eventLagSeconds]: metrics.eventLagSeconds }),
    };
    const documents = [doc([], operational, {}, { [m.eventLagSeconds]: "Seconds" })];
    for (const app of metrics.applications) {
        const application = { [d.application]: app.applicationId };
        documents.push(doc([d.application], { [m.totalEvents]: app.totalEvents, [m.totalLogins]: app.totalLogins }, application));
        for (const spell of app.knockoutsBySpell) {
            documents.push(doc([d.application, d.spell], { [m.knockoutsBySpell]: spell.count }, { ...application, [d.spell]: spell.value }));
        }
        for (const item of app.purchases) {
            documents.push(doc([d.application, d.item], { [m.purchases]: item.count }, { ...application, [d.item]: item.value }));
        }
    }
    return documents;
}

/** Serialized size of a state in bytes, as Lambda measures it (JSON). */
export function windowStateBytes(state: WindowState): number {
    return Buffer.byteLength(JSON.stringify(state));
}

interface CountedEvent {
    eventId: string;
    eventType: string;
    timestamp?: number;
    spellId?: unknown;
    itemId?: unknown;
}

type ParsedLine = { ok: true; applicationId: string; event: CountedEvent } | { ok: false; reason: string };

/** Reads the fields the metrics need from one IngestRecord line. */
function parseIngestLine(text: string): ParsedLine {
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
    return {
        ok: true,
        applicationId: value.application_id,
        event: {
            eventId: event.event_id,
            eventType: event.event_type,
            timestamp: typeof event.event_timestamp === "number" && Number.isFinite(event.event_timestamp) ? event.event_timestamp : undefined,
            spellId: data.spell_id,
            itemId: data.item_id,
        },
    };
}

/** Counts one new event; returns the bytes its new keys add to the state estimate. */
function countEvent(state: WorkingState, applicationId: string, event: CountedEvent, limits: WindowLimits): number {
    let added = 0;
    let counters = state.apps.get(applicationId);
    if (counters === undefined) {
        counters = { events: 0, logins: 0, knockouts: new Map(), purchases: new Map() };
        state.apps.set(applicationId, counters);
        added += Buffer.byteLength(JSON.stringify(applicationId)) + NEW_APPLICATION_BYTES;
    }
    counters.events++;
    if (event.eventType === LOGIN_EVENT_TYPE) counters.logins++;
    else if (event.eventType === KNOCKOUT_EVENT_TYPE) added += increment(counters.knockouts, dimensionValue(event.spellId), limits.maxKeysPerDimension);
    else if (event.eventType === PURCHASE_EVENT_TYPE) added += increment(counters.purchases, dimensionValue(event.itemId), limits.maxKeysPerDimension);
    return added;
}

/** Adds one to `key`, or to "other" when the map already holds `maxKeys` keys; returns added bytes. */
function increment(counts: Map<string, number>, key: string, maxKeys: number): number {
    const existing = counts.get(key);
    if (existing !== undefined) {
        counts.set(key, existing + 1);
        return 0;
    }
    const target = counts.size >= maxKeys ? OTHER_DIMENSION_VALUE : key;
    const current = counts.get(target);
    const isNew = current === undefined;
    counts.set(target, (current ?? 0) + 1);
    return isNew ? Buffer.byteLength(JSON.stringify(target)) + NEW_KEY_BYTES : 0;
}

/** Worst-case bytes counting this event may add (new application and new key), reserved before storing its id. */
function growthReserve(event: CountedEvent, applicationId: string): number {
    const key = event.eventType === KNOCKOUT_EVENT_TYPE ? event.spellId : event.eventType === PURCHASE_EVENT_TYPE ? event.itemId : undefined;
    // A dimension value is printable ASCII: its JSON text is at most twice its length plus quotes.
    return Buffer.byteLength(JSON.stringify(applicationId)) + NEW_APPLICATION_BYTES + (key === undefined ? 0 : MAX_DIMENSION_VALUE_CHARS * 2 + 2 + NEW_KEY_BYTES);
}

/**
 * A CloudWatch dimension value from a spell or item id: printable ASCII only (others become "_"),
 * at most 128 characters, "unknown" when absent or blank.
 */
export function dimensionValue(raw: unknown): string {
    if (typeof raw !== "string" && !(typeof raw === "number" && Number.isFinite(raw))) return UNKNOWN_DIMENSION_VALUE;
    const text = String(raw).trim().slice(0, MAX_DIMENSION_VALUE_CHARS).replace(/[^\x20-\x7e]/g, "_");
    return text === "" ? UNKNOWN_DIMENSION_VALUE : text;
}

/** 6-byte hash of application id and event id, base64 (8 characters). */
export function idHash(applicationId: string, eventId: string): string {
    return createHash("sha256").update(applicationId).update("\n").update(eventId).digest().subarray(0, ID_HASH_BYTES).toString("base64");
}

function roundMillis(seconds: number): number {
    return Math.round(seconds * 1000) / 1000;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
