/**
 * Conversion between API Gateway proxy events and the plain HttpRequest/HttpResponse of the core,
 * for both payload formats: 1.0 (the REST API's proxy integration) and 2.0 (the HTTP API's,
 * components/aws/http-api.ts). The core never sees either shape.
 *
 * Format 2.0 (AWS "Create AWS Lambda proxy integrations for HTTP APIs"): the method is
 * `requestContext.http.method`, the matched route is `routeKey` ("POST /applications/{applicationId}/events"),
 * header names are lowercase, duplicate headers are joined with commas, cookies come in
 * `cookies` (not in a `cookie` header), the request time is `requestContext.timeEpoch`, a Lambda
 * authorizer's context is `requestContext.authorizer.lambda`.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, APIGatewayProxyEventV2WithRequestContext, APIGatewayEventRequestContextV2 } from "aws-lambda";
import type { HttpRequest, HttpResponse } from "../../core/contracts";

/** A proxy event of payload format 2.0 (HTTP API), its authorizer part loosely typed (Lambda, IAM or none). */
export type ProxyEventV2 = APIGatewayProxyEventV2WithRequestContext<APIGatewayEventRequestContextV2 & {
    authorizer?: { lambda?: Record<string, unknown>; iam?: Record<string, unknown> };
}>;

/** A proxy event of either payload format. */
export type ProxyEvent = APIGatewayProxyEvent | ProxyEventV2;

/** Whether `event` is of payload format 2.0 (the HTTP API's). */
export function isPayloadV2(event: ProxyEvent): event is ProxyEventV2 {
    return (event as { version?: unknown }).version === "2.0";
}

/**
 * The resource template of a 2.0 route key: "POST /applications/{applicationId}" ->
 * "/applications/{applicationId}"; the `$default` route (or a key without a path) -> the raw path.
 */
export function resourceOfRouteKey(routeKey: string | undefined, rawPath: string): string {
    const space = routeKey?.indexOf(" ") ?? -1;
    return routeKey !== undefined && space > 0 ? routeKey.slice(space + 1) : rawPath;
}

function decodedBody(body: string | null | undefined, isBase64Encoded: boolean | undefined): string | null {
    if (body === null || body === undefined) return null;
    return isBase64Encoded ? Buffer.from(body, "base64").toString("utf8") : body;
}

/** The core's view of an API Gateway proxy event (payload format 1.0 or 2.0). */
export function toHttpRequest(event: ProxyEvent): HttpRequest {
    if (isPayloadV2(event)) {
        const headers: Record<string, string | undefined> = { ...(event.headers ?? {}) };
        // 2.0 moves the Cookie header into `cookies`; the core reads headers only.
        if (event.cookies !== undefined && event.cookies.length > 0 && headers.cookie === undefined) headers.cookie = event.cookies.join("; ");
        return {
            method: event.requestContext?.http?.method ?? "",
            resource: resourceOfRouteKey(event.routeKey, event.rawPath ?? ""),
            pathParameters: event.pathParameters ?? {},
            headers,
            queryStringParameters: event.queryStringParameters ?? null,
            body: decodedBody(event.body, event.isBase64Encoded),
            requestId: event.requestContext?.requestId ?? "",
            requestTimeEpoch: event.requestContext?.timeEpoch ?? Date.now(),
        };
    }
    return {
        method: event.httpMethod,
        resource: event.resource,
        pathParameters: event.pathParameters ?? {},
        headers: event.headers ?? {},
        queryStringParameters: event.queryStringParameters ?? null,
        body: decodedBody(event.body, event.isBase64Encoded),
        requestId: event.requestContext?.requestId ?? "",
        requestTimeEpoch: event.requestContext?.requestTimeEpoch ?? Date.now(),
    };
}

/**
 * The context a Lambda authorizer returned (1.0: `requestContext.authorizer`; 2.0:
 * `requestContext.authorizer.lambda`), or undefined.
 */
export function authorizerContext(event: ProxyEvent): Record<string, unknown> | undefined {
    if (isPayloadV2(event)) return event.requestContext?.authorizer?.lambda ?? undefined;
    return (event.requestContext?.authorizer ?? undefined) as Record<string, unknown> | undefined;
}

/** The proxy result of a core response (the same shape answers both payload formats). */
export function toProxyResult(response: HttpResponse): APIGatewayProxyResult {
    return { statusCode: response.statusCode, headers: response.headers, body: response.body };
}
