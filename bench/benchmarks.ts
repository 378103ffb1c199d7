/**
 * Every benchmark by name, in run order. Loaded lazily, so `--only transform` does not load the
 * Pulumi SDK or DuckDB.
 */
import type { Benchmark } from "./harness";

export const BENCHMARK_NAMES = ["transform", "stream-archiver", "ingest", "authorizer", "bundles", "local-e2e", "iceberg-compaction", "soak", "pulumi"] as const;
export type BenchmarkName = (typeof BENCHMARK_NAMES)[number];

// require, not import(): the mocha tests load TypeScript through tsx's CommonJS hook only.
/* eslint-disable @typescript-eslint/no-require-imports */
export function loadBenchmark(name: BenchmarkName): Benchmark {
    switch (name) {
        case "transform":
            return (require("./transform") as typeof import("./transform")).transformBenchmark;
        case "stream-archiver":
            return (require("./stream-archiver") as typeof import("./stream-archiver")).streamArchiverBenchmark;
        case "ingest":
            return (require("./ingest") as typeof import("./ingest")).ingestBenchmark;
        case "authorizer":
            return (require("./authorizer") as typeof import("./authorizer")).authorizerBenchmark;
        case "bundles":
            return (require("./bundles") as typeof import("./bundles")).bundlesBenchmark;
        case "local-e2e":
            return (require("./local-e2e") as typeof import("./local-e2e")).localE2eBenchmark;
        case "iceberg-compaction":
            return (require("./iceberg-compaction") as typeof import("./iceberg-compaction")).icebergCompactionBenchmark;
        case "soak":
            return (require("./soak") as typeof import("./soak")).soakBenchmark;
        case "pulumi":
            return (require("./pulumi") as typeof import("./pulumi")).pulumiBenchmark;
    }
}

/** Validates `--only` names; throws naming the unknown ones and the known ones. */
export function parseOnly(values: readonly string[]): BenchmarkName[] {
    const names = values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
    const unknown = names.filter((n) => !(BENCHMARK_NAMES as readonly string[]).includes(n));
    if (unknown.length > 0) throw new Error(`--only: unknown benchmark ${unknown.join(", ")} (known: ${BENCHMARK_NAMES.join(", ")})`);
    return BENCHMARK_NAMES.filter((n) => names.includes(n));
}
