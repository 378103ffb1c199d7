/**
 * The local REST API: the deployed API's routes, JSON shapes and status codes, served by node's
 * `http` and calling the same core handlers (admin, authorizer, ingest). What API Gateway does in
 * AWS happens here: stage prefix, route matching, the payload limits (request-limits.ts), the
 * authorizer step and CORS on the events route.
 *
 * Being reachable from a browser on the same machine, it also refuses what a web page could
 * forge: a `Host` that is neither an IP literal, `localhost` nor a name it was told to serve (DNS
 * rebinding: a page of evil.example re-resolved to 127.0.0.1 sends `Host: evil.example`), and a
 * body that is not declared `application/json` (a cross-site form or a no-preflight `fetch` can
 * only send `text/plain`, form or missing content types).
 *
 * `POST /put-record` (issue 16, when a player-token issuer is configured) answers the seeds'
 * clients exactly as the deployed API: the player's JWT in `Authorization`, `401 "Unauthorized"`
 * without a valid one. Its body is read whatever its declared type (the seeds' engine samples do
 * not all declare one, and API Gateway does not look): a cross-site page cannot forge it, as it
 * cannot set `Authorization` without a preflight this server never answers for that route.
 */
import * as crypto from "node:crypto";
import * as http from "node:http";
import type { HttpRequest, HttpResponse } from "../functions/core/contracts";
import { corsResponseHeaders } from "../functions/core/cors";
import { errorResponse, jsonResponse } from "../functions/core/http";
import { invokePayloadTooLarge, LAMBDA_SYNC_PAYLOAD_BYTES, MAX_REQUEST_BODY_BYTES, proxyEventBytes } from "../functions/core/request-limits";
import { PUT_RECORD_FAILED, PUT_RECORD_UNAUTHORIZED, type PutRecordCaller, seedResponse } from "../functions/core/player-auth/put-record";
import { EVENTS, PUT_RECORD, resolveRoute } from "../functions/core/routes";

/** The events route's decision: the application, and the player when the credential was a JWT. */
export type LocalAuthorizeDecision = { allow: true; applicationId: string; playerId?: string } | { allow: false };

/** The put-record route, present when the stack has a player-token issuer. */
export interface LocalPutRecord {
    /** The caller of a player token (the `Authorization` value), or undefined (401). */
    authorize(authorization: string | undefined): Promise<PutRecordCaller | undefined>;
    handle(req: HttpRequest, caller: PutRecordCaller): Promise<HttpResponse>;
}

/** The largest body accepted: the deployed API's (request-limits.ts). */
export const MAX_BODY_BYTES = MAX_REQUEST_BODY_BYTES;

export interface LocalApiOptions {
    /** The stage name; paths may start with `/<stage>` (like the deployed URL) or not. */
    stageName: string;
    /** Origins allowed by CORS on the events route ("*" for any). */
    corsAllowOrigins: readonly string[];
    /** When set, admin routes require `Authorization: Bearer <adminToken>`. */
    adminToken?: string;
    /** @default 5 MiB ({@link MAX_BODY_BYTES}) */
    maxBodyBytes?: number;
    /**
     * Host names (without port) accepted in the `Host` header besides IP literals and `localhost`,
     * e.g. the name the server was started with.
     * @default []
     * @example ["gap.lan"]
     */
    allowedHostnames?: readonly string[];
    admin(req: HttpRequest): Promise<HttpResponse>;
    /** The events route's authorizer: an API key or (with an issuer) a player JWT. */
    authorize(authorization: string | undefined, applicationId: string | undefined): Promise<LocalAuthorizeDecision>;
    ingest(req: HttpRequest, authorizedApplicationId: string, playerId?: string): Promise<HttpResponse>;
    /**
     * `POST /put-record`; read at each request (the issuer starts after the server).
     * @default undefined (404: no player-token issuer on this stack)
     */
    putRecord?(): LocalPutRecord | undefined;
    log?(message: string): void;
}

class PayloadTooLargeError extends Error {}

/** Creates the server (not listening yet). */
export function createLocalApiServer(options: LocalApiOptions): http.Server {
    const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
    const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
    const allowedHostnames = new Set((options.allowedHostnames ?? []).map((h) => h.toLowerCase()));
    return http.createServer((req, res) => {
        void handle(req, res).catch((error) => {
            log(`request failed: ${(error as Error).stack ?? error}`);
            if (!res.headersSent) send(res, errorResponse(500, "InternalServerError", "the local server failed; see its log"));
            else res.destroy();
        });
    });

    async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const hostProblem = checkHost(req.headers.host, allowedHostnames);
        if (hostProblem) {
            req.resume();
            send(res, errorResponse(421, "MisdirectedRequest", hostProblem), true);
            return;
        }
        const url = parseTarget(req.url);
        if (url === undefined) {
            req.resume();
            send(res, errorResponse(400, "BadRequest", "request target: not a valid origin-form path (e.g. /live/applications)"), true);
            return;
        }
        const stagePrefix = `/${options.stageName}`;
        let routePath = url.pathname;
        if (routePath === stagePrefix || routePath.startsWith(`${stagePrefix}/`)) routePath = routePath.slice(stagePrefix.length);
        const route = resolveRoute(routePath);
        const method = (req.method ?? "GET").toUpperCase();
        if (route === undefined) {
            req.resume();
            send(res, errorResponse(404, "NotFound", `no route for ${method} ${url.pathname}`));
            return;
        }
        if (route.resource === PUT_RECORD) {
            await handlePutRecord(req, res, method, route.resource);
            return;
        }
        const isEvents = route.resource === EVENTS;
        const cors = isEvents ? corsHeaders(req.headers.origin) : {};
        if (isEvents && method === "OPTIONS") {
            req.resume();
            send(res, { statusCode: 204, headers: {
                ...cors,
                "Access-Control-Allow-Methods": "OPTIONS,POST",
                "Access-Control-Allow-Headers": "Content-Type,Authorization",
                "Access-Control-Max-Age": "600",
            }, body: "" });
            return;
        }
        if (!isEvents && options.adminToken !== undefined && !bearerMatches(req.headers.authorization, options.adminToken)) {
            req.resume();
            send(res, errorResponse(403, "AccessDenied",
                "admin routes require the header Authorization: Bearer <admin token> (printed at start) when the server listens beyond loopback"));
            return;
        }
        const typeProblem = checkContentType(req.headers["content-type"], req.headers["content-length"], req.headers["transfer-encoding"]);
        if (typeProblem) {
            req.resume();
            send(res, errorResponse(415, "UnsupportedMediaType", typeProblem, cors), true);
            return;
        }
        const read = await readProxyParts(req, res,
            `body: over the limit of ${maxBodyBytes} bytes (${(maxBodyBytes / 1048576).toFixed(0)} MiB) per request; split the batch`, cors);
        if (read === undefined) return;
        const { body, headers } = read;
        const query: Record<string, string> = {};
        url.searchParams.forEach((value, name) => {
            query[name] = value;
        });
        const request = httpRequest(method, route.resource, route.pathParameters, headers, Object.keys(query).length > 0 ? query : null, body);
        if (!isEvents) {
            send(res, await options.admin(request));
            return;
        }
        if (method !== "POST") {
            send(res, errorResponse(405, "MethodNotAllowed", `${method} is not allowed on ${EVENTS} (allowed: POST)`, { ...cors, Allow: "POST" }));
            return;
        }
        const decision = await options.authorize(headers.authorization, route.pathParameters.applicationId);
        if (!decision.allow) {
            send(res, jsonResponse(403, { error: "AccessDenied" }, cors));
            return;
        }
        const response = await options.ingest(request, decision.applicationId, decision.playerId);
        send(res, { ...response, headers: { ...response.headers, ...cors } });
    }

    /** `POST /put-record`: the seeds' answers; the body is read whatever its declared type (see the module comment). */
    async function handlePutRecord(req: http.IncomingMessage, res: http.ServerResponse, method: string, resource: string): Promise<void> {
        const route = options.putRecord?.();
        if (route === undefined) {
            req.resume();
            send(res, errorResponse(404, "NotFound", `${resource}: needs a player-token issuer on this stack (set oidcIssuerUrl; docs/api.md)`));
            return;
        }
        if (method !== "POST") {
            req.resume();
            send(res, errorResponse(405, "MethodNotAllowed", `${method} is not allowed on ${resource} (allowed: POST)`, { Allow: "POST" }));
            return;
        }
        const authorization = headerOf(req.headers.authorization);
        let caller: PutRecordCaller | undefined;
        try {
            caller = await route.authorize(authorization);
        } catch (error) {
            // The issuer's keys could not be obtained: a server failure (the seeds' 500), never a deny.
            req.resume();
            log(`put-record authorizer failed: ${(error as Error).message}`);
            send(res, seedResponse(500, PUT_RECORD_FAILED));
            return;
        }
        if (caller === undefined) {
            req.resume();
            send(res, seedResponse(401, PUT_RECORD_UNAUTHORIZED));
            return;
        }
        const read = await readProxyParts(req, res, `body: over the limit of ${maxBodyBytes} bytes per request`, {});
        if (read === undefined) return;
        send(res, await route.handle(httpRequest("POST", resource, {}, read.headers, null, read.body), caller));
    }

    /**
     * Reads what the Lambda proxy event of the request carries: the body (at most maxBodyBytes)
     * and the headers (a repeated one joined by ","). Answers 413 itself, and then resolves
     * undefined, when the body is over the limit (`bodyTooLarge`, closing the connection) or when
     * the proxy event would be over the synchronous invoke payload: in AWS the body travels
     * JSON-escaped inside the proxy event of a synchronous Lambda invoke.
     */
    async function readProxyParts(
        req: http.IncomingMessage, res: http.ServerResponse, bodyTooLarge: string, cors: Record<string, string>,
    ): Promise<{ body: string | null; headers: Record<string, string | undefined> } | undefined> {
        let body: string | null;
        try {
            body = await readBody(req, maxBodyBytes);
        } catch (error) {
            if (error instanceof PayloadTooLargeError) {
                send(res, errorResponse(413, "PayloadTooLarge", bodyTooLarge, cors), true);
                return undefined;
            }
            throw error;
        }
        const headers: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(req.headers)) headers[name] = headerOf(value);
        const eventBytes = proxyEventBytes(body, headers);
        if (eventBytes > LAMBDA_SYNC_PAYLOAD_BYTES) {
            send(res, invokePayloadTooLarge(eventBytes, cors));
            return undefined;
        }
        return { body, headers };
    }

    function corsHeaders(origin: string | undefined): Record<string, string> {
        return corsResponseHeaders(origin, options.corsAllowOrigins);
    }
}

function headerOf(value: string | string[] | undefined): string | undefined {
    return Array.isArray(value) ? value.join(",") : value;
}

function httpRequest(
    method: string, resource: string, pathParameters: Record<string, string>, headers: Record<string, string | undefined>,
    queryStringParameters: Record<string, string> | null, body: string | null,
): HttpRequest {
    return { method, resource, pathParameters, headers, queryStringParameters, body, requestId: crypto.randomUUID(), requestTimeEpoch: Date.now() };
}

/** The request target as a URL, or undefined when it is no origin-form path (`///`, `http://[`). */
function parseTarget(target: string | undefined): URL | undefined {
    const raw = target ?? "/";
    if (!raw.startsWith("/") || raw.startsWith("//")) return undefined;
    try {
        return new URL(raw, "http://localhost");
    } catch {
        return undefined;
    }
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Why the Host header is refused, or undefined when it names this server. */
export function checkHost(host: string | undefined, allowed: ReadonlySet<string>): string | undefined {
    if (host === undefined || host === "") return "Host header: required";
    const match = /^(\[[0-9A-Fa-f:.]+\]|[^:\[\]]+)(?::(\d{1,5}))?$/.exec(host);
    const name = match?.[1]?.toLowerCase();
    if (name === undefined) return "Host header: not a host name with an optional port";
    if (name.startsWith("[") || IPV4.test(name) || name === "localhost" || name.endsWith(".localhost") || allowed.has(name)) return undefined;
    return `Host header: ${JSON.stringify(name.slice(0, 100))} is not a name of this server (use an IP address or localhost); refused against DNS rebinding`;
}

/** Why the declared media type of a body is refused, or undefined (no body, or JSON). */
export function checkContentType(contentType: string | undefined, contentLength: string | undefined, transferEncoding: string | undefined): string | undefined {
    const hasBody = transferEncoding !== undefined || (contentLength !== undefined && contentLength !== "0");
    if (!hasBody) return undefined;
    const mediaType = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
    if (mediaType === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType)) return undefined;
    return contentType === undefined
        ? "Content-Type header: required with a body (application/json)"
        : `Content-Type header: must be application/json (got ${JSON.stringify(contentType.slice(0, 100))})`;
}

function bearerMatches(header: string | undefined, token: string): boolean {
    const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
    if (!match) return false;
    const given = Buffer.from(match[1].trim());
    const expected = Buffer.from(token);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/**
 * Reads the body. Beyond `maxBytes` the rest is read and discarded (so the client gets the 413
 * instead of a reset connection) and the promise rejects with PayloadTooLargeError.
 */
function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string | null> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size <= maxBytes) chunks.push(chunk);
            else chunks.length = 0;
        });
        req.on("end", () => {
            if (size > maxBytes) reject(new PayloadTooLargeError());
            else resolve(size === 0 ? null : Buffer.concat(chunks).toString("utf8"));
        });
        req.on("error", reject);
    });
}

function send(res: http.ServerResponse, response: HttpResponse, closeConnection = false): void {
    const headers: Record<string, string> = { ...response.headers };
    if (closeConnection) headers.Connection = "close";
    res.writeHead(response.statusCode, headers);
    res.end(response.body);
}
