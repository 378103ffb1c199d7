/**
 * Layout of the local mode's data folder (`.gap/<stack>/`, git-ignored):
 *
 *     .gap/<stack>/
 *       credentials.json   default application id, API key value, endpoint (mode 0600)
 *       dynamodb/          embedded DynamoDB data (applications, API keys)
 *       spool/             write-ahead log of accepted records (segment-*.log, epoch)
 *       checkpoint.json    what the delivery stage already wrote to the lake
 *       lake/              the local "analytics bucket"
 *         <rawEventsPrefix>/year=YYYY/month=MM/day=DD/<spool epoch>-<batch>.parquet
 *         firehose-errors/processing-failed/YYYY/MM/DD/HH/<spool epoch>-<batch>.jsonl
 *       metrics/           real-time metrics (KINESIS_DATA_STREAMS with realTimeAnalytics)
 *         realtime-YYYY-MM-DD.jsonl   one EMF document per line, by window start (UTC)
 */
import * as path from "node:path";

export interface DataFolder {
    root: string;
    credentialsFile: string;
    dynamodbDir: string;
    spoolDir: string;
    checkpointFile: string;
    lakeDir: string;
    /** Real-time metrics, `realtime-YYYY-MM-DD.jsonl` files. */
    metricsDir: string;
}

/** Paths of a stack's data folder under `dataRoot` (default `.gap` in the working directory). */
export function dataFolder(dataRoot: string, stack: string): DataFolder {
    const root = path.resolve(dataRoot, stack);
    return {
        root,
        credentialsFile: path.join(root, "credentials.json"),
        dynamodbDir: path.join(root, "dynamodb"),
        spoolDir: path.join(root, "spool"),
        checkpointFile: path.join(root, "checkpoint.json"),
        lakeDir: path.join(root, "lake"),
        metricsDir: path.join(root, "metrics"),
    };
}
