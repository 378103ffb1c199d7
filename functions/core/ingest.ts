/**
 * POST /applications/{applicationId}/events: validates each event, hands the valid ones to the
 * sink (packed, chunked, failed records retried) and answers every event in input order.
 * One bad event never rejects the batch; nothing is dropped silently.
 */
import type { HttpRequest, HttpResponse, IngestRecord } from "./contracts";
import { validateGameEvent } from "./event-schema";
import { checkJsonValue } from "./json-limits";
import { accessDenied, badRequest, errorResponse, isJsonObject, jsonResponse, parseJsonBody } from "./http";
import { chunkRecords, type PackedRecord, packLines, type PendingLine } from "./packing";
import type { Clock, EventSink, SinkRecordResult } from "./ports";
import { checkBodySize } from "./request-limits";

/** Most events accepted in one request. */
export const MAX_EVENTS_PER_REQUEST = 10_000;
/** Default number of attempts of a sink call (first try + retries of the failed records). */
export const DEFAULT_MAX_ATTEMPTS = 4;
/** Base and cap of the exponential backoff between attempts, milliseconds. */
export const BACKOFF_BASE_MS = 50;
export const BACKOFF_CAP_MS = 1_000;
/** Sink calls in flight at once for one request. */
export const SINK_CONCURRENCY = 4;
/** Error code of an event that failed at the sink without a service error code. */
export const SERVICE_UNAVAILABLE = "ServiceUnavailable";

/** What the ingest handler needs. */
export interface IngestDeps {
    sink: EventSink;
    clock: Clock;
    /** Waits between attempts; default setTimeout. */
    sleep?(ms: number): Promise<void>;
    /** Attempts per sink call; default 4. */
    maxAttempts?: number;
    /** Uniform random in [0, 1) for backoff jitter; default Math.random. */
    random?(): number;
}

/**
 * Who sent the request, beyond the application the authorizer allowed: the player of a JWT
 * (issue 16). API-key traffic has none.
 */
export interface IngestCaller {
    /** The token's player id; stored as `player_id` of every record. @default undefined (API key: absent = null) */
    playerId?: string;
}

/** A sink record with the player of a JWT (pacols adds `player_id` to IngestRecord itself). */
type PlayerRecord = IngestRecord & { player_id?: string | null };

/** Result of one event in the response. */
export type EventResult = { Result: "Ok" } | { Result: "Error"; ErrorCode: string; ErrorMessage?: string };

/** 200 response body. */
export interface IngestResponse {
    Total: number;
    FailedRecordCount: number;
    Events: EventResult[];
}

const OK: EventResult = Object.freeze({ Result: "Ok" }) as EventResult;
const SECONDS_PER_DAY = 86_400;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Handles one events request for the application the authorizer allowed.
 * @returns 200 `{Total, FailedRecordCount, Events}`; 400/403 for client errors; 503 when no
 * event could be stored because the sink failed (retry the request).
 */
export async function handleIngestRequest(req: HttpRequest, authorizedApplicationId: string, deps: IngestDeps, caller: IngestCaller = {}): Promise<HttpResponse> {
    const applicationId = req.pathParameters.applicationId;
    if (!applicationId || applicationId !== authorizedApplicationId) {
        return accessDenied(`applicationId: the ${caller.playerId === undefined ? "API key" : "player token"} is not authorized for this application`);
    }
    const oversized = checkBodySize(req.body);
    if (oversized) return oversized;
    const body = parseJsonBody(req.body);
    if (!body.ok) return body.response;
    if (!isJsonObject(body.value)) return badRequest("body: must be a JSON object {\"events\": [...]}");
    const events = body.value.events;
    if (!Array.isArray(events)) return badRequest("events: required, must be an array of events");
    if (events.length === 0) return badRequest("events: must contain at least 1 event");
    if (events.length > MAX_EVENTS_PER_REQUEST) {
        return badRequest(`events: at most ${MAX_EVENTS_PER_REQUEST} events per request (got ${events.length}); split the batch`);
    }

    const results: EventResult[] = new Array(events.length);
    const lines: PendingLine[] = [];
    for (let index = 0; index < events.length; index++) {
        const validation = validateGameEvent(events[index]);
        if (!validation.valid) {
            results[index] = { Result: "Error", ErrorCode: "InvalidEvent", ErrorMessage: joinMessages(validation.errors) };
            continue;
        }
        // The schema's string fields are ASCII by pattern; event_data is free JSON, checked here for
        // what the later stages cannot carry: depth, lone surrogates, inexact numbers (json-limits.ts).
        const data = validation.event.event_data;
        const dataErrors = data === undefined ? [] : checkJsonValue(data, "event_data");
        if (dataErrors.length > 0) {
            results[index] = { Result: "Error", ErrorCode: "InvalidEvent", ErrorMessage: joinMessages(dataErrors) };
            continue;
        }
        const record: PlayerRecord = {
            application_id: applicationId,
            event: validation.event,
            request_id: req.requestId,
            request_time_epoch: req.requestTimeEpoch,
        };
        if (caller.playerId !== undefined) record.player_id = caller.playerId;
        lines.push({
            index,
            line: JSON.stringify(record),
            partitionKey: validation.event.event_id,
            day: Math.floor(validation.event.event_timestamp / SECONDS_PER_DAY),
        });
    }

    const { records, tooLarge } = packLines(lines, deps.sink);
    for (const { index, bytes } of tooLarge) {
        results[index] = {
            Result: "Error",
            ErrorCode: "RecordTooLarge",
            ErrorMessage: `event: ${bytes} bytes once wrapped, over the ${deps.sink.maxRecordBytes}-byte record limit of the stream`,
        };
    }
    const sinkFailures = await sendAll(records, deps);
    for (const { eventIndexes, result } of sinkFailures) {
        const error: EventResult = { Result: "Error", ErrorCode: result.errorCode ?? SERVICE_UNAVAILABLE };
        if (result.errorMessage) error.ErrorMessage = result.errorMessage;
        for (const index of eventIndexes) results[index] = error;
    }
    let failed = 0;
    for (let i = 0; i < results.length; i++) {
        if (results[i] === undefined) results[i] = OK;
        else if (results[i]!.Result === "Error") failed++;
    }
    const response: IngestResponse = { Total: events.length, FailedRecordCount: failed, Events: results };
    const sinkFailedEvents = sinkFailures.reduce((n, f) => n + f.eventIndexes.length, 0);
    if (sinkFailedEvents > 0 && sinkFailedEvents === lines.length - tooLarge.length) {
        return errorResponse(503, "ServiceUnavailable", "no event could be stored: the event stream is unavailable; retry the request", {
            "Retry-After": "1",
        }, response);
    }
    return jsonResponse(200, response);
}

/**
 * Stores one record through the same packing, limits and retries as the events route (the
 * put-record route's store, put-record.ts).
 * @returns Ok, RecordTooLarge (over the sink's record limit) or the sink's error code after the retries
 */
export async function storeIngestRecord(record: IngestRecord, deps: IngestDeps): Promise<EventResult> {
    const line: PendingLine = {
        index: 0,
        line: JSON.stringify(record),
        partitionKey: record.event.event_id,
        day: Math.floor(record.event.event_timestamp / SECONDS_PER_DAY),
    };
    const { records, tooLarge } = packLines([line], deps.sink);
    if (tooLarge.length > 0) {
        return { Result: "Error", ErrorCode: "RecordTooLarge", ErrorMessage: `${tooLarge[0]!.bytes} bytes once wrapped, over the ${deps.sink.maxRecordBytes}-byte record limit of the stream` };
    }
    const failures = await sendAll(records, deps);
    if (failures.length === 0) return OK;
    const { result } = failures[0]!;
    const error: EventResult = { Result: "Error", ErrorCode: result.errorCode ?? SERVICE_UNAVAILABLE };
    if (result.errorMessage) error.ErrorMessage = result.errorMessage;
    return error;
}

/**
 * Longest ErrorMessage of one event, in characters once JSON-escaped. Messages echo field names
 * chosen by the client (an extra property's name), so without a bound a 5 MiB body of events
 * with many long or escape-heavy names could ask for a response above the 6 MB a Lambda may
 * return (request-limits.ts), failing the request with a 5xx. 10,000 events x 300 characters
 * stay far below it.
 */
export const MAX_ERROR_MESSAGE_CHARS = 300;

/** The messages joined with "; ", cut to {@link MAX_ERROR_MESSAGE_CHARS} escaped characters, naming how many were left out. */
export function joinMessages(messages: readonly string[]): string {
    const escapedLength = (text: string) => JSON.stringify(text).length - 2;
    let joined = "";
    for (let i = 0; i < messages.length; i++) {
        const next = i === 0 ? messages[i]! : `${joined}; ${messages[i]!}`;
        const rest = messages.length - i - 1;
        if (escapedLength(next) + (rest > 0 ? 24 : 0) <= MAX_ERROR_MESSAGE_CHARS) {
            joined = next;
            continue;
        }
        const suffix = ` ... (${messages.length - i} more)`;
        if (i > 0) return `${joined};${suffix}`;
        // A single message too long: keep its start (where the field name is).
        let cut = messages[0]!.slice(0, MAX_ERROR_MESSAGE_CHARS - suffix.length);
        while (escapedLength(cut) + suffix.length > MAX_ERROR_MESSAGE_CHARS) cut = cut.slice(0, Math.floor(cut.length * 0.8));
        return `${cut}...${rest > 0 ? ` (${rest} more)` : ""}`;
    }
    return joined;
}

interface SinkFailure {
    eventIndexes: number[];
    result: SinkRecordResult;
}

async function sendAll(records: PackedRecord[], deps: IngestDeps): Promise<SinkFailure[]> {
    const calls = chunkRecords(records, deps.sink);
    const failures: SinkFailure[] = [];
    let next = 0;
    const worker = async () => {
        while (next < calls.length) {
            const call = calls[next++]!;
            failures.push(...(await sendWithRetries(call, deps)));
        }
    };
    await Promise.all(Array.from({ length: Math.min(SINK_CONCURRENCY, calls.length) }, worker));
    return failures;
}

/** Sends one call; retries only the failed records, with exponential backoff and full jitter. */
async function sendWithRetries(call: PackedRecord[], deps: IngestDeps): Promise<SinkFailure[]> {
    const maxAttempts = Math.max(1, deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    const sleep = deps.sleep ?? defaultSleep;
    const random = deps.random ?? Math.random;
    let pending = call;
    let lastResults: SinkRecordResult[] = [];
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        if (attempt > 1) {
            const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 2));
            await sleep(Math.floor(random() * ceiling));
        }
        lastResults = await putOnce(pending, deps.sink);
        const stillFailed: PackedRecord[] = [];
        const failedResults: SinkRecordResult[] = [];
        for (let i = 0; i < pending.length; i++) {
            if (!lastResults[i]?.ok) {
                stillFailed.push(pending[i]!);
                failedResults.push(lastResults[i] ?? { ok: false, errorMessage: "the sink returned no result for this record" });
            }
        }
        pending = stillFailed;
        lastResults = failedResults;
        if (pending.length === 0) return [];
    }
    return pending.map((packed, i) => ({ eventIndexes: packed.eventIndexes, result: lastResults[i]! }));
}

/** One sink call; a thrown call fails every record with the error's name as code. */
async function putOnce(records: PackedRecord[], sink: EventSink): Promise<SinkRecordResult[]> {
    try {
        return await sink.putRecords(records.map((r) => r.record));
    } catch (err) {
        const name = err instanceof Error && err.name !== "Error" ? err.name : SERVICE_UNAVAILABLE;
        const failure: SinkRecordResult = { ok: false, errorCode: name, errorMessage: "the event stream rejected the call" };
        return records.map(() => failure);
    }
}
