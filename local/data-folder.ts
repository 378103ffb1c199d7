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
import * as fs from "node:fs";
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

/** The data folder cannot be used (read-only, no permission, not a folder): a one-line reason. */
export class DataFolderError extends Error {
    override readonly name = "DataFolderError";
}

/**
 * Checks that the data folder exists (creating it) and accepts files, before anything opens in it.
 * @throws DataFolderError naming the folder and the reason (e.g. EROFS, EACCES)
 */
export function ensureWritable(folder: DataFolder): void {
    const probe = path.join(folder.root, `.write-check.${process.pid}.tmp`);
    try {
        fs.mkdirSync(folder.root, { recursive: true });
        fs.writeFileSync(probe, "");
        fs.rmSync(probe, { force: true });
    } catch (error) {
        const e = realCause(folder.root, error as NodeJS.ErrnoException);
        const reason = e.code === "EROFS" ? "it is on a read-only file system"
            : e.code === "EACCES" || e.code === "EPERM" ? "permission denied"
            : e.code === "ENOSPC" ? "the disk is full"
            : e.code === "ENOTDIR" || e.code === "EEXIST" ? "a file is in the way"
            : e.message;
        throw new DataFolderError(`data folder ${folder.root} is not writable: ${reason}${e.code ? ` (${e.code})` : ""}; choose another with --data-dir`);
    }
}

/**
 * Node's recursive mkdir reports ENOENT where the file system refused (EROFS, EACCES): retries the
 * first missing folder alone to get the real reason.
 */
function realCause(root: string, error: NodeJS.ErrnoException): NodeJS.ErrnoException {
    if (error.code !== "ENOENT") return error;
    let missing = root;
    while (path.dirname(missing) !== missing && !fs.existsSync(path.dirname(missing))) missing = path.dirname(missing);
    try {
        fs.mkdirSync(missing);
        fs.rmdirSync(missing);
    } catch (cause) {
        return cause as NodeJS.ErrnoException;
    }
    return error;
}
