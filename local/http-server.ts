/**
 * The local REST API: the deployed API's routes, JSON shapes and status codes, served by node's
 * `http` and calling the same core handlers (admin, authorizer, ingest). What API Gateway does in
 * AWS happens here: stage prefix, route matching, the 10 MB payload limit, the authorizer step
 * and CORS on the events route.
 */
import * as crypto from "node:crypto";
import * as http from "node:http";
import type { AuthorizeDecision } from "../functions/core/authorize";
import type { HttpRequest, HttpResponse } from "../functions/core/contracts";
import { corsResponseHeaders } from "../functions/core/cors";
import { errorResponse, jsonResponse } from "../functions/core/http";
import { EVENTS, resolveRoute } from "../functions/core/routes";

/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface LocalApiOptions {
    /** The stage name; paths may start with `/<stage>` (like the deployed URL) or not. */
    stageName: string;
    /** Origins allowed by CORS on the events route ("*" for any). */
    corsAllowOrigins: readonly string[];
    /** When set, admin routes require `Authorization: Bearer <adminToken>`. */
    adminToken?: string;
    /** @default 10 MiB */
    maxBodyBytes?: number;
    admin(req: HttpRequest): Promise<HttpResponse>;
    authorize(apiKeyValue: string | undefined, applicationId: string | undefined): Promise<AuthorizeDecision>;
    ingest(req: HttpRequest, authorizedApplicationId: string): Promise<HttpResponse>;
    log?(message: string): void;
}

class PayloadTooLargeError extends Error {}

/** Creates the server (not listening yet). */
export function createLocalApiServer(options: LocalApiOptions): http.Server {
    const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
    const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
    return http.createServer((req, res) => {
        void handle(req, res).catch((error) => {
            log(`request failed: ${(error as Error).stack ?? error}`);
            if (!res.headersSent) send(res, errorResponse(500, "InternalServerError", "the local server failed; see its log"));
            else res.destroy();
        });
    });

    async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const url = new URL(req.url ?? "/", "http://localhost");
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
        let body: string | null;
        try {
            body = await readBody(req, maxBodyBytes);
        } catch (error) {
            if (error instanceof PayloadTooLargeError) {
                send(res, errorResponse(413, "PayloadTooLarge", `body: at most ${maxBodyBytes} bytes per request; split the batch`, cors), true);
                return;
            }
            throw error;
        }
        const headers: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(",") : value;
        const query: Record<string, string> = {};
        url.searchParams.forEach((value, name) => {
            query[name] = value;
        });
        const request: HttpRequest = {
            method,
            resource: route.resource,
            pathParameters: route.pathParameters,
            headers,
            queryStringParameters: Object.keys(query).length > 0 ? query : null,
            body,
            requestId: crypto.randomUUID(),
            requestTimeEpoch: Date.now(),
        };
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
        const response = await options.ingest(request, decision.applicationId);
        send(res, { ...response, headers: { ...response.headers, ...cors } });
    }

    function corsHeaders(origin: string | undefined): Record<string, string> {
        return corsResponseHeaders(origin, options.corsAllowOrigins);
    }
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
