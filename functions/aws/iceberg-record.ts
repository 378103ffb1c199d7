/**
 * The stored row as Firehose's Iceberg destination wants it: the same columns (the row core's
 * EventRow), with `event_timestamp` in microseconds since the epoch, because the Iceberg column is
 * a timestamp and Firehose reads a JSON number for a timestamp column as microseconds ("For
 * Timestamp data types, you must always send in microseconds", Firehose: understand supported
 * data types). Sending the Hive row's epoch seconds would store every event in January 1970.
 *
 * Pure; the transform's Firehose adapter applies it to each row when the table format is ICEBERG.
 */
import type { EventRow } from "../core/contracts";

/** Microseconds in one second. */
export const MICROS_PER_SECOND = 1_000_000;

/** An EventRow with event_timestamp in epoch microseconds. */
export type IcebergEventRow = Omit<EventRow, "event_timestamp"> & { event_timestamp: number };

/**
 * The Iceberg form of a stored row. Epoch seconds times 10^6 stay exact integers up to year
 * 2255 (2^53 microseconds), far beyond any accepted event time.
 * @example toIcebergRow({ ...row, event_timestamp: 1764547200 }).event_timestamp === 1764547200000000
 */
export function toIcebergRow(row: EventRow): IcebergEventRow {
    if (!Number.isSafeInteger(row.event_timestamp * MICROS_PER_SECOND)) {
        throw new RangeError(`event_timestamp: ${row.event_timestamp} seconds is out of the range of an Iceberg timestamp in microseconds`);
    }
    return { ...row, event_timestamp: row.event_timestamp * MICROS_PER_SECOND };
}
