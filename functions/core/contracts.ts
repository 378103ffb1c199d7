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
}

/** Column order and Glue/DuckDB types of the events table; partitions come after. */
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
