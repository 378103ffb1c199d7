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
