/**
 * Lambda entry point of POST /applications/{applicationId}/events. The authorizer's context
 * carries the application the credential belongs to and, for a player JWT (the player authorizer,
 * `credential: "JWT"`), the player, stored as `player_id` of every record.
 */
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { APIGatewayProxyResult } from "aws-lambda";
import { corsResponseHeaders, parseAllowedOrigins } from "../../core/cors";
import { accessDenied, errorResponse, headerValue } from "../../core/http";
import { handleIngestRequest } from "../../core/ingest";
import { type EventSink, systemClock } from "../../core/ports";
import { sinkForMode } from "../adapters/sink-for-mode";
import { authorizerContext, type ProxyEvent, toHttpRequest, toProxyResult } from "./api-gateway";
import { CORS_ALLOW_ORIGINS } from "../../core/environment-names";
import { observability } from "./observability";

const { logger, metrics } = observability("events");
let sink: EventSink | undefined;
const allowedOrigins = parseAllowedOrigins(process.env[CORS_ALLOW_ORIGINS]);

export { sinkForMode } from "../adapters/sink-for-mode";

/**
 * Events handler (REST payload 1.0 or HTTP API payload 2.0): every answer carries the CORS
 * headers of the request's origin (an HTTP API with a CORS configuration replaces them by its own).
 */
export async function handler(event: ProxyEvent): Promise<APIGatewayProxyResult> {
    const result = await answer(event);
    const cors = corsResponseHeaders(headerValue({ headers: event.headers ?? {} }, "Origin"), allowedOrigins);
    return { ...result, headers: { ...result.headers, ...cors } };
}

/** The player of a JWT request (the player authorizer's context); undefined for an API key. */
export function playerOf(event: ProxyEvent): string | undefined {
    const context = authorizerContext(event);
    const playerId = context?.playerId;
    return context?.credential === "JWT" && typeof playerId === "string" && playerId !== "" ? playerId : undefined;
}

async function answer(event: ProxyEvent): Promise<APIGatewayProxyResult> {
    const request = toHttpRequest(event);
    const authorizedApplicationId = authorizerContext(event)?.applicationId;
    if (typeof authorizedApplicationId !== "string" || authorizedApplicationId === "") {
        return toProxyResult(accessDenied());
    }
    try {
        sink ??= sinkForMode();
        const response = await handleIngestRequest(request, authorizedApplicationId, { sink, clock: systemClock }, { playerId: playerOf(event) });
        if (response.statusCode === 200 || response.statusCode === 503) {
            const body = JSON.parse(response.body) as { Total: number; FailedRecordCount: number };
            metrics.addMetric("EventsReceived", MetricUnit.Count, body.Total);
            metrics.addMetric("EventsFailed", MetricUnit.Count, body.FailedRecordCount);
        }
        logger.info("events request", { applicationId: authorizedApplicationId, statusCode: response.statusCode, requestId: request.requestId });
        return toProxyResult(response);
    } catch (err) {
        logger.error("events request failed", { applicationId: authorizedApplicationId, requestId: request.requestId, error: err as Error });
        return toProxyResult(errorResponse(500, "InternalError", `the request failed on the server; request id ${request.requestId}`));
    } finally {
        metrics.publishStoredMetrics();
    }
}
