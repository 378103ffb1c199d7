/**
 * `npm run bench`: runs the benchmarks, prints every figure with its target (PASS/MISS), writes
 * bench/results/latest.json and regenerates BENCHMARKS.md (with bench/commentary.md).
 *
 *     npm run bench                          every benchmark, full size
 *     npm run bench -- --quick               smoke run: small inputs, few rounds, writes nothing
 *     npm run bench -- --only transform,ingest   some benchmarks; merged into the last results
 *     npm run bench -- soak                  the same as --only soak (names without --only)
 *     npm run bench -- --render              BENCHMARKS.md again from latest.json and commentary.md, no measuring
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { BENCHMARK_NAMES, loadBenchmark, parseOnly, type BenchmarkName } from "./benchmarks";
import { machineInfo, type BenchOptions, type BenchResult } from "./harness";
import { formatResult, mergeResults, readResults, writeMarkdown, writeResults } from "./report";

const ROOT = path.resolve(__dirname, "..");
export const RESULTS_FILE = path.join(ROOT, "bench", "results", "latest.json");
export const MARKDOWN_FILE = path.join(ROOT, "BENCHMARKS.md");
export const COMMENTARY_FILE = path.join(ROOT, "bench", "commentary.md");

export interface RunOptions extends BenchOptions {
    /** Benchmarks to run. @default all */
    only?: readonly BenchmarkName[];
    /** Called with each finished result (the CLI prints it). */
    onResult?(result: BenchResult): void;
}

/** Runs the chosen benchmarks in order; a failing benchmark stops the run with its error. */
export async function runBenchmarks(options: RunOptions): Promise<BenchResult[]> {
    const names = options.only && options.only.length > 0 ? options.only : BENCHMARK_NAMES;
    const results: BenchResult[] = [];
    for (const name of names) {
        const bench = loadBenchmark(name);
        options.log?.(`running ${name}...`);
        const measured = await bench.run(options);
        const result: BenchResult = { name: bench.name, title: bench.title, measuredAt: new Date().toISOString(), quick: options.quick, ...measured };
        options.onResult?.(result);
        results.push(result);
    }
    return results;
}

/** Regenerates the Markdown report from the results file as it is (after editing the commentary). */
export function renderSaved(files = { json: RESULTS_FILE, markdown: MARKDOWN_FILE, commentary: COMMENTARY_FILE }): void {
    const saved = readResults(files.json);
    if (!saved) throw new Error(`no results in ${files.json}: run the benchmarks first`);
    const commentary = fs.existsSync(files.commentary) ? fs.readFileSync(files.commentary, "utf8") : "";
    writeMarkdown(files.markdown, saved, commentary);
}

/** Merges `results` into the results file and regenerates the Markdown report. */
export function saveResults(results: readonly BenchResult[], files = { json: RESULTS_FILE, markdown: MARKDOWN_FILE, commentary: COMMENTARY_FILE }): void {
    const merged = mergeResults(readResults(files.json), machineInfo(), results, BENCHMARK_NAMES);
    writeResults(files.json, merged);
    const commentary = fs.existsSync(files.commentary) ? fs.readFileSync(files.commentary, "utf8") : "";
    writeMarkdown(files.markdown, merged, commentary);
}

async function main(): Promise<void> {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const { values, positionals } = parseArgs({
        options: { quick: { type: "boolean" }, only: { type: "string", multiple: true }, render: { type: "boolean" }, help: { type: "boolean" } },
        strict: true,
        allowPositionals: true,
    });
    if (values.help) {
        console.log(`Usage: npm run bench -- [--quick] [--only ${BENCHMARK_NAMES.join(",")}] [--render] [name...]`);
        return;
    }
    if (values.render) {
        renderSaved();
        console.log(`wrote ${path.relative(ROOT, MARKDOWN_FILE)} from ${path.relative(ROOT, RESULTS_FILE)}`);
        return;
    }
    const only = parseOnly([...(values.only ?? []), ...positionals]);
    const machine = machineInfo();
    console.log(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node.js ${machine.node}, ${machine.date}`);
    const results = await runBenchmarks({
        quick: values.quick ?? false,
        only,
        log: (m) => console.log(m),
        onResult: (r) => console.log(formatResult(r).join("\n")),
    });
    const missed = results.flatMap((r) => r.targets.filter((t) => !t.pass).map((t) => `${r.name}: ${t.name}`));
    console.log(`\n${results.length} benchmark(s); ${missed.length === 0 ? "every target met" : `targets missed: ${missed.join("; ")}`}`);
    if (values.quick) {
        console.log("quick run: nothing written (BENCHMARKS.md and latest.json keep the last full run)");
        return;
    }
    saveResults(results);
    console.log(`wrote ${path.relative(ROOT, RESULTS_FILE)} and ${path.relative(ROOT, MARKDOWN_FILE)}`);
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error((error as Error).stack ?? error);
        process.exit(1);
    });
}
