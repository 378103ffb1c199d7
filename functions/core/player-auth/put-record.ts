/**
 * `POST /put-record`, the seeds' (001, 004) player-facing route: one event per call, in their
 * shape `{"event_id": "00006", "event_type": "Login", "updated_at": "2024-02-22 03:03:02",
 * "event_data": "..."}`, sent with the player's JWT, answered `200 "Successfully added event"`,
 * `401 "Unauthorized"`, `500 "Failed"` (JSON strings, as the seeds' clients expect). Bad input is
 * a 400 naming the field and the rule instead of the seeds' bare `500 "Failed"`.
 *
 * Mapping to our game event (REFERENCE section 3):
 * - `updated_at` ("YYYY-MM-DD hh:mm:ss", UTC; ISO 8601 with `T`, fraction or offset also read)
 *   -> `event_timestamp`, epoch seconds (a fraction is truncated);
 * - `event_type` -> `event_type` and `event_name`, each character outside `[A-Za-z0-9-_.]`
 *   replaced by `_` ("New Game" -> "New_Game"); the original is kept as `source_event_type` when
 *   it differed;
 * - `event_id`: a UUID is used as is (lowercased); anything else (the seeds send "00006") is kept
 *   as sent in `source_event_id` and mapped to a UUID v5 (RFC 4122 name-based, SHA-1) of the
 *   name `JSON.stringify([applicationId, playerId, event_id])` in {@link PUT_RECORD_NAMESPACE}: the
 *   same event re-sent by the same player of the same application gets the same UUID (so the
 *   de-duplication by event_id downstream drops the retry), while two players' "00006" never
 *   collide (a client-side counter is unique per player at best);
 * - `event_data`: an object is kept; any other value (the seeds' string) becomes `{"value": ...}`;
 * - the player id from the token -> `player_id` of the record (null for API-key traffic).
 */
import { createHash } from "node:crypto";
import type { GameEvent, HttpRequest, HttpResponse, IngestRecord } from "../contracts";
import { MAX_EVENT_TIMESTAMP, MAX_NAME_LENGTH, MIN_EVENT_TIMESTAMP, validateGameEvent } from "../event-schema";
import { badRequest, errorResponse, isJsonObject, parseJsonBody } from "../http";
import type { EventResult } from "../ingest";

/** Resource and methods of the route (routes.ts, with the API's other resources). */
export { PUT_RECORD, PUT_RECORD_ROUTES } from "../routes";

/** The seeds' answers, verbatim. */
export const PUT_RECORD_OK = "Successfully added event";
export const PUT_RECORD_UNAUTHORIZED = "Unauthorized";
export const PUT_RECORD_FAILED = "Failed";

/** Namespace of the UUID v5 of non-UUID event ids (a fixed random UUID of this project). */
export const PUT_RECORD_NAMESPACE = "500c0d78-e888-4ddc-9e79-35c8bc6b3e67";
/** Fields of the seeds' body. */
export const PUT_RECORD_FIELDS = ["event_id", "event_type", "updated_at", "event_data"] as const;
/** Longest `event_id` kept as sent, characters. */
export const MAX_SOURCE_EVENT_ID_LENGTH = 128;

/** The seeds' request body, validated. */
export interface PutRecordBody {
    /** As sent; an integer is read as its decimal text. */
    event_id: string;
    event_type: string;
    updated_at: string;
    /** Any JSON value; absent or null = none. */
    event_data?: unknown;
}

/** The record the put-record route hands the sink: an IngestRecord with the player and the source ids. */
export interface PlayerIngestRecord extends IngestRecord {
    /** The token's player id; null for API-key traffic. */
    player_id: string | null;
    /** The event_id as sent, when it was not our UUID. */
    source_event_id?: string;
    /** The event_type as sent, when it had characters outside the name pattern. */
    source_event_type?: string;
}

/** Who the authorizer let in. */
export interface PutRecordCaller {
    applicationId: string;
    playerId: string;
}

/** Outcome of {@link parsePutRecordBody}. */
export type PutRecordParse = { ok: true; body: PutRecordBody } | { ok: false; errors: string[] };

/** Our event for one seed body, and what was kept of the original. */
export interface MappedPutRecord {
    event: GameEvent;
    sourceEventId?: string;
    sourceEventType?: string;
}

const UUID_ANY_CASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const NOT_NAME_CHARACTER = /[^A-Za-z0-9\-_.]/gu;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;
const UPDATED_AT_RULE = 'must be a date and time "YYYY-MM-DD hh:mm:ss" (UTC) between 2000-01-01 and 2100-01-01';

/**
 * Parses and validates the seeds' body; every problem is a `field: rule` message.
 * @example parsePutRecordBody('{"event_id":"00006","event_type":"Login","updated_at":"2024-02-22 03:03:02"}').ok // true
 */
export function parsePutRecordBody(text: string | null): PutRecordParse {
    const parsed = parseJsonBody(text);
    if (!parsed.ok) return { ok: false, errors: [JSON.parse(parsed.response.body).error_detail] };
    const body = parsed.value;
    if (!isJsonObject(body)) return { ok: false, errors: ["body: must be a JSON object {event_id, event_type, updated_at, event_data}"] };
    const errors: string[] = [];
    for (const key of Object.keys(body)) {
        if (!(PUT_RECORD_FIELDS as readonly string[]).includes(key)) {
            errors.push(`${printable(key)}: not allowed (put-record accepts ${PUT_RECORD_FIELDS.join(", ")})`);
        }
    }
    let eventId = body.event_id;
    if (typeof eventId === "number" && Number.isSafeInteger(eventId) && eventId >= 0) eventId = String(eventId);
    if (eventId === undefined || eventId === null) errors.push("event_id: required");
    else if (typeof eventId !== "string" || eventId === "" || eventId.length > MAX_SOURCE_EVENT_ID_LENGTH || CONTROL_CHARACTERS.test(eventId)) {
        errors.push(`event_id: must be a string of 1-${MAX_SOURCE_EVENT_ID_LENGTH} characters without control characters (or a non-negative integer)`);
    }
    const eventType = body.event_type;
    if (eventType === undefined || eventType === null) errors.push("event_type: required");
    else if (typeof eventType !== "string" || eventType.trim() === "" || [...eventType].length > MAX_NAME_LENGTH || CONTROL_CHARACTERS.test(eventType)) {
        errors.push(`event_type: must be a non-blank string of at most ${MAX_NAME_LENGTH} characters without control characters`);
    }
    const updatedAt = body.updated_at;
    if (updatedAt === undefined || updatedAt === null) errors.push("updated_at: required");
    else if (typeof updatedAt !== "string" || parseUpdatedAt(updatedAt) === undefined) errors.push(`updated_at: ${UPDATED_AT_RULE}`);
    if (errors.length > 0) return { ok: false, errors };
    const result: PutRecordBody = { event_id: eventId as string, event_type: eventType as string, updated_at: updatedAt as string };
    if (body.event_data !== undefined && body.event_data !== null) result.event_data = body.event_data;
    return { ok: true, body: result };
}

/**
 * Epoch seconds of a seeds' `updated_at`: "YYYY-MM-DD hh:mm:ss" in UTC, or the ISO 8601 forms
 * with `T`, a fraction (truncated) and `Z` or an offset; undefined when not a real date and
 * time in [2000-01-01, 2100-01-01].
 * @example parseUpdatedAt("2024-02-22 03:03:02") // 1708570982
 */
export function parseUpdatedAt(text: string): number | undefined {
    const m = TIMESTAMP.exec(text);
    if (m === null) return undefined;
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
    let offsetSeconds = 0;
    const zone = m[8];
    if (zone !== undefined && zone !== "Z") {
        const digits = zone.slice(1).replace(":", "");
        const hours = Number(digits.slice(0, 2));
        const minutes = Number(digits.slice(2));
        if (hours > 23 || minutes > 59) return undefined;
        offsetSeconds = (zone[0] === "-" ? -1 : 1) * (hours * 3600 + minutes * 60);
    }
    const epoch = Date.UTC(year, month - 1, day, hour, minute, second) / 1000 - offsetSeconds;
    return epoch >= MIN_EVENT_TIMESTAMP && epoch <= MAX_EVENT_TIMESTAMP ? epoch : undefined;
}

/**
 * RFC 4122 UUID version 5 (SHA-1, name-based) of `name` in `namespace`.
 * @example uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org") // "886313e1-3b8a-5372-9b90-0c9aee199e5d"
 */
export function uuidV5(namespace: string, name: string): string {
    const hash = createHash("sha1").update(Buffer.from(namespace.replace(/-/g, ""), "hex")).update(name, "utf8").digest();
    hash[6] = (hash[6]! & 0x0f) | 0x50;
    hash[8] = (hash[8]! & 0x3f) | 0x80;
    const hex = hash.subarray(0, 16).toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The stable UUID of a non-UUID event id sent by `playerId` of `applicationId` (see the module comment). */
export function stableEventId(applicationId: string, playerId: string, sourceEventId: string): string {
    return uuidV5(PUT_RECORD_NAMESPACE, JSON.stringify([applicationId, playerId, sourceEventId]));
}

/** Maps a validated seeds' body to our game event (see the module comment for the rules). */
export function mapPutRecord(body: PutRecordBody, caller: PutRecordCaller): MappedPutRecord {
    const mapped: MappedPutRecord = { event: undefined as unknown as GameEvent };
    let eventId: string;
    if (UUID_ANY_CASE.test(body.event_id)) eventId = body.event_id.toLowerCase();
    else eventId = stableEventId(caller.applicationId, caller.playerId, body.event_id);
    if (eventId !== body.event_id) mapped.sourceEventId = body.event_id;
    const eventType = body.event_type.replace(NOT_NAME_CHARACTER, "_");
    if (eventType !== body.event_type) mapped.sourceEventType = body.event_type;
    const event: GameEvent = {
        event_id: eventId,
        event_type: eventType,
        event_name: eventType,
        event_timestamp: parseUpdatedAt(body.updated_at)!,
    };
    if (body.event_data !== undefined) {
        event.event_data = isJsonObject(body.event_data) ? body.event_data : { value: body.event_data };
    }
    mapped.event = event;
    return mapped;
}

/** The sink record of a mapped event. */
export function putRecordIngestRecord(mapped: MappedPutRecord, caller: PutRecordCaller, req: Pick<HttpRequest, "requestId" | "requestTimeEpoch">): PlayerIngestRecord {
    const record: PlayerIngestRecord = {
        application_id: caller.applicationId,
        event: mapped.event,
        request_id: req.requestId,
        request_time_epoch: req.requestTimeEpoch,
        player_id: caller.playerId,
    };
    if (mapped.sourceEventId !== undefined) record.source_event_id = mapped.sourceEventId;
    if (mapped.sourceEventType !== undefined) record.source_event_type = mapped.sourceEventType;
    return record;
}

/** What the put-record handler needs: one store call per accepted event (packing and retries are the ingest core's). */
export interface PutRecordDeps {
    /** Stores one record; the result of the ingest core's sink path (`{Result: "Ok"}` or an error code). */
    store(record: PlayerIngestRecord): Promise<EventResult>;
}

/** A response whose body is a JSON string, the seeds' answer shape. */
export function seedResponse(statusCode: number, text: string, headers: Record<string, string> = {}): HttpResponse {
    return { statusCode, headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(text) };
}

/**
 * Handles one put-record request for the caller the JWT authorizer let in.
 * @returns 200 "Successfully added event"; 401 "Unauthorized" without a caller; 400 naming the
 * fields; 413 when the event is over the stream's record limit; 500 "Failed" (retry) when the
 * sink could not store it.
 */
export async function handlePutRecordRequest(req: HttpRequest, caller: PutRecordCaller | undefined, deps: PutRecordDeps): Promise<HttpResponse> {
    if (caller === undefined || caller.applicationId === "" || caller.playerId === "") return seedResponse(401, PUT_RECORD_UNAUTHORIZED);
    const parsed = parsePutRecordBody(req.body);
    if (!parsed.ok) return badRequest(parsed.errors.join("; "));
    const mapped = mapPutRecord(parsed.body, caller);
    const validation = validateGameEvent(mapped.event);
    if (!validation.valid) return badRequest(validation.errors.join("; "));
    const result = await deps.store(putRecordIngestRecord(mapped, caller, req));
    if (result.Result === "Ok") return seedResponse(200, PUT_RECORD_OK);
    if (result.ErrorCode === "RecordTooLarge") {
        return errorResponse(413, "PayloadTooLarge", `event_data: ${result.ErrorMessage ?? "the event is over the stream's record limit"}`);
    }
    return seedResponse(500, PUT_RECORD_FAILED, { "Retry-After": "1" });
}

function daysInMonth(year: number, month: number): number {
    return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function printable(key: string): string {
    return /^[A-Za-z0-9_.$-]{1,64}$/.test(key) ? key : JSON.stringify(key.slice(0, 64));
}
