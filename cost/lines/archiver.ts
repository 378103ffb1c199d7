/**
 * The REDSHIFT data stack's raw copy of the stream: the stream archiver (components/aws/stream-archiver.ts),
 * a Lambda on a Kinesis event source mapping, instead of Firehose (which bills each one-event
 * record rounded up to 5 KB: ~64 USD a month at the reference workload).
 *
 * A batch is cut by the first limit reached: 10,000 records, the 300 s batching window, or the
 * 6 MB invocation payload. With one event per record the payload limit decides: each record is
 * sent base64-encoded inside a JSON envelope (shard, sequence number, ARNs), ~1.9 KB for a 1.2 KB
 * record, so ~3,300 records per invocation. Each invocation writes one Parquet object per
 * event-date partition it holds (one, but around midnight).
 */
import { ASSUMPTIONS } from "../assumptions";
import type { CostContext } from "../context";
import type { LambdaProfile } from "../design";
import { count, type LineItem } from "../line-item";
import { lambdaLines } from "./lambda";

/** Lambda's synchronous invocation payload limit, bytes (6 MB). */
export const ESM_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
/** Kinesis's largest batch size. */
export const ESM_MAX_BATCH_RECORDS = 10_000;
/** The archiver's batching window in production, seconds (components/aws/stream-archiver.ts). */
export const ARCHIVER_WINDOW_SECONDS = 300;

/**
 * The archiver's compute: 1,024 MB arm64; 40 µs of one core per event (the core, rows and Parquet
 * encoding of a 2,900-record batch measured at 27-40 µs per event, warm, on the development
 * machine) and 150 ms per invocation for the registry lookup and the S3 puts.
 */
export const ARCHIVER_PROFILE: LambdaProfile = { architecture: "arm64", memoryMb: 1024, fixedMs: 150, cpuMicrosPerEvent: 40 };

/** Bytes one Kinesis record of `recordBytes` takes in the mapping's invocation payload (as Lambda shapes it). */
export function esmRecordBytes(recordBytes: number): number {
    const base64 = "A".repeat(Math.ceil(recordBytes / 3) * 4);
    const sequence = "4".repeat(56);
    return Buffer.byteLength(JSON.stringify({
        kinesis: { kinesisSchemaVersion: "1.0", partitionKey: "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968", sequenceNumber: sequence, data: base64, approximateArrivalTimestamp: 1767614400.123 },
        eventSource: "aws:kinesis", eventVersion: "1.0", eventID: `shardId-000000000000:${sequence}`, eventName: "aws:kinesis:record",
        invokeIdentityArn: "arn:aws:iam::111122223333:role/game-analytics-stream-archiver", awsRegion: "eu-west-1",
        eventSourceARN: "arn:aws:kinesis:eu-west-1:111122223333:stream/game-analytics-events",
    })) + 1;
}

/** Monthly batches of the archiver. */
export interface ArchiverVolume {
    recordsPerInvocation: number;
    invocations: number;
    /** Parquet objects written (one per partition per invocation). */
    objects: number;
}

export function archiverVolume(c: CostContext): ArchiverVolume {
    const k = c.kinesis;
    if (!k) throw new Error("the stream archiver reads the stream: KINESIS_DATA_STREAMS only");
    const shards = c.settings.streamProvisioned ? c.settings.streamShardCount : ASSUMPTIONS.onDemandShards;
    const byPayload = Math.floor(ESM_PAYLOAD_LIMIT_BYTES / esmRecordBytes(k.bytes / k.records));
    const byWindow = (k.records / c.seconds / shards) * ARCHIVER_WINDOW_SECONDS;
    const recordsPerInvocation = Math.max(1, Math.min(ESM_MAX_BATCH_RECORDS, byPayload, byWindow));
    const invocations = Math.ceil(k.records / recordsPerInvocation);
    return { recordsPerInvocation, invocations, objects: Math.ceil(invocations * ASSUMPTIONS.activePartitions) };
}

/** The context with the archiver's invocations and objects where Firehose's were (for the lake, log and KMS lines). */
export function withArchiver(c: CostContext): CostContext {
    const v = archiverVolume(c);
    return { ...c, transformInvocations: v.invocations, deliveredObjects: v.objects };
}

export function archiverLines(c: CostContext): LineItem[] {
    const v = archiverVolume(c);
    const eventsPerInvocation = c.events / v.invocations;
    return lambdaLines("stream archiver", ARCHIVER_PROFILE, v.invocations, eventsPerInvocation,
        `batches of ~${count(Math.round(v.recordsPerInvocation))} records (the 6 MB payload: ${esmRecordBytes(c.kinesis!.bytes / c.kinesis!.records)} B per record), `
        + `${count(v.objects)} Parquet objects (S3 lines); replaces Firehose's raw copy`);
}
