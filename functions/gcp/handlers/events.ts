/**
 * Cloud Function (HTTP) of POST /{stage}/applications/{applicationId}/events.
 * KINESIS_DATA_STREAMS: publishes ingest records to the events topic; DIRECT_BATCH: publishes
 * validated, enriched rows to the rows topic (BigQuery subscription). With an OIDC issuer in the
 * environment (issue 16), also POST /{stage}/put-record and player JWTs on the events route.
 */
import { Firestore } from "@google-cloud/firestore";
import { PubSub } from "@google-cloud/pubsub";
import { newUuid } from "../../core/api-keys";
import { DecisionCache } from "../../core/authorize";
import { parseAllowedOrigins } from "../../core/cors";
import { ingestionIdGenerator } from "../../core/ingestion-id";
import { type EventSink, systemClock } from "../../core/ports";
import { cachedApplicationLookup } from "../../core/rows";
import { APPLICATION_CACHE_TTL_SECONDS, APPLICATIONS_COLLECTION, AUTHORIZATIONS_COLLECTION, AUTHORIZER_CACHE_TTL_SECONDS, CORS_ALLOW_ORIGINS, FIRESTORE_DATABASE, INGEST_MODE, LOG_LEVEL, numberEnv, requiredEnv, STAGE_NAME, TARGET_TOPIC } from "../environment";
import { FirestoreApplicationRegistry, FirestoreKeyStore } from "../firestore-store";
import { answerEvents, type FrameworkRequest, type FrameworkResponse, internalError, writeResponse } from "../http-adapter";
import { jsonLogger } from "../logger";
import { PubSubEventSink } from "../pubsub-sink";
import { CachedApplicationAuthModes, RegistryAuthModes } from "../../core/player-auth/cached-auth-modes";
import { JwtDecisionCache } from "../../core/player-auth/jwt-decision-cache";
import { createJwtVerifier } from "../../core/player-auth/jwt-verifier";
import { hasOidcIssuer, oidcSettingsFromEnv } from "../../core/player-auth/oidc-environment";

const logger = jsonLogger("events", process.env[LOG_LEVEL]);
const db = new Firestore({ databaseId: requiredEnv(FIRESTORE_DATABASE), ignoreUndefinedProperties: true });
const keys = new FirestoreKeyStore(db, requiredEnv(AUTHORIZATIONS_COLLECTION));
const cache = new DecisionCache(numberEnv(AUTHORIZER_CACHE_TTL_SECONDS, 60) * 1000);
const allowedOrigins = parseAllowedOrigins(process.env[CORS_ALLOW_ORIGINS]);
let sink: EventSink | undefined;
/** Player tokens, when the stack has an issuer (built at cold start: a bad setting fails the deployment's first call loudly). */
const player = hasOidcIssuer() ? {
    verifier: createJwtVerifier(oidcSettingsFromEnv(), { clock: systemClock }),
    applications: new CachedApplicationAuthModes(new RegistryAuthModes(new FirestoreApplicationRegistry(db, requiredEnv(APPLICATIONS_COLLECTION))), systemClock, numberEnv(APPLICATION_CACHE_TTL_SECONDS, 60) * 1000),
    cache: new JwtDecisionCache(),
} : undefined;

function eventSink(): EventSink {
    if (sink) return sink;
    const topic = new PubSub().topic(requiredEnv(TARGET_TOPIC), { batching: { maxMessages: 1000, maxMilliseconds: 10 } });
    const mode = requiredEnv(INGEST_MODE);
    if (mode === "DIRECT_BATCH") {
        const registry = new FirestoreApplicationRegistry(db, requiredEnv(APPLICATIONS_COLLECTION));
        const lookupApplication = cachedApplicationLookup(registry, numberEnv(APPLICATION_CACHE_TTL_SECONDS, 60) * 1000, systemClock);
        sink = new PubSubEventSink(topic, "rows", { lookupApplication, clock: systemClock, newId: ingestionIdGenerator() });
    } else if (mode === "KINESIS_DATA_STREAMS") {
        sink = new PubSubEventSink(topic, "records");
    } else {
        throw new Error(`environment variable ${INGEST_MODE} must be DIRECT_BATCH or KINESIS_DATA_STREAMS (got ${mode})`);
    }
    return sink;
}

/** HTTP entry point. */
export async function handler(req: FrameworkRequest, res: FrameworkResponse): Promise<void> {
    const requestId = newUuid();
    try {
        const response = await answerEvents(req, {
            stage: requiredEnv(STAGE_NAME), keys, cache, clock: systemClock, allowedOrigins,
            ingest: () => ({ sink: eventSink(), clock: systemClock }),
            newRequestId: () => requestId,
            player,
        });
        logger.info("events request", { statusCode: response.statusCode, requestId });
        writeResponse(res, response);
    } catch (err) {
        logger.error("events request failed", { requestId, error: (err as Error).message });
        writeResponse(res, internalError(requestId));
    }
}
