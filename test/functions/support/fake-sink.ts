/**
 * An EventSink test double for fault injection: records every call and fails records on demand.
 */
import {
    KINESIS_MAX_BYTES_PER_CALL,
    KINESIS_MAX_RECORD_BYTES,
    KINESIS_MAX_RECORDS_PER_CALL,
    KINESIS_PACKS_EVENTS,
} from "../../../functions/aws/adapters/kinesis-sink";
import type { EventSink, SinkRecord, SinkRecordResult } from "../../../functions/core/ports";

/** Decides the outcome of one record in one call; return undefined for success. */
export type FaultPlan = (record: SinkRecord, call: number) => { errorCode: string } | "throw" | undefined;

export class FakeSink implements EventSink {
    readonly calls: SinkRecord[][] = [];
    /** Records accepted, in acceptance order. */
    readonly accepted: SinkRecord[] = [];

    constructor(
        readonly limits: Pick<EventSink, "maxRecordsPerCall" | "maxBytesPerCall" | "maxRecordBytes" | "packsEvents">,
        private readonly faults: FaultPlan = () => undefined,
    ) {}

    get maxRecordsPerCall() {
        return this.limits.maxRecordsPerCall;
    }
    get maxBytesPerCall() {
        return this.limits.maxBytesPerCall;
    }
    get maxRecordBytes() {
        return this.limits.maxRecordBytes;
    }
    get packsEvents() {
        return this.limits.packsEvents;
    }

    async putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]> {
        const call = this.calls.length;
        this.calls.push(records);
        if (records.length > this.maxRecordsPerCall) throw new Error(`too many records in one call: ${records.length}`);
        const bytes = records.reduce((n, r) => n + r.data.length + Buffer.byteLength(r.partitionKey), 0);
        if (bytes > this.maxBytesPerCall) throw new Error(`too many bytes in one call: ${bytes}`);
        const outcomes = records.map((r) => this.faults(r, call));
        if (outcomes.includes("throw")) {
            const err = new Error("service unavailable");
            err.name = "ServiceUnavailableException";
            throw err;
        }
        return records.map((record, i) => {
            const outcome = outcomes[i];
            if (outcome && outcome !== "throw") return { ok: false, errorCode: outcome.errorCode, errorMessage: "injected" };
            this.accepted.push(record);
            return { ok: true };
        });
    }

    /** Every accepted JSON line, parsed. */
    acceptedLines(): Array<Record<string, unknown>> {
        return this.accepted.flatMap((r) =>
            r.data
                .toString("utf8")
                .split("\n")
                .filter((l) => l !== "")
                .map((l) => JSON.parse(l) as Record<string, unknown>),
        );
    }
}

export const FIREHOSE_LIKE = { maxRecordsPerCall: 500, maxBytesPerCall: 4 * 1024 * 1024, maxRecordBytes: 1000 * 1024, packsEvents: true };
/** The Kinesis sink's limits, packing included, as functions/aws/adapters/kinesis-sink.ts declares them. */
export const KINESIS_LIKE = {
    maxRecordsPerCall: KINESIS_MAX_RECORDS_PER_CALL, maxBytesPerCall: KINESIS_MAX_BYTES_PER_CALL, maxRecordBytes: KINESIS_MAX_RECORD_BYTES, packsEvents: KINESIS_PACKS_EVENTS,
};
/** Kinesis limits without packing: one event per record (what a sink that does not pack gets). */
export const ONE_EVENT_PER_RECORD = { ...KINESIS_LIKE, packsEvents: false };
