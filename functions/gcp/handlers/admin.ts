/**
 * Cloud Function (HTTP) of the admin routes. Reachable only by callers holding roles/run.invoker
 * on it (Google IAM checks the identity token before the function runs).
 */
import { Firestore } from "@google-cloud/firestore";
import type { AdminDeps } from "../../core/admin";
import { newUuid } from "../../core/api-keys";
import { systemClock } from "../../core/ports";
import { APPLICATIONS_COLLECTION, AUTHORIZATIONS_COLLECTION, AUTHORIZER_CACHE_TTL_SECONDS, FIRESTORE_DATABASE, LOG_LEVEL, numberEnv, requiredEnv, STAGE_NAME } from "../environment";
import { FirestoreApplicationRegistry, FirestoreKeyStore } from "../firestore-store";
import { answerAdmin, type FrameworkRequest, type FrameworkResponse, internalError, writeResponse } from "../http-adapter";
import { jsonLogger } from "../logger";

const logger = jsonLogger("admin", process.env[LOG_LEVEL]);
let deps: AdminDeps | undefined;

function dependencies(): AdminDeps {
    if (deps) return deps;
    const db = new Firestore({ databaseId: requiredEnv(FIRESTORE_DATABASE), ignoreUndefinedProperties: true });
    deps = {
        registry: new FirestoreApplicationRegistry(db, requiredEnv(APPLICATIONS_COLLECTION)),
        keys: new FirestoreKeyStore(db, requiredEnv(AUTHORIZATIONS_COLLECTION)),
        clock: systemClock,
        newId: newUuid,
        authorizerCacheTtlSeconds: numberEnv(AUTHORIZER_CACHE_TTL_SECONDS, 60),
    };
    return deps;
}

/** HTTP entry point. */
export async function handler(req: FrameworkRequest, res: FrameworkResponse): Promise<void> {
    const requestId = newUuid();
    try {
        const response = await answerAdmin(req, { stage: requiredEnv(STAGE_NAME), admin: dependencies, clock: systemClock, newRequestId: () => requestId });
        logger.info("admin request", { method: req.method, statusCode: response.statusCode, requestId });
        writeResponse(res, response);
    } catch (err) {
        logger.error("admin request failed", { requestId, error: (err as Error).message });
        writeResponse(res, internalError(requestId));
    }
}
