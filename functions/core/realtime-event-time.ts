/**
 * Event-time tumbling windows with a watermark, in a state small enough for Lambda to carry
 * between the invocations of one shard (JSON, at most 1 MB per shard).
 *
 * Semantics (docs/real-time.md states them in full), per shard and per carrier (the span the
 * state lives: one Lambda tumbling window, or the local stage's whole run):
 * - An event belongs to the window `[floor(t / size) * size, + size)` of its `event_timestamp` t
 *   (the record's arrival time when the event has none).
 * - The watermark is the largest `min(event time, arrival time)` seen so far minus the allowed
 *   out-of-orderness (default 5 s). It only moves forward. An event stamped more than
 *   `maxFutureMs` after its own arrival is counted in FutureEvents and excluded (it moves nothing).
 * - A window is emitted once, when the watermark reaches its end (`end <= watermark`).
 * - An event whose window has already been emitted (`end <= watermark` when it is read) is late:
 *   counted in LateEvents of its window, not added to it.
 * - Within a window an event id (per application) counts once; a repeat is a DuplicateEvent.
 * - At the end of the carrier (`flushWindows`) every open window is emitted as it stands.
 *
 * Ids (event ids, player ids) are stored as 6-byte hashes; past the byte budget the window stops
 * storing them (DedupSaturated = 1) and keeps counting. Pure logic: no I/O, no clock.
 */
import {
    ApplicationMetrics,
    ArrivalCount,
    CountedEvent,
    dimensionValue,
    ID_HASH_CHARS,
    idHash,
    isObject,
    KNOCKOUT_EVENT_TYPE,
    LateCount,
    LOGIN_EVENT_TYPE,
    MalformedLine,
    MATCH_START_EVENT_TYPE,
    MAX_DIMENSION_VALUE_CHARS,
    OTHER_DIMENSION_VALUE,
    parseIngestLine,
    PURCHASE_EVENT_TYPE,
    REVENUE_MICROS,
    StreamRecord,
    topWithOther,
    WindowMetrics,
    windowStartText,
} from "./realtime-metrics";

/** Window length, watermark and clock-skew tolerance. */
export interface EventTimeSettings {
    /** Length of the event-time tumbling windows, ms. @default 60000 */
    windowMs: number;
    /** Allowed out-of-orderness: the watermark trails the largest event time by this much, ms. @default 5000 */
    watermarkMs: number;
    /** Events stamped more than this after their arrival are FutureEvents, excluded, ms. @default 300000 */
    maxFutureMs: number;
}

export const DEFAULT_EVENT_TIME: EventTimeSettings = { windowMs: 60_000, watermarkMs: 5_000, maxFutureMs: 300_000 };

/** Limits of the state. */
export interface WindowLimits {
    /** Largest state, in bytes of JSON. Lambda's limit is 1 MB per shard; the default leaves room for its envelope. */
    stateBudgetBytes: number;
    /** Distinct spell, item, currency and map values kept per application and window; later new ones count under "other". */
    maxKeysPerDimension: number;
}

export const DEFAULT_WINDOW_LIMITS: WindowLimits = { stateBudgetBytes: 800_000, maxKeysPerDimension: 500 };

/** Counters of one application within one event-time window. */
export interface ApplicationCounters {
    events: number;
    logins: number;
    /** Distinct players stored in the window's player hashes. */
    players: number;
    knockouts: Record<string, number>;
    purchases: Record<string, number>;
    /** Revenue in millionths by currency (whole numbers). */
    revenue: Record<string, number>;
    matchStarts: Record<string, number>;
}

/** One open event-time window. */
export interface OpenWindow {
    /** Hashes of application id + event id counted in the window, concatenated. */
    ids: string;
    /** Hashes of application id + player id seen in the window, concatenated. */
    players: string;
    /** True once the budget ran out: later ids and players of the window are not stored. */
    saturated: boolean;
    apps: Record<string, ApplicationCounters>;
    duplicates: number;
    maxLagSeconds: number | null;
}

/** The state carried between invocations (plain JSON). */
export interface WindowState {
    /** Format version. */
    v: 2;
    /** The carrier: Lambda's `window.start` (or "local"); a state of another carrier is not used. */
    window: string;
    /** Current watermark, epoch ms; null before the first event. */
    watermarkMs: number | null;
    /** Open event-time windows by start (epoch ms, as a decimal string). */
    open: Record<string, OpenWindow>;
}

/** A window taken out of the state: emitted by the watermark or by a flush. */
export interface ClosedWindow {
    startMs: number;
    window: OpenWindow;
}

/** What one batch produced. */
export interface AccumulateResult {
    state: WindowState;
    /** Windows the watermark passed in this batch, oldest first. */
    closed: ClosedWindow[];
    /** Late events of this batch by the window they belong to, oldest first. */
    late: LateCount[];
    /** Malformed lines and future events of this batch by arrival window, oldest first. */
    arrivals: ArrivalCount[];
    malformed: MalformedLine[];
}

/** Bytes reserved in the state estimate for a new application's counters, beyond its id. */
const NEW_APPLICATION_BYTES = 140;
/** Bytes reserved for a new dimension value, beyond its JSON text (key, colon, count digits). */
const NEW_KEY_BYTES = 20;
/** Bytes of a new open window without ids or counters. */
const NEW_WINDOW_BYTES = 120;
/** Bytes kept free for counters growing digits. */
const STATE_SLACK_BYTES = 2048;

export function emptyWindowState(carrier: string): WindowState {
    return { v: 2, window: carrier, watermarkMs: null, open: {} };
}

/** The state Lambda passed in when it is one of ours for this carrier; otherwise (`{}` at a carrier's first invocation, anything unexpected) a fresh one. */
export function restoreWindowState(raw: unknown, carrier: string): WindowState {
    if (!isObject(raw) || raw.v !== 2 || raw.window !== carrier || !isObject(raw.open)) return emptyWindowState(carrier);
    if (raw.watermarkMs !== null && typeof raw.watermarkMs !== "number") return emptyWindowState(carrier);
    for (const [start, w] of Object.entries(raw.open)) {
        if (!/^-?\d+$/.test(start) || !isObject(w) || typeof w.ids !== "string" || w.ids.length % ID_HASH_CHARS !== 0) return emptyWindowState(carrier);
        if (typeof w.players !== "string" || w.players.length % ID_HASH_CHARS !== 0 || typeof w.saturated !== "boolean" || !isObject(w.apps)) return emptyWindowState(carrier);
    }
    return raw as unknown as WindowState;
}

/** Serialized size of a state in bytes, as Lambda measures it (JSON). */
export function windowStateBytes(state: WindowState): number {
    return Buffer.byteLength(JSON.stringify(state));
}

interface WorkingWindow {
    base: OpenWindow;
    apps: Map<string, WorkingCounters>;
    seenIds: Set<string>;
    newIds: string[];
    seenPlayers: Set<string>;
    newPlayers: string[];
}

interface WorkingCounters {
    events: number;
    logins: number;
    players: number;
    knockouts: Map<string, number>;
    purchases: Map<string, number>;
    revenue: Map<string, number>;
    matchStarts: Map<string, number>;
}

/**
 * Adds one batch (records in stream order) to the state and takes out the windows the watermark
 * passed. Never throws on bad data: unreadable lines are counted and returned for logging. The
 * input state is not modified.
 */
export function accumulateWindow(
    state: WindowState,
    records: readonly StreamRecord[],
    limits: WindowLimits = DEFAULT_WINDOW_LIMITS,
    timing: EventTimeSettings = DEFAULT_EVENT_TIME,
): AccumulateResult {
    const windows = new Map<number, WorkingWindow>();
    for (const [start, w] of Object.entries(state.open)) windows.set(Number(start), toWorking(w));
    let watermark = state.watermarkMs;
    let bytes = windowStateBytes(state);
    const late = new Map<number, number>();
    const arrivals = new Map<number, ArrivalCount>();
    const malformed: MalformedLine[] = [];
    const arrivalWindow = (arrivalMs: number) => {
        const start = floorTo(arrivalMs, timing.windowMs);
        let a = arrivals.get(start);
        if (a === undefined) arrivals.set(start, (a = { windowStartMs: start, malformed: 0, future: 0 }));
        return a;
    };

    for (const record of records) {
        const arrivalMs = Math.round(record.approximateArrivalTimestamp * 1000);
        const lines = record.text.split("\n");
        for (let lineNumber = 0; lineNumber < lines.length; lineNumber++) {
            const text = lines[lineNumber]!.trim();
            if (text === "") continue;
            const parsed = parseIngestLine(text);
            if (!parsed.ok) {
                arrivalWindow(arrivalMs).malformed++;
                malformed.push({ sequenceNumber: record.sequenceNumber, line: lineNumber, reason: parsed.reason });
                continue;
            }
            const event = parsed.event;
            const eventMs = event.timestamp === undefined ? arrivalMs : Math.round(event.timestamp * 1000);
            if (eventMs > arrivalMs + timing.maxFutureMs) {
                arrivalWindow(arrivalMs).future++;
                continue;
            }
            const start = floorTo(eventMs, timing.windowMs);
            if (watermark !== null && start + timing.windowMs <= watermark) {
                late.set(start, (late.get(start) ?? 0) + 1);
                continue;
            }
            let w = windows.get(start);
            if (w === undefined) {
                windows.set(start, (w = toWorking({ ids: "", players: "", saturated: false, apps: {}, duplicates: 0, maxLagSeconds: null })));
                bytes += NEW_WINDOW_BYTES + String(start).length;
            }
            const candidate = Math.max(watermark ?? -Infinity, Math.min(eventMs, arrivalMs) - timing.watermarkMs);
            watermark = candidate;
            bytes += countInWindow(w, event, bytes, limits);
            const lag = Math.round(arrivalMs - eventMs) / 1000;
            if (w.base.maxLagSeconds === null || lag > w.base.maxLagSeconds) w.base.maxLagSeconds = lag;
        }
    }

    const open: Record<string, OpenWindow> = {};
    const closed: ClosedWindow[] = [];
    for (const start of [...windows.keys()].sort((a, b) => a - b)) {
        const window = fromWorking(windows.get(start)!);
        if (watermark !== null && start + timing.windowMs <= watermark) closed.push({ startMs: start, window });
        else open[String(start)] = window;
    }
    const next: WindowState = { v: 2, window: state.window, watermarkMs: watermark, open };
    if (windowStateBytes(next) > limits.stateBudgetBytes) {
        // Counters alone outgrew the budget (thousands of applications on one shard): give up the
        // stored ids so that the state stays under Lambda's limit; the windows report saturation.
        for (const w of Object.values(next.open)) Object.assign(w, { ids: "", players: "", saturated: true });
    }
    return {
        state: next,
        closed,
        late: [...late].sort(([a], [b]) => a - b).map(([windowStartMs, count]) => ({ windowStartMs, count })),
        arrivals: [...arrivals.values()].sort((a, b) => a.windowStartMs - b.windowStartMs),
        malformed,
    };
}

/**
 * Moves the watermark forward to `watermarkMs` (never back) and takes out the windows it passes.
 * The local stage calls it when a shard has been idle; Lambda's carrier end is `flushWindows`.
 */
export function advanceWatermark(state: WindowState, watermarkMs: number, timing: EventTimeSettings = DEFAULT_EVENT_TIME): { state: WindowState; closed: ClosedWindow[] } {
    const watermark = Math.max(state.watermarkMs ?? -Infinity, watermarkMs);
    const open: Record<string, OpenWindow> = {};
    const closed: ClosedWindow[] = [];
    for (const start of Object.keys(state.open).map(Number).sort((a, b) => a - b)) {
        if (start + timing.windowMs <= watermark) closed.push({ startMs: start, window: state.open[String(start)]! });
        else open[String(start)] = state.open[String(start)]!;
    }
    return { state: { ...state, watermarkMs: watermark, open }, closed };
}

/** Every open window, oldest first (the end of the carrier: Lambda's final invocation, or a stop). */
export function flushWindows(state: WindowState): ClosedWindow[] {
    return Object.keys(state.open).map(Number).sort((a, b) => a - b).map((startMs) => ({ startMs, window: state.open[String(startMs)]! }));
}

/**
 * The metrics of a closed window. Spell, item, currency and map dimensions keep the `topN` largest
 * values (ties by value name) and sum the rest under "other".
 */
export function finalizeWindow(closed: ClosedWindow, topN = 20): WindowMetrics {
    if (!Number.isInteger(topN) || topN < 1) throw new RangeError(`topN must be a whole number of at least 1 (got ${topN})`);
    const w = closed.window;
    const applications = Object.entries(w.apps).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([applicationId, c]): ApplicationMetrics => ({
        applicationId,
        totalEvents: c.events,
        totalLogins: c.logins,
        activePlayers: c.players,
        knockoutsBySpell: topWithOther(c.knockouts, topN),
        purchases: topWithOther(c.purchases, topN),
        revenueByCurrency: topWithOther(c.revenue, topN).map((e) => ({ value: e.value, count: e.count / REVENUE_MICROS })),
        matchStartsByMap: topWithOther(c.matchStarts, topN),
    }));
    return {
        windowStart: windowStartText(closed.startMs),
        windowStartMs: closed.startMs,
        applications,
        duplicateEvents: w.duplicates,
        dedupSaturated: w.saturated ? 1 : 0,
        eventLagSeconds: w.maxLagSeconds,
    };
}

/** Counts one event in its window; returns the bytes it adds to the state estimate. */
function countInWindow(w: WorkingWindow, event: CountedEvent, bytes: number, limits: WindowLimits): number {
    const app = event.applicationId;
    const hash = idHash(app, event.eventId);
    if (w.seenIds.has(hash)) {
        w.base.duplicates++;
        return 0;
    }
    let added = 0;
    const reserve = growthReserve(event);
    if (!w.base.saturated) {
        if (bytes + ID_HASH_CHARS + reserve + STATE_SLACK_BYTES <= limits.stateBudgetBytes) {
            w.seenIds.add(hash);
            w.newIds.push(hash);
            added += ID_HASH_CHARS;
        } else {
            w.base.saturated = true;
        }
    }
    let c = w.apps.get(app);
    if (c === undefined) {
        c = { events: 0, logins: 0, players: 0, knockouts: new Map(), purchases: new Map(), revenue: new Map(), matchStarts: new Map() };
        w.apps.set(app, c);
        added += Buffer.byteLength(JSON.stringify(app)) + NEW_APPLICATION_BYTES;
    }
    c.events++;
    if (event.playerId !== undefined) {
        const player = idHash(app, event.playerId);
        if (!w.seenPlayers.has(player)) {
            if (!w.base.saturated && bytes + added + ID_HASH_CHARS + reserve + STATE_SLACK_BYTES <= limits.stateBudgetBytes) {
                w.seenPlayers.add(player);
                w.newPlayers.push(player);
                c.players++;
                added += ID_HASH_CHARS;
            } else {
                w.base.saturated = true;
            }
        }
    }
    const max = limits.maxKeysPerDimension;
    if (event.eventType === LOGIN_EVENT_TYPE) c.logins++;
    else if (event.eventType === KNOCKOUT_EVENT_TYPE) added += increment(c.knockouts, dimensionValue(event.spellId), 1, max);
    else if (event.eventType === MATCH_START_EVENT_TYPE) added += increment(c.matchStarts, dimensionValue(event.mapId), 1, max);
    else if (event.eventType === PURCHASE_EVENT_TYPE) {
        added += increment(c.purchases, dimensionValue(event.itemId), 1, max);
        if (event.amount !== undefined) added += increment(c.revenue, dimensionValue(event.currency), Math.round(event.amount * REVENUE_MICROS), max);
    }
    return added;
}

/** Adds `by` to `key`, or to "other" when the map already holds `maxKeys` keys; returns added bytes. */
function increment(counts: Map<string, number>, key: string, by: number, maxKeys: number): number {
    const existing = counts.get(key);
    if (existing !== undefined) {
        counts.set(key, existing + by);
        return 0;
    }
    const target = counts.size >= maxKeys ? OTHER_DIMENSION_VALUE : key;
    const current = counts.get(target);
    counts.set(target, (current ?? 0) + by);
    return current === undefined ? Buffer.byteLength(JSON.stringify(target)) + NEW_KEY_BYTES : 0;
}

/** Worst-case bytes counting this event may add (new application, a player, new keys), reserved before storing its id. */
function growthReserve(event: CountedEvent): number {
    const key = MAX_DIMENSION_VALUE_CHARS * 2 + 2 + NEW_KEY_BYTES;
    const keys = event.eventType === PURCHASE_EVENT_TYPE ? 2 : event.eventType === KNOCKOUT_EVENT_TYPE || event.eventType === MATCH_START_EVENT_TYPE ? 1 : 0;
    return Buffer.byteLength(JSON.stringify(event.applicationId)) + NEW_APPLICATION_BYTES + ID_HASH_CHARS + keys * key;
}

function floorTo(ms: number, size: number): number {
    return Math.floor(ms / size) * size;
}

function toWorking(w: OpenWindow): WorkingWindow {
    const seenIds = new Set<string>();
    for (let i = 0; i < w.ids.length; i += ID_HASH_CHARS) seenIds.add(w.ids.slice(i, i + ID_HASH_CHARS));
    const seenPlayers = new Set<string>();
    for (let i = 0; i < w.players.length; i += ID_HASH_CHARS) seenPlayers.add(w.players.slice(i, i + ID_HASH_CHARS));
    const map = (r: Record<string, number> | undefined) => new Map(Object.entries(r ?? {}));
    return {
        base: { ...w, apps: {} },
        apps: new Map(Object.entries(w.apps).map(([id, c]) => [id, {
            events: c.events, logins: c.logins, players: c.players ?? 0,
            knockouts: map(c.knockouts), purchases: map(c.purchases), revenue: map(c.revenue), matchStarts: map(c.matchStarts),
        }])),
        seenIds, newIds: [], seenPlayers, newPlayers: [],
    };
}

function fromWorking(w: WorkingWindow): OpenWindow {
    const obj = (m: Map<string, number>) => Object.fromEntries(m);
    return {
        ids: w.base.ids + w.newIds.join(""),
        players: w.base.players + w.newPlayers.join(""),
        saturated: w.base.saturated,
        apps: Object.fromEntries([...w.apps].map(([id, c]) => [id, {
            events: c.events, logins: c.logins, players: c.players,
            knockouts: obj(c.knockouts), purchases: obj(c.purchases), revenue: obj(c.revenue), matchStarts: obj(c.matchStarts),
        }])),
        duplicates: w.base.duplicates,
        maxLagSeconds: w.base.maxLagSeconds,
    };
}
