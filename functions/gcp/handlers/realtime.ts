/**
 * Cloud Function (HTTP, called by Cloud Scheduler every minute with an OIDC token) computing the
 * real-time window and publishing it as Cloud Monitoring custom metrics.
 */
import { GCP_PROJECT, LOG_LEVEL, METRICS_PREFIX, numberEnv, REALTIME_SUBSCRIPTION, requiredEnv } from "../environment";
import { type Fetch, googleRest } from "../google-rest";
import type { FrameworkResponse } from "../http-adapter";
import { jsonLogger } from "../logger";
import { runRealtimeWindow } from "../realtime-window";
import { timingFromEnvironment } from "../../core/realtime-timing";

const logger = jsonLogger("realtime-metrics", process.env[LOG_LEVEL]);

/** HTTP entry point. */
export async function handler(_req: unknown, res: FrameworkResponse): Promise<void> {
    const projectId = requiredEnv(GCP_PROJECT);
    const rest = googleRest(globalThis.fetch as unknown as Fetch, requiredEnv(REALTIME_SUBSCRIPTION), projectId);
    try {
        const run = await runRealtimeWindow({ ...rest, projectId, metricsPrefix: requiredEnv(METRICS_PREFIX), topN: Math.max(1, numberEnv("REALTIME_TOP_N", 20)), timing: timingFromEnvironment(), now: Date.now });
        logger.info("windows written", { messages: run.messages, series: run.series, windows: run.windows.map((w) => w.windowStart), lateEvents: run.lateEvents });
        res.status(204).set({}).send("");
    } catch (err) {
        logger.error("window failed; messages stay for the next run", { error: (err as Error).message });
        res.status(500).set({}).send("");
    }
}
