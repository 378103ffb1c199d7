/** Firehose delivery to the lake and its transform Lambda. */
import type { CostContext } from "../context";
import { count, line, type LineItem } from "../line-item";
import { PRICES } from "../prices";
import { GIB, KIB } from "../units";
import { lambdaLines } from "./lambda";

export function deliveryLines(c: CostContext): LineItem[] {
    const f = c.firehose;
    const billedGb = f.billedBytes / GIB;
    const avgRecordKb = f.bytes / f.records / KIB;
    const source = c.settings.ingestMode === "KINESIS_DATA_STREAMS" ? "read from the stream" : "Direct PUT";
    const packed = c.settings.ingestMode === "DIRECT_BATCH" ? c.design.firehosePacking : c.design.kinesisPacking;
    const packing = c.design.name === "ours" && packed
        ? `${count(f.records)} records of ~${avgRecordKb.toFixed(1)} KB (events packed by the ingest Lambda)`
        : `${count(f.records)} records of ~${avgRecordKb.toFixed(2)} KB (one per event)`;
    const eventsPerInvocation = c.events / c.transformInvocations;
    return [
        line("Data Firehose", "ingestion", billedGb, PRICES.firehose.ingestion,
            `${source}: ${packing}, each rounded up to 5 KB (${(f.billedBytes / f.bytes).toFixed(2)}x the bytes sent)`),
        line("Data Firehose", "format conversion (JSON -> Parquet)", billedGb, PRICES.firehose.formatConversion,
            "per GB billed for ingestion"),
        line("Data Firehose", "dynamic partitioning", f.bytes / GIB, PRICES.firehose.dynamicPartitioning,
            "year/month/day keys from the transform; charged on the bytes processed (the guidance's table omits it)"),
        line("Data Firehose", "dynamic partitioning objects", c.deliveredObjects / 1000, PRICES.firehose.dynamicPartitioningObjects,
            `${count(c.deliveredObjects)} objects: one per partition per ${c.settings.devMode ? 60 : 900} s buffer`),
        ...lambdaLines("processing (transform)", c.design.transform, c.transformInvocations, eventsPerInvocation,
            `Firehose processor batches of 3 MB / 60 s, ~${Math.round(eventsPerInvocation)} events each`),
    ];
}
