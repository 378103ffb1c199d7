/** S3 storage and requests, Glue Data Catalog and ETL, Athena. */
import { ASSUMPTIONS } from "../assumptions";
import type { CostContext } from "../context";
import { glueSchedule } from "../../components/aws/schedule";
import { cronRunsPerMonth } from "../cron-runs";
import { count, line, type LineItem } from "../line-item";
import { ATHENA_MINIMUM_BYTES_PER_QUERY, PRICES } from "../prices";
import { GIB, TIB } from "../units";

/**
 * Average GB-months stored over the first month when `bytesPerDay` land every day and objects
 * expire after `retentionDays` (0 = never): storage grows linearly, so the month averages half of
 * what it ends with unless retention caps it.
 */
export function firstMonthAverageBytes(bytesPerDay: number, days: number, retentionDays: number): number {
    const r = retentionDays > 0 ? retentionDays : Infinity;
    if (r >= days) return (bytesPerDay * days) / 2;
    return (bytesPerDay * ((r * r) / 2 + r * (days - r))) / days;
}

export function lakeLines(c: CostContext): LineItem[] {
    const s = c.settings;
    const w = c.workload;
    const items: LineItem[] = [];
    const parquetPerDay = c.parquetBytes / c.days;
    const etlCron = s.etlSchedule ? glueSchedule(s.etlSchedule) : undefined;
    const runs = etlCron ? cronRunsPerMonth(etlCron, c.days) : 0;

    const lakeBytes = firstMonthAverageBytes(parquetPerDay, c.days, s.dataRetentionDays);
    items.push(line("S3", "raw events storage (Parquet)", lakeBytes / GIB, PRICES.s3.standardStorage,
        `first-month average: ${(c.parquetBytes / GIB).toFixed(1)} GB land per month (Parquet ~${ASSUMPTIONS.parquetToJsonRatio} of the JSON rows)`));
    if (runs > 0) {
        items.push(line("S3", "processed events storage (ETL copy)", lakeBytes / GIB, PRICES.s3.standardStorage,
            "the Glue ETL job writes a second Parquet copy partitioned by application"));
    }
    if (s.s3BackupMode) {
        items.push(line("S3", "raw record backup storage", firstMonthAverageBytes(c.firehose.bytes / c.days, c.days, s.dataRetentionDays) / GIB,
            PRICES.s3.standardStorage, "s3BackupMode: Firehose copies the untransformed records"));
    }

    const queries = w.athenaQueriesPerDay * c.days;
    const objectsPerDay = c.deliveredObjects / c.days;
    const puts = c.deliveredObjects * (s.s3BackupMode ? 2 : 1) + queries * 2 + runs * 20;
    // REDSHIFT: the stream archiver writes the raw copy (cost/lines/archiver.ts); it reads no Glue schema.
    const archiver = s.dataStack === "REDSHIFT" && c.design.name === "ours";
    items.push(line("S3", "PUT requests", puts / 1000, PRICES.s3.putRequests,
        `${count(c.deliveredObjects)} ${archiver ? "stream archiver" : "Firehose"} objects${s.s3BackupMode ? " (x2 with backup)" : ""}, Athena results, ETL output`));
    const gets = queries * objectsPerDay * w.athenaQueryDays * 2;
    items.push(line("S3", "GET requests", gets / 1000, PRICES.s3.getRequests, "Athena reads ~2 ranges per object in the queried partitions"));

    const catalogObjects = 2 + (runs > 0 ? 1 + w.applications * c.days : 0);
    items.push(line("Glue", "Data Catalog storage", catalogObjects / 1e5, PRICES.glue.catalogObjects,
        !c.design.partitionProjection ? "database and table; how the guidance registers partitions is not published (its table: 11.00 USD)"
            : runs > 0 ? "database, tables and the processed table's partitions" : "database and table: partition projection registers no partitions"));
    const catalogRequests = queries * ASSUMPTIONS.glueRequestsPerQuery + (archiver ? 0 : c.deliveredObjects * ASSUMPTIONS.glueRequestsPerDeliveredObject) + runs * 10;
    items.push(line("Glue", "Data Catalog requests", catalogRequests / 1e6, PRICES.glue.catalogRequests,
        c.design.partitionProjection ? "Athena queries and Firehose schema reads; no GetPartitions thanks to partition projection" : "Athena queries and Firehose schema reads"));
    if (runs > 0) {
        const gbPerRun = c.parquetBytes / GIB / runs;
        const jobMinutes = Math.max(1, ASSUMPTIONS.etlFixedMinutes + gbPerRun * ASSUMPTIONS.etlMinutesPerGb);
        items.push(line("Glue", "ETL job DPU-hours", (runs * ASSUMPTIONS.etlDpus * jobMinutes) / 60, PRICES.glue.etlDpuHour,
            `${count(runs)} runs of ${etlCron} x ${ASSUMPTIONS.etlDpus} DPU x ${jobMinutes.toFixed(1)} min`));
        items.push(line("Glue", "crawler DPU-hours", (runs * ASSUMPTIONS.crawlerDpus * ASSUMPTIONS.crawlerMinutes) / 60, PRICES.glue.crawlerDpuHour,
            `${count(runs)} crawler runs, ${ASSUMPTIONS.crawlerMinutes}-minute minimum`));
    } else {
        items.push(line("Glue", "ETL job DPU-hours", 0, PRICES.glue.etlDpuHour, "etlSchedule unset: the workflow runs on demand only (each run ~2 DPU x 2 min = 0.03 USD + crawler 0.07 USD)"));
    }

    const perQuery = Math.max(ATHENA_MINIMUM_BYTES_PER_QUERY, parquetPerDay * w.athenaQueryDays * ASSUMPTIONS.athenaColumnFraction);
    items.push(line("Athena", "data scanned", (queries * perQuery) / TIB, PRICES.athena.scanned,
        `${count(queries)} queries x ${(perQuery / GIB).toFixed(2)} GB: Parquet columns (~${ASSUMPTIONS.athenaColumnFraction} of the bytes) of ${w.athenaQueryDays} day(s) of partitions`));
    return items;
}
