/**
 * Lambda entry point of the stream archiver (REDSHIFT data stack): a Kinesis event source mapping
 * hands it a batch of one shard; it writes the batch's rows to the lake as Parquet (and what the
 * row core rejects as Firehose-style error lines) through functions/core/stream-archive.ts.
 *
 * It fails the invocation (throws) when the registry or S3 does not answer, so the mapping retries
 * the same batch, whose objects have the same keys and bytes; it returns nothing else (no partial
 * batch response: a batch is written whole or retried whole).
 */
import type { Context, KinesisStreamEvent } from "aws-lambda";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbApplicationRegistry } from "../adapters/dynamodb-store";
import { S3Client } from "@aws-sdk/client-s3";
import { s3PutObject, S3ObjectStore } from "../adapters/s3-object-store";
import { APPLICATION_CACHE_TTL_SECONDS, APPLICATIONS_TABLE, ERRORS_PREFIX, LAKE_BUCKET, LAKE_KEY_ARN, RAW_BACKUP_PREFIX, RAW_EVENTS_PREFIX } from "../../core/environment-names";
import { loadEventParquetEncoder, type EventParquetEncoder } from "../../core/event-parquet";
import { systemClock } from "../../core/ports";
import { cachedApplicationLookup, type ApplicationLookup } from "../../core/rows";
import { archiveBatch, type ArchiveLayout, type ArchiveStats, newArchiveStats, type ObjectStore, type StreamBatch, writeArchive } from "../../core/stream-archive";
import { numberEnv, requiredEnv } from "./environment";
import { observability } from "./observability";

/** What the handler needs besides the event. */
export interface StreamArchiverDeps {
    store: ObjectStore;
    lookupApplication: ApplicationLookup;
    encodeParquet: EventParquetEncoder;
    layout: Omit<ArchiveLayout, "processorArn">;
    stats?: ArchiveStats;
}

/**
 * The batch of a Kinesis event: its shard (from the eventID `shardId-...:<sequence number>`), the
 * records' bytes, sequence numbers and arrival times (seconds in the event, milliseconds here).
 */
export function streamBatchOf(event: KinesisStreamEvent): StreamBatch {
    const first = event.Records[0];
    if (first === undefined) throw new RangeError("Records: the event source mapping sent an empty batch");
    const shardId = first.eventID.split(":")[0]!;
    return {
        shardId,
        records: event.Records.map((r) => {
            if (r.eventID.split(":")[0] !== shardId) throw new RangeError(`Records: a batch holds one shard, found ${shardId} and ${r.eventID}`);
            return {
                sequenceNumber: r.kinesis.sequenceNumber,
                arrivalMs: Math.round(r.kinesis.approximateArrivalTimestamp * 1000),
                data: Buffer.from(r.kinesis.data, "base64"),
            };
        }),
    };
}

/** Archives one event's batch through `deps` (pure apart from the store's writes). */
export async function archiveKinesisEvent(event: KinesisStreamEvent, processorArn: string, deps: StreamArchiverDeps): Promise<number> {
    const objects = await archiveBatch(streamBatchOf(event), { ...deps.layout, processorArn }, deps);
    await writeArchive(objects, deps.store);
    return objects.length;
}

const { logger, metrics } = observability("stream-archiver");
let deps: Promise<Omit<StreamArchiverDeps, "stats">> | undefined;

function runtimeDeps(): Promise<Omit<StreamArchiverDeps, "stats">> {
    deps ??= (async () => {
        const registry = new DynamoDbApplicationRegistry(DynamoDBDocumentClient.from(new DynamoDBClient({})), requiredEnv(APPLICATIONS_TABLE));
        return {
            store: new S3ObjectStore(s3PutObject(new S3Client({})), requiredEnv(LAKE_BUCKET), requiredEnv(LAKE_KEY_ARN)),
            lookupApplication: cachedApplicationLookup(registry, numberEnv(APPLICATION_CACHE_TTL_SECONDS, 60) * 1000, systemClock),
            encodeParquet: await loadEventParquetEncoder(),
            layout: { rawEventsPrefix: requiredEnv(RAW_EVENTS_PREFIX), errorsPrefix: requiredEnv(ERRORS_PREFIX), ...(process.env[RAW_BACKUP_PREFIX] ? { rawBackupPrefix: process.env[RAW_BACKUP_PREFIX] } : {}) },
        };
    })();
    return deps;
}

/** The event source mapping's handler. */
export async function handler(event: KinesisStreamEvent, context: Context): Promise<void> {
    const stats = newArchiveStats();
    try {
        const objects = await archiveKinesisEvent(event, context.invokedFunctionArn, { ...(await runtimeDeps()), stats });
        logger.info("batch archived", { ...stats, objects, records: event.Records.length });
        // Five metrics, as the Firehose transform publishes (the log line tells the two kinds of failure apart).
        metrics.addMetric("RecordsArchived", MetricUnit.Count, stats.records);
        metrics.addMetric("RecordsFailed", MetricUnit.Count, stats.processingFailed + stats.conversionFailed);
        metrics.addMetric("EventsOk", MetricUnit.Count, stats.ok);
        metrics.addMetric("EventsSchemaMismatch", MetricUnit.Count, stats.schemaMismatch);
        metrics.addMetric("EventsUnregistered", MetricUnit.Count, stats.unregistered);
    } catch (error) {
        logger.error("batch not archived; the event source mapping retries it", { error: error instanceof Error ? error.message : String(error), records: event.Records.length });
        throw error;
    } finally {
        metrics.publishStoredMetrics();
    }
}
