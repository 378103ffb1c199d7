/**
 * The text of stored rows (functions/core/rows.ts): reading an ingest line, and writing the row of
 * a valid event (built as text directly) or of an invalid one (kept, with its errors), columns in
 * EVENT_COLUMNS order. Neutral: no protocol, no cloud.
 */
import { type EventRow, type GameEvent, PLAYER_ID_MAX_LENGTH, SOURCE_EVENT_ID_MAX_LENGTH } from "./contracts";
import type { Application } from "./ports";

/** Processing status written to `metadata.processing_status`. */
export type ProcessingStatus = "ok" | "schema_mismatch" | "unregistered";

/** One parsed line of an ingest record. */
export interface IngestLine {
    application_id: string;
    event: Record<string, unknown>;
    request_id?: unknown;
    request_time_epoch?: unknown;
    /** IngestRecord.player_id: a string, or absent/null for API-key traffic. */
    player_id?: unknown;
    /** IngestRecord.source_event_id: a string, or absent/null. */
    source_event_id?: unknown;
    /** put-record's event_type as sent when it had characters outside the name pattern; kept in metadata. */
    source_event_type?: unknown;
}

const KNOWN_EVENT_FIELDS = new Set(["event_id", "event_type", "event_name", "event_timestamp", "event_version", "app_version", "event_data"]);

/** {@link parseLine}'s answer for a line holding only whitespace. */
export const BLANK = Symbol("blank line");

/**
 * Parses `text[start, end)`: an ingest line, {@link BLANK} for whitespace only, undefined when it
 * is not JSON or lacks application_id/event.
 */
export function parseLine(text: string, start: number, end: number): IngestLine | typeof BLANK | undefined {
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
export type Row = Omit<EventRow, "event_id" | "event_type" | "event_name" | "event_timestamp"> & {
    event_id: string | null;
    event_type: string | null;
    event_name: string | null;
    event_timestamp: number | null;
};

/**
 * An application looked up once per batch, with the JSON text of its id and name, and the constant
 * parts of its valid rows' text (they depend only on the application and the batch's time).
 */
export interface ResolvedApplication {
    application: Application | undefined;
    idJson: string;
    nameJson: string;
    /** `,"application_id":...,"application_name":...,"event_data":` of a row. */
    validRowMiddle: string;
    /** The escaped metadata of a valid row, from after the ingestion id to the processing status included. */
    validMetadataMiddle: string;
}

export function resolvedApplication(applicationId: string, application: Application | undefined, now: number): ResolvedApplication {
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
export class ApiMetadataText {
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
export function validRowJson(event: GameEvent, timestamp: number, app: ResolvedApplication, apiText: string, ingestionId: string, idsText: string = NULL_IDS_JSON, sourceEventType?: unknown): string {
    let metadata = `{\\"ingestion_id\\":${escapedJsonString(ingestionId)}${app.validMetadataMiddle}`;
    if (timestamp !== event.event_timestamp) metadata += `,\\"event_timestamp_exact\\":${event.event_timestamp}`;
    if (sourceEventType !== undefined && sourceEventType !== null) metadata += `,\\"source_event_type\\":${escapedJsonValue(sourceEventType)}`;
    return (
        `{"event_id":"${event.event_id}","event_type":"${event.event_type}","event_name":"${event.event_name}",` +
        `"event_version":${event.event_version === undefined ? "null" : `"${event.event_version}"`},"event_timestamp":${timestamp},` +
        `"app_version":${event.app_version === undefined ? "null" : `"${event.app_version}"`}${app.validRowMiddle}` +
        `${event.event_data === undefined ? "null" : JSON.stringify(JSON.stringify(event.event_data))},"metadata":"${metadata}${apiText}"${idsText}}`
    );
}

/** The last two columns of a row without a player or source event id (API-key traffic). */
export const NULL_IDS_JSON = `,"player_id":null,"source_event_id":null`;

/** recordIdsJson's answer for API-key traffic: one object, not one per row. */
const NULL_IDS = { ok: true, text: NULL_IDS_JSON } as const;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** The rule of an id column, as its validation error says it. */
function idRule(column: "player_id" | "source_event_id", max: number): string {
    return `${column}: must be a string of 1-${max} characters without control characters, or null`;
}

function isValidId(value: unknown, max: number): boolean {
    return typeof value === "string" && value.length >= 1 && value.length <= max && !CONTROL_CHARACTERS.test(value);
}

/**
 * The player_id and source_event_id columns of a line, as the JSON text that ends its row
 * (`,"player_id":...,"source_event_id":...`), or the validation errors when a value is not null
 * and not a string of 1-{@link PLAYER_ID_MAX_LENGTH} (resp. {@link SOURCE_EVENT_ID_MAX_LENGTH})
 * characters without control characters: such a row is kept with a schema_mismatch status.
 */
export function recordIdsJson(line: IngestLine): { ok: true; text: string } | { ok: false; errors: string[] } {
    const player = line.player_id;
    const source = line.source_event_id;
    const noPlayer = player === undefined || player === null;
    const noSource = source === undefined || source === null;
    if (noPlayer && noSource) return NULL_IDS;
    const errors: string[] = [];
    if (!noPlayer && !isValidId(player, PLAYER_ID_MAX_LENGTH)) errors.push(idRule("player_id", PLAYER_ID_MAX_LENGTH));
    if (!noSource && !isValidId(source, SOURCE_EVENT_ID_MAX_LENGTH)) errors.push(idRule("source_event_id", SOURCE_EVENT_ID_MAX_LENGTH));
    if (errors.length > 0) return { ok: false, errors };
    return { ok: true, text: `,"player_id":${noPlayer ? "null" : JSON.stringify(player)},"source_event_id":${noSource ? "null" : JSON.stringify(source)}` };
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

/** JSON text of any value, escaped to sit inside a JSON string. */
function escapedJsonValue(value: unknown): string {
    return JSON.stringify(JSON.stringify(value) ?? null).slice(1, -1);
}

/** {@link jsonScalar}, escaped to sit inside a JSON string. */
function escapedJsonScalar(value: unknown): string {
    return typeof value === "string" ? escapedJsonString(value) : jsonScalar(value);
}

/** The row of an event that failed validation (kept, with its errors). */
export function buildRow(line: IngestLine, app: Application | undefined, status: ProcessingStatus, errors: string[], now: number, ingestionId: string): Row {
    const event = line.event;
    const rawTimestamp = event.event_timestamp;
    let timestamp: number | null = null;
    if (typeof rawTimestamp === "number" && Number.isFinite(rawTimestamp)) timestamp = Math.floor(rawTimestamp);
    let metadata = `{"ingestion_id":${JSON.stringify(ingestionId)},"processing_timestamp":${now},"processing_status":"${status}"`;
    metadata += `,"validation_errors":${JSON.stringify(errors)}`;
    const extra = additionalProperties(event);
    if (extra) metadata += `,"additional_properties":${JSON.stringify(extra)}`;
    if (timestamp !== null && timestamp !== rawTimestamp) metadata += `,"event_timestamp_exact":${rawTimestamp as number}`;
    if (line.source_event_type !== undefined && line.source_event_type !== null) metadata += `,"source_event_type":${JSON.stringify(line.source_event_type) ?? "null"}`;
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
        player_id: text(line.player_id),
        source_event_id: text(line.source_event_id),
    };
}

/** JSON of a request metadata value: strings and finite numbers as they are, anything else null. */
function jsonScalar(value: unknown): string {
    if (typeof value === "string") return JSON.stringify(value);
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    return "null";
}

/** JSON text of a row, columns in EVENT_COLUMNS order. */
export function serializeRow(row: Row): string {
    return (
        `{"event_id":${JSON.stringify(row.event_id)},"event_type":${JSON.stringify(row.event_type)},` +
        `"event_name":${JSON.stringify(row.event_name)},"event_version":${JSON.stringify(row.event_version)},` +
        `"event_timestamp":${row.event_timestamp === null ? "null" : row.event_timestamp},` +
        `"app_version":${JSON.stringify(row.app_version)},"application_id":${JSON.stringify(row.application_id)},` +
        `"application_name":${JSON.stringify(row.application_name)},"event_data":${JSON.stringify(row.event_data)},` +
        `"metadata":${JSON.stringify(row.metadata)},"player_id":${JSON.stringify(row.player_id)},` +
        `"source_event_id":${JSON.stringify(row.source_event_id)}}`
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
