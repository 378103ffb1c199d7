/**
 * Firehose data transformation: ingest records (newline-delimited {application_id, event, ...})
 * become rows of the events table (newline-delimited JSON) with processing metadata and the
 * record's partition keys. Exactly one output per input record, in input order; a record that
 * cannot be read is returned unchanged as ProcessingFailed (Firehose keeps it under its error
 * prefix), so nothing is lost.
 */
import { base64OfText, textOfBase64 } from "./base64-text";
import { TtlCache } from "./cache";
import type { EventRow, FirehoseTransformInput, FirehoseTransformOutput, GameEvent } from "./contracts";
import { validateGameEvent } from "./event-schema";
import { MAX_EVENT_TIMESTAMP, MIN_EVENT_TIMESTAMP } from "./game-event-schema";
import type { Application, ApplicationRegistry, Clock } from "./ports";

/** Processing status written to `metadata.processing_status`. */
export type ProcessingStatus = "ok" | "schema_mismatch" | "unregistered";

/** Counters a caller may pass to learn what happened (for metrics). */
export interface TransformStats {
    records: number;
    processingFailed: number;
    rows: number;
    ok: number;
    schemaMismatch: number;
    unregistered: number;
}

/** What the transform needs. */
export interface TransformDeps {
    lookupApplication(applicationId: string): Promise<Application | undefined>;
    clock: Clock;
    /** New ingestion id, unique per row (the processing handler uses ingestion-id.ts: a random UUID v4 per container plus a counter). */
    newId(): string;
    /** Incremented when given. */
    stats?: TransformStats;
}

/** Fresh zeroed {@link TransformStats}. */
export function newTransformStats(): TransformStats {
    return { records: 0, processingFailed: 0, rows: 0, ok: 0, schemaMismatch: 0, unregistered: 0 };
}

/** One parsed line of an ingest record. */
interface IngestLine {
    application_id: string;
    event: Record<string, unknown>;
    request_id?: unknown;
    request_time_epoch?: unknown;
}

const KNOWN_EVENT_FIELDS = new Set(["event_id", "event_type", "event_name", "event_timestamp", "event_version", "app_version", "event_data"]);
const SECONDS_PER_DAY = 86_400;

/**
 * Transforms one Firehose batch.
 * @returns one output per input `recordId`, same order.
 */
export async function transformRecords(records: FirehoseTransformInput[], deps: TransformDeps): Promise<FirehoseTransformOutput[]> {
    const now = deps.clock.now();
    const apps = new Map<string, ResolvedApplication>();
    // Batches are usually one application: the last one resolved is checked before the map.
    let lastApp: ResolvedApplication | undefined;
    let lastAppId: string | undefined;
    const apiMetadata = new ApiMetadataText();
    const partitions = new Map<number, Record<string, string>>();
    const stats = deps.stats;
    const out: FirehoseTransformOutput[] = new Array(records.length);
    // Counts of the record in hand, added to `stats` once the whole record has been read.
    const counts = { rows: 0, ok: 0, schemaMismatch: 0, unregistered: 0 };
    for (let r = 0; r < records.length; r++) {
        const input = records[r]!;
        if (stats) stats.records++;
        // Lines are parsed and turned into rows one at a time, so each parsed line is garbage as
        // soon as its row is written (a packed record holds hundreds of lines). A record with an
        // unreadable line is failed whole, whatever rows were already written.
        const text = textOfBase64(input.data);
        let firstTimestamp: number | null = null;
        let rowsText = "";
        let readable = true;
        counts.rows = counts.ok = counts.schemaMismatch = counts.unregistered = 0;
        for (let start = 0; start <= text.length; ) {
            let end = text.indexOf("\n", start);
            if (end === -1) end = text.length;
            const line = end > start ? parseLine(text, start, end) : BLANK;
            start = end + 1;
            if (line === BLANK) continue;
            if (line === undefined) {
                readable = false;
                break;
            }
            let app = line.application_id === lastAppId ? lastApp : apps.get(line.application_id);
            if (app === undefined) {
                app = resolvedApplication(line.application_id, await deps.lookupApplication(line.application_id), now);
                apps.set(line.application_id, app);
            }
            lastApp = app;
            lastAppId = line.application_id;
            const validation = validateGameEvent(line.event);
            let row: string;
            if (validation.valid) {
                const timestamp = Math.floor(validation.event.event_timestamp);
                if (counts.rows === 0) firstTimestamp = timestamp;
                row = validRowJson(validation.event, timestamp, app, apiMetadata.of(line), deps.newId());
                if (app.application === undefined) counts.unregistered++;
                else counts.ok++;
            } else {
                const status: ProcessingStatus = app.application === undefined ? "unregistered" : "schema_mismatch";
                const invalidRow = buildRow(line, app.application, status, validation.errors, now, deps);
                if (counts.rows === 0) firstTimestamp = invalidRow.event_timestamp;
                row = serializeRow(invalidRow);
                if (status === "unregistered") counts.unregistered++;
                else counts.schemaMismatch++;
            }
            rowsText += row + "\n";
            counts.rows++;
        }
        if (!readable || counts.rows === 0) {
            out[r] = { recordId: input.recordId, result: "ProcessingFailed", data: input.data };
            if (stats) stats.processingFailed++;
            continue;
        }
        if (stats) {
            stats.rows += counts.rows;
            stats.ok += counts.ok;
            stats.schemaMismatch += counts.schemaMismatch;
            stats.unregistered += counts.unregistered;
        }
        // Partition by the first event's day; an absent or out-of-range timestamp (only in schema_mismatch
        // rows) falls back to the arrival time, so no row lands in a partition like year=33658.
        const inRange = firstTimestamp !== null && firstTimestamp >= MIN_EVENT_TIMESTAMP && firstTimestamp <= MAX_EVENT_TIMESTAMP;
        const day = Math.floor((inRange ? firstTimestamp! : (input.approximateArrivalTimestamp ?? now) / 1000) / SECONDS_PER_DAY);
        let partitionKeys = partitions.get(day);
        if (partitionKeys === undefined) {
            partitionKeys = partitionKeysOfDay(day);
            partitions.set(day, partitionKeys);
        }
        out[r] = { recordId: input.recordId, result: "Ok", data: base64OfText(rowsText), metadata: { partitionKeys } };
    }
    return out;
}

/** {@link parseLine}'s answer for a line holding only whitespace. */
const BLANK = Symbol("blank line");

/**
 * Parses `text[start, end)`: an ingest line, {@link BLANK} for whitespace only, undefined when it
 * is not JSON or lacks application_id/event.
 */
function parseLine(text: string, start: number, end: number): IngestLine | typeof BLANK | undefined {
    // The whole text when it is one line without its newline: no copy.
    const raw = start === 0 && end === text.length ? text : text.slice(start, end);
    if (isBlank(raw)) return BLANK;
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch {
        return undefined;
    }
    return isIngestLine(parsed) ? parsed : undefined;
}

/** Whether a line holds only whitespace (what `trim()` removes), without allocating. */
function isBlank(line: string): boolean {
    const first = line.charCodeAt(0);
    // Any line the transform can read starts with "{" (optionally after whitespace).
    if (first === 0x7b) return false;
    return line.trim() === "";
}

function isIngestLine(value: unknown): value is IngestLine {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    const v = value as Record<string, unknown>;
    const event = v.event;
    return (
        typeof v.application_id === "string" &&
        v.application_id !== "" &&
        typeof event === "object" &&
        event !== null &&
        !Array.isArray(event)
    );
}

/**
 * An EventRow as written. Rows of schema_mismatch events may lack required fields: those columns
 * are null then.
 */
type Row = Omit<EventRow, "event_id" | "event_type" | "event_name" | "event_timestamp"> & {
    event_id: string | null;
    event_type: string | null;
    event_name: string | null;
    event_timestamp: number | null;
};

/**
 * An application looked up once per batch, with the JSON text of its id and name, and the constant
 * parts of its valid rows' text (they depend only on the application and the batch's time).
 */
interface ResolvedApplication {
    application: Application | undefined;
    idJson: string;
    nameJson: string;
    /** `,"application_id":...,"application_name":...,"event_data":` of a row. */
    validRowMiddle: string;
    /** The escaped metadata of a valid row, from after the ingestion id to the processing status included. */
    validMetadataMiddle: string;
}

function resolvedApplication(applicationId: string, application: Application | undefined, now: number): ResolvedApplication {
    const idJson = JSON.stringify(applicationId);
    const nameJson = application === undefined ? "null" : JSON.stringify(application.ApplicationName);
    const validStatus: ProcessingStatus = application === undefined ? "unregistered" : "ok";
    return {
        application,
        idJson,
        nameJson,
        validRowMiddle: `,"application_id":${idJson},"application_name":${nameJson},"event_data":`,
        validMetadataMiddle: `,\\"processing_timestamp\\":${now},\\"processing_status\\":\\"${validStatus}\\"`,
    };
}

/** The escaped `api` part of the metadata of the last line seen (the lines of a request share it). */
class ApiMetadataText {
    private requestId: unknown = undefined;
    private requestTimeEpoch: unknown = undefined;
    private text = "";

    of(line: IngestLine): string {
        if (this.text === "" || line.request_id !== this.requestId || line.request_time_epoch !== this.requestTimeEpoch) {
            this.requestId = line.request_id;
            this.requestTimeEpoch = line.request_time_epoch;
            this.text = `,\\"api\\":{\\"request_id\\":${escapedJsonScalar(line.request_id)},\\"request_time_epoch\\":${escapedJsonScalar(line.request_time_epoch)}}}`;
        }
        return this.text;
    }
}

/**
 * The row of a valid event, as JSON text: the same text as {@link serializeRow} of the row
 * {@link buildRow} makes, built directly. The schema guarantees that event_id, event_type,
 * event_name, event_version and app_version hold only characters JSON writes as they are, and
 * that event_timestamp is a finite number; the metadata column is written already escaped.
 */
function validRowJson(event: GameEvent, timestamp: number, app: ResolvedApplication, apiText: string, ingestionId: string): string {
    let metadata = `{\\"ingestion_id\\":${escapedJsonString(ingestionId)}${app.validMetadataMiddle}`;
    if (timestamp !== event.event_timestamp) metadata += `,\\"event_timestamp_exact\\":${event.event_timestamp}`;
    return (
        `{"event_id":"${event.event_id}","event_type":"${event.event_type}","event_name":"${event.event_name}",` +
        `"event_version":${event.event_version === undefined ? "null" : `"${event.event_version}"`},"event_timestamp":${timestamp},` +
        `"app_version":${event.app_version === undefined ? "null" : `"${event.app_version}"`}${app.validRowMiddle}` +
        `${event.event_data === undefined ? "null" : JSON.stringify(JSON.stringify(event.event_data))},"metadata":"${metadata}${apiText}"}`
    );
}

/** Whether JSON writes `value` as it is between quotes (printable ASCII other than `"` and `\\`). */
function isPlainJsonText(value: string): boolean {
    for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
    }
    return true;
}

/** JSON.stringify(JSON.stringify(value)) without its outer quotes: a JSON string inside a JSON string. */
function escapedJsonString(value: string): string {
    return isPlainJsonText(value) ? `\\"${value}\\"` : JSON.stringify(JSON.stringify(value)).slice(1, -1);
}

/** {@link jsonScalar}, escaped to sit inside a JSON string. */
function escapedJsonScalar(value: unknown): string {
    return typeof value === "string" ? escapedJsonString(value) : jsonScalar(value);
}

/** The row of an event that failed validation (kept, with its errors). */
function buildRow(line: IngestLine, app: Application | undefined, status: ProcessingStatus, errors: string[], now: number, deps: TransformDeps): Row {
    const event = line.event;
    const rawTimestamp = event.event_timestamp;
    let timestamp: number | null = null;
    if (typeof rawTimestamp === "number" && Number.isFinite(rawTimestamp)) timestamp = Math.floor(rawTimestamp);
    let metadata = `{"ingestion_id":${JSON.stringify(deps.newId())},"processing_timestamp":${now},"processing_status":"${status}"`;
    metadata += `,"validation_errors":${JSON.stringify(errors)}`;
    const extra = additionalProperties(event);
    if (extra) metadata += `,"additional_properties":${JSON.stringify(extra)}`;
    if (timestamp !== null && timestamp !== rawTimestamp) metadata += `,"event_timestamp_exact":${rawTimestamp as number}`;
    metadata += `,"api":{"request_id":${jsonScalar(line.request_id)},"request_time_epoch":${jsonScalar(line.request_time_epoch)}}}`;
    return {
        event_id: text(event.event_id),
        event_type: text(event.event_type),
        event_name: text(event.event_name),
        event_version: text(event.event_version),
        event_timestamp: timestamp,
        app_version: text(event.app_version),
        application_id: line.application_id,
        application_name: app === undefined ? null : app.ApplicationName,
        event_data: event.event_data === undefined || event.event_data === null ? null : JSON.stringify(event.event_data),
        metadata,
    };
}

/** JSON of a request metadata value: strings and finite numbers as they are, anything else null. */
function jsonScalar(value: unknown): string {
    if (typeof value === "string") return JSON.stringify(value);
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    return "null";
}

/** JSON text of a row, columns in EVENT_COLUMNS order. */
function serializeRow(row: Row): string {
    return (
        `{"event_id":${JSON.stringify(row.event_id)},"event_type":${JSON.stringify(row.event_type)},` +
        `"event_name":${JSON.stringify(row.event_name)},"event_version":${JSON.stringify(row.event_version)},` +
        `"event_timestamp":${row.event_timestamp === null ? "null" : row.event_timestamp},` +
        `"app_version":${JSON.stringify(row.app_version)},"application_id":${JSON.stringify(row.application_id)},` +
        `"application_name":${JSON.stringify(row.application_name)},"event_data":${JSON.stringify(row.event_data)},` +
        `"metadata":${JSON.stringify(row.metadata)}}`
    );
}

/** A string column: strings as-is, absent as null, anything else as its JSON text (kept, not lost). */
function text(value: unknown): string | null {
    if (typeof value === "string") return value;
    if (value === undefined || value === null) return null;
    return JSON.stringify(value);
}

function additionalProperties(event: Record<string, unknown>): Record<string, unknown> | undefined {
    let extra: Record<string, unknown> | undefined;
    for (const key of Object.keys(event)) {
        if (KNOWN_EVENT_FIELDS.has(key)) continue;
        (extra ??= {})[key] = event[key];
    }
    return extra;
}

/** `{year, month, day}` of an epoch day, zero-padded, UTC. */
export function partitionKeysOfDay(epochDay: number): Record<string, string> {
    const date = new Date(epochDay * SECONDS_PER_DAY * 1000);
    if (Number.isNaN(date.getTime())) return { year: "1970", month: "01", day: "01" };
    return {
        year: String(date.getUTCFullYear()).padStart(4, "0"),
        month: String(date.getUTCMonth() + 1).padStart(2, "0"),
        day: String(date.getUTCDate()).padStart(2, "0"),
    };
}

/**
 * An application lookup cached for `ttlMs`, "not found" included; concurrent lookups of the same
 * id share one registry call. Registry errors are not cached (they propagate: Firehose retries).
 */
export function cachedApplicationLookup(
    registry: ApplicationRegistry,
    ttlMs: number,
    clock: Clock,
): (applicationId: string) => Promise<Application | undefined> {
    const cache = new TtlCache<string, Application | undefined>(ttlMs);
    const inFlight = new Map<string, Promise<Application | undefined>>();
    return async (applicationId) => {
        const hit = cache.get(applicationId, clock.now());
        if (hit) return hit.value;
        const pending = inFlight.get(applicationId);
        if (pending) return pending;
        const lookup = registry
            .getApplication(applicationId)
            .then((app) => {
                cache.set(applicationId, app, clock.now());
                return app;
            })
            .finally(() => inFlight.delete(applicationId));
        inFlight.set(applicationId, lookup);
        return lookup;
    };
}
