/**
 * Lambda entry point of POST /applications/{applicationId}/events. The authorizer's context
 * carries the application the key belongs to.
 */
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { corsResponseHeaders, parseAllowedOrigins } from "../../core/cors";
import { accessDenied, errorResponse, headerValue } from "../../core/http";
import { handleIngestRequest } from "../../core/ingest";
import { type EventSink, systemClock } from "../../core/ports";
import { toHttpRequest, toProxyResult } from "./api-gateway";
import { CORS_ALLOW_ORIGINS, DELIVERY_STREAM_NAME, FIREHOSE_PACK_EVENTS, INGEST_MODE, KINESIS_PACK_EVENTS, STREAM_NAME } from "../../core/environment-names";
import { requiredEnv } from "./environment";
import { observability } from "./observability";

const { logger, metrics } = observability("events");
let sink: EventSink | undefined;
const allowedOrigins = parseAllowedOrigins(process.env[CORS_ALLOW_ORIGINS]);

/**
 * The sink of the configured ingest mode. The SDK client and adapter of that mode only are
 * required, here, at first use: a deployment uses one of the two, and requiring the other client
 * would add its load time to every cold start (bench/bundles). esbuild keeps these `require`s
 * lazy in the bundle (the adapters are wrapped, the SDK is external).
 */
export function sinkForMode(env: NodeJS.ProcessEnv = process.env): EventSink {
    const mode = requiredEnv(INGEST_MODE, env);
    if (mode === "DIRECT_BATCH") {
        const deliveryStreamName = requiredEnv(DELIVERY_STREAM_NAME, env);
        const { FirehoseClient } = require("@aws-sdk/client-firehose") as typeof import("@aws-sdk/client-firehose");
        const { FirehoseEventSink } = require("../adapters/firehose-sink") as typeof import("../adapters/firehose-sink");
        return new FirehoseEventSink(new FirehoseClient({}), deliveryStreamName, packFlag(FIREHOSE_PACK_EVENTS, env));
    }
    if (mode === "KINESIS_DATA_STREAMS") {
        const streamName = requiredEnv(STREAM_NAME, env);
        const { KinesisClient } = require("@aws-sdk/client-kinesis") as typeof import("@aws-sdk/client-kinesis");
        const { KinesisEventSink } = require("../adapters/kinesis-sink") as typeof import("../adapters/kinesis-sink");
        return new KinesisEventSink(new KinesisClient({}), streamName, packFlag(KINESIS_PACK_EVENTS, env));
    }
    throw new Error(`environment variable ${INGEST_MODE} must be DIRECT_BATCH or KINESIS_DATA_STREAMS (got ${mode})`);
}

/** A packing flag: unset, "" or "true" packs; "false" puts one event per record; anything else is a deployment error. */
function packFlag(name: string, env: NodeJS.ProcessEnv): boolean {
    const pack = env[name];
    if (pack !== undefined && pack !== "" && pack !== "true" && pack !== "false") {
        throw new Error(`environment variable ${name} must be true or false (got ${pack})`);
    }
    return pack !== "false";
}

/** Events handler: every answer carries the CORS headers of the request's origin. */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    const result = await answer(event);
    const cors = corsResponseHeaders(headerValue({ headers: event.headers ?? {} }, "Origin"), allowedOrigins);
    return { ...result, headers: { ...result.headers, ...cors } };
}

async function answer(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    const request = toHttpRequest(event);
    const authorizedApplicationId = event.requestContext?.authorizer?.applicationId;
    if (typeof authorizedApplicationId !== "string" || authorizedApplicationId === "") {
        return toProxyResult(accessDenied());
    }
    try {
        sink ??= sinkForMode();
        const response = await handleIngestRequest(request, authorizedApplicationId, { sink, clock: systemClock });
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
