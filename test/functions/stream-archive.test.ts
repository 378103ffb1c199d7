/**
 * The stream archiver (REDSHIFT data stack's raw copy): the core's exact objects (keys, partitions,
 * rows, error lines), determinism under retries, the Parquet files read back by DuckDB with the
 * Glue table's column types and Snappy compression, the handler over an event source mapping event
 * built from real Kinesis records (kinesalite), and the S3 adapter's fault handling.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import type { KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import { DuckDBInstance } from "@duckdb/node-api";
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { EVENT_COLUMNS } from "../../functions/core/contracts";
import { loadEventParquetEncoder, type EventParquetEncoder } from "../../functions/core/event-parquet";
import type { Application } from "../../functions/core/ports";
import { archiveBatch, ArchiveWriteError, type ArchiveObject, newArchiveStats, type StreamBatch, writeArchive } from "../../functions/core/stream-archive";
import { CONVERSION_FAILED_MESSAGE, PROCESSING_FAILED_MESSAGE } from "../../functions/core/stream-archive-errors";
import { transformRecords } from "../../functions/aws/firehose-transform";
import { type PutObjectInput, S3ObjectStore } from "../../functions/aws/adapters/s3-object-store";
import { archiveKinesisEvent, streamBatchOf } from "../../functions/aws/handlers/stream-archiver";
import { STREAM_ARCHIVER_SDK_USAGE } from "../../functions/aws/sdk-usage";
import { sampleEvent } from "./support/fixtures";
import { startKinesis } from "./support/servers";

const APP = "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968";
const UNKNOWN_APP = "5d7a2c1e-1111-4c6f-9f0e-1d2c3b4a5968";
const application: Application = { ApplicationId: APP, ApplicationName: "Space Game", Description: "", CreatedAt: "x", UpdatedAt: "x" };
const lookupApplication = async (id: string) => (id === APP ? application : undefined);
const LAYOUT = { rawEventsPrefix: "raw_events", errorsPrefix: "firehose-errors", processorArn: "arn:aws:lambda:us-east-1:111122223333:function:game1-stream-archiver" };
const SHARD = "shardId-000000000000";
const seq = (n: number) => `4960000000000000000000000000000000000000000000000${String(n).padStart(6, "0")}`;
const DAY1 = 1_767_614_400; // 2026-01-05T12:00:00Z
const DAY2 = DAY1 + 86_400;
const ARRIVAL = Date.UTC(2026, 0, 6, 12, 30, 0);
const bytes = (text: string) => new TextEncoder().encode(text);
const ingestLine = (applicationId: string, event: object, extra: object = {}) =>
    JSON.stringify({ application_id: applicationId, event, request_id: "req-1", request_time_epoch: 1_767_614_401_000, ...extra });

function sampleBatch(): StreamBatch {
    return {
        shardId: SHARD,
        records: [
            { sequenceNumber: seq(1), arrivalMs: ARRIVAL, data: bytes(ingestLine(APP, sampleEvent(DAY1, { event_id: "11111111-1111-4111-8111-111111111111" }))) },
            { sequenceNumber: seq(2), arrivalMs: ARRIVAL + 1, data: bytes(ingestLine(UNKNOWN_APP, sampleEvent(DAY2, { event_id: "22222222-2222-4222-8222-222222222222" }))) },
            { sequenceNumber: seq(3), arrivalMs: ARRIVAL + 2, data: bytes("not json at all") },
            { sequenceNumber: seq(4), arrivalMs: ARRIVAL + 3, data: bytes(ingestLine(APP, sampleEvent(DAY1, { event_id: "44444444-4444-4444-8444-444444444444" }))) },
            { sequenceNumber: seq(5), arrivalMs: ARRIVAL + 4, data: bytes(ingestLine(APP, sampleEvent(DAY1, { event_id: "55555555-5555-4555-8555-555555555555" }), { player_id: "p\ud800" })) },
        ],
    };
}

let encodeParquet: EventParquetEncoder;
let db: DuckDBInstance;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "archive-"));

/** Rows of a Parquet object as DuckDB reads them, and the column types and codecs of the file. */
async function readParquet(object: ArchiveObject): Promise<{ rows: Record<string, unknown>[]; types: string[][]; codecs: string[] }> {
    const file = path.join(dir, `${Math.random().toString(16).slice(2)}.parquet`);
    fs.writeFileSync(file, object.body);
    const c = await db.connect();
    try {
        const rows = (await c.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRowObjectsJson() as Record<string, unknown>[];
        const types = (await c.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${file}'))`)).getRows().map((r) => r.map(String));
        const codecs = (await c.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata('${file}')`)).getRows().map((r) => String(r[0]));
        return { rows, types, codecs };
    } finally {
        c.closeSync();
    }
}

describe("stream archiver", function () {
    this.timeout(60_000);
    before(async () => {
        encodeParquet = await loadEventParquetEncoder();
        db = await DuckDBInstance.create(":memory:");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("writes one Parquet object per event-date partition and the rejected records as Firehose error lines, keyed by shard and first sequence number", async () => {
        const stats = newArchiveStats();
        const objects = await archiveBatch(sampleBatch(), LAYOUT, { lookupApplication, encodeParquet, stats });
        const name = `${SHARD}-${seq(1)}`;
        assert.deepEqual(objects.map((o) => [o.key, o.contentType, o.lines]), [
            [`raw_events/year=2026/month=01/day=05/${name}.parquet`, "application/vnd.apache.parquet", 2],
            [`raw_events/year=2026/month=01/day=06/${name}.parquet`, "application/vnd.apache.parquet", 1],
            [`firehose-errors/processing-failed/year=2026/month=01/day=06/${name}.jsonl`, "application/x-ndjson", 1],
            [`firehose-errors/format-conversion-failed/year=2026/month=01/day=06/${name}.jsonl`, "application/x-ndjson", 1],
        ]);
        assert.deepEqual(stats, { records: 5, processingFailed: 1, rows: 4, ok: 3, schemaMismatch: 0, unregistered: 1, conversionFailed: 1, objects: 4 });

        const batchTime = ARRIVAL + 4;
        assert.deepEqual(JSON.parse(new TextDecoder().decode(objects[2]!.body)), {
            attemptsMade: 1, arrivalTimestamp: ARRIVAL + 2, errorCode: "Lambda.ProcessingFailed", errorMessage: PROCESSING_FAILED_MESSAGE,
            attemptEndingTimestamp: batchTime, rawData: Buffer.from("not json at all").toString("base64"), lambdaArn: LAYOUT.processorArn, sequenceNumber: seq(3),
        });
        const conversion = JSON.parse(new TextDecoder().decode(objects[3]!.body));
        assert.deepEqual([conversion.ErrorCode, conversion.ErrorMessage, conversion.sequenceNumber, conversion.arrivalTimestamp], ["DataFormatConversion.MalformedData", CONVERSION_FAILED_MESSAGE, seq(5), ARRIVAL + 4]);
        assert.equal(Buffer.from(conversion.rawData, "base64").toString("utf8"), new TextDecoder().decode(sampleBatch().records[4]!.data));
        assert.equal(JSON.parse(conversion.convertedData).player_id, "p\ud800");
    });

    it("writes the rows the Firehose transform writes for the same records (same row core), with ingestion ids from the sequence numbers", async () => {
        const batch = sampleBatch();
        const objects = await archiveBatch(batch, LAYOUT, { lookupApplication, encodeParquet });
        const ids = [1, 2, 4].map((n) => `${SHARD}-${seq(n)}-0`);
        const viaFirehose = await transformRecords([0, 1, 3].map((i) => ({ recordId: String(i), data: Buffer.from(batch.records[i]!.data).toString("base64"), approximateArrivalTimestamp: batch.records[i]!.arrivalMs })),
            { lookupApplication, clock: { now: () => ARRIVAL + 4 }, newId: () => ids.shift()! });
        const expected = viaFirehose.map((o) => JSON.parse(Buffer.from(o.data, "base64").toString("utf8")));
        const day5 = await readParquet(objects[0]!);
        const day6 = await readParquet(objects[1]!);
        const asRead = (r: Record<string, unknown>) => ({ ...r, event_timestamp: Number(r.event_timestamp) });
        assert.deepEqual([...day5.rows, ...day6.rows].map(asRead), [expected[0], expected[2], expected[1]]);
        assert.deepEqual(expected.map((r) => JSON.parse(r.metadata).ingestion_id), [1, 2, 4].map((n) => `${SHARD}-${seq(n)}-0`));
        assert.equal(JSON.parse(expected[0].metadata).processing_timestamp, ARRIVAL + 4, "the batch's latest arrival, not the clock");
    });

    it("encodes Parquet with exactly the Glue columns of the table (DuckDB: VARCHAR / BIGINT) and Snappy, Athena's and Firehose's codec", async () => {
        const [first] = await archiveBatch(sampleBatch(), LAYOUT, { lookupApplication, encodeParquet });
        const { types, codecs } = await readParquet(first!);
        assert.deepEqual(types, EVENT_COLUMNS.map((c) => [c.name, c.duckdbType]));
        assert.deepEqual(codecs, ["SNAPPY"]);
    });

    it("a retried batch gives identical keys and bytes; a retry cut longer keeps the first attempt's keys", async () => {
        const once = await archiveBatch(sampleBatch(), LAYOUT, { lookupApplication, encodeParquet });
        const again = await archiveBatch(sampleBatch(), LAYOUT, { lookupApplication, encodeParquet });
        assert.deepEqual(again.map((o) => o.key), once.map((o) => o.key));
        for (let i = 0; i < once.length; i++) assert.ok(Buffer.from(again[i]!.body).equals(Buffer.from(once[i]!.body)), once[i]!.key);
        const longer = sampleBatch();
        longer.records = [...longer.records, { sequenceNumber: seq(6), arrivalMs: ARRIVAL + 5, data: bytes(ingestLine(APP, sampleEvent(DAY1))) }];
        const keys = (await archiveBatch(longer, LAYOUT, { lookupApplication, encodeParquet })).map((o) => o.key);
        assert.ok(once.every((o) => keys.includes(o.key)), "the same objects are overwritten, none added beside them");
    });

    it("s3BackupMode: also keeps every record as received, gzipped, under raw_backup/ by arrival day", async () => {
        const objects = await archiveBatch(sampleBatch(), { ...LAYOUT, rawBackupPrefix: "raw_backup" }, { lookupApplication, encodeParquet });
        const backup = objects.filter((o) => o.key.startsWith("raw_backup/"));
        assert.deepEqual(backup.map((o) => [o.key, o.contentType, o.lines]), [[`raw_backup/year=2026/month=01/day=06/${SHARD}-${seq(1)}.gz`, "application/gzip", 5]]);
        const text = gunzipSync(backup[0]!.body).toString("utf8");
        assert.equal(text, sampleBatch().records.map((r) => new TextDecoder().decode(r.data) + "\n").join(""));
        const again = await archiveBatch(sampleBatch(), { ...LAYOUT, rawBackupPrefix: "raw_backup" }, { lookupApplication, encodeParquet });
        assert.ok(Buffer.from(again.at(-1)!.body).equals(Buffer.from(backup[0]!.body)), "gzip without time: a retry writes the same bytes");
    });

    it("fails the whole batch when the registry cannot answer (nothing half-computed is returned)", async () => {
        await assert.rejects(archiveBatch(sampleBatch(), LAYOUT, { lookupApplication: async () => { throw new Error("ProvisionedThroughputExceededException"); }, encodeParquet }),
            /ProvisionedThroughputExceededException/);
    });

    it("refuses an empty batch and a shard id or sequence number that could escape the key", async () => {
        await assert.rejects(archiveBatch({ shardId: SHARD, records: [] }, LAYOUT, { lookupApplication, encodeParquet }), /records: a batch has at least one record/);
        await assert.rejects(archiveBatch({ ...sampleBatch(), shardId: "../x" }, LAYOUT, { lookupApplication, encodeParquet }), /shardId/);
    });
});

describe("stream archiver: writing through the store", () => {
    let encode: EventParquetEncoder;
    before(async () => { encode = await loadEventParquetEncoder(); });

    it("S3ObjectStore puts each object with the lake key and a Bucket Key, and names the object of a failed put", async () => {
        const inputs: PutObjectInput[] = [];
        const ok = new S3ObjectStore(async (input) => { inputs.push(input); }, "lake", "arn:aws:kms:us-east-1:111122223333:key/k");
        const objects = await archiveBatch(sampleBatch(), LAYOUT, { lookupApplication, encodeParquet: encode });
        await writeArchive(objects, ok);
        assert.deepEqual(inputs.map((i) => [i.Bucket, i.Key, i.ServerSideEncryption, i.SSEKMSKeyId, i.BucketKeyEnabled, i.ContentType]),
            objects.map((o) => ["lake", o.key, "aws:kms", "arn:aws:kms:us-east-1:111122223333:key/k", true, o.contentType]));
        // The store's one S3 call is PutObject, on keys of the folders sdk-usage.ts grants (raw_backup/ with s3BackupMode only).
        const s3 = STREAM_ARCHIVER_SDK_USAGE.filter((u) => u.caller === "function" && u.actions.some((a) => a.startsWith("s3:")));
        assert.deepEqual(s3.map((u) => [u.resource, u.actions]), [["rawEventsFolder", ["s3:PutObject"]], ["errorsFolder", ["s3:PutObject"]], ["rawBackupFolder", ["s3:PutObject"]]]);
        assert.ok(inputs.every((i) => i.Key.startsWith(`${LAYOUT.rawEventsPrefix}/`) || i.Key.startsWith(`${LAYOUT.errorsPrefix}/`)));
        const failing = new S3ObjectStore(async (input) => {
            if (input.Key.includes("day=06") && input.Key.startsWith("raw_events")) throw Object.assign(new Error("We encountered an internal error"), { name: "InternalError" });
        }, "lake", "k");
        await assert.rejects(writeArchive(objects, failing), (e: unknown) => e instanceof ArchiveWriteError
            && /1 of 4 object\(s\) not written, first raw_events\/year=2026\/month=01\/day=06\/.*: PutObject s3:\/\/lake\/raw_events\/.* failed \(InternalError\)/.test(e.message));
    });

    it("attempts every object even when the first put fails, then fails the invocation; the retry overwrites the same keys", async () => {
        const objects = await archiveBatch(sampleBatch(), LAYOUT, { lookupApplication, encodeParquet: encode });
        const lake = new Map<string, Buffer>();
        let calls = 0;
        const flaky = { put: async (o: ArchiveObject) => { calls++; if (calls === 1) throw new Error("SlowDown"); lake.set(o.key, Buffer.from(o.body)); } };
        await assert.rejects(writeArchive(objects, flaky), /1 of 4/);
        assert.equal(calls, 4);
        assert.equal(lake.size, 3, "what was written stays (acknowledged by nobody yet: the batch is not checkpointed)");
        await writeArchive(await archiveBatch(sampleBatch(), LAYOUT, { lookupApplication, encodeParquet: encode }), flaky);
        assert.deepEqual([...lake.keys()].sort(), objects.map((o) => o.key).sort(), "the retry overwrote, added nothing");
    });
});

describe("stream archiver handler over real Kinesis records (kinesalite)", function () {
    this.timeout(60_000);

    /** An event source mapping event made of what GetRecords returned, as Lambda shapes it. */
    async function esmEventFromStream(lines: string[]): Promise<KinesisStreamEvent> {
        const k = await startKinesis();
        try {
            await k.client.send(new CreateStreamCommand({ StreamName: "events", ShardCount: 1 }));
            await k.client.send(new PutRecordsCommand({ StreamName: "events", Records: lines.map((l, i) => ({ Data: bytes(l), PartitionKey: `pk-${i}` })) }));
            const shardId = (await k.client.send(new ListShardsCommand({ StreamName: "events" }))).Shards![0]!.ShardId!;
            const iterator = (await k.client.send(new GetShardIteratorCommand({ StreamName: "events", ShardId: shardId, ShardIteratorType: "TRIM_HORIZON" }))).ShardIterator!;
            const records = (await k.client.send(new GetRecordsCommand({ ShardIterator: iterator }))).Records!;
            const Records: KinesisStreamRecord[] = records.map((r) => ({
                kinesis: {
                    kinesisSchemaVersion: "1.0", partitionKey: r.PartitionKey!, sequenceNumber: r.SequenceNumber!,
                    data: Buffer.from(r.Data!).toString("base64"), approximateArrivalTimestamp: r.ApproximateArrivalTimestamp!.getTime() / 1000,
                },
                eventSource: "aws:kinesis", eventVersion: "1.0", eventID: `${shardId}:${r.SequenceNumber}`, eventName: "aws:kinesis:record",
                invokeIdentityArn: "arn:aws:iam::111122223333:role/game1-stream-archiver", awsRegion: "us-east-1",
                eventSourceARN: "arn:aws:kinesis:us-east-1:111122223333:stream/events",
            }));
            return { Records };
        } finally {
            await k.stop();
        }
    }

    it("archives every record of the batch into the in-memory lake, and a failed put fails the invocation", async () => {
        const lines = [ingestLine(APP, sampleEvent(DAY1)), ingestLine(APP, sampleEvent(DAY1)), "{broken", ingestLine(UNKNOWN_APP, sampleEvent(DAY2))];
        const event = await esmEventFromStream(lines);
        const batch = streamBatchOf(event);
        assert.deepEqual(batch.records.map((r) => new TextDecoder().decode(r.data)), lines);
        assert.match(batch.shardId, /^shardId-\d{12}$/);
        const lake = new Map<string, Buffer>();
        const store = { put: async (o: ArchiveObject) => { lake.set(o.key, Buffer.from(o.body)); } };
        const deps = { store, lookupApplication, encodeParquet: await loadEventParquetEncoder(), layout: { rawEventsPrefix: "raw_events", errorsPrefix: "firehose-errors" }, stats: newArchiveStats() };
        assert.equal(await archiveKinesisEvent(event, LAYOUT.processorArn, deps), 3);
        const name = `${batch.shardId}-${batch.records[0]!.sequenceNumber}`;
        const arrival = new Date(batch.records[2]!.arrivalMs);
        const day = `year=${arrival.getUTCFullYear()}/month=${String(arrival.getUTCMonth() + 1).padStart(2, "0")}/day=${String(arrival.getUTCDate()).padStart(2, "0")}`;
        assert.deepEqual([...lake.keys()], [
            `raw_events/year=2026/month=01/day=05/${name}.parquet`, `raw_events/year=2026/month=01/day=06/${name}.parquet`,
            `firehose-errors/processing-failed/${day}/${name}.jsonl`,
        ]);
        assert.deepEqual([deps.stats.records, deps.stats.rows, deps.stats.processingFailed], [4, 3, 1]);
        const failing = { put: async () => { throw new Error("AccessDenied"); } };
        await assert.rejects(archiveKinesisEvent(event, LAYOUT.processorArn, { ...deps, store: failing }), /3 of 3 object\(s\) not written.*AccessDenied/);
    });

    it("refuses an event mixing shards (the mapping sends one shard per batch)", async () => {
        const event = await esmEventFromStream([ingestLine(APP, sampleEvent(DAY1)), ingestLine(APP, sampleEvent(DAY1))]);
        event.Records[1]!.eventID = `shardId-000000000009:${event.Records[1]!.kinesis.sequenceNumber}`;
        assert.throws(() => streamBatchOf(event), /a batch holds one shard/);
    });
});
