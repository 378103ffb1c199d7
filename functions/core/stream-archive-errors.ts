/**
 * The error lines of the stream archiver, in the shapes Firehose writes under its error prefix
 * (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-failure-handling.html and
 * record-format-conversion-error-handling.html), so one reader handles both paths: the raw record
 * is kept (base64 `rawData`), nothing is lost. Times are the batch's, so a retry writes the same bytes.
 */

/** What an error line keeps of a stream record (functions/core/stream-archive.ts StreamRecord). */
export interface ErrorRecord {
    sequenceNumber: string;
    arrivalMs: number;
    data: Uint8Array;
}

/** Message of a record the row core cannot read. */
export const PROCESSING_FAILED_MESSAGE = "the record is not newline-delimited ingest lines (JSON objects with application_id and event)";
/** Message of a row Parquet cannot hold. */
export const CONVERSION_FAILED_MESSAGE = "a string column holds a lone UTF-16 surrogate, which UTF-8 (Parquet) cannot encode";

const base64 = (data: Uint8Array): string => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64");

/** Builders of the two kinds of error line for one batch. */
export function errorShapes(processorArn: string, batchTime: number) {
    return {
        /** Firehose's ProcessingFailed line (processing-failed/). */
        processingFailed: (record: ErrorRecord) => ({
            attemptsMade: 1,
            arrivalTimestamp: record.arrivalMs,
            errorCode: "Lambda.ProcessingFailed",
            errorMessage: PROCESSING_FAILED_MESSAGE,
            attemptEndingTimestamp: batchTime,
            rawData: base64(record.data),
            lambdaArn: processorArn,
            sequenceNumber: record.sequenceNumber,
        }),
        /** Firehose's record format conversion failure line (format-conversion-failed/), with the rows it could not convert. */
        conversionFailed: (record: ErrorRecord, rowsText: string) => ({
            attemptsMade: 1,
            arrivalTimestamp: record.arrivalMs,
            ErrorCode: "DataFormatConversion.MalformedData",
            ErrorMessage: CONVERSION_FAILED_MESSAGE,
            attemptEndingTimestamp: batchTime,
            rawData: base64(record.data),
            sequenceNumber: record.sequenceNumber,
            convertedData: rowsText,
        }),
    };
}
