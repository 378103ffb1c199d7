/**
 * Cloud Function (HTTP, Pub/Sub push target) turning ingest records into rows
 * (KINESIS_DATA_STREAMS mode). Reachable only with the push subscription's OIDC token.
 */
import { Firestore } from "@google-cloud/firestore";
import { PubSub } from "@google-cloud/pubsub";
import { ingestionIdGenerator } from "../../core/ingestion-id";
import { systemClock } from "../../core/ports";
import { cachedApplicationLookup } from "../../core/rows";
import { APPLICATION_CACHE_TTL_SECONDS, APPLICATIONS_COLLECTION, FIRESTORE_DATABASE, LOG_LEVEL, numberEnv, requiredEnv, ROWS_TOPIC } from "../environment";
import { FirestoreApplicationRegistry } from "../firestore-store";
import type { FrameworkResponse } from "../http-adapter";
import { jsonLogger } from "../logger";
import { deliverPushMessage } from "../push-delivery";

const logger = jsonLogger("processing", process.env[LOG_LEVEL]);
const registry = new FirestoreApplicationRegistry(new Firestore({ databaseId: requiredEnv(FIRESTORE_DATABASE) }), requiredEnv(APPLICATIONS_COLLECTION));
const lookupApplication = cachedApplicationLookup(registry, numberEnv(APPLICATION_CACHE_TTL_SECONDS, 60) * 1000, systemClock);
const rowsTopic = new PubSub().topic(requiredEnv(ROWS_TOPIC));
const newId = ingestionIdGenerator();

/** HTTP entry point (the body is the push request, parsed by the Functions Framework). */
export async function handler(req: { body?: unknown }, res: FrameworkResponse): Promise<void> {
    const outcome = await deliverPushMessage(req.body, rowsTopic, { lookupApplication, clock: systemClock, newId });
    if (outcome.status === 204) logger.info("record delivered", { rows: outcome.rows });
    else logger.warn("record not delivered; Pub/Sub redelivers it, then dead-letters it", { status: outcome.status, reason: outcome.reason });
    res.status(outcome.status).set({}).send("");
}
