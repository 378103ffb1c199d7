/**
 * The local Firehose: buffers spooled records by size and time, turns each into its stored rows
 * with the row core the processing Lambda's transform wraps (functions/core/rows.ts, called on the
 * spooled bytes directly: no base64 on the way), writes the rows as Parquet into Hive partitions of
 * the lake and unreadable records (the transform's `ProcessingFailed`) as JSON lines under
 * `firehose-errors/processing-failed/`.
 * Every batch goes through the checkpoint's begin/write/commit steps (see checkpoint.ts), so after a
 * crash it is redone under the same file names: exactly once in the lake.
 *
 * A record whose rows the Parquet conversion rejects (DuckDB: "Invalid Input Error", e.g. a lone
 * UTF-16 surrogate) is isolated, as Firehose's record format conversion does: the batch's other
 * records are written, the rejected one goes as a JSON line under
 * `firehose-errors/format-conversion-failed/`, raw data kept. Only failures that are not about the
 * data (disk full, I/O) make the whole batch wait and retry.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { TRANSFORM_BUFFER_MB } from "../functions/core/contracts";
import { type RecordRows, RowBatch, type RowDeps } from "../functions/core/rows";
import { DeliveryCheckpoint, FrameRange, InFlightBatch } from "./checkpoint";
import type { IcebergTableWriter } from "./iceberg/writer";
import { ParquetLakeWriter } from "./lake-writer";
import { SpoolEntry } from "./spool";
import { deliverToWarehouse } from "./warehouse/delivery";
import type { PgliteWarehouse } from "./warehouse/pglite-warehouse";

export interface DeliveryStageOptions {
    /** Local lake folder (stands for the analytics bucket). */
    lakeDir: string;
    /** Folder of the events table under the lake. */
    rawEventsPrefix: string;
    /** Names the spool; prefixes every file the stage writes. */
    spoolEpoch: string;
    checkpoint: DeliveryCheckpoint;
    writer: ParquetLakeWriter;
    /** The row core's dependencies (application lookup, clock, ingestion ids). */
    rows: RowDeps;
    /** Flush when this many bytes are buffered. @default 1 MiB */
    bufferBytes?: number;
    /** Flush this long after the first buffered record. @default 2000 */
    bufferMs?: number;
    /**
     * Largest batch of record bytes turned into rows with one processing time and one set of
     * application lookups, like the Lambda processor's buffer. @default TRANSFORM_BUFFER_MB (2 MiB)
     */
    transformBatchBytes?: number;
    /**
     * `tableFormat: ICEBERG`: append each batch to this Iceberg table instead of writing Hive
     * partitions. @default undefined (Hive Parquet partitions)
     * @example await IcebergTableWriter.open(icebergTableDir(lakeDir, "raw_events"))
     */
    icebergWriter?: IcebergTableWriter;
    /**
     * `dataStack: REDSHIFT`: deliver the records to this warehouse (no transform, no lake).
     * @default undefined (the lake)
     * @example await PgliteWarehouse.open({ dataDir: warehouseDir(root) })
     */
    warehouse?: PgliteWarehouse;
    /** Called after a batch is committed, with the new watermark (e.g. to release spool segments). */
    onCommitted?(watermark: number): void;
    log?(message: string): void;
}

/** Counters of what the stage delivered since it started. */
export interface DeliveryStats {
    batches: number;
    recordsIn: number;
    rowsWritten: number;
    recordsFailed: number;
    parquetFiles: number;
    /** Records the Parquet conversion rejected (written to firehose-errors/format-conversion-failed/). */
    recordsConversionFailed: number;
}

const RETRY_DELAYS_MS = [100, 500, 1000, 2000, 5000];

export class DeliveryStage {
    readonly stats: DeliveryStats = { batches: 0, recordsIn: 0, rowsWritten: 0, recordsFailed: 0, parquetFiles: 0, recordsConversionFailed: 0 };
    private buffer: SpoolEntry[] = [];
    private bufferedBytes = 0;
    private timer: NodeJS.Timeout | undefined;
    private chain: Promise<void> = Promise.resolve();
    private stopping = false;
    private readonly bufferBytes: number;
    private readonly bufferMs: number;
    private readonly transformBatchBytes: number;

    constructor(private readonly options: DeliveryStageOptions) {
        this.bufferBytes = options.bufferBytes ?? 1024 * 1024;
        this.bufferMs = options.bufferMs ?? 2000;
        this.transformBatchBytes = options.transformBatchBytes ?? TRANSFORM_BUFFER_MB * 1024 * 1024;
    }

    /** Adds spooled records to the buffer; they are written at the next size or time flush. */
    accept(entries: readonly SpoolEntry[]): void {
        for (const entry of entries) {
            if (this.options.checkpoint.isDelivered(entry.offset)) continue;
            this.buffer.push(entry);
            this.bufferedBytes += entry.data.length;
        }
        if (this.bufferedBytes >= this.bufferBytes) {
            this.scheduleFlush();
        } else if (this.buffer.length > 0 && this.timer === undefined) {
            this.timer = setTimeout(() => this.scheduleFlush(), this.bufferMs);
        }
    }

    /** Writes everything buffered now and waits until it is committed. */
    flush(): Promise<void> {
        this.scheduleFlush();
        return this.chain;
    }

    /**
     * Redoes a batch left in flight by a crash, with its original id and frames. Frames missing
     * from the spool (lost to corruption, already counted and logged by the spool) are left out.
     */
    redo(batch: InFlightBatch, entries: readonly SpoolEntry[]): Promise<void> {
        const byOffset = new Map(entries.map((e) => [e.offset, e]));
        const frames = batch.frames.map(([offset]) => byOffset.get(offset)).filter((f): f is SpoolEntry => f !== undefined);
        if (frames.length < batch.frames.length) {
            this.log(`batch ${batch.batchId}: ${batch.frames.length - frames.length} of its ${batch.frames.length} records are missing from the spool (corrupt); redoing the others`);
        }
        const redone: InFlightBatch = { ...batch, frames: frames.map((f) => [f.offset, f.end]) };
        return this.enqueue(() => this.deliverWithRetry(frames, redone));
    }

    /** Flushes and stops retrying failed batches after their current attempt schedule. */
    async stop(): Promise<void> {
        this.stopping = true;
        await this.flush();
    }

    private scheduleFlush(): void {
        if (this.timer !== undefined) {
            clearTimeout(this.timer);
            this.timer = undefined;
        }
        if (this.buffer.length === 0) return;
        const entries = this.buffer;
        this.buffer = [];
        this.bufferedBytes = 0;
        const frames: FrameRange[] = entries.map((e) => [e.offset, e.end]);
        const batch: InFlightBatch = {
            batchId: String(Math.min(...frames.map((f) => f[0]))).padStart(16, "0"),
            startedAt: Date.now(),
            frames,
        };
        void this.enqueue(() => this.deliverWithRetry(entries, batch));
    }

    private enqueue(work: () => Promise<void>): Promise<void> {
        const run = this.chain.then(work);
        this.chain = run.catch((error) => this.log(`delivery failed: ${(error as Error).message}`));
        return run;
    }

    private async deliverWithRetry(entries: SpoolEntry[], batch: InFlightBatch): Promise<void> {
        for (let attempt = 0; ; attempt++) {
            try {
                await this.deliver(entries, batch);
                return;
            } catch (error) {
                const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
                if (this.stopping && attempt >= RETRY_DELAYS_MS.length) {
                    throw new Error(`batch ${batch.batchId} not delivered (${(error as Error).message}); ` +
                        "it stays in the spool and is redone at the next start");
                }
                this.log(`batch ${batch.batchId} failed (${(error as Error).message}); retrying in ${delay} ms`);
                await new Promise((r) => setTimeout(r, delay));
            }
        }
    }

    private async deliver(entries: SpoolEntry[], batch: InFlightBatch): Promise<void> {
        const { checkpoint, writer, lakeDir, rawEventsPrefix, spoolEpoch, icebergWriter, warehouse } = this.options;
        if (warehouse) {
            const { inserted, watermark } = await deliverToWarehouse(warehouse, checkpoint, spoolEpoch, batch, entries);
            this.stats.batches += 1;
            this.stats.recordsIn += entries.length;
            this.stats.rowsWritten += inserted;
            this.options.onCommitted?.(watermark);
            return;
        }
        checkpoint.begin(batch);
        const results = await this.rowsOfAll(entries);
        // The rows (JSON lines), per partition, handed to the lake writer as they are.
        const rowsByPartition = new Map<string, PartitionRow[]>();
        const failures: unknown[] = [];
        for (let i = 0; i < entries.length; i++) {
            const entry = entries[i]!;
            const result = results[i]!;
            if (!result.readable) {
                failures.push(errorLine(entry, "Lambda.ProcessingFailed", entry.data.toString("utf8").slice(0, 2000)));
                continue;
            }
            const { year, month, day } = result.partition;
            const partition = `year=${year}/month=${month}/day=${day}`;
            const rows = rowsByPartition.get(partition) ?? [];
            rows.push({ entry, text: result.text, rows: result.rows });
            rowsByPartition.set(partition, rows);
        }
        const fileName = `${spoolEpoch}-${batch.batchId}`;
        let rowsWritten = 0;
        let parquetFiles = 0;
        const conversionFailures: unknown[] = [];
        const reject = (rejected: { row: PartitionRow; message: string }[]): void => {
            for (const { row, message } of rejected) {
                conversionFailures.push({ ...errorLine(row.entry, "DataFormatConversion.MalformedData", message.slice(0, 2000)), convertedData: row.text });
            }
        };
        if (icebergWriter) {
            // One snapshot for the whole batch; the table partitions the rows itself.
            const all = [...rowsByPartition.values()].flat().sort((a, b) => a.entry.offset - b.entry.offset);
            const probe = path.join(lakeDir, ".iceberg-probe", `${fileName}.parquet`);
            let dataFiles = 0;
            const { written, rejected } = await this.isolatePoison(all, probe, async (good) => {
                if (good.length === 0) return;
                dataFiles = (await icebergWriter.appendJsonLines(good.map((r) => r.text).join(""), fileName)).dataFiles;
            });
            reject(rejected);
            for (const row of written) rowsWritten += row.rows;
            parquetFiles += dataFiles;
        } else {
            for (const [partition, rows] of rowsByPartition) {
                const file = path.join(lakeDir, rawEventsPrefix, partition, `${fileName}.parquet`);
                const { written, rejected } = await this.isolatePoison(rows, `${file}.probe`, async (good) => {
                    if (good.length > 0) await writer.writeParquetFromJsonLines(good.map((r) => r.text).join(""), file);
                    else fs.rmSync(file, { force: true });
                });
                reject(rejected);
                for (const row of written) rowsWritten += row.rows;
                if (written.length > 0) parquetFiles += 1;
            }
        }
        if (failures.length > 0) writer.writeJsonLines(failures, errorFile(lakeDir, "processing-failed", batch, fileName));
        if (conversionFailures.length > 0) {
            writer.writeJsonLines(conversionFailures, errorFile(lakeDir, "format-conversion-failed", batch, fileName));
            this.log(`batch ${batch.batchId}: ${conversionFailures.length} record(s) rejected by the Parquet conversion, ` +
                "written to firehose-errors/format-conversion-failed/");
        }
        const watermark = checkpoint.commit();
        this.stats.batches += 1;
        this.stats.recordsIn += entries.length;
        this.stats.rowsWritten += rowsWritten;
        this.stats.recordsFailed += failures.length;
        this.stats.parquetFiles += parquetFiles;
        this.stats.recordsConversionFailed += conversionFailures.length;
        this.options.onCommitted?.(watermark);
    }

    /**
     * Writes rows with `commit`. When the conversion rejects the data, the records at fault are
     * found by halving (trial Parquet writes to the scratch file `probe`) and `commit` is called
     * again with the others; a failure that is not about the data (disk full, I/O) is thrown, so
     * the batch is retried whole. Deterministic: a redo after a crash writes the same files.
     */
    private async isolatePoison(
        rows: PartitionRow[], probe: string, commit: (good: PartitionRow[]) => Promise<void>,
    ): Promise<{ written: PartitionRow[]; rejected: { row: PartitionRow; message: string }[] }> {
        const { writer } = this.options;
        try {
            await commit(rows);
            return { written: rows, rejected: [] };
        } catch (error) {
            if (!isDataError(error)) throw error;
        }
        const rejected: { row: PartitionRow; message: string }[] = [];
        const good: PartitionRow[] = [];
        const isolate = async (items: PartitionRow[]): Promise<void> => {
            try {
                await writer.writeParquetFromJsonLines(items.map((r) => r.text).join(""), probe);
                good.push(...items);
                return;
            } catch (error) {
                if (!isDataError(error)) throw error;
                if (items.length === 1) {
                    rejected.push({ row: items[0], message: (error as Error).message });
                    return;
                }
            }
            const half = Math.ceil(items.length / 2);
            await isolate(items.slice(0, half));
            await isolate(items.slice(half));
        };
        fs.mkdirSync(path.dirname(probe), { recursive: true });
        try {
            await isolate(rows);
        } finally {
            fs.rmSync(probe, { force: true });
        }
        good.sort((a, b) => a.entry.offset - b.entry.offset);
        await commit(good);
        return { written: good, rejected };
    }

    /**
     * The rows of each entry, same order, from the spooled bytes. A new row batch (processing time,
     * application lookups) starts when the bytes would exceed the Lambda processor's buffer.
     */
    private async rowsOfAll(entries: SpoolEntry[]): Promise<RecordRows[]> {
        const results: RecordRows[] = new Array(entries.length);
        let batch: RowBatch | undefined;
        let batchBytes = 0;
        for (let i = 0; i < entries.length; i++) {
            const entry = entries[i]!;
            if (batch === undefined || (batchBytes > 0 && batchBytes + entry.data.length > this.transformBatchBytes)) {
                batch = new RowBatch(this.options.rows);
                batchBytes = 0;
            }
            results[i] = await batch.rowsOf(entry.data.toString("utf8"), entry.arrival);
            batchBytes += entry.data.length;
        }
        return results;
    }

    private log(message: string): void {
        (this.options.log ?? ((m: string) => process.stderr.write(`${m}\n`)))(message);
    }
}

/** One record's rows (JSON lines) in a partition. */
interface PartitionRow {
    entry: SpoolEntry;
    text: string;
    rows: number;
}

/** Whether DuckDB rejected the data itself (as opposed to failing to read or write a file). */
function isDataError(error: unknown): boolean {
    if (!(error instanceof Error) || (error as NodeJS.ErrnoException).code !== undefined) return false;
    return /^(Invalid Input|Conversion|Out of Range) Error\b/.test(error.message);
}

/** `firehose-errors/<type>/YYYY/MM/DD/HH/<file name>.jsonl`, by the batch's start time (UTC). */
function errorFile(lakeDir: string, type: string, batch: InFlightBatch, fileName: string): string {
    const d = new Date(batch.startedAt);
    const pad = (n: number): string => String(n).padStart(2, "0");
    return path.join(lakeDir, "firehose-errors", type,
        String(d.getUTCFullYear()), pad(d.getUTCMonth() + 1), pad(d.getUTCDate()), pad(d.getUTCHours()), `${fileName}.jsonl`);
}

/** A Firehose-style error output line. The raw record is kept (base64) so nothing is lost. */
function errorLine(entry: SpoolEntry, errorCode: string, errorMessage: string): Record<string, unknown> {
    return {
        recordId: String(entry.offset),
        errorCode,
        errorMessage,
        approximateArrivalTimestamp: entry.arrival,
        rawData: entry.data.toString("base64"),
    };
}
