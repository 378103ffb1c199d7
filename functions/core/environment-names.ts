/**
 * THE one source of the environment variable names of the pipeline's functions: the components
 * (infrastructure) write them, the handlers read them. Neutral: no imports, no cloud.
 *
 * Components use the constants as keys (`{ [APPLICATIONS_TABLE]: table.name }`), handlers read them
 * through `requiredEnv` / `numberEnv` (functions/aws/handlers/environment.ts).
 */

/** Name of the applications table. */
export const APPLICATIONS_TABLE = "APPLICATIONS_TABLE";
/** Name of the API keys (authorizations) table. */
export const AUTHORIZATIONS_TABLE = "AUTHORIZATIONS_TABLE";
/** "DIRECT_BATCH" or "KINESIS_DATA_STREAMS". */
export const INGEST_MODE = "INGEST_MODE";
/**
 * "false": the Kinesis sink puts one event per record (the REDSHIFT data stack: the streaming
 * materialized view parses one JSON document per record). Unset or "true": packed records.
 */
export const KINESIS_PACK_EVENTS = "KINESIS_PACK_EVENTS";
/**
 * "false": the Firehose sink puts one event per record (tableFormat ICEBERG: Firehose's Iceberg
 * destination reads each record as one JSON row, docs/iceberg.md). Unset or "true": packed records.
 */
export const FIREHOSE_PACK_EVENTS = "FIREHOSE_PACK_EVENTS";
/** Firehose delivery stream (DIRECT_BATCH). */
export const DELIVERY_STREAM_NAME = "DELIVERY_STREAM_NAME";
/** Kinesis stream (KINESIS_DATA_STREAMS). */
export const STREAM_NAME = "STREAM_NAME";
/** Seconds an application lookup is cached by the processing function (default 60). */
export const APPLICATION_CACHE_TTL_SECONDS = "APPLICATION_CACHE_TTL_SECONDS";
/** Seconds an authorizer decision is cached (default 60). */
export const AUTHORIZER_CACHE_TTL_SECONDS = "AUTHORIZER_CACHE_TTL_SECONDS";
/** Origins allowed by CORS on the events route, comma-separated (`*` for any). */
export const CORS_ALLOW_ORIGINS = "CORS_ALLOW_ORIGINS";
/** Service name of the structured logger and metrics. */
export const POWERTOOLS_SERVICE_NAME = "POWERTOOLS_SERVICE_NAME";
/** Metrics namespace (the workload name, or the real-time namespace). */
export const POWERTOOLS_METRICS_NAMESPACE = "POWERTOOLS_METRICS_NAMESPACE";
/** Log level of the structured logger. */
export const POWERTOOLS_LOG_LEVEL = "POWERTOOLS_LOG_LEVEL";

/** Dimension values kept per spell/item/currency/map metric and window (the rest is summed under "other"). */
export const REALTIME_TOP_N = "REALTIME_TOP_N";
/** Byte budget of the window state (Lambda's limit is 1 MB per shard). */
export const REALTIME_STATE_BUDGET_BYTES = "REALTIME_STATE_BUDGET_BYTES";
/** Distinct spell/item/currency/map values tracked per application and window before new ones count under "other". */
export const REALTIME_MAX_KEYS_PER_DIMENSION = "REALTIME_MAX_KEYS_PER_DIMENSION";
/** Length of the event-time windows, seconds (default 60). */
export const REALTIME_WINDOW_SECONDS = "REALTIME_WINDOW_SECONDS";
/** Allowed out-of-orderness of the watermark, seconds (default 5). */
export const REALTIME_WATERMARK_SECONDS = "REALTIME_WATERMARK_SECONDS";
/** Events stamped more than this many seconds after their arrival are FutureEvents (default 300). */
export const REALTIME_MAX_FUTURE_SECONDS = "REALTIME_MAX_FUTURE_SECONDS";
/** Where the real-time function writes the window metrics: CLOUDWATCH (EMF on stdout) or OPENSEARCH. */
export const REALTIME_DESTINATION = "REALTIME_DESTINATION";
/** OpenSearch Serverless collection endpoint (https://<id>.<region>.aoss.amazonaws.com), OPENSEARCH only. */
export const OPENSEARCH_ENDPOINT = "OPENSEARCH_ENDPOINT";
/** Index the real-time metrics are written to, OPENSEARCH only. */
export const OPENSEARCH_INDEX = "OPENSEARCH_INDEX";

/** "DATA_LAKE" or "REDSHIFT" (the admin function's POST /redshift/setup reports only in REDSHIFT). */
export const DATA_STACK = "DATA_STACK";
/** Redshift Serverless workgroup of the warehouse (REDSHIFT). */
export const REDSHIFT_WORKGROUP_NAME = "REDSHIFT_WORKGROUP_NAME";
/** Database of the warehouse's views (REDSHIFT). */
export const REDSHIFT_DATABASE = "REDSHIFT_DATABASE";
/** Schema of the streaming materialized view and the views (REDSHIFT). */
export const REDSHIFT_SCHEMA = "REDSHIFT_SCHEMA";
/** The streaming materialized view's name (REDSHIFT). */
export const REDSHIFT_RECORDS_VIEW = "REDSHIFT_RECORDS_VIEW";
/** The events view's name (REDSHIFT). */
export const REDSHIFT_EVENTS_VIEW = "REDSHIFT_EVENTS_VIEW";
/** The sample views' names, comma-separated (REDSHIFT). */
export const REDSHIFT_VIEW_NAMES = "REDSHIFT_VIEW_NAMES";
/** ARN of the namespace's managed admin secret (the refresh monitor reads system views with it). */
export const REDSHIFT_SECRET_ARN = "REDSHIFT_SECRET_ARN";

/** OIDC issuer of the player tokens (player authorizer). */
export const OIDC_ISSUER_URL = "OIDC_ISSUER_URL";
export const OIDC_AUDIENCE = "OIDC_AUDIENCE";
export const OIDC_PLAYER_ID_CLAIM = "OIDC_PLAYER_ID_CLAIM";
export const OIDC_APPLICATION_CLAIM = "OIDC_APPLICATION_CLAIM";
export const OIDC_APPLICATION_ID = "OIDC_APPLICATION_ID";
export const OIDC_CLOCK_SKEW_SECONDS = "OIDC_CLOCK_SKEW_SECONDS";
export const OIDC_JWKS_URL = "OIDC_JWKS_URL";
export const OIDC_ALGORITHMS = "OIDC_ALGORITHMS";

/**
 * Environment variable of each OIDC setting, keyed by the setting's name
 * (functions/core/player-auth/oidc-settings.ts `OIDC_SETTING_KEYS`).
 */
export const OIDC_ENVIRONMENT = {
    oidcIssuerUrl: OIDC_ISSUER_URL,
    oidcAudience: OIDC_AUDIENCE,
    oidcPlayerIdClaim: OIDC_PLAYER_ID_CLAIM,
    oidcApplicationClaim: OIDC_APPLICATION_CLAIM,
    oidcApplicationId: OIDC_APPLICATION_ID,
    oidcClockSkewSeconds: OIDC_CLOCK_SKEW_SECONDS,
    oidcJwksUrl: OIDC_JWKS_URL,
    oidcAlgorithms: OIDC_ALGORITHMS,
} as const;

/** Every variable name a function of the pipeline reads. */
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
    REALTIME_TOP_N,
    REALTIME_STATE_BUDGET_BYTES,
    REALTIME_MAX_KEYS_PER_DIMENSION,
    REALTIME_WINDOW_SECONDS,
    REALTIME_WATERMARK_SECONDS,
    REALTIME_MAX_FUTURE_SECONDS,
    REALTIME_DESTINATION,
    OPENSEARCH_ENDPOINT,
    OPENSEARCH_INDEX,
    DATA_STACK,
    REDSHIFT_WORKGROUP_NAME,
    REDSHIFT_DATABASE,
    REDSHIFT_SCHEMA,
    REDSHIFT_RECORDS_VIEW,
    REDSHIFT_EVENTS_VIEW,
    REDSHIFT_VIEW_NAMES,
    REDSHIFT_SECRET_ARN,
    ...Object.values(OIDC_ENVIRONMENT),
] as const;

/** One of {@link ENVIRONMENT_VARIABLES}. */
export type EnvironmentVariable = (typeof ENVIRONMENT_VARIABLES)[number];

/** The stream archiver (REDSHIFT data stack): the lake bucket it writes to. */
export const LAKE_BUCKET = "LAKE_BUCKET";
/** The stream archiver: ARN of the lake's KMS key (SSE-KMS of every object it writes). */
export const LAKE_KEY_ARN = "LAKE_KEY_ARN";
/** The stream archiver: folder of the events table in the lake. */
export const RAW_EVENTS_PREFIX = "RAW_EVENTS_PREFIX";
/** The stream archiver: folder of the error output (Firehose's `firehose-errors`). */
export const ERRORS_PREFIX = "ERRORS_PREFIX";
/** The stream archiver: folder of the raw record backup (s3BackupMode); unset: no backup. */
export const RAW_BACKUP_PREFIX = "RAW_BACKUP_PREFIX";
