/**
 * transform: `transformRecords` (the Firehose processing Lambda's logic) over realistic batches,
 * application cache warm, next to a floor timed in the same rounds: a transform that only
 * base64-decodes, JSON.parses, JSON.stringifies and re-encodes every line of every record.
 */
import { ingestionIdGenerator } from "../functions/core/ingestion-id";
import { TRANSFORM_BUFFER_MB } from "../functions/core/contracts";
import { type FirehoseTransformInput, type FirehoseTransformOutput, newTransformStats, transformRecords, type TransformStats } from "../functions/aws/firehose-transform";
import { batchBytes, fixedClock, transformBatch, warmApplicationLookup } from "./fixtures";
import { check, compareRates, median, type Benchmark, type BenchOptions, type Figure, type TargetCheck } from "./harness";

/** Records per batch of the one-event-per-record variant (Firehose hands the Lambda up to 500). */
export const RECORDS_PER_BATCH = 500;
/** Events per record of the packed variant (what one 100-event request becomes in DIRECT_BATCH). */
export const EVENTS_PER_PACKED_RECORD = 100;
/** Payload of one processor invocation: the Firehose Lambda processor buffer the processing tier configures. */
export const PROCESSOR_BUFFER_BYTES = TRANSFORM_BUFFER_MB * 1024 * 1024;
/** Target and stretch target of the transform/floor ratio. */
export const TARGET_RATIO = 0.9;
export const STRETCH_RATIO = 1.0;

/** The floor: decode, parse, stringify, re-encode each line of each record. Nothing else. */
export function floorTransform(records: readonly FirehoseTransformInput[]): FirehoseTransformOutput[] {
    const out: FirehoseTransformOutput[] = new Array(records.length);
    for (let r = 0; r < records.length; r++) {
        const input = records[r]!;
        const text = Buffer.from(input.data, "base64").toString("utf8");
        let rows = "";
        let start = 0;
        while (start < text.length) {
            let end = text.indexOf("\n", start);
            if (end === -1) end = text.length;
            if (end > start) rows += JSON.stringify(JSON.parse(text.slice(start, end))) + "\n";
            start = end + 1;
        }
        out[r] = { recordId: input.recordId, result: "Ok", data: Buffer.from(rows, "utf8").toString("base64") };
    }
    return out;
}

interface Variant {
    label: string;
    records: number;
    eventsPerRecord: number;
}

function variants(options: BenchOptions): Variant[] {
    if (options.tiny) return [{ label: "single", records: 20, eventsPerRecord: 1 }, { label: "packed", records: 2, eventsPerRecord: 10 }];
    const packedRecordBytes = batchBytes(transformBatch(1, EVENTS_PER_PACKED_RECORD));
    const packedRecords = Math.max(1, Math.floor(PROCESSOR_BUFFER_BYTES / packedRecordBytes));
    return [
        { label: "single", records: RECORDS_PER_BATCH, eventsPerRecord: 1 },
        { label: "packed", records: packedRecords, eventsPerRecord: EVENTS_PER_PACKED_RECORD },
    ];
}

/** Runs the real transform once and proves it did the real work: every event a row, status ok. */
async function verifiedStats(batch: FirehoseTransformInput[], lookup: (id: string) => Promise<unknown>): Promise<TransformStats> {
    const stats = newTransformStats();
    const out = await transformRecords(batch, { lookupApplication: lookup as never, clock: fixedClock, newId: ingestionIdGenerator(), stats });
    if (out.some((o) => o.result !== "Ok") || stats.ok !== stats.rows) {
        throw new Error(`transform benchmark input is not all valid: ${JSON.stringify(stats)}`);
    }
    return stats;
}

export const transformBenchmark: Benchmark = {
    name: "transform",
    title: "Firehose transform (processing Lambda logic), one core",
    async run(options) {
        const lookupApplication = await warmApplicationLookup();
        // The ingestion ids the processing handler uses (functions/aws/handlers/processing.ts).
        const deps = { lookupApplication, clock: fixedClock, newId: ingestionIdGenerator() };
        const rounds = options.tiny ? 1 : options.quick ? 3 : 15;
        const minRoundMs = options.tiny ? 1 : options.quick ? 150 : 400;
        const figures: Figure[] = [];
        const targets: TargetCheck[] = [];
        const notes: string[] = [];
        for (const variant of variants(options)) {
            const batch = transformBatch(variant.records, variant.eventsPerRecord);
            const stats = await verifiedStats(batch, lookupApplication);
            const events = stats.rows;
            const comparison = await compareRates(
                [
                    { label: "floor", units: batch.length, run: () => floorTransform(batch) },
                    { label: "transform", units: batch.length, run: () => transformRecords(batch, deps) },
                ],
                { rounds, minRoundMs, warmupRounds: options.tiny ? 0 : 2 },
            );
            const transformRate = median(comparison.rates.transform!);
            const floorRate = median(comparison.rates.floor!);
            const ratio = median(comparison.ratios.transform!);
            const perEvent = events / batch.length;
            const v = variant.label;
            figures.push(
                { name: `${v}: transform records/s`, value: transformRate, unit: "records/s", samples: comparison.rates.transform },
                { name: `${v}: transform events/s`, value: transformRate * perEvent, unit: "events/s" },
                { name: `${v}: floor records/s`, value: floorRate, unit: "records/s", samples: comparison.rates.floor },
                { name: `${v}: transform / floor`, value: ratio, unit: "x", samples: comparison.ratios.transform },
                { name: `${v}: ms per batch`, value: 1000 * (batch.length / transformRate), unit: "ms" },
            );
            targets.push(check(`${v}: transform / floor (target)`, ratio, "x", ">=", TARGET_RATIO));
            targets.push(check(`${v}: transform / floor (stretch)`, ratio, "x", ">", STRETCH_RATIO));
            notes.push(
                `${v}: ${batch.length} records x ${variant.eventsPerRecord} event(s), ${(batchBytes(batch) / 1024).toFixed(0)} KiB per batch; ` +
                    `median of ${rounds} interleaved rounds (>= ${minRoundMs} ms each); ratio = median of per-round ratios`,
            );
        }
        notes.push("Guidance's processing code on this project's 2-core machine: ~147,000 records/s = ~0.55x its floor (REFERENCE section 7).");
        return { figures, targets, notes };
    },
};
