/**
 * Iceberg v2 manifests and manifest lists as Avro files, written and read with `avsc`.
 *
 * The Avro schemas are the spec's ("Manifests", "Manifest Lists"), field ids included: they are
 * given to avsc as raw JSON, because avsc writes the schema it was given into the file header and
 * a parsed `Type` would drop the `field-id` attributes Iceberg readers resolve columns by.
 */
import * as avro from "avsc";
import { EVENTS_PARTITION_SPEC, EVENTS_SCHEMA } from "../../functions/core/iceberg-schema";

/** Manifest entry status (spec): 0 existing, 1 added, 2 deleted. */
export const ENTRY_STATUS = { EXISTING: 0, ADDED: 1, DELETED: 2 } as const;

/** A key/value pair of an Iceberg map stored as an Avro array of records. */
export interface KeyValue<V> {
    key: number;
    value: V;
}

/** The data_file struct of a manifest entry (content 0 = data). */
export interface DataFile {
    content: number;
    file_path: string;
    file_format: "PARQUET";
    partition: { event_timestamp_day: number | null; application_id: string | null };
    record_count: number;
    file_size_in_bytes: number;
    column_sizes: KeyValue<number>[] | null;
    value_counts: KeyValue<number>[] | null;
    null_value_counts: KeyValue<number>[] | null;
    nan_value_counts: KeyValue<number>[] | null;
    lower_bounds: KeyValue<Buffer>[] | null;
    upper_bounds: KeyValue<Buffer>[] | null;
    key_metadata: Buffer | null;
    split_offsets: number[] | null;
    equality_ids: number[] | null;
    sort_order_id: number | null;
}

/** One manifest entry. Null sequence numbers / snapshot id are inherited from the manifest list (ADDED only). */
export interface ManifestEntry {
    status: number;
    snapshot_id: number | null;
    sequence_number: number | null;
    file_sequence_number: number | null;
    data_file: DataFile;
}

/** One partition field summary of a manifest list entry. */
export interface FieldSummary {
    contains_null: boolean;
    contains_nan: boolean | null;
    lower_bound: Buffer | null;
    upper_bound: Buffer | null;
}

/** One entry of a manifest list. */
export interface ManifestFile {
    manifest_path: string;
    manifest_length: number;
    partition_spec_id: number;
    content: number;
    sequence_number: number;
    min_sequence_number: number;
    added_snapshot_id: number;
    added_files_count: number;
    existing_files_count: number;
    deleted_files_count: number;
    added_rows_count: number;
    existing_rows_count: number;
    deleted_rows_count: number;
    partitions: FieldSummary[] | null;
    key_metadata: Buffer | null;
}

const optional = (type: unknown): unknown[] => ["null", type];

function mapOf(keyId: number, valueId: number, valueType: string): unknown {
    return {
        type: "array",
        logicalType: "map",
        items: {
            type: "record",
            name: `k${keyId}_v${valueId}`,
            fields: [
                { name: "key", type: "int", "field-id": keyId },
                { name: "value", type: valueType, "field-id": valueId },
            ],
        },
    };
}

/** The partition struct `r102` of the events partition spec. */
const PARTITION_RECORD = {
    type: "record",
    name: "r102",
    fields: [
        { name: "event_timestamp_day", type: optional({ type: "int", logicalType: "date" }), default: null, "field-id": 1000 },
        { name: "application_id", type: optional("string"), default: null, "field-id": 1001 },
    ],
};

/** Avro schema of a v2 manifest of the events table (raw JSON, with field ids). */
export const MANIFEST_ENTRY_SCHEMA = {
    type: "record",
    name: "manifest_entry",
    fields: [
        { name: "status", type: "int", "field-id": 0 },
        { name: "snapshot_id", type: optional("long"), default: null, "field-id": 1 },
        { name: "sequence_number", type: optional("long"), default: null, "field-id": 3 },
        { name: "file_sequence_number", type: optional("long"), default: null, "field-id": 4 },
        {
            name: "data_file",
            "field-id": 2,
            type: {
                type: "record",
                name: "r2",
                fields: [
                    { name: "content", type: "int", "field-id": 134 },
                    { name: "file_path", type: "string", "field-id": 100 },
                    { name: "file_format", type: "string", "field-id": 101 },
                    { name: "partition", type: PARTITION_RECORD, "field-id": 102 },
                    { name: "record_count", type: "long", "field-id": 103 },
                    { name: "file_size_in_bytes", type: "long", "field-id": 104 },
                    { name: "column_sizes", type: optional(mapOf(117, 118, "long")), default: null, "field-id": 108 },
                    { name: "value_counts", type: optional(mapOf(119, 120, "long")), default: null, "field-id": 109 },
                    { name: "null_value_counts", type: optional(mapOf(121, 122, "long")), default: null, "field-id": 110 },
                    { name: "nan_value_counts", type: optional(mapOf(138, 139, "long")), default: null, "field-id": 137 },
                    { name: "lower_bounds", type: optional(mapOf(126, 127, "bytes")), default: null, "field-id": 125 },
                    { name: "upper_bounds", type: optional(mapOf(129, 130, "bytes")), default: null, "field-id": 128 },
                    { name: "key_metadata", type: optional("bytes"), default: null, "field-id": 131 },
                    { name: "split_offsets", type: optional({ type: "array", items: "long", "element-id": 133 }), default: null, "field-id": 132 },
                    { name: "equality_ids", type: optional({ type: "array", items: "int", "element-id": 136 }), default: null, "field-id": 135 },
                    { name: "sort_order_id", type: optional("int"), default: null, "field-id": 140 },
                ],
            },
        },
    ],
};

/** Avro schema of a v2 manifest list (raw JSON, with field ids). */
export const MANIFEST_FILE_SCHEMA = {
    type: "record",
    name: "manifest_file",
    fields: [
        { name: "manifest_path", type: "string", "field-id": 500 },
        { name: "manifest_length", type: "long", "field-id": 501 },
        { name: "partition_spec_id", type: "int", "field-id": 502 },
        { name: "content", type: "int", "field-id": 517 },
        { name: "sequence_number", type: "long", "field-id": 515 },
        { name: "min_sequence_number", type: "long", "field-id": 516 },
        { name: "added_snapshot_id", type: "long", "field-id": 503 },
        { name: "added_files_count", type: "int", "field-id": 504 },
        { name: "existing_files_count", type: "int", "field-id": 505 },
        { name: "deleted_files_count", type: "int", "field-id": 506 },
        { name: "added_rows_count", type: "long", "field-id": 512 },
        { name: "existing_rows_count", type: "long", "field-id": 513 },
        { name: "deleted_rows_count", type: "long", "field-id": 514 },
        {
            name: "partitions",
            type: optional({
                type: "array",
                "element-id": 508,
                items: {
                    type: "record",
                    name: "r508",
                    fields: [
                        { name: "contains_null", type: "boolean", "field-id": 509 },
                        { name: "contains_nan", type: optional("boolean"), default: null, "field-id": 518 },
                        { name: "lower_bound", type: optional("bytes"), default: null, "field-id": 510 },
                        { name: "upper_bound", type: optional("bytes"), default: null, "field-id": 511 },
                    ],
                },
            }),
            default: null,
            "field-id": 507,
        },
        { name: "key_metadata", type: optional("bytes"), default: null, "field-id": 519 },
    ],
};

/** Encodes records as an Avro object container file (deflate blocks) with header metadata. */
export function encodeAvroFile(schema: object, records: readonly object[], metadata: Record<string, string>): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const meta: Record<string, Buffer> = {};
        for (const [key, value] of Object.entries(metadata)) meta[key] = Buffer.from(value, "utf8");
        // `metadata` is an encoder option avsc supports but does not declare in its types.
        const options = { codec: "deflate", writeHeader: true, metadata: meta } as unknown as Partial<avro.EncoderOptions>;
        const encoder = new avro.streams.BlockEncoder(schema as avro.Schema, options);
        const chunks: Buffer[] = [];
        encoder.on("data", (chunk: Buffer) => chunks.push(chunk));
        encoder.on("end", () => resolve(Buffer.concat(chunks)));
        encoder.on("error", reject);
        for (const record of records) encoder.write(record);
        encoder.end();
    });
}

/** Decodes every record of an Avro object container file (with the writer's schema from its header). */
export function decodeAvroFile<T>(bytes: Buffer): Promise<{ records: T[]; metadata: Record<string, string> }> {
    return new Promise((resolve, reject) => {
        const decoder = new avro.streams.BlockDecoder();
        const records: T[] = [];
        let metadata: Record<string, string> = {};
        decoder.on("metadata", (_type: unknown, _codec: unknown, header: { meta: Record<string, Buffer> }) => {
            metadata = Object.fromEntries(Object.entries(header.meta).map(([k, v]) => [k, v.toString("utf8")]));
        });
        decoder.on("data", (record: T) => records.push(record));
        decoder.on("end", () => resolve({ records, metadata }));
        decoder.on("error", reject);
        decoder.end(bytes);
    });
}

/** Header metadata of a manifest of the events table (spec: schema, partition spec, format, content). */
export function manifestMetadata(): Record<string, string> {
    return {
        schema: JSON.stringify(EVENTS_SCHEMA),
        "schema-id": String(EVENTS_SCHEMA["schema-id"]),
        "partition-spec": JSON.stringify(EVENTS_PARTITION_SPEC.fields),
        "partition-spec-id": String(EVENTS_PARTITION_SPEC["spec-id"]),
        "format-version": "2",
        content: "data",
    };
}

/** Encodes a manifest of data files. */
export function encodeManifest(entries: readonly ManifestEntry[]): Promise<Buffer> {
    return encodeAvroFile(MANIFEST_ENTRY_SCHEMA, entries, manifestMetadata());
}

/** Encodes a manifest list for a snapshot. */
export function encodeManifestList(manifests: readonly ManifestFile[], snapshot: { snapshotId: number; parentSnapshotId: number | null; sequenceNumber: number }): Promise<Buffer> {
    const metadata: Record<string, string> = {
        "snapshot-id": String(snapshot.snapshotId),
        "parent-snapshot-id": snapshot.parentSnapshotId === null ? "null" : String(snapshot.parentSnapshotId),
        "sequence-number": String(snapshot.sequenceNumber),
        "format-version": "2",
    };
    return encodeAvroFile(MANIFEST_FILE_SCHEMA, manifests, metadata);
}

/** Single-value serialization (spec appendix D) of the bound types used here. */
export const bound = {
    /** int / date: 4 bytes little-endian. */
    int(value: number): Buffer {
        const b = Buffer.alloc(4);
        b.writeInt32LE(value);
        return b;
    },
    /** long / timestamptz (microseconds): 8 bytes little-endian. */
    long(value: bigint): Buffer {
        const b = Buffer.alloc(8);
        b.writeBigInt64LE(value);
        return b;
    },
    /** string: UTF-8 bytes. */
    string(value: string): Buffer {
        return Buffer.from(value, "utf8");
    },
};

/** Partition summaries of a manifest's entries, for the manifest list (lower/upper bound per field). */
export function partitionSummaries(entries: readonly ManifestEntry[]): FieldSummary[] {
    const days = entries.map((e) => e.data_file.partition.event_timestamp_day);
    const apps = entries.map((e) => e.data_file.partition.application_id);
    const dayValues = days.filter((d): d is number => d !== null);
    const appValues = apps.filter((a): a is string => a !== null).sort();
    return [
        {
            contains_null: days.some((d) => d === null),
            contains_nan: null,
            lower_bound: dayValues.length ? bound.int(Math.min(...dayValues)) : null,
            upper_bound: dayValues.length ? bound.int(Math.max(...dayValues)) : null,
        },
        {
            contains_null: apps.some((a) => a === null),
            contains_nan: null,
            lower_bound: appValues.length ? bound.string(appValues[0]) : null,
            upper_bound: appValues.length ? bound.string(appValues[appValues.length - 1]) : null,
        },
    ];
}
