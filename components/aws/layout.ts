/**
 * Names that more than one AWS tier knows: folders of the analytics bucket (storage expires them,
 * processing writes to them) and the registry's index (registry creates it, ingest is granted on
 * it). Shared here so that no tier imports another tier's module.
 */

/** Prefix of Athena query results in the analytics bucket. */
export const ATHENA_RESULTS_PREFIX = "athena_query_results";
/** Prefix Firehose writes failed records to. */
export const FIREHOSE_ERRORS_PREFIX = "firehose-errors";
/** Prefix of Firehose's raw-record backup. */
export const RAW_BACKUP_PREFIX = "raw_backup";

/** Global secondary index of the authorizations table, by application id. */
export const AUTHORIZATIONS_BY_APPLICATION_INDEX = "by-application";

/** Buffering interval of the transform Lambda processor, in seconds. */
export const PROCESSOR_BUFFER_INTERVAL_SECONDS = 60;

/** Where Firehose writes records it could not process, by failure type and arrival date. */
export function errorObjectPrefix(folder: string): string {
    return `${folder}/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/`;
}

/**
 * How the stream reaches the lake: FIREHOSE (a delivery stream and its transform Lambda) or
 * STREAM_ARCHIVER (the REDSHIFT data stack: a Lambda on the stream, components/aws/stream-archiver.ts).
 */
export type RawCopy = "FIREHOSE" | "STREAM_ARCHIVER";
