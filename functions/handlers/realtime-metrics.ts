/**
 * Lambda entry point of the real-time metrics: consumes the Kinesis stream through an event source
 * mapping with tumbling windows, carries the window state between invocations, and at the final
 * invocation of each window writes the metrics to stdout in CloudWatch Embedded Metric Format
 * (CloudWatch Logs extracts them; no PutMetricData call, no metrics permission).
 *
 * It never throws on bad data and never reports item failures, so a shard never blocks on a record.
 */
import type { KinesisStreamTumblingWindowEvent } from "aws-lambda";
import {
    accumulateWindow,
    DEFAULT_WINDOW_LIMITS,
    finalizeWindow,
    MalformedLine,
    restoreWindowState,
    StreamRecord,
    toEmfDocuments,
    WindowLimits,
    WindowState,
    windowStateBytes,
} from "../core/realtime-metrics";
import { numberEnv, POWERTOOLS_METRICS_NAMESPACE, requiredEnv } from "./environment";
import { observability } from "./observability";

/** Dimension values kept per spell/item metric and window (the rest is summed under "other"). */
export const REALTIME_TOP_N = "REALTIME_TOP_N";
/** Byte budget of the window state (Lambda's limit is 1 MB per shard). */
export const REALTIME_STATE_BUDGET_BYTES = "REALTIME_STATE_BUDGET_BYTES";
/** Distinct spell/item ids tracked per application and window before new ones count under "other". */
export const REALTIME_MAX_KEYS_PER_DIMENSION = "REALTIME_MAX_KEYS_PER_DIMENSION";

/** Malformed lines listed in one log entry; the entry also gives the total. */
export const MAX_LOGGED_MALFORMED_LINES = 1000;

/** The tumbling-window event Lambda sends for a Kinesis source (`shardId` and `eventSourceARN` included). */
export type RealtimeWindowEvent = KinesisStreamTumblingWindowEvent & { shardId?: string; eventSourceARN?: string };

/** What the handler returns: the state for the next invocation of the window, and no item failures. */
export interface RealtimeWindowResponse {
    state: WindowState | Record<string, never>;
    batchItemFailures: [];
}

/** The few logger methods the handler uses (Powertools Logger fits). */
export interface WindowLogger {
    info(message: string, attributes: Record<string, unknown>): void;
    warn(message: string, attributes: Record<string, unknown>): void;
}

/** Everything the handler needs, so tests call it with plain objects. */
export interface RealtimeHandlerDeps {
    /** CloudWatch namespace of the metrics, e.g. "GameAnalytics/mygame". */
    namespace: string;
    /** Spell/item dimension values kept per window. */
    topN: number;
    limits: WindowLimits;
    /** Writes one line to stdout (EMF documents). */
    writeLine(line: string): void;
    logger: WindowLogger;
    /** Epoch ms; used only when the window start cannot be parsed. */
    now(): number;
}

/** Builds the handler from its dependencies. */
export function createRealtimeHandler(deps: RealtimeHandlerDeps): (event: RealtimeWindowEvent) => Promise<RealtimeWindowResponse> {
    return async (event) => {
        const shardId = event.shardId ?? "unknown";
        const windowStart = event.window.start;
        const restored = restoreWindowState(event.state, windowStart);
        const { state, malformed } = accumulateWindow(restored, (event.Records ?? []).map(toStreamRecord), deps.limits);
        if (malformed.length > 0) logMalformed(deps.logger, shardId, windowStart, malformed);

        if (!event.isFinalInvokeForWindow) return { state, batchItemFailures: [] };

        const metrics = finalizeWindow(state, deps.topN);
        const parsedStart = Date.parse(windowStart);
        const timestamp = Number.isNaN(parsedStart) ? deps.now() : parsedStart;
        for (const document of toEmfDocuments(metrics, deps.namespace, timestamp)) deps.writeLine(JSON.stringify(document));
        const summary = {
            shardId,
            window: event.window,
            applications: metrics.applications.length,
            totalEvents: metrics.applications.reduce((sum, app) => sum + app.totalEvents, 0),
            malformedRecords: metrics.malformedRecords,
            duplicateEvents: metrics.duplicateEvents,
            dedupSaturated: metrics.dedupSaturated === 1,
            eventLagSeconds: metrics.eventLagSeconds,
            stateBytes: windowStateBytes(state),
        };
        if (event.isWindowTerminatedEarly) {
            deps.logger.warn("window terminated early by Lambda (state over its limit); metrics cover the part received", summary);
        } else {
            deps.logger.info("window closed", summary);
        }
        return { state: {}, batchItemFailures: [] };
    };
}

function toStreamRecord(record: RealtimeWindowEvent["Records"][number]): StreamRecord {
    return {
        sequenceNumber: record.kinesis.sequenceNumber,
        text: Buffer.from(record.kinesis.data, "base64").toString("utf8"),
        approximateArrivalTimestamp: record.kinesis.approximateArrivalTimestamp,
    };
}

/** One warning per invocation naming every malformed line by sequence number (never its content). */
function logMalformed(logger: WindowLogger, shardId: string, windowStart: string, malformed: MalformedLine[]): void {
    logger.warn("malformed records counted in MalformedRecords and skipped", {
        shardId,
        windowStart,
        count: malformed.length,
        lines: malformed.slice(0, MAX_LOGGED_MALFORMED_LINES),
        ...(malformed.length > MAX_LOGGED_MALFORMED_LINES ? { notListed: malformed.length - MAX_LOGGED_MALFORMED_LINES } : {}),
    });
}

/** Dependencies from the environment set by the RealTimeTier component. */
export function realtimeDepsFromEnvironment(env: NodeJS.ProcessEnv = process.env): RealtimeHandlerDeps {
    const { logger } = observability("realtime-metrics");
    return {
        namespace: requiredEnv(POWERTOOLS_METRICS_NAMESPACE, env),
        topN: Math.max(1, Math.floor(numberEnv(REALTIME_TOP_N, 20, env))),
        limits: {
            stateBudgetBytes: numberEnv(REALTIME_STATE_BUDGET_BYTES, DEFAULT_WINDOW_LIMITS.stateBudgetBytes, env),
            maxKeysPerDimension: Math.max(1, Math.floor(numberEnv(REALTIME_MAX_KEYS_PER_DIMENSION, DEFAULT_WINDOW_LIMITS.maxKeysPerDimension, env))),
        },
        writeLine: (line) => process.stdout.write(line + "\n"),
        logger: {
            info: (message, attributes) => logger.info(message, attributes),
            warn: (message, attributes) => logger.warn(message, attributes),
        },
        now: () => Date.now(),
    };
}

let configured: ((event: RealtimeWindowEvent) => Promise<RealtimeWindowResponse>) | undefined;

/** Lambda handler (configured from the environment at the first invocation). */
export async function handler(event: RealtimeWindowEvent): Promise<RealtimeWindowResponse> {
    configured ??= createRealtimeHandler(realtimeDepsFromEnvironment());
    return configured(event);
}
