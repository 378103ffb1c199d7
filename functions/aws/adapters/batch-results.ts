/**
 * Per-record outcomes of a batch put (Firehose PutRecordBatch, Kinesis PutRecords): both services
 * answer one entry per input record, in order, with an error code on the failed ones.
 */
import type { SinkRecordResult } from "../../core/ports";

/** One entry of a batch put's answer. */
export interface BatchPutEntry {
    ErrorCode?: string;
    ErrorMessage?: string;
}

/** The outcome of each of `count` records, in input order; a missing entry counts as a failure. */
export function batchResults(count: number, entries: readonly BatchPutEntry[] | undefined): SinkRecordResult[] {
    const results: SinkRecordResult[] = new Array(count);
    for (let i = 0; i < count; i++) {
        const entry = entries?.[i];
        if (entry === undefined) results[i] = { ok: false, errorMessage: "no response for this record" };
        else if (entry.ErrorCode) results[i] = { ok: false, errorCode: entry.ErrorCode, errorMessage: entry.ErrorMessage };
        else results[i] = { ok: true };
    }
    return results;
}
