/**
 * Shapes that cross component boundaries: HTTP requests/responses of the handlers, the record
 * written by the ingest stage and read by the row core, and the stored row. (Firehose's
 * transformation records are AWS's: functions/aws/firehose-transform.ts.)
 */

/** A game event as sent by clients (REFERENCE section 3). */
export interface GameEvent {
    event_id: string;
    event_type: string;
    event_name: string;
    event_timestamp: number;
    event_version?: string;
    app_version?: string;
    event_data?: Record<string, unknown>;
}

/**
 * One line written by the ingest stage to the sink. Several lines may be packed into one sink
 * record, separated by "\n" (each line is one JSON document).
 */
export interface IngestRecord {
    application_id: string;
    event: GameEvent;
    /** API Gateway request id of the request that carried the event. */
    request_id: string;
    /** Epoch milliseconds when API Gateway received the request. */
    request_time_epoch: number;
    /**
     * The player id of the JWT that authenticated the request (the claim the stack's OIDC
     * settings name); absent or null for API-key traffic. Stored as the `player_id` column.
     */
    player_id?: string | null;
    /**
     * The event_id as the client sent it when it was not a UUID (the seeds' put-record clients
     * send "00006"): `event.event_id` then holds the stable UUID it maps to. Stored as the
     * `source_event_id` column; absent or null otherwise.
     */
    source_event_id?: string | null;
}

/** A plain HTTP request as the handlers see it (API Gateway proxy event, or the local server). */
export interface HttpRequest {
    method: string;
    /** Resource template, e.g. "/applications/{applicationId}/authorizations/{apiKeyId}". */
    resource: string;
    pathParameters: Record<string, string | undefined>;
    headers: Record<string, string | undefined>;
    /** Query string parameters (`limit`, `nextToken` of the admin listings); absent = none. */
    queryStringParameters?: Record<string, string | undefined> | null;
    body: string | null;
    requestId: string;
    /** Epoch milliseconds. */
    requestTimeEpoch: number;
}

export interface HttpResponse {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
}

/** One stored row of the events table (REFERENCE section 3 "Stored columns"), before partitioning. */
export interface EventRow {
    event_id: string;
    event_type: string;
    event_name: string;
    event_version: string | null;
    event_timestamp: number;
    app_version: string | null;
    application_id: string;
    application_name: string | null;
    /** JSON text of event_data. */
    event_data: string | null;
    /** JSON text: {ingestion_id, processing_timestamp, processing_status, validation_errors?, api:{request_id, request_time_epoch}} */
    metadata: string;
    /** The player id of the JWT that carried the event; null for API-key traffic. */
    player_id: string | null;
    /** The client's own event_id when it was not a UUID (event_id is then its stable UUID); null otherwise. */
    source_event_id: string | null;
}

/**
 * Longest player id a row accepts, characters: the JWT verifier's bound on the player id claim
 * (functions/core/player-auth/jwt-verifier.ts MAX_PLAYER_ID_LENGTH; a test keeps them equal).
 */
export const PLAYER_ID_MAX_LENGTH = 256;
/**
 * Longest source event id a row accepts, characters: put-record's bound on a non-UUID event_id
 * (functions/core/player-auth/put-record.ts MAX_SOURCE_EVENT_ID_LENGTH; a test keeps them equal).
 */
export const SOURCE_EVENT_ID_MAX_LENGTH = 128;

/**
 * Column order and Glue/DuckDB types of the events table; partitions come after. New columns are
 * only ever appended (player_id and source_event_id came after metadata): Parquet and Hive read
 * columns by name and Iceberg by field id, so files written before a column existed read it as
 * null, and a Glue column addition is an in-place table update, never a replacement.
 */
export const EVENT_COLUMNS: ReadonlyArray<{ name: keyof EventRow; glueType: string; duckdbType: string }> = [
    { name: "event_id", glueType: "string", duckdbType: "VARCHAR" },
    { name: "event_type", glueType: "string", duckdbType: "VARCHAR" },
    { name: "event_name", glueType: "string", duckdbType: "VARCHAR" },
    { name: "event_version", glueType: "string", duckdbType: "VARCHAR" },
    { name: "event_timestamp", glueType: "bigint", duckdbType: "BIGINT" },
    { name: "app_version", glueType: "string", duckdbType: "VARCHAR" },
    { name: "application_id", glueType: "string", duckdbType: "VARCHAR" },
    { name: "application_name", glueType: "string", duckdbType: "VARCHAR" },
    { name: "event_data", glueType: "string", duckdbType: "VARCHAR" },
    { name: "metadata", glueType: "string", duckdbType: "VARCHAR" },
    { name: "player_id", glueType: "string", duckdbType: "VARCHAR" },
    { name: "source_event_id", glueType: "string", duckdbType: "VARCHAR" },
];

/** Hive-style partition columns, derived from event_timestamp in UTC: "2026", "11", "24". */
export const PARTITION_COLUMNS = ["year", "month", "day"] as const;

/**
 * Size in MB of the batches Firehose hands the transform (its Lambda processor's BufferSizeInMBs,
 * set by the processing tier, mirrored by the local delivery stage): 2, not the guidance's 3,
 * because rows are up to ~1.5x their input and a Lambda response must stay under 6 MB (or Firehose
 * fails the whole batch).
 */
export const TRANSFORM_BUFFER_MB = 2;
