/**
 * The stream archiver's core (the REDSHIFT data stack's raw copy of the stream in the lake): one
 * batch of stream records becomes the objects to write. Each record goes through the row core
 * (functions/core/rows.ts, the same as the Firehose transform), rows are grouped by the event-date
 * partition Firehose's dynamic partitioning uses (`<rawEventsPrefix>/year=/month=/day=/`) and
 * encoded as Parquet with the table's columns; what the core cannot turn into rows goes, as JSON
 * lines in the shape of Firehose's error output, under the error prefix:
 *
 * - `processing-failed/`: a record that is not readable ingest lines (Firehose's ProcessingFailed);
 * - `format-conversion-failed/`: a row with a string Parquet cannot hold as UTF-8 (a lone UTF-16
 *   surrogate, which Firehose's conversion rejects too; the encoder would replace it silently).
 *
 * Nothing is dropped: every record ends in exactly one object of the batch.
 *
 * Deterministic, so that a retried batch overwrites what a failed attempt wrote instead of adding
 * to it: object keys derive from the shard and the batch's FIRST sequence number only (a retry
 * restarts from the same checkpoint, so it starts with the same record even if it were cut
 * differently at its end), ingestion ids from the record's sequence number, and the processing time
 * is the batch's latest arrival time rather than the clock's. Neutral: no AWS type, no I/O.
 */
import { gzipSync } from "node:zlib";
import { errorShapes } from "./stream-archive-errors";
import type { ParquetEventRow, EventParquetEncoder } from "./event-parquet";
import { RowBatch, type ApplicationLookup, type PartitionValues, type RowStats } from "./rows";

/** One record of a stream batch. */
export interface StreamRecord {
    /** The stream's sequence number (unique within the shard, increasing). */
    sequenceNumber: string;
    /** When the stream received it, epoch milliseconds. */
    arrivalMs: number;
    /** The record's bytes (the ingest Lambda's JSON lines). */
    data: Uint8Array;
}

/** A batch of one shard, in stream order. */
export interface StreamBatch {
    /** Shard id, e.g. `shardId-000000000000`. */
    shardId: string;
    records: readonly StreamRecord[];
}

/** Where the objects go, and what the error lines name as the processor. */
export interface ArchiveLayout {
    /**
     * Folder of the events table.
     * @example "raw_events"
     */
    rawEventsPrefix: string;
    /**
     * Folder of the error output (Firehose's `firehose-errors`).
     * @example "firehose-errors"
     */
    errorsPrefix: string;
    /**
     * The processor the error lines name (`lambdaArn` of Firehose's ProcessingFailed lines).
     * @example "arn:aws:lambda:eu-west-1:111122223333:function:game-stream-archiver"
     */
    processorArn: string;
    /**
     * Folder of the raw record backup (s3BackupMode): every record as received, gzipped, by arrival day.
     * @default undefined (no backup)
     * @example "raw_backup"
     */
    rawBackupPrefix?: string;
}

/** One object to write. */
export interface ArchiveObject {
    key: string;
    body: Uint8Array;
    contentType: "application/vnd.apache.parquet" | "application/x-ndjson" | "application/gzip";
    /** Rows (Parquet) or error lines (JSON lines) in the object. */
    lines: number;
}

/** What the core needs. */
export interface ArchiveDeps {
    lookupApplication: ApplicationLookup;
    encodeParquet: EventParquetEncoder;
    /** Incremented when given (metrics). */
    stats?: ArchiveStats;
}

/** The row core's counters plus the archiver's own. */
export interface ArchiveStats extends RowStats {
    conversionFailed: number;
    objects: number;
}

/** Fresh zeroed {@link ArchiveStats}. */
export function newArchiveStats(): ArchiveStats {
    return { records: 0, processingFailed: 0, rows: 0, ok: 0, schemaMismatch: 0, unregistered: 0, conversionFailed: 0, objects: 0 };
}

const utf8 = new TextDecoder("utf-8");
const encoder = new TextEncoder();
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The name every object of a batch ends with: shard and first sequence number. */
export function batchObjectName(batch: StreamBatch): string {
    const first = batch.records[0];
    if (first === undefined) throw new RangeError("records: a batch has at least one record");
    if (!/^[A-Za-z0-9_-]+$/.test(batch.shardId)) throw new RangeError(`shardId: "${batch.shardId}" is not a Kinesis shard id`);
    if (!/^\d+$/.test(first.sequenceNumber)) throw new RangeError(`sequenceNumber: "${first.sequenceNumber}" is not a Kinesis sequence number`);
    return `${batch.shardId}-${first.sequenceNumber}`;
}

/** `year=YYYY/month=MM/day=DD` of partition values. */
export function partitionPath(p: PartitionValues): string {
    return `year=${p.year}/month=${p.month}/day=${p.day}`;
}

/** `year=YYYY/month=MM/day=DD` of an epoch-millisecond instant (UTC): the error output's arrival day. */
export function arrivalPartitionPath(ms: number): string {
    const d = new Date(ms);
    const pad = (n: number) => String(n).padStart(2, "0");
    return `year=${String(d.getUTCFullYear()).padStart(4, "0")}/month=${pad(d.getUTCMonth() + 1)}/day=${pad(d.getUTCDate())}`;
}

/**
 * The objects of one batch: Parquet files per event-date partition (in the order partitions first
 * appear), then the error files per arrival day. Throws when the registry cannot answer (the
 * caller fails the invocation, so the batch is retried whole).
 */
export async function archiveBatch(batch: StreamBatch, layout: ArchiveLayout, deps: ArchiveDeps): Promise<ArchiveObject[]> {
    const name = batchObjectName(batch);
    const batchTime = Math.max(...batch.records.map((r) => r.arrivalMs));
    const stats = deps.stats;
    let current = "";
    let rowInRecord = 0;
    const rows = new RowBatch({
        lookupApplication: deps.lookupApplication,
        clock: { now: () => batchTime },
        newId: () => `${batch.shardId}-${current}-${(rowInRecord++).toString(16)}`,
        stats,
    });
    const byPartition = new Map<string, ParquetEventRow[]>();
    const errors = new Map<string, string[]>();
    const shapes = errorShapes(layout.processorArn, batchTime);
    const addError = (folder: string, record: StreamRecord, line: object) => {
        const key = `${layout.errorsPrefix}/${folder}/${arrivalPartitionPath(record.arrivalMs)}/${name}.jsonl`;
        const list = errors.get(key) ?? [];
        list.push(JSON.stringify(line));
        errors.set(key, list);
    };
    for (const record of batch.records) {
        current = record.sequenceNumber;
        rowInRecord = 0;
        const result = await rows.rowsOf(utf8.decode(record.data), record.arrivalMs);
        if (!result.readable) {
            addError("processing-failed", record, shapes.processingFailed(record));
            continue;
        }
        const parsed = result.text.split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l) as ParquetEventRow);
        const bad = parsed.find((row) => Object.values(row).some((v) => typeof v === "string" && LONE_SURROGATE.test(v)));
        if (bad !== undefined) {
            if (stats) stats.conversionFailed++;
            addError("format-conversion-failed", record, shapes.conversionFailed(record, result.text));
            continue;
        }
        const key = `${layout.rawEventsPrefix}/${partitionPath(result.partition)}/${name}.parquet`;
        const list = byPartition.get(key) ?? [];
        list.push(...parsed);
        byPartition.set(key, list);
    }
    const objects: ArchiveObject[] = [];
    for (const [key, partitionRows] of byPartition) {
        objects.push({ key, body: deps.encodeParquet(partitionRows), contentType: "application/vnd.apache.parquet", lines: partitionRows.length });
    }
    for (const [key, lines] of errors) {
        objects.push({ key, body: encoder.encode(lines.join("\n") + "\n"), contentType: "application/x-ndjson", lines: lines.length });
    }
    if (layout.rawBackupPrefix !== undefined) objects.push(...rawBackupObjects(batch, layout.rawBackupPrefix, name));
    if (stats) stats.objects += objects.length;
    return objects;
}

/**
 * The raw record backup (Firehose's s3BackupMode): the records' bytes as received, one per line,
 * gzipped (deterministic: no file name or time in the header), per arrival day.
 */
function rawBackupObjects(batch: StreamBatch, prefix: string, name: string): ArchiveObject[] {
    const byDay = new Map<string, Buffer[]>();
    for (const record of batch.records) {
        const key = `${prefix}/${arrivalPartitionPath(record.arrivalMs)}/${name}.gz`;
        const parts = byDay.get(key) ?? [];
        const data = Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength);
        parts.push(data, ...(data.at(-1) === 0x0a ? [] : [Buffer.from("\n")]));
        byDay.set(key, parts);
    }
    return [...byDay].map(([key, parts]) => ({ key, body: new Uint8Array(gzipSync(Buffer.concat(parts))), contentType: "application/gzip" as const, lines: batch.records.filter((r) => key.includes(arrivalPartitionPath(r.arrivalMs))).length }));
}

/** Where objects are written: the lake. */
export interface ObjectStore {
    /** Writes (or replaces) one object; rejects when it was not written. */
    put(object: ArchiveObject): Promise<void>;
}

/**
 * Writes every object of a batch, all attempted even when one fails; rejects with the first
 * failure (the caller fails the invocation: the batch is retried whole and, its keys being the
 * same, overwrites what was written).
 */
export async function writeArchive(objects: readonly ArchiveObject[], store: ObjectStore): Promise<void> {
    const results = await Promise.allSettled(objects.map((o) => store.put(o)));
    const failed = results.findIndex((r) => r.status === "rejected");
    if (failed >= 0) {
        const reason = (results[failed] as PromiseRejectedResult).reason;
        const count = results.filter((r) => r.status === "rejected").length;
        throw new ArchiveWriteError(`${count} of ${objects.length} object(s) not written, first ${objects[failed]!.key}: ${reason instanceof Error ? reason.message : String(reason)}`, { cause: reason });
    }
}

/** Some objects of a batch could not be written. */
export class ArchiveWriteError extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = "ArchiveWriteError";
    }
}
