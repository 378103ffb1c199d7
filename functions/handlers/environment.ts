/**
 * Environment variables of the Lambda functions. The Pulumi components set them with these names.
 */

export const APPLICATIONS_TABLE = "APPLICATIONS_TABLE";
export const AUTHORIZATIONS_TABLE = "AUTHORIZATIONS_TABLE";
/** "DIRECT_BATCH" or "KINESIS_DATA_STREAMS". */
export const INGEST_MODE = "INGEST_MODE";
/** Firehose delivery stream (DIRECT_BATCH). */
export const DELIVERY_STREAM_NAME = "DELIVERY_STREAM_NAME";
/** Kinesis stream (KINESIS_DATA_STREAMS). */
export const STREAM_NAME = "STREAM_NAME";
export const APPLICATION_CACHE_TTL_SECONDS = "APPLICATION_CACHE_TTL_SECONDS";
export const AUTHORIZER_CACHE_TTL_SECONDS = "AUTHORIZER_CACHE_TTL_SECONDS";
/** Origins allowed by CORS on the events route, comma-separated (`*` for any). */
export const CORS_ALLOW_ORIGINS = "CORS_ALLOW_ORIGINS";
export const POWERTOOLS_SERVICE_NAME = "POWERTOOLS_SERVICE_NAME";
export const POWERTOOLS_METRICS_NAMESPACE = "POWERTOOLS_METRICS_NAMESPACE";
export const POWERTOOLS_LOG_LEVEL = "POWERTOOLS_LOG_LEVEL";

/** Every variable name, for components and tests. */
export const ENVIRONMENT_VARIABLES = [
    APPLICATIONS_TABLE,
    AUTHORIZATIONS_TABLE,
    INGEST_MODE,
    DELIVERY_STREAM_NAME,
    STREAM_NAME,
    APPLICATION_CACHE_TTL_SECONDS,
    AUTHORIZER_CACHE_TTL_SECONDS,
    CORS_ALLOW_ORIGINS,
    POWERTOOLS_SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL,
] as const;

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
