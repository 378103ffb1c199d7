/**
 * pulumi: time and peak memory to construct the pipeline under `pulumi.runtime.setMocks`, each
 * stack in a fresh process (bench/pulumi-probe.ts), and the resource count of every settings
 * combination. Settings this version rejects are reported as such, with the reason.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { check, median, type Benchmark, type Figure, type TargetCheck } from "./harness";

interface Probe {
    resources: number;
    byType: Record<string, number>;
    moduleLoadMs: number;
    constructMs: number;
    heapUsedMiB: number;
    maxRssMiB: number;
    error?: string;
}

interface Combination {
    label: string;
    args: Record<string, unknown>;
}

/** Construct time target for the largest stack (a `pulumi preview` should not wait on the program). */
export const TARGET_CONSTRUCT_MS = 5_000;
const PROBE = path.resolve(__dirname, "pulumi-probe.ts");

const LARGEST: Combination = {
    label: "largest: KDS, prod, raw backup, alarm email, scheduled ETL, real-time",
    args: {
        workloadName: "game1", ingestMode: "KINESIS_DATA_STREAMS", devMode: false, s3BackupMode: true, realTimeAnalytics: true,
        emailAddress: "ops@studio.example", etlSchedule: "cron(0 * * * ? *)", tracing: true,
    },
};

function matrix(): Combination[] {
    const out: Combination[] = [];
    for (const ingestMode of ["KINESIS_DATA_STREAMS", "DIRECT_BATCH"]) {
        for (const devMode of [true, false]) {
            for (const s3BackupMode of [false, true]) {
                out.push({
                    label: `${ingestMode === "DIRECT_BATCH" ? "DIRECT_BATCH" : "KDS"}, ${devMode ? "dev" : "prod"}, backup ${s3BackupMode ? "on" : "off"}`,
                    args: { workloadName: "game1", ingestMode, devMode, s3BackupMode, realTimeAnalytics: false },
                });
            }
        }
    }
    return out;
}

function probe(args: Record<string, unknown>): Probe {
    const result = spawnSync(process.execPath, ["--import", "tsx", PROBE, JSON.stringify(args)], {
        cwd: path.resolve(__dirname, ".."), encoding: "utf8", env: { ...process.env, PULUMI_TEST_MODE: "true" },
    });
    const line = result.stdout.trim().split("\n").pop() ?? "";
    try {
        return JSON.parse(line) as Probe;
    } catch {
        throw new Error(`pulumi probe failed (${result.status}): ${result.stderr.slice(-2000)}`);
    }
}

export const pulumiBenchmark: Benchmark = {
    name: "pulumi",
    title: "Pulumi program under mocks: construction time, memory, resource counts",
    async run(options) {
        const figures: Figure[] = [];
        const targets: TargetCheck[] = [];
        const notes: string[] = [];
        const combos = options.tiny || options.quick ? matrix().filter((_, i) => i === 3 || i === 4) : matrix();
        const counts: Array<{ label: string; probe: Probe }> = [];
        for (const combo of combos) {
            const p = probe(combo.args);
            if (p.error) throw new Error(`${combo.label}: ${p.error}`);
            counts.push({ label: combo.label, probe: p });
            figures.push({ name: `resources: ${combo.label}`, value: p.resources, unit: "resources" });
            options.log?.(`  ${combo.label}: ${p.resources} resources`);
        }
        // The largest stack: everything on; real-time falls back to off when this version rejects it.
        let largest = LARGEST;
        let first = probe(largest.args);
        if (first.error) {
            notes.push(`rejected: ${largest.label}: ${first.error.replace(/\s+/g, " ")}`);
            largest = { label: largest.label.replace(", real-time", ""), args: { ...largest.args, realTimeAnalytics: false } };
            first = probe(largest.args);
            if (first.error) throw new Error(`${largest.label}: ${first.error}`);
        }
        const repeats = options.tiny ? 1 : options.quick ? 2 : 5;
        const probes = [first];
        for (let i = 1; i < repeats; i++) probes.push(probe(largest.args));
        const construct = median(probes.map((p) => p.constructMs));
        figures.push(
            { name: `${largest.label}: resources`, value: first.resources, unit: "resources" },
            { name: `${largest.label}: construct + register (mocks)`, value: construct, unit: "ms", samples: probes.map((p) => p.constructMs) },
            { name: `${largest.label}: loading the Pulumi SDKs and components`, value: median(probes.map((p) => p.moduleLoadMs)), unit: "ms" },
            { name: `${largest.label}: heap used after construction`, value: median(probes.map((p) => p.heapUsedMiB)), unit: "MiB" },
            { name: `${largest.label}: peak RSS of the process`, value: median(probes.map((p) => p.maxRssMiB)), unit: "MiB" },
        );
        targets.push(check("largest stack: construct + register under mocks", construct, "ms", "<", TARGET_CONSTRUCT_MS));
        const top = Object.entries(first.byType).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([t, n]) => `${t.split(":").pop()} ${n}`).join(", ");
        notes.push(`each stack in a fresh process (${repeats} runs of the largest, median); construction includes esbuild bundling of every Lambda`);
        notes.push(`largest stack by type: ${top}`);
        return { figures, targets, notes };
    },
};
