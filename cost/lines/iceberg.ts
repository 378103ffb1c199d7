/**
 * The Iceberg table format's line items (tableFormat ICEBERG): Firehose's delivery to Iceberg
 * replaces ingestion + Parquet conversion + dynamic partitioning, the Glue table optimizers replace
 * the ETL copy, and every buffer flush is one Iceberg commit (data files per partition + metadata
 * files + a Glue UpdateTable).
 *
 * Registration (cost/estimate.ts): for ICEBERG, {@link icebergDeliveryLines} keeps `deliveryLines(c)`
 * minus {@link HIVE_ONLY_ITEMS}, keeps `lakeLines(c)` minus the ETL/crawler lines (the ICEBERG stack
 * builds no ETL copy), and adds `icebergLines(c, retention)`.
 */
import type { UnitPrice } from "../prices";
import type { CostContext } from "../context";
import { count, line, type LineItem } from "../line-item";
import { PRICES } from "../prices";
import { GIB } from "../units";
import { deliveryLines } from "./delivery";
import { lakeLines } from "./lake";

/** Prices of the Iceberg side, with provenance. */
export const ICEBERG_PRICES = Object.freeze({
    /**
     * Firehose delivery to Apache Iceberg tables, per GB ingested. The value is the one the
     * guidance's own line implies (19.44 USD for its 259.2 GB month: 0.075 USD/GB); check it
     * against https://aws.amazon.com/firehose/pricing/ before relying on it.
     */
    firehoseIceberg: { usd: 0.075, unit: "GB", source: "/firehose/pricing/", asOf: "2025-06", note: "implied by the guidance's 19.44 USD line (259.2 GB); the pricing page as quoted in docs/iceberg.md: per GB ingested, no 5 KB increments, plus the bytes a Lambda processor adds" } as UnitPrice,
    /** Glue table optimizers (compaction, retention, orphan-file deletion), per DPU-hour. */
    optimizerDpuHour: { usd: 0.44, unit: "DPU-hour", source: "/glue/pricing/", asOf: "2025-06", note: "billed per second" } as UnitPrice,
});

/** Assumptions of the Iceberg lines (nobody publishes them exactly). */
export const ICEBERG_ASSUMPTIONS = Object.freeze({
    /** Parquet GB one optimizer DPU-hour compacts (read + rewrite), conservatively low. */
    compactionGbPerDpuHour: 4,
    /** DPU-minutes one retention or orphan-file run takes on a table of this size (metadata scans, a few deletes). */
    maintenanceRunDpuMinutes: 2,
    /** Metadata files each commit writes: metadata.json, manifest list, manifest. */
    metadataFilesPerCommit: 3,
    /** Glue compaction's minInputFiles (its default, set explicitly by the component): a partition with fewer files is left alone. */
    compactionMinInputFiles: 100,
    /** Glue requests per commit (GetTable, UpdateTable). */
    glueRequestsPerCommit: 2,
});

/** Items of the Hive delivery lines that the Iceberg destination replaces. */
export const HIVE_ONLY_ITEMS: readonly string[] = [
    "ingestion", "format conversion (JSON -> Parquet)", "dynamic partitioning", "dynamic partitioning objects",
];

/** The table's maintenance settings that change the bill. */
export interface IcebergCostSettings {
    /** Days snapshots are kept (their superseded small files stay in S3 that long). @default 5 */
    snapshotRetentionDays: number;
    /** Hours between retention and orphan-file runs. @default 24 */
    maintenanceRunHours: number;
}

/** Commits per month: one per flush of the Firehose buffer (interval or 128 MB, whichever first). */
export function commitsPerMonth(c: CostContext): number {
    const interval = c.settings.devMode ? 60 : 900;
    return Math.ceil(Math.max(c.seconds / interval, c.rowBytes / (128 * 1024 * 1024)));
}

/** Bytes of the microsecond suffix each Iceberg row's event_timestamp gains over the Hive row's seconds. */
const MICROS_SUFFIX_BYTES = 6;

/**
 * Bytes Firehose bills for the Iceberg destination: per GB ingested without the 5 KB rounding,
 * and where the Lambda processor's output is larger than its input, the extra bytes too (the
 * pricing page, quoted in docs/iceberg.md), i.e. the larger of the two.
 */
export function icebergBilledBytes(c: CostContext): number {
    const transformedBytes = c.rowBytes + MICROS_SUFFIX_BYTES * c.events;
    return Math.max(c.firehose.bytes, transformedBytes);
}

/** Every line of the ICEBERG delivery and lake, as cost/estimate.ts registers them. */
export function icebergDeliveryLines(c: CostContext): LineItem[] {
    const s = c.settings;
    return [
        ...deliveryLines(c).filter((l) => !HIVE_ONLY_ITEMS.includes(l.item)),
        ...lakeLines(c).filter((l) => !/ETL|crawler/.test(l.item)),
        ...icebergLines(c, { snapshotRetentionDays: s.icebergSnapshotRetentionDays, maintenanceRunHours: s.icebergMaintenanceRunHours }),
    ];
}

export function icebergLines(c: CostContext, t: IcebergCostSettings = { snapshotRetentionDays: 5, maintenanceRunHours: 24 }): LineItem[] {
    const a = ICEBERG_ASSUMPTIONS;
    const commits = commitsPerMonth(c);
    const partitionsPerCommit = c.workload.applications; // one day at a time x identity(application_id)
    const parquetGb = c.parquetBytes / GIB;
    // Each commit writes one file per partition it touches, so a partition-day holds one file per
    // commit of that day; compaction acts only from minInputFiles files on.
    const filesPerPartitionDay = commits / c.days;
    const compacts = filesPerPartitionDay >= a.compactionMinInputFiles;
    const compactionDpuHours = compacts ? parquetGb / a.compactionGbPerDpuHour : 0;
    const runs = Math.ceil((c.days * 24) / t.maintenanceRunHours);
    const maintenanceDpuHours = (2 * runs * a.maintenanceRunDpuMinutes) / 60;
    const filesPerCommit = partitionsPerCommit + a.metadataFilesPerCommit;
    // Snapshots keep the pre-compaction small files for snapshotRetentionDays: that much data twice.
    const retainedDuplicateGb = compacts ? Math.min(t.snapshotRetentionDays, c.days) * (parquetGb / c.days) : 0;
    const billedBytes = icebergBilledBytes(c);
    return [
        line("Data Firehose", "delivery to Apache Iceberg tables", billedBytes / GIB, ICEBERG_PRICES.firehoseIceberg,
            `${(c.firehose.bytes / GIB).toFixed(1)} GB ingested in ${count(c.firehose.records)} records (one event each: the Iceberg destination reads one row per record), no 5 KB rounding; billed on the larger of ingested and transformed bytes (${(billedBytes / GIB).toFixed(1)} GB). Replaces ingestion + Parquet conversion + dynamic partitioning`),
        line("Glue", "table optimizer: compaction DPU-hours", compactionDpuHours, ICEBERG_PRICES.optimizerDpuHour,
            compacts ? `${Math.round(filesPerPartitionDay)} files per partition-day >= minInputFiles ${a.compactionMinInputFiles}: ${parquetGb.toFixed(1)} GB of Parquet rewritten once at ~${a.compactionGbPerDpuHour} GB per DPU-hour`
                : `${Math.round(filesPerPartitionDay)} files per partition-day (of ~${Math.round((parquetGb * 1024) / commits / partitionsPerCommit)} MB each) < minInputFiles ${a.compactionMinInputFiles}: nothing to compact`),
        line("Glue", "table optimizers: retention + orphan-file DPU-hours", maintenanceDpuHours, ICEBERG_PRICES.optimizerDpuHour,
            `${count(runs)} runs of each every ${t.maintenanceRunHours} h x ${a.maintenanceRunDpuMinutes} DPU-minutes`),
        line("Glue", "Data Catalog requests (Iceberg commits)", (commits * a.glueRequestsPerCommit) / 1e6, PRICES.glue.catalogRequests,
            `${count(commits)} commits (one per ${c.settings.devMode ? 60 : 900} s flush) x GetTable + UpdateTable`),
        line("S3", "PUT requests (Iceberg data and metadata files)", (commits * filesPerCommit * (compacts ? 2 : 1)) / 1000, PRICES.s3.putRequests,
            `${count(commits)} commits x ${filesPerCommit} files${compacts ? ", doubled for compaction's rewrite" : ""}`),
        line("S3", "storage of snapshot-retained small files", retainedDuplicateGb / 2, PRICES.s3.standardStorage,
            `pre-compaction files stay ${t.snapshotRetentionDays} days until their snapshots expire (first-month average)`),
    ];
}
