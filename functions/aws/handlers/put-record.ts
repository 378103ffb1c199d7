/**
 * Lambda entry point of `POST /put-record` (issue 16): the seeds' player-facing route behind the
 * player authorizer (player-authorizer.ts), whose context names the application and the player
 * of the JWT. A thin adapter: the mapping and answers are functions/core/player-auth/put-record.ts,
 * the store is the events route's sink path (packing, limits, retries: core/ingest.ts).
 */
import type { APIGatewayProxyResult } from "aws-lambda";
import { storeIngestRecord } from "../../core/ingest";
import { handlePutRecordRequest, PUT_RECORD_FAILED, type PutRecordCaller, seedResponse } from "../../core/player-auth/put-record";
import { type Clock, type EventSink, systemClock } from "../../core/ports";
import { sinkForMode } from "../adapters/sink-for-mode";
import { authorizerContext, type ProxyEvent, toHttpRequest, toProxyResult } from "./api-gateway";
import { observability } from "./observability";

/** The caller the player authorizer let in (context `credential: "JWT"`), or undefined. */
export function callerOf(event: ProxyEvent): PutRecordCaller | undefined {
    const context = authorizerContext(event);
    const applicationId = context?.applicationId;
    const playerId = context?.playerId;
    if (context?.credential !== "JWT" || typeof applicationId !== "string" || typeof playerId !== "string") return undefined;
    return { applicationId, playerId };
}

/** What the handler needs; {@link handler} builds it from the environment at first use. */
export interface PutRecordHandlerDeps {
    sink(): EventSink;
    clock: Clock;
    log?: { info(message: string, fields: Record<string, unknown>): void; error(message: string, fields: Record<string, unknown>): void };
}

/** The handler as a function of its dependencies. */
export function createPutRecordHandler(deps: PutRecordHandlerDeps): (event: ProxyEvent) => Promise<APIGatewayProxyResult> {
    return async (event) => {
        const request = toHttpRequest(event);
        const caller = callerOf(event);
        try {
            // The sink is built at the first event to store (a 401 or 400 needs none).
            const response = await handlePutRecordRequest(request, caller, { store: (record) => storeIngestRecord(record, { sink: deps.sink(), clock: deps.clock }) });
            deps.log?.info("put-record request", { applicationId: caller?.applicationId, statusCode: response.statusCode, requestId: request.requestId });
            return toProxyResult(response);
        } catch (err) {
            deps.log?.error("put-record request failed", { applicationId: caller?.applicationId, requestId: request.requestId, error: err as Error });
            return toProxyResult(seedResponse(500, PUT_RECORD_FAILED, { "Retry-After": "1" }));
        }
    };
}

let built: ((event: ProxyEvent) => Promise<APIGatewayProxyResult>) | undefined;

/** Lambda entry point. */
export async function handler(event: ProxyEvent): Promise<APIGatewayProxyResult> {
    if (built === undefined) {
        const { logger, metrics } = observability("put-record");
        let sink: EventSink | undefined;
        const inner = createPutRecordHandler({ sink: () => (sink ??= sinkForMode()), clock: systemClock, log: logger });
        built = async (e) => {
            try {
                return await inner(e);
            } finally {
                metrics.publishStoredMetrics();
            }
        };
    }
    return built(event);
}
