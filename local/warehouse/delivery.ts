/**
 * The warehouse end of the local delivery stage in `dataStack: REDSHIFT` (what the streaming
 * materialized view does in AWS): a batch of spooled Kinesis records goes into the warehouse as
 * they are, no transform (Redshift reads the stream, not Firehose), one row per event.
 *
 * Exactly once across crashes, with the delivery checkpoint's three steps: `begin` durably records
 * the batch, `insertEvents` commits its rows and its id in one transaction, `commit` marks its
 * frames delivered. A crash before the insert commits redoes the batch; a crash after it redoes it
 * too, but the warehouse already knows the id and inserts nothing.
 */
import { DeliveryCheckpoint, InFlightBatch } from "../checkpoint";
import { SpoolEntry } from "../spool";
import { InsertResult, PgliteWarehouse } from "./pglite-warehouse";
import { rowsOfRecord, WarehouseRecordRow } from "./records";

/** The warehouse's id of a batch: unique across spools (batch ids restart with a new spool). */
export function warehouseBatchId(spoolEpoch: string, batch: InFlightBatch): string {
    return `${spoolEpoch}-${batch.batchId}`;
}

/**
 * Rows of spooled records: the spool offset stands for the sequence number, each row's partition
 * key is its own event id (the ingest's key for an unpacked record).
 */
export function rowsOfSpoolEntries(entries: readonly SpoolEntry[]): WarehouseRecordRow[] {
    return entries.flatMap((entry) =>
        rowsOfRecord({ data: entry.data, arrivalMs: entry.arrival, partitionKey: "", sequenceNumber: String(entry.offset) }).map((row) => {
            const event = row.payload?.event as { event_id?: unknown } | undefined;
            return { ...row, partitionKey: typeof event?.event_id === "string" ? event.event_id : `offset-${entry.offset}` };
        }));
}

/** Delivers one batch to the warehouse through the checkpoint's begin / write / commit steps. */
export async function deliverToWarehouse(
    warehouse: PgliteWarehouse, checkpoint: DeliveryCheckpoint, spoolEpoch: string, batch: InFlightBatch, entries: readonly SpoolEntry[],
): Promise<InsertResult & { watermark: number }> {
    checkpoint.begin(batch);
    const result = await warehouse.insertEvents(warehouseBatchId(spoolEpoch, batch), rowsOfSpoolEntries(entries));
    return { ...result, watermark: checkpoint.commit() };
}
