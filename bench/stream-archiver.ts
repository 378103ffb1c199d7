/**
 * stream-archiver: the REDSHIFT data stack's raw copy (functions/core/stream-archive.ts) over the
 * batch its Lambda really gets, next to the Firehose transform it replaced (`transformRecords`,
 * functions/aws/firehose-transform.ts) over the same events, timed in the same interleaved rounds.
 *
 * The records are the REDSHIFT ingest's: requests of 100 synthetic events of ~1 KB answered by the
 * real events handler (`handleIngestRequest`) into a Kinesis-limited sink that does not pack (one
 * event per record, ~1.2 KB). The batch is cut as the event source mapping cuts it: records, each
 * in its Lambda envelope (base64 data, sequence number, ARNs), until the 6 MB invocation payload.
 *
 * Three workloads, per event:
 * - transform: `transformRecords` over the same records in Firehose processor batches (<= 2 MB);
 *   Firehose then converts the rows to Parquet as a service, outside the Lambda's CPU;
 * - archiver: `archiveBatch` (rows and Parquet encoding) over the decoded batch;
 * - archiver handler: `archiveKinesisEvent` over the Kinesis event (base64 decoding of the records,
 *   `archiveBatch`, the writes to an in-memory store): the Lambda's CPU apart from the network.
 * The registry lookup is the real cache over an in-memory registry, warm (as in a warm Lambda).
 */
import type { KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import { ARCHIVER_PROFILE, ESM_MAX_BATCH_RECORDS, ESM_PAYLOAD_LIMIT_BYTES } from "../cost/lines/archiver";
import { type FirehoseTransformInput, newTransformStats, transformRecords } from "../functions/aws/firehose-transform";
import { KINESIS_SINK_LIMITS } from "../functions/aws/adapters/kinesis-sink";
import { archiveKinesisEvent, type StreamArchiverDeps } from "../functions/aws/handlers/stream-archiver";
import { loadEventParquetEncoder } from "../functions/core/event-parquet";
import { handleIngestRequest } from "../functions/core/ingest";
import { ingestionIdGenerator } from "../functions/core/ingestion-id";
import type { EventSink, SinkRecord, SinkRecordResult } from "../functions/core/ports";
import { archiveBatch, type ArchiveObject, newArchiveStats, type ObjectStore, type StreamBatch } from "../functions/core/stream-archive";
import { eventsRequest, FIXTURE_APPLICATION_ID, FIXTURE_NOW_MS, fixedClock, padEvent, syntheticEvents, warmApplicationLookup } from "./fixtures";
import { check, compareRates, median, type Benchmark, type Figure, type TargetCheck } from "./harness";
import { PROCESSOR_BUFFER_BYTES } from "./transform";

/** JSON size of one event as the game sends it (the reference workload's 1 KB). */
export const EVENT_BYTES = 1024;
/** Events per ingest request (the reference workload's). */
export const EVENTS_PER_REQUEST = 100;
/** The shard every benchmark record comes from. */
export const BENCH_SHARD = "shardId-000000000000";
const STREAM_ARN = "arn:aws:kinesis:eu-west-1:111122223333:stream/game-analytics-events";
const ROLE_ARN = "arn:aws:iam::111122223333:role/game-analytics-stream-archiver";
const PROCESSOR_ARN = "arn:aws:lambda:eu-west-1:111122223333:function:game-stream-archiver";
const LAYOUT = { rawEventsPrefix: "raw_events", errorsPrefix: "firehose-errors" };

/** A sink with Kinesis's limits that keeps every record (the REDSHIFT ingest: one event per record). */
class CapturingSink implements EventSink {
    readonly maxRecordsPerCall = KINESIS_SINK_LIMITS.maxRecordsPerCall;
    readonly maxBytesPerCall = KINESIS_SINK_LIMITS.maxBytesPerCall;
    readonly maxRecordBytes = KINESIS_SINK_LIMITS.maxRecordBytes;
    readonly packsEvents = false;
    readonly records: SinkRecord[] = [];

    async putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]> {
        this.records.push(...records);
        return records.map(() => ({ ok: true }));
    }
}

/**
 * Stream records as the REDSHIFT ingest writes them: `count` synthetic events of ~`eventBytes`
 * (seeded), sent in requests of {@link EVENTS_PER_REQUEST} through the real events handler.
 */
export async function redshiftIngestRecords(count: number, eventBytes = EVENT_BYTES, seed = 11): Promise<SinkRecord[]> {
    const events = syntheticEvents(count, seed).map((e) => padEvent(e, eventBytes));
    const sink = new CapturingSink();
    for (let start = 0; start < count; start += EVENTS_PER_REQUEST) {
        const index = start / EVENTS_PER_REQUEST;
        // API Gateway's request ids are UUIDs (the fixture's short ids would make records ~20 B smaller).
        const request = { ...eventsRequest(events.slice(start, start + EVENTS_PER_REQUEST), index), requestId: `0b5f8c9e-7a51-4c6f-9f0e-${String(index).padStart(12, "0")}` };
        const res = await handleIngestRequest(request, FIXTURE_APPLICATION_ID, { sink, clock: fixedClock });
        const body = JSON.parse(res.body) as { FailedRecordCount?: number };
        if (res.statusCode !== 200 || body.FailedRecordCount !== 0) throw new Error(`ingest request ${index} failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
    }
    return sink.records;
}

/** Sequence number of the `index`-th record: 56 digits, increasing, like Kinesis's. */
export function sequenceNumber(index: number): string {
    return `4960${String(index).padStart(52, "0")}`;
}

/** One record as the event source mapping hands it to the Lambda. */
function esmRecord(record: SinkRecord, index: number): KinesisStreamRecord {
    const sequence = sequenceNumber(index);
    return {
        kinesis: {
            kinesisSchemaVersion: "1.0", partitionKey: record.partitionKey, sequenceNumber: sequence,
            data: Buffer.from(record.data).toString("base64"), approximateArrivalTimestamp: (FIXTURE_NOW_MS + index) / 1000,
        },
        eventSource: "aws:kinesis", eventVersion: "1.0", eventID: `${BENCH_SHARD}:${sequence}`, eventName: "aws:kinesis:record",
        invokeIdentityArn: ROLE_ARN, awsRegion: "eu-west-1", eventSourceARN: STREAM_ARN,
    };
}

/** The archiver's input, and what it is made of. */
export interface ArchiverBatch {
    /** The invocation's event, as Lambda shapes it. */
    event: KinesisStreamEvent;
    /** The same records decoded (what `streamBatchOf` makes of the event). */
    batch: StreamBatch;
    /** The same records as the Firehose transform gets them, in processor batches of <= 2 MB. */
    transformBatches: FirehoseTransformInput[][];
    /** Bytes of the invocation payload (the event's JSON). */
    payloadBytes: number;
    /** Mean bytes of one record's data. */
    meanRecordBytes: number;
}

/**
 * The batch the archiver gets: the records `records` yields, cut as the event source mapping cuts
 * them (at most {@link ESM_MAX_BATCH_RECORDS}, the whole event's JSON within `payloadLimit`).
 * @param records more records than the batch can hold, or all of them if fewer
 */
export function archiverBatch(records: readonly SinkRecord[], payloadLimit = ESM_PAYLOAD_LIMIT_BYTES): ArchiverBatch {
    const envelope = Buffer.byteLength(JSON.stringify({ Records: [] }));
    const taken: KinesisStreamRecord[] = [];
    let payloadBytes = envelope;
    for (let i = 0; i < records.length && taken.length < ESM_MAX_BATCH_RECORDS; i++) {
        const record = esmRecord(records[i]!, i);
        const bytes = Buffer.byteLength(JSON.stringify(record)) + (taken.length > 0 ? 1 : 0);
        if (payloadBytes + bytes > payloadLimit) break;
        taken.push(record);
        payloadBytes += bytes;
    }
    if (taken.length === 0) throw new RangeError(`payloadLimit: ${payloadLimit} bytes hold no record`);
    const data = records.slice(0, taken.length).map((r) => r.data);
    const batch: StreamBatch = {
        shardId: BENCH_SHARD,
        records: taken.map((r, i) => ({ sequenceNumber: r.kinesis.sequenceNumber, arrivalMs: FIXTURE_NOW_MS + i, data: data[i]! })),
    };
    const transformBatches: FirehoseTransformInput[][] = [[]];
    let processorBytes = 0;
    taken.forEach((r, i) => {
        const bytes = data[i]!.length;
        if (processorBytes + bytes > PROCESSOR_BUFFER_BYTES && transformBatches.at(-1)!.length > 0) {
            transformBatches.push([]);
            processorBytes = 0;
        }
        transformBatches.at(-1)!.push({ recordId: `record-${String(i).padStart(6, "0")}`, data: r.kinesis.data, approximateArrivalTimestamp: FIXTURE_NOW_MS + i });
        processorBytes += bytes;
    });
    return {
        event: { Records: taken },
        batch,
        transformBatches,
        payloadBytes,
        meanRecordBytes: data.reduce((n, d) => n + d.length, 0) / data.length,
    };
}

/** A store that keeps only counts (the benchmark measures the archiver, not a growing map). */
class CountingStore implements ObjectStore {
    objects = 0;
    bytes = 0;
    async put(object: ArchiveObject): Promise<void> {
        this.objects++;
        this.bytes += object.body.length;
    }
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export const streamArchiverBenchmark: Benchmark = {
    name: "stream-archiver",
    title: "REDSHIFT stream archiver (rows + Parquet) vs the Firehose transform, one core",
    async run(options) {
        const lookupApplication = await warmApplicationLookup();
        const encodeParquet = await loadEventParquetEncoder();
        // More records than one payload holds; tiny runs cut a small payload instead.
        const records = await redshiftIngestRecords(options.tiny ? 40 : 3_200);
        const input = archiverBatch(records, options.tiny ? 40_000 : ESM_PAYLOAD_LIMIT_BYTES);
        const events = input.batch.records.length;
        if (!options.tiny && events === records.length) throw new Error(`stream-archiver: ${records.length} records all fit one payload; make more`);

        // Prove the real work is done before timing it: every record an ok row, in Parquet.
        const stats = newArchiveStats();
        const objects = await archiveBatch(input.batch, { ...LAYOUT, processorArn: PROCESSOR_ARN }, { lookupApplication, encodeParquet, stats });
        const parquet = objects.filter((o) => o.contentType === "application/vnd.apache.parquet");
        if (stats.ok !== events || stats.rows !== events || parquet.length !== objects.length || sum(parquet.map((o) => o.lines)) !== events) {
            throw new Error(`stream-archiver benchmark input is not all valid: ${JSON.stringify({ events, stats, objects: objects.map((o) => [o.key, o.lines]) })}`);
        }
        const transformStats = newTransformStats();
        const deps = { lookupApplication, clock: fixedClock, newId: ingestionIdGenerator() };
        for (const b of input.transformBatches) {
            const out = await transformRecords(b, { ...deps, stats: transformStats });
            if (out.some((o) => o.result !== "Ok")) throw new Error("stream-archiver benchmark: the transform refused a record");
        }
        if (transformStats.ok !== events) throw new Error(`stream-archiver benchmark: the transform made ${transformStats.ok} ok rows of ${events} events`);

        const store = new CountingStore();
        const handlerDeps: StreamArchiverDeps = { store, lookupApplication, encodeParquet, layout: LAYOUT };
        const rounds = options.tiny ? 1 : options.quick ? 3 : 11;
        const minRoundMs = options.tiny ? 1 : options.quick ? 300 : 1_000;
        const comparison = await compareRates(
            [
                { label: "transform", units: events, run: async () => { for (const b of input.transformBatches) await transformRecords(b, deps); } },
                { label: "archiver", units: events, run: () => archiveBatch(input.batch, { ...LAYOUT, processorArn: PROCESSOR_ARN }, { lookupApplication, encodeParquet }) },
                { label: "handler", units: events, run: () => archiveKinesisEvent(input.event, PROCESSOR_ARN, handlerDeps) },
            ],
            { rounds, minRoundMs, warmupRounds: options.tiny ? 0 : 2 },
        );
        const micros = (rates: readonly number[]) => rates.map((r) => 1e6 / r);
        const spread = (values: readonly number[]) => `min ${Math.min(...values).toFixed(1)}, median ${median(values).toFixed(1)}, max ${Math.max(...values).toFixed(1)}`;
        const figures: Figure[] = [];
        const labels = { transform: "transform", archiver: "archiver (archiveBatch)", handler: "archiver handler (archiveKinesisEvent)" } as const;
        for (const [key, label] of Object.entries(labels)) {
            const rates = comparison.rates[key]!;
            figures.push(
                { name: `${label}: events/s`, value: median(rates), unit: "events/s", samples: rates },
                { name: `${label}: µs per event`, value: median(micros(rates)), unit: "µs", samples: micros(rates), note: spread(micros(rates)) },
            );
        }
        // Per-round CPU ratios (transform rate / archiver rate = archiver µs / transform µs).
        const costRatio = (key: string) => comparison.ratios[key]!.map((r) => 1 / r);
        const archiverMicros = median(micros(comparison.rates.archiver!));
        const handlerMicros = median(micros(comparison.rates.handler!));
        figures.push(
            { name: "archiver µs / transform µs", value: median(costRatio("archiver")), unit: "x", samples: costRatio("archiver") },
            { name: "archiver handler µs / transform µs", value: median(costRatio("handler")), unit: "x", samples: costRatio("handler") },
            { name: "archiver ms per batch", value: (events * archiverMicros) / 1000, unit: "ms" },
            { name: "Parquet bytes per event", value: sum(parquet.map((o) => o.body.length)) / events, unit: "B" },
            { name: "Kinesis record bytes (one event)", value: input.meanRecordBytes, unit: "B" },
            { name: "records per batch (6 MB payload)", value: events, unit: "records" },
            { name: "cost model's archiver CPU per event", value: ARCHIVER_PROFILE.cpuMicrosPerEvent, unit: "µs" },
        );
        const targets: TargetCheck[] = [
            check("archiver handler µs per event (cost model's cpuMicrosPerEvent)", handlerMicros, "µs", "<=", ARCHIVER_PROFILE.cpuMicrosPerEvent),
        ];
        const notes = [
            `one batch of ${events} records (${(input.payloadBytes / 1048576).toFixed(2)} MiB of invocation payload, records of ${input.meanRecordBytes.toFixed(0)} B, one event each), ` +
                `${parquet.length} Parquet object(s); the transform gets the same records in ${input.transformBatches.length} processor batch(es) of <= ${PROCESSOR_BUFFER_BYTES / 1048576} MiB`,
            `median of ${rounds} interleaved rounds (>= ${minRoundMs} ms each), after 2 warm-up rounds; ratios are per round. µs per event: ` +
                (Object.entries(labels) as [keyof typeof labels, string][]).map(([k, l]) => `${l} ${spread(micros(comparison.rates[k]!))}`).join("; "),
            `the transform's rows still go through Firehose's Parquet conversion (a service, not Lambda CPU); the archiver encodes them itself (hyparquet-writer, Snappy)`,
            `cost model (cost/lines/archiver.ts): ${ARCHIVER_PROFILE.cpuMicrosPerEvent} µs per event of one core; measured here (handler path) ${handlerMicros.toFixed(1)} µs = ` +
                `${(handlerMicros / ARCHIVER_PROFILE.cpuMicrosPerEvent).toFixed(2)}x the model`,
        ];
        return { figures, targets, notes };
    },
};
