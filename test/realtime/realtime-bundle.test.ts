import * as assert from "node:assert/strict";
import { bundleCode } from "../../components/aws/bundle";
import type { RealtimeWindowEvent, RealtimeWindowResponse } from "../../functions/aws/handlers/realtime-metrics";
import { parseEmfLines, valueOf } from "./support/emf";
import { APP_A, gameEvent, recordsOf, windowEvent } from "./support/records";

/** Runs `action` with stdout captured line by line (the Lambda runtime sends stdout to CloudWatch Logs). */
async function captureStdout(action: () => Promise<unknown>): Promise<string[]> {
    const chunks: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
        chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
        return true;
    }) as typeof process.stdout.write;
    try {
        await action();
    } finally {
        process.stdout.write = original;
    }
    return chunks.join("").split("\n").filter((line) => line.trim() !== "");
}

describe("real-time Lambda bundle", () => {
    const saved = { ...process.env };
    after(() => {
        process.env = saved;
    });

    it("is one self-contained file whose handler, configured from the environment, prints the window's EMF to stdout", async () => {
        const module = { exports: {} as { handler: (event: RealtimeWindowEvent) => Promise<RealtimeWindowResponse> } };
        new Function("module", "exports", "require", bundleCode("functions/aws/handlers/realtime-metrics.ts"))(module, module.exports, require);
        process.env = { ...saved, POWERTOOLS_METRICS_NAMESPACE: "GameAnalytics/bundled", POWERTOOLS_LOG_LEVEL: "WARN", REALTIME_TOP_N: "3" };
        let response: RealtimeWindowResponse | undefined;
        const lines = await captureStdout(async () => {
            response = await module.exports.handler(windowEvent(recordsOf(APP_A, [gameEvent("login"), gameEvent("logout")]), {}, true));
        });
        const emf = lines.filter((line) => line.includes("\"_aws\""));
        const points = parseEmfLines(emf);
        assert.deepEqual(
            [response, valueOf(points, "TotalEvents", { ApplicationId: APP_A }), [...new Set(points.map((p) => p.namespace))]],
            [{ state: {}, batchItemFailures: [] }, 2, ["GameAnalytics/bundled"]],
        );
    });
});
