import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BENCHMARK_NAMES, loadBenchmark, parseOnly } from "../../bench/benchmarks";
import { caseLabel, E2E_CASES } from "../../bench/local-e2e";
import { check, median } from "../../bench/harness";
import { readResults, renderMarkdown } from "../../bench/report";
import { runBenchmarks, saveResults } from "../../bench/run";
import { floorTransform } from "../../bench/transform";
import { transformBatch } from "../../bench/fixtures";

describe("benchmark harness (bench/run.ts), no timing assertions", function () {
    this.timeout(120_000);

    it("runs the transform benchmark on a tiny input and records every figure, target and verdict", async () => {
        const results = await runBenchmarks({ quick: true, tiny: true, only: ["transform"] });
        assert.deepEqual(results.map((r) => r.name), ["transform"]);
        const [r] = results;
        assert.deepEqual(r!.figures.map((f) => f.name).filter((n) => n.endsWith("transform / floor")), ["single: transform / floor", "packed: transform / floor"]);
        assert.ok(r!.figures.every((f) => Number.isFinite(f.value) && f.value > 0), JSON.stringify(r!.figures));
        assert.deepEqual(r!.targets.map((t) => [t.comparator, t.target, t.pass === (t.comparator === ">=" ? t.value >= t.target : t.value > t.target)]),
            [[">=", 0.9, true], [">", 1, true], [">=", 0.9, true], [">", 1, true]]);
    });

    it("writes latest.json and a BENCHMARKS.md naming the machine, merging a partial run into earlier results", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gap-bench-test-"));
        try {
            const files = { json: path.join(dir, "latest.json"), markdown: path.join(dir, "BENCHMARKS.md"), commentary: path.join(dir, "none.md") };
            const earlier = { name: "ingest", title: "earlier", measuredAt: "2026-01-01T00:00:00.000Z", quick: false, figures: [], targets: [], notes: [] };
            saveResults([earlier], files);
            saveResults(await runBenchmarks({ quick: true, tiny: true, only: ["transform"] }), files);
            const saved = readResults(files.json)!;
            assert.deepEqual(Object.keys(saved.results), ["transform", "ingest"]);
            const markdown = fs.readFileSync(files.markdown, "utf8");
            assert.equal(markdown, renderMarkdown(saved));
            assert.match(markdown, new RegExp(`\\| ${os.cpus()[0]!.model.trim().replace(/[()[\]+.*?]/g, "\\$&")} \\| ${os.cpus().length} \\|`));
            assert.match(markdown, /\| transform \| single: transform \/ floor \(target\) >= 0\.9 x \| [\d.]+ x \| (PASS|\*\*MISS\*\*) \|/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("keeps the floor honest: it returns every line re-serialized, same count and content", () => {
        const batch = transformBatch(3, 4);
        const out = floorTransform(batch);
        const lines = (data: string) => Buffer.from(data, "base64").toString("utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
        assert.deepEqual(out.map((o) => lines(o.data)), batch.map((b) => lines(b.data)));
    });

    it("rejects an unknown --only name and lists the known ones", () => {
        assert.throws(() => parseOnly(["transform,nope"]), /--only: unknown benchmark nope \(known: transform, stream-archiver, ingest, authorizer, bundles, local-e2e, iceberg-compaction, soak, pulumi\)/);
    });

    it("registers every benchmark under its own name, the Iceberg compaction one included (loaded, not run)", () => {
        for (const name of BENCHMARK_NAMES) assert.equal(loadBenchmark(name).name, name);
        assert.deepEqual(parseOnly(["iceberg-compaction"]), ["iceberg-compaction"]);
    });

    it("runs local end to end with ICEBERG next to HIVE, in both ingest modes, with distinct figure labels", () => {
        const formats = new Set(E2E_CASES.map((c) => c.tableFormat));
        assert.deepEqual([...formats].sort(), ["HIVE", "ICEBERG"]);
        for (const mode of ["DIRECT_BATCH", "KINESIS_DATA_STREAMS"]) {
            assert.deepEqual(E2E_CASES.filter((c) => c.ingestMode === mode).map((c) => c.tableFormat).sort(), ["HIVE", "ICEBERG"]);
        }
        assert.equal(new Set(E2E_CASES.map(caseLabel)).size, E2E_CASES.length);
    });

    it("judges targets by their comparator and takes true medians", () => {
        assert.deepEqual([check("a", 20, "µs", "<", 20).pass, check("b", 0.9, "x", ">=", 0.9).pass, median([5, 1, 3]), median([4, 1, 3, 2])], [false, true, 3, 2.5]);
    });
});
