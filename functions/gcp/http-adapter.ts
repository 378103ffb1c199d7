/**
 * HTTP adapter of the Cloud Functions: the Functions Framework's Express request becomes the
 * core's HttpRequest (route template and path parameters from the shared route table, the stage
 * prefix checked), and the core's answer is written back. API Gateway does this on AWS; here the
 * function does it, with the same routes, shapes and answers.
 *
 * - events: the API key is checked by `authorizeApiKey` (one Firestore read per uncached decision,
 *   the same decision cache as the AWS authorizer), then `handleIngestRequest`; CORS preflight
 *   answered here (API Gateway answers it on AWS).
 * - player tokens (issue 16, when the stack has an OIDC issuer): the same events URL also serves
 *   `POST /{stage}/put-record` (the seeds' contract), and the events route takes a JWT or an API
 *   key as the application's AuthModes allow: the decisions of functions/core/player-auth, as the
 *   AWS player authorizer makes them.
 * - admin: Google IAM has already authenticated the caller (the function accepts only callers
 *   holding `roles/run.invoker` on it: no unauthenticated access), then `handleAdminRequest`.
 */
import { type AdminDeps, handleAdminRequest } from "../core/admin";
import { authorizeApiKey, type DecisionCache } from "../core/authorize";
import type { HttpRequest, HttpResponse } from "../core/contracts";
import { corsResponseHeaders } from "../core/cors";
import { accessDenied, errorResponse, headerValue, jsonResponse, notFound } from "../core/http";
import { handleIngestRequest, type IngestDeps, storeIngestRecord } from "../core/ingest";
import type { JwtDecisionCache } from "../core/player-auth/jwt-decision-cache";
import type { JwtVerifier } from "../core/player-auth/jwt-verifier";
import { type ApplicationAuthModes, authorizeEventsRequest, authorizePlayerToken } from "../core/player-auth/player-authorizer";
import { handlePutRecordRequest, PUT_RECORD_FAILED, seedResponse } from "../core/player-auth/put-record";
import type { Clock, KeyStore } from "../core/ports";
import { ADMIN_ROUTES, EVENTS, PUT_RECORD, resolveRoute } from "../core/routes";

/** The parts of an Express request (Functions Framework) the adapter reads. */
export interface FrameworkRequest {
    method: string;
    /** Path without the query string (`req.path`). */
    path: string;
    headers: Record<string, string | string[] | undefined>;
    query?: Record<string, unknown>;
    /** Raw body bytes (the Functions Framework sets `rawBody`). */
    rawBody?: Buffer;
}

/** The parts of an Express response the adapter writes. */
export interface FrameworkResponse {
    status(code: number): FrameworkResponse;
    set(headers: Record<string, string>): FrameworkResponse;
    send(body: string): unknown;
}

/** A request resolved against the API's routes, or the answer to give when it does not resolve. */
export type Resolved = { ok: true; request: HttpRequest } | { ok: false; response: HttpResponse };

function flatHeaders(headers: FrameworkRequest["headers"]): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(headers)) out[k] = Array.isArray(v) ? v.join(",") : v;
    return out;
}

function flatQuery(query: FrameworkRequest["query"]): Record<string, string | undefined> | null {
    if (!query) return null;
    const out: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(query)) if (typeof v === "string") out[k] = v;
    return Object.keys(out).length === 0 ? null : out;
}

/**
 * The core's request: `/{stage}/...` resolved to a route template.
 * @param requestId request id (the Functions Framework's execution id, or a new one)
 */
export function toHttpRequest(req: FrameworkRequest, stage: string, requestId: string, nowMs: number): Resolved {
    const segments = req.path.split("/").filter((s) => s !== "");
    if (segments[0] !== stage) return { ok: false, response: notFound(`no such resource: ${req.path} (paths start with /${stage})`) };
    const route = resolveRoute("/" + segments.slice(1).join("/"));
    if (!route) return { ok: false, response: notFound(`no such resource: ${req.path}`) };
    return {
        ok: true,
        request: {
            method: req.method.toUpperCase(),
            resource: route.resource,
            pathParameters: route.pathParameters,
            headers: flatHeaders(req.headers),
            queryStringParameters: flatQuery(req.query),
            body: req.rawBody && req.rawBody.length > 0 ? req.rawBody.toString("utf8") : null,
            requestId,
            requestTimeEpoch: nowMs,
        },
    };
}

/** Writes a core response. */
export function writeResponse(res: FrameworkResponse, response: HttpResponse): void {
    res.status(response.statusCode).set(response.headers).send(response.body);
}

/** What the events function needs. */
export interface EventsHttpDeps {
    stage: string;
    keys: KeyStore;
    cache?: DecisionCache;
    ingest: () => IngestDeps;
    clock: Clock;
    allowedOrigins: readonly string[];
    newRequestId(): string;
    /** Player tokens (stacks with an OIDC issuer). @default undefined (API keys only, no /put-record) */
    player?: { verifier: JwtVerifier; applications: ApplicationAuthModes; cache?: JwtDecisionCache };
}

/** `POST /{stage}/put-record`: the player's JWT, then the put-record core (the seeds' answers). */
async function answerPutRecord(request: HttpRequest, deps: EventsHttpDeps & { player: NonNullable<EventsHttpDeps["player"]> }): Promise<HttpResponse> {
    if (request.method !== "POST") return errorResponse(405, "MethodNotAllowed", `${request.method} is not allowed on ${PUT_RECORD} (allowed: POST)`, { Allow: "POST" });
    let decision;
    try {
        decision = await authorizePlayerToken(headerValue(request, "Authorization"), undefined, { ...deps.player, clock: deps.clock });
    } catch {
        // The issuer's keys are unreachable: the seeds' 500 "Failed" (retry), never a deny.
        return seedResponse(500, PUT_RECORD_FAILED, { "Retry-After": "1" });
    }
    const caller = decision.allow ? { applicationId: decision.applicationId, playerId: decision.playerId } : undefined;
    return handlePutRecordRequest(request, caller, { store: (record) => storeIngestRecord(record, deps.ingest()) });
}

/** The events route: preflight, API key check, then the ingest core. Every answer carries CORS headers. */
export async function answerEvents(req: FrameworkRequest, deps: EventsHttpDeps): Promise<HttpResponse> {
    const cors = corsResponseHeaders(headerValue({ headers: flatHeaders(req.headers) }, "Origin"), deps.allowedOrigins);
    const withCors = (r: HttpResponse): HttpResponse => ({ ...r, headers: { ...r.headers, ...cors } });
    const requestId = headerValue({ headers: flatHeaders(req.headers) }, "Function-Execution-Id") ?? deps.newRequestId();
    const resolved = toHttpRequest(req, deps.stage, requestId, deps.clock.now());
    if (!resolved.ok) return withCors(resolved.response);
    const request = resolved.request;
    if (request.resource === PUT_RECORD && deps.player !== undefined) return answerPutRecord(request, { ...deps, player: deps.player });
    if (request.resource !== EVENTS) return withCors(notFound(`no such resource: ${req.path} (this URL serves ${EVENTS} only)`));
    if (request.method === "OPTIONS") {
        return withCors({ statusCode: 204, headers: { "Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "Authorization, Content-Type", "Access-Control-Max-Age": "3600" }, body: "" });
    }
    if (request.method !== "POST") return withCors(errorResponse(405, "MethodNotAllowed", `${request.method} is not allowed on ${EVENTS} (allowed: POST)`, { Allow: "POST" }));
    if (deps.player !== undefined) {
        const decision = await authorizeEventsRequest(headerValue(request, "Authorization"), request.pathParameters.applicationId, {
            keys: deps.keys, clock: deps.clock, keyCache: deps.cache, applications: deps.player.applications,
            player: { verifier: deps.player.verifier, cache: deps.player.cache },
        });
        if (!decision.allow) return withCors(accessDenied());
        const playerId = decision.credential === "JWT" ? decision.playerId : undefined;
        return withCors(await handleIngestRequest(request, decision.applicationId, deps.ingest(), { playerId }));
    }
    const decision = await authorizeApiKey(headerValue(request, "Authorization"), request.pathParameters.applicationId, { keys: deps.keys, clock: deps.clock, cache: deps.cache });
    if (!decision.allow) return withCors(accessDenied());
    return withCors(await handleIngestRequest(request, decision.applicationId, deps.ingest()));
}

/** What the admin function needs. */
export interface AdminHttpDeps {
    stage: string;
    admin: () => AdminDeps;
    clock: Clock;
    newRequestId(): string;
}

/** The admin routes (the events route is served by the events function's URL). */
export async function answerAdmin(req: FrameworkRequest, deps: AdminHttpDeps): Promise<HttpResponse> {
    const requestId = headerValue({ headers: flatHeaders(req.headers) }, "Function-Execution-Id") ?? deps.newRequestId();
    const resolved = toHttpRequest(req, deps.stage, requestId, deps.clock.now());
    if (!resolved.ok) return resolved.response;
    if (!Object.hasOwn(ADMIN_ROUTES, resolved.request.resource)) {
        return notFound(`no such resource: ${req.path} (events are sent to the events URL)`);
    }
    return handleAdminRequest(resolved.request, deps.admin());
}

/** A 500 that names the request id and nothing else (never the error or the body). */
export function internalError(requestId: string): HttpResponse {
    return errorResponse(500, "InternalError", `the request failed on the server; request id ${requestId}`);
}

export { jsonResponse };
