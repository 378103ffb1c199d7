/**
 * The benchmark harness: what a benchmark returns, how throughput is timed (interleaved rounds,
 * medians, ratios taken within the same run because the machines here are noisy) and how a
 * figure is judged against its target.
 */
import * as os from "node:os";

/** How hard a benchmark works. */
export interface BenchOptions {
    /** Fast smoke run: fewer rounds and smaller inputs; figures are indicative only. */
    quick: boolean;
    /** Smallest possible inputs (harness tests): proves the code path, figures mean nothing. */
    tiny?: boolean;
    /** Progress lines (default: silent). */
    log?(message: string): void;
}

/** One measured figure. `samples` are the per-round values the median was taken from. */
export interface Figure {
    name: string;
    value: number;
    unit: string;
    samples?: number[];
    note?: string;
}

/** Comparison of a figure with its target. */
export type Comparator = ">=" | ">" | "<=" | "<";

/** A figure judged against a target. */
export interface TargetCheck {
    name: string;
    value: number;
    unit: string;
    comparator: Comparator;
    target: number;
    pass: boolean;
}

/** What one benchmark reports. */
export interface BenchResult {
    name: string;
    title: string;
    /** ISO-8601 time the benchmark finished. */
    measuredAt: string;
    quick: boolean;
    figures: Figure[];
    targets: TargetCheck[];
    /** Facts a reader needs to interpret the figures (input sizes, where the time goes). */
    notes: string[];
}

/** A benchmark: a name for `--only`, a title for the report and the measurement itself. */
export interface Benchmark {
    name: string;
    title: string;
    run(options: BenchOptions): Promise<Omit<BenchResult, "name" | "title" | "measuredAt" | "quick">>;
}

/** The machine the figures were measured on. */
export interface MachineInfo {
    cpuModel: string;
    cores: number;
    memoryGiB: number;
    platform: string;
    node: string;
    date: string;
}

export function machineInfo(): MachineInfo {
    const cpus = os.cpus();
    return {
        cpuModel: (cpus[0]?.model ?? "unknown").trim(),
        cores: cpus.length,
        memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
        platform: `${os.platform()} ${os.release()} ${os.arch()}`,
        node: process.version,
        date: new Date().toISOString(),
    };
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
    if (values.length === 0) throw new RangeError("median: no values");
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Judges `value` against `target`. */
export function check(name: string, value: number, unit: string, comparator: Comparator, target: number): TargetCheck {
    const pass =
        comparator === ">=" ? value >= target : comparator === ">" ? value > target : comparator === "<=" ? value <= target : value < target;
    return { name, value, unit, comparator, target, pass };
}

/** Milliseconds since an arbitrary origin, sub-microsecond resolution. */
export function nowMs(): number {
    return Number(process.hrtime.bigint()) / 1e6;
}

/** A unit of work timed by {@link compareRates}: `run` does `units` units (records, events...). */
export interface Workload {
    label: string;
    units: number;
    run(): unknown | Promise<unknown>;
}

/** Per-workload rates (units/s) of every round, and the per-round ratio of each to the first. */
export interface RateComparison {
    rates: Record<string, number[]>;
    /** `ratios[label][i]` = rate of `label` / rate of the baseline (first workload) in round i. */
    ratios: Record<string, number[]>;
}

/**
 * Times several workloads in interleaved rounds (A B C, A B C, ...), each round running a
 * workload repeatedly for at least `minRoundMs`, after `warmupRounds` untimed rounds. Ratios are
 * taken round by round, so a slow spell of the machine hits both sides of a comparison.
 */
export async function compareRates(
    workloads: readonly Workload[],
    settings: { rounds: number; minRoundMs: number; warmupRounds?: number },
): Promise<RateComparison> {
    const rates: Record<string, number[]> = {};
    const ratios: Record<string, number[]> = {};
    for (const w of workloads) {
        rates[w.label] = [];
        ratios[w.label] = [];
    }
    const warmup = settings.warmupRounds ?? 1;
    for (let round = -warmup; round < settings.rounds; round++) {
        const roundRates: number[] = [];
        for (const w of workloads) {
            const rate = await timeRate(w, settings.minRoundMs);
            roundRates.push(rate);
            if (round >= 0) rates[w.label]!.push(rate);
        }
        if (round >= 0) workloads.forEach((w, i) => ratios[w.label]!.push(roundRates[i]! / roundRates[0]!));
    }
    return { rates, ratios };
}

async function timeRate(workload: Workload, minRoundMs: number): Promise<number> {
    let iterations = 0;
    const start = nowMs();
    let elapsed = 0;
    do {
        await workload.run();
        iterations++;
        elapsed = nowMs() - start;
    } while (elapsed < minRoundMs);
    return (iterations * workload.units) / (elapsed / 1000);
}

/** Rounds to `digits` significant digits (for the report; raw values stay in the JSON). */
export function round(value: number, digits = 3): number {
    if (value === 0 || !Number.isFinite(value)) return value;
    const scale = 10 ** (digits - 1 - Math.floor(Math.log10(Math.abs(value))));
    return Math.round(value * scale) / scale;
}

/** A number for humans: thousands separators, at most 3 significant digits below 1000. */
export function formatNumber(value: number): string {
    if (!Number.isFinite(value)) return String(value);
    const abs = Math.abs(value);
    if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
    return String(round(value, 3));
}
