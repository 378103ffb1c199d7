/**
 * Turns accepted events (one JSON line each) into sink records and sink calls.
 * Packing sinks (Firehose, Kinesis) get many lines per record, never mixing two UTC days so that a
 * record maps to one partition; a packed record's partition key is its first line's (the event id).
 * A sink that does not pack gets one line per record. Calls respect the sink's record count and
 * byte limits.
 */
import type { EventSink, SinkRecord } from "./ports";

/** One accepted event ready for the sink. */
export interface PendingLine {
    /** Index of the event in the request. */
    index: number;
    /** JSON line without the trailing newline. */
    line: string;
    /** Partition key (Kinesis): the event id; a packed record takes its first line's. */
    partitionKey: string;
    /** UTC day number (epoch days) of the event timestamp. */
    day: number;
}

/** A sink record and the request indexes of the events it carries. */
export interface PackedRecord {
    record: SinkRecord;
    eventIndexes: number[];
}

/** Lines too large for one record, by request index. */
export interface PackResult {
    records: PackedRecord[];
    tooLarge: Array<{ index: number; bytes: number }>;
}

/** Limits taken from the sink. */
export type SinkLimits = Pick<EventSink, "maxRecordsPerCall" | "maxBytesPerCall" | "maxRecordBytes" | "packsEvents">;

/** Bytes a record costs against the per-call limit (Kinesis counts the partition key too). */
export function recordCost(record: SinkRecord): number {
    return record.data.length + Buffer.byteLength(record.partitionKey);
}

/**
 * Builds sink records. Every record's data is lines terminated by "\n", at most
 * `maxRecordBytes` bytes including the partition key.
 */
export function packLines(lines: readonly PendingLine[], sink: SinkLimits): PackResult {
    const records: PackedRecord[] = [];
    const tooLarge: PackResult["tooLarge"] = [];
    const byDay = new Map<number, PendingLine[]>();
    for (const line of lines) {
        const bytes = Buffer.byteLength(line.line) + 1 + Buffer.byteLength(line.partitionKey);
        if (bytes > sink.maxRecordBytes) {
            tooLarge.push({ index: line.index, bytes });
            continue;
        }
        if (!sink.packsEvents) {
            records.push({ record: { data: Buffer.from(line.line + "\n"), partitionKey: line.partitionKey }, eventIndexes: [line.index] });
            continue;
        }
        const group = byDay.get(line.day);
        if (group) group.push(line);
        else byDay.set(line.day, [line]);
    }
    for (const group of byDay.values()) packGroup(group, sink.maxRecordBytes, records);
    return { records, tooLarge };
}

function packGroup(group: PendingLine[], maxRecordBytes: number, out: PackedRecord[]): void {
    let parts: string[] = [];
    let indexes: number[] = [];
    let partitionKey = "";
    let bytes = 0;
    const flush = () => {
        if (parts.length === 0) return;
        out.push({ record: { data: Buffer.from(parts.join("")), partitionKey }, eventIndexes: indexes });
        parts = [];
        indexes = [];
        bytes = 0;
    };
    for (const line of group) {
        const text = line.line + "\n";
        const size = Buffer.byteLength(text);
        if (parts.length === 0) {
            partitionKey = line.partitionKey;
            bytes = Buffer.byteLength(partitionKey);
        }
        if (bytes + size > maxRecordBytes) {
            flush();
            partitionKey = line.partitionKey;
            bytes = Buffer.byteLength(partitionKey);
        }
        parts.push(text);
        indexes.push(line.index);
        bytes += size;
    }
    flush();
}

/** Splits records into calls of at most `maxRecordsPerCall` records and `maxBytesPerCall` bytes. */
export function chunkRecords<T extends { record: SinkRecord }>(records: readonly T[], sink: SinkLimits): T[][] {
    const calls: T[][] = [];
    let current: T[] = [];
    let bytes = 0;
    for (const item of records) {
        const cost = recordCost(item.record);
        if (current.length > 0 && (current.length >= sink.maxRecordsPerCall || bytes + cost > sink.maxBytesPerCall)) {
            calls.push(current);
            current = [];
            bytes = 0;
        }
        current.push(item);
        bytes += cost;
    }
    if (current.length > 0) calls.push(current);
    return calls;
}
