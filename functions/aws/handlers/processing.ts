/**
 * Lambda entry point of the Firehose data transformation (events processing).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from "aws-lambda";
import { DynamoDbApplicationRegistry } from "../adapters/dynamodb-store";
import { ingestionIdGenerator } from "../../core/ingestion-id";
import type { Application } from "../../core/ports";
import { systemClock } from "../../core/ports";
import { cachedApplicationLookup } from "../../core/rows";
import { newTransformStats, TIMESTAMP_UNIT, transformRecords } from "../firehose-transform";
import { APPLICATION_CACHE_TTL_SECONDS, APPLICATIONS_TABLE } from "../../core/environment-names";
import { numberEnv, requiredEnv } from "./environment";
import { observability } from "./observability";

const { logger, metrics } = observability("processing");
let lookup: ((applicationId: string) => Promise<Application | undefined>) | undefined;
/** Ingestion ids of this container: one random UUID v4 prefix, a counter per row. */
const newIngestionId = ingestionIdGenerator();

function applicationLookup(): (applicationId: string) => Promise<Application | undefined> {
    if (lookup) return lookup;
    const registry = new DynamoDbApplicationRegistry(DynamoDBDocumentClient.from(new DynamoDBClient({})), requiredEnv(APPLICATIONS_TABLE));
    lookup = cachedApplicationLookup(registry, numberEnv(APPLICATION_CACHE_TTL_SECONDS, 60) * 1000, systemClock);
    return lookup;
}

/** Transformation handler; a registry outage throws so Firehose retries the whole batch. */
export async function handler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
    const stats = newTransformStats();
    try {
        const unit = process.env[TIMESTAMP_UNIT] === "microseconds" ? "microseconds" : "seconds";
        const records = await transformRecords(event.records, { lookupApplication: applicationLookup(), clock: systemClock, newId: newIngestionId, stats }, unit);
        logger.info("batch transformed", { ...stats, invocationId: event.invocationId });
        metrics.addMetric("RecordsProcessed", MetricUnit.Count, stats.records);
        metrics.addMetric("RecordsProcessingFailed", MetricUnit.Count, stats.processingFailed);
        metrics.addMetric("EventsOk", MetricUnit.Count, stats.ok);
        metrics.addMetric("EventsSchemaMismatch", MetricUnit.Count, stats.schemaMismatch);
        metrics.addMetric("EventsUnregistered", MetricUnit.Count, stats.unregistered);
        return { records };
    } finally {
        metrics.publishStoredMetrics();
    }
}
