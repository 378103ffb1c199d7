/**
 * Environment variables of the Cloud Functions. The GCP components set them with these names.
 */

export const GCP_PROJECT = "GCP_PROJECT";
export const FIRESTORE_DATABASE = "FIRESTORE_DATABASE";
export const APPLICATIONS_COLLECTION = "APPLICATIONS_COLLECTION";
export const AUTHORIZATIONS_COLLECTION = "AUTHORIZATIONS_COLLECTION";
/** "DIRECT_BATCH" (rows to the rows topic) or "KINESIS_DATA_STREAMS" (ingest records to the events topic). */
export const INGEST_MODE = "INGEST_MODE";
/** Topic the events function publishes to (full id `projects/p/topics/t` or short name). */
export const TARGET_TOPIC = "TARGET_TOPIC";
/** Topic of validated rows (the processing function publishes to it). */
export const ROWS_TOPIC = "ROWS_TOPIC";
/** First path segment of every URL (`live`). */
export const STAGE_NAME = "STAGE_NAME";
export const AUTHORIZER_CACHE_TTL_SECONDS = "AUTHORIZER_CACHE_TTL_SECONDS";
export const APPLICATION_CACHE_TTL_SECONDS = "APPLICATION_CACHE_TTL_SECONDS";
export const CORS_ALLOW_ORIGINS = "CORS_ALLOW_ORIGINS";
/** Pull subscription of the real-time function (`projects/p/subscriptions/s`). */
export const REALTIME_SUBSCRIPTION = "REALTIME_SUBSCRIPTION";
/** Prefix of the custom metric types, e.g. `custom.googleapis.com/game_analytics/mygame`. */
export const METRICS_PREFIX = "METRICS_PREFIX";
export const LOG_LEVEL = "LOG_LEVEL";

/** A required variable; throws naming it when absent (a deployment error, found at cold start). */
export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
    const value = env[name];
    if (value === undefined || value === "") throw new Error(`environment variable ${name} is required`);
    return value;
}

/** A non-negative number variable, or `fallback` when absent. */
export function numberEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`environment variable ${name} must be a non-negative number (got ${raw})`);
    return value;
}
