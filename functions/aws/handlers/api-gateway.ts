/**
 * Conversion between API Gateway proxy events and the plain HttpRequest/HttpResponse of the core.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import type { HttpRequest, HttpResponse } from "../../core/contracts";

/** The core's view of an API Gateway REST proxy event. */
export function toHttpRequest(event: APIGatewayProxyEvent): HttpRequest {
    const body = event.body === null || event.body === undefined ? null : event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
    return {
        method: event.httpMethod,
        resource: event.resource,
        pathParameters: event.pathParameters ?? {},
        headers: event.headers ?? {},
        queryStringParameters: event.queryStringParameters ?? null,
        body,
        requestId: event.requestContext?.requestId ?? "",
        requestTimeEpoch: event.requestContext?.requestTimeEpoch ?? Date.now(),
    };
}

/** The proxy result of a core response. */
export function toProxyResult(response: HttpResponse): APIGatewayProxyResult {
    return { statusCode: response.statusCode, headers: response.headers, body: response.body };
}
