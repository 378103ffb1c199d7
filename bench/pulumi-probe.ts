/**
 * Child-process entry of the pulumi benchmark: constructs one GameAnalyticsPipeline under
 * `pulumi.runtime.setMocks` (test/support/pulumi-mocks.ts) in a fresh process, so the time
 * includes loading the Pulumi SDKs and bundling the Lambdas, and the peak RSS is this stack's
 * alone. Prints one JSON line: resources, timings, memory.
 *
 *     node --import tsx bench/pulumi-probe.ts '{"workloadName":"game1","ingestMode":"DIRECT_BATCH"}'
 */
import { performance } from "node:perf_hooks";

async function main(): Promise<void> {
    const args = JSON.parse(process.argv[2] ?? "{}") as Record<string, unknown>;
    const t0 = performance.now();
    const { MockRecorder, valueOf } = await import("../test/support/pulumi-mocks");
    const { GameAnalyticsPipeline } = await import("../components/pipeline");
    const loaded = performance.now();
    const mocks = new MockRecorder();
    await mocks.install();
    const start = performance.now();
    const pipeline = new GameAnalyticsPipeline(String(args.workloadName ?? "game1"), args as never);
    await valueOf(pipeline.dashboardUrl);
    // Settled when no resource has been registered for 100 ms; the time is that of the last one.
    let count = -1;
    let lastChange = performance.now();
    while (performance.now() - lastChange < 100) {
        if (mocks.resources.length !== count) {
            count = mocks.resources.length;
            lastChange = performance.now();
        }
        await new Promise((r) => setTimeout(r, 5));
    }
    const memory = process.memoryUsage();
    const byType: Record<string, number> = {};
    for (const r of mocks.resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
    process.stdout.write(JSON.stringify({
        resources: mocks.resources.length,
        byType,
        moduleLoadMs: loaded - t0,
        constructMs: lastChange - start,
        heapUsedMiB: memory.heapUsed / 1024 ** 2,
        maxRssMiB: process.resourceUsage().maxRSS / 1024,
    }) + "\n");
    process.exit(0);
}

main().catch((error: unknown) => {
    process.stdout.write(JSON.stringify({ error: (error as Error).message }) + "\n");
    process.exit(0);
});
