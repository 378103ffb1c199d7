/**
 * JSON HTTP responses and the error shape of the guidance: `{error, error_detail}`.
 */
import type { HttpRequest, HttpResponse } from "./contracts";

const JSON_HEADERS = { "Content-Type": "application/json" } as const;

/** A JSON response. */
export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
    return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** An error response `{error, error_detail}`, plus `extra` fields when given. */
export function errorResponse(
    statusCode: number,
    error: string,
    detail: string,
    headers: Record<string, string> = {},
    extra: object = {},
): HttpResponse {
    return jsonResponse(statusCode, { error, error_detail: detail, ...extra }, headers);
}

/** 400 with a field-level message. */
export function badRequest(detail: string): HttpResponse {
    return errorResponse(400, "BadRequest", detail);
}

/** 404 for an unknown resource. */
export function notFound(detail: string): HttpResponse {
    return errorResponse(404, "NotFound", detail);
}

/** 403 `{"error":"AccessDenied"}` (the guidance's unauthorized shape), with an optional detail. */
export function accessDenied(detail?: string): HttpResponse {
    return detail === undefined ? jsonResponse(403, { error: "AccessDenied" }) : errorResponse(403, "AccessDenied", detail);
}

/** 405 with the Allow header. */
export function methodNotAllowed(method: string, resource: string, allowed: readonly string[]): HttpResponse {
    return errorResponse(405, "MethodNotAllowed", `${method} is not allowed on ${resource} (allowed: ${allowed.join(", ")})`, {
        Allow: allowed.join(", "),
    });
}

/** Outcome of {@link parseJsonBody}. */
export type JsonBody = { ok: true; value: unknown } | { ok: false; response: HttpResponse };

/** Parses the request body as JSON; a missing or malformed body is a 400 naming the problem. */
export function parseJsonBody(body: string | null): JsonBody {
    if (body === null || body.trim() === "") return { ok: false, response: badRequest("body: required (a JSON object)") };
    try {
        return { ok: true, value: JSON.parse(body) };
    } catch (err) {
        return { ok: false, response: badRequest(`body: not valid JSON (${(err as Error).message})`) };
    }
}

/** Whether `value` is a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Case-insensitive header lookup. */
export function headerValue(req: Pick<HttpRequest, "headers">, name: string): string | undefined {
    const wanted = name.toLowerCase();
    for (const [key, value] of Object.entries(req.headers)) {
        if (key.toLowerCase() === wanted) return value;
    }
    return undefined;
}
