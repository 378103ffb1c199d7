/**
 * Environment variables of the Cloud Functions. The GCP components set them with these names.
 */

// Names shared with AWS come from the one list of functions/core/environment-names.ts.
export { APPLICATION_CACHE_TTL_SECONDS, AUTHORIZER_CACHE_TTL_SECONDS, CORS_ALLOW_ORIGINS, INGEST_MODE } from "../core/environment-names";

export const GCP_PROJECT = "GCP_PROJECT";
export const FIRESTORE_DATABASE = "FIRESTORE_DATABASE";
export const APPLICATIONS_COLLECTION = "APPLICATIONS_COLLECTION";
export const AUTHORIZATIONS_COLLECTION = "AUTHORIZATIONS_COLLECTION";
/** Topic the events function publishes to (full id `projects/p/topics/t` or short name). */
export const TARGET_TOPIC = "TARGET_TOPIC";
/** Topic of validated rows (the processing function publishes to it). */
export const ROWS_TOPIC = "ROWS_TOPIC";
/** First path segment of every URL (`live`). */
export const STAGE_NAME = "STAGE_NAME";
/** Pull subscription of the real-time function (`projects/p/subscriptions/s`). */
export const REALTIME_SUBSCRIPTION = "REALTIME_SUBSCRIPTION";
/** Prefix of the custom metric types, e.g. `custom.googleapis.com/game_analytics/mygame`. */
export const METRICS_PREFIX = "METRICS_PREFIX";
export const LOG_LEVEL = "LOG_LEVEL";

export { numberEnv, requiredEnv } from "../core/environment-reading";
