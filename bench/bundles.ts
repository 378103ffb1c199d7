/**
 * bundles: size of every Lambda's esbuild bundle (built by components/bundle.ts, exactly as the
 * deployment builds it, AWS SDK external) and its module load time in a fresh Node.js process:
 * median of several `node -e "require(bundle)"` spawns minus the median of `node -e 0` spawns,
 * interleaved. Bundles are written under bench/results/bundles.tmp/ (git-ignored) so the AWS SDK
 * resolves from node_modules, as the Lambda runtime provides it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { bundleCode } from "../components/aws/bundle";
import { check, median, nowMs, type Benchmark, type Figure, type TargetCheck } from "./harness";

/** Every Lambda entry point the components deploy. */
export const LAMBDA_ENTRIES = [
    "functions/aws/handlers/authorizer.ts",
    "functions/aws/handlers/admin.ts",
    "functions/aws/handlers/events.ts",
    "functions/aws/handlers/processing.ts",
    "functions/aws/handlers/realtime-metrics.ts",
] as const;
export const TARGET_BUNDLE_KIB = 200;
export const TARGET_LOAD_MS = 50;

const BUNDLE_DIR = path.resolve(__dirname, "results", "bundles.tmp");

/** Environment of a Lambda at cold start (names from functions/aws/handlers/environment.ts). */
const LAMBDA_ENV: Record<string, string> = {
    AWS_REGION: "us-east-1",
    AWS_LAMBDA_FUNCTION_NAME: "bench",
    APPLICATIONS_TABLE: "bench-applications",
    AUTHORIZATIONS_TABLE: "bench-authorizations",
    INGEST_MODE: "DIRECT_BATCH",
    DELIVERY_STREAM_NAME: "bench-delivery",
    STREAM_NAME: "bench-stream",
    POWERTOOLS_SERVICE_NAME: "bench",
    POWERTOOLS_METRICS_NAMESPACE: "bench",
    POWERTOOLS_LOG_LEVEL: "WARN",
};

function spawnMs(args: string[]): number {
    const start = nowMs();
    const result = spawnSync(process.execPath, args, { env: { PATH: process.env.PATH ?? "", ...LAMBDA_ENV }, encoding: "utf8" });
    const elapsed = nowMs() - start;
    if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${result.stderr}`);
    return elapsed;
}

/**
 * Work the first invocation does before any I/O, run after the load so it is timed with it: the
 * events handler creates its INGEST_MODE sink (and requires that SDK client) at first use.
 */
function firstUseScript(code: string): string {
    return /\bsinkForMode\b/.test(code) ? "if(typeof h.sinkForMode===\"function\")h.sinkForMode();" : "";
}

/** Of the `referenced` SDK modules, those in the require cache after loading the bundle and its first use. */
function sdkModulesRequired(file: string, referenced: readonly string[]): string[] {
    if (referenced.length === 0) return [];
    const script =
        `const h=require(${JSON.stringify(file)});${firstUseScript(fs.readFileSync(file, "utf8"))}` +
        `const ids=Object.keys(require.cache);` +
        `console.log(JSON.stringify(${JSON.stringify(referenced)}.filter((m)=>ids.some((id)=>id.includes("/node_modules/"+m+"/")))))`;
    const result = spawnSync(process.execPath, ["-e", script], { env: { PATH: process.env.PATH ?? "", ...LAMBDA_ENV }, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`loading ${file} failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as string[];
}

export const bundlesBenchmark: Benchmark = {
    name: "bundles",
    title: "Lambda bundles: size and cold module load",
    async run(options) {
        fs.mkdirSync(BUNDLE_DIR, { recursive: true });
        const spawns = options.tiny ? 1 : options.quick ? 5 : 15;
        const entries = options.tiny ? LAMBDA_ENTRIES.slice(0, 1) : LAMBDA_ENTRIES;
        const figures: Figure[] = [];
        const targets: TargetCheck[] = [];
        const files = entries.map((entry) => {
            const code = bundleCode(entry);
            const name = path.basename(entry, ".ts");
            const file = path.join(BUNDLE_DIR, name, "index.js");
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, code);
            const kib = Buffer.byteLength(code) / 1024;
            figures.push({ name: `${name}: bundle size`, value: kib, unit: "KiB" });
            targets.push(check(`${name}: bundle size`, kib, "KiB", "<", TARGET_BUNDLE_KIB));
            const referenced = [...new Set([...code.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1]!))].sort();
            // What a cold start pays: the SDK modules the bundle requires at load, plus those its
            // first invocation requires (the events handler requires the client of INGEST_MODE at first use).
            const sdkModules = sdkModulesRequired(file, referenced);
            return { name, file, sdkModules, firstUse: firstUseScript(code) };
        });
        // Baseline and every bundle spawned in turn, `spawns` times, so load spikes hit all alike.
        const baseline: number[] = [];
        const loads = new Map<string, number[]>(files.map((f) => [f.name, []]));
        const sdkLoads = new Map<string, number[]>(files.map((f) => [f.name, []]));
        const root = path.resolve(__dirname, "..");
        spawnMs(["-e", "0"]);
        for (let i = 0; i < spawns; i++) {
            baseline.push(spawnMs(["-e", "0"]));
            for (const f of files) {
                const script = `const h=require(${JSON.stringify(f.file)});if(typeof h.handler!=="function")process.exit(3);${f.firstUse}`;
                loads.get(f.name)!.push(spawnMs(["-e", script]));
                // The same AWS SDK modules alone, resolved from the same node_modules (none: nothing to time).
                if (f.sdkModules.length === 0) continue;
                const sdk = f.sdkModules.map((m) => `require(require.resolve(${JSON.stringify(m)},{paths:[${JSON.stringify(root)}]}))`).join(";");
                sdkLoads.get(f.name)!.push(spawnMs(["-e", sdk]));
            }
        }
        const base = median(baseline);
        figures.push({ name: "`node -e 0` spawn (baseline)", value: base, unit: "ms", samples: baseline });
        for (const f of files) {
            const samples = loads.get(f.name)!;
            const loadMs = median(samples) - base;
            const sdkSamples = sdkLoads.get(f.name)!;
            const sdkMs = sdkSamples.length === 0 ? 0 : median(sdkSamples) - base;
            figures.push(
                { name: `${f.name}: module load (spawn - baseline)`, value: loadMs, unit: "ms", samples },
                { name: `${f.name}: of which AWS SDK (${f.sdkModules.map((m) => m.replace("@aws-sdk/", "")).join(", ") || "none"})`, value: sdkMs, unit: "ms", samples: sdkSamples },
                { name: `${f.name}: own code (load - SDK)`, value: loadMs - sdkMs, unit: "ms" },
            );
            targets.push(check(`${f.name}: module load`, loadMs, "ms", "<", TARGET_LOAD_MS));
            targets.push(check(`${f.name}: module load without the AWS SDK`, loadMs - sdkMs, "ms", "<", TARGET_LOAD_MS));
        }
        return {
            figures,
            targets,
            notes: [
                `esbuild via components/bundle.ts (minified CJS, node22 target, @aws-sdk/* external); ${spawns} spawns per bundle and baseline, interleaved; load = median(spawn) - median(baseline)`,
                "the load time includes requiring the AWS SDK v3 clients the handler imports (from node_modules, as the Lambda runtime supplies them); the SDK share is measured by spawns requiring only those SDK modules, interleaved with the others",
                "events: load includes its first-use work before I/O (sinkForMode(): requiring and creating the INGEST_MODE=DIRECT_BATCH client), so a client required lazily is still counted",
            ],
        };
    },
};
