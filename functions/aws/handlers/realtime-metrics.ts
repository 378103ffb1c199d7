/**
 * Lambda entry point of the real-time metrics: consumes the Kinesis stream through an event source
 * mapping with tumbling windows, which serve as the *carrier* of the state: inside the state live
 * the open event-time windows and the watermark (functions/core/realtime-event-time.ts). Every
 * invocation writes, to stdout in CloudWatch Embedded Metric Format, the event-time windows the
 * watermark passed, the late events it counted and the malformed and future lines; the final
 * invocation of a carrier window also writes the windows still open (the state is lost after it).
 * CloudWatch Logs extracts the metrics: no PutMetricData call, no metrics permission.
 *
 * It never throws on bad data, so a shard never blocks on a record. With a metric sink (the
 * OPENSEARCH destination) the window metrics go to the sink instead, and CloudWatch keeps the
 * health metrics only (window health, LateEvents, MalformedRecords, FutureEvents, and the sink's
 * OpenSearchDocumentsWritten / OpenSearchWriteErrors). When the sink could not write everything
 * after its retries, the handler reports the batch back (its first record as the item failure,
 * the incoming state unchanged) so that the event source mapping retries it from there; the
 * documents' deterministic ids make the rewrite of what did succeed harmless (no double count).
 */
import type { KinesisStreamTumblingWindowEvent } from "aws-lambda";
import {
    accumulateWindow,
    ClosedWindow,
    DEFAULT_EVENT_TIME,
    DEFAULT_WINDOW_LIMITS,
    EventTimeSettings,
    finalizeWindow,
    flushWindows,
    restoreWindowState,
    WindowLimits,
    WindowState,
    windowStateBytes,
} from "../../core/realtime-event-time";
import { arrivalEmfDocuments, healthEmfDocument, lateEmfDocuments, MalformedLine, sinkEmfDocument, StreamRecord, toEmfDocuments, WindowMetrics } from "../../core/realtime-metrics";
import { failedWindowStarts, metricDocuments, type MetricSink } from "../../core/realtime-sink";
import {
    POWERTOOLS_METRICS_NAMESPACE,
    REALTIME_MAX_KEYS_PER_DIMENSION,
    REALTIME_STATE_BUDGET_BYTES,
    REALTIME_TOP_N,
    REALTIME_DESTINATION,
    OPENSEARCH_ENDPOINT,
    OPENSEARCH_INDEX,
} from "../../core/environment-names";
import { createOpenSearchSink } from "../adapters/opensearch-sink";
import { environmentCredentials, openSearchTransport } from "../adapters/opensearch-transport";
import { timingFromEnvironment } from "../../core/realtime-timing";
import { numberEnv, requiredEnv } from "./environment";
import { observability } from "./observability";

/** Malformed lines listed in one log entry; the entry also gives the total. */
export const MAX_LOGGED_MALFORMED_LINES = 1000;

/** The tumbling-window event Lambda sends for a Kinesis source (`shardId` and `eventSourceARN` included). */
export type RealtimeWindowEvent = KinesisStreamTumblingWindowEvent & { shardId?: string; eventSourceARN?: string };

/** What the handler returns: the state for the next invocation of the carrier window, and the item failures (only when the sink failed). */
export interface RealtimeWindowResponse {
    state: WindowState | Record<string, never> | Record<string, unknown>;
    batchItemFailures: Array<{ itemIdentifier: string }>;
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
    /** Dimension values kept per window. */
    topN: number;
    limits: WindowLimits;
    /** Event-time window, watermark and future tolerance. @default DEFAULT_EVENT_TIME */
    timing?: EventTimeSettings;
    /** Writes one line to stdout (EMF documents). */
    writeLine(line: string): void;
    logger: WindowLogger;
    /** Epoch ms (kept for adapters; the windows need no clock). */
    now(): number;
    /**
     * Where the window metrics go instead of EMF (the OPENSEARCH destination).
     * @default undefined (every metric as EMF on stdout)
     */
    sink?: MetricSink;
}

/** Thrown when the sink failed and the batch has no record to report: Lambda retries the invocation. */
export class MetricWriteError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "MetricWriteError";
    }
}

/** Builds the handler from its dependencies. */
export function createRealtimeHandler(deps: RealtimeHandlerDeps): (event: RealtimeWindowEvent) => Promise<RealtimeWindowResponse> {
    const timing = deps.timing ?? DEFAULT_EVENT_TIME;
    return async (event) => {
        const shardId = event.shardId ?? "unknown";
        const carrier = event.window.start;
        const restored = restoreWindowState(event.state, carrier);
        const result = accumulateWindow(restored, (event.Records ?? []).map(toStreamRecord), deps.limits, timing);
        if (result.malformed.length > 0) logMalformed(deps.logger, shardId, carrier, result.malformed);
        const closing: ClosedWindow[] = [...result.closed];
        const flushed = event.isFinalInvokeForWindow ? flushWindows(result.state) : [];
        closing.push(...flushed);

        const lines: string[] = [];
        const metrics = closing.map((w) => finalizeWindow(w, deps.topN));
        if (deps.sink !== undefined) {
            const failure = await writeToSink(deps, deps.sink, event, metrics, result, timing.windowMs / 1000);
            if (failure !== undefined) return failure;
        }
        for (const m of metrics) {
            if (deps.sink !== undefined) lines.push(JSON.stringify(healthEmfDocument(m, deps.namespace)));
            else for (const doc of toEmfDocuments(m, deps.namespace)) lines.push(JSON.stringify(doc));
        }
        for (const doc of lateEmfDocuments(result.late, deps.namespace)) lines.push(JSON.stringify(doc));
        for (const doc of arrivalEmfDocuments(result.arrivals, deps.namespace)) lines.push(JSON.stringify(doc));
        for (const line of lines) deps.writeLine(line);

        const lateEvents = result.late.reduce((sum, l) => sum + l.count, 0);
        if (lateEvents > 0) {
            deps.logger.warn("late events (behind the watermark) counted in LateEvents of their window, not in its totals", {
                shardId, carrier, watermark: result.state.watermarkMs, late: result.late.map((l) => ({ windowStartMs: l.windowStartMs, count: l.count })),
            });
        }
        if (metrics.length > 0) {
            deps.logger.info("event-time windows emitted", {
                shardId,
                carrier: event.window,
                byWatermark: result.closed.map((w) => w.startMs),
                atCarrierEnd: flushed.map((w) => w.startMs),
                totalEvents: metrics.reduce((sum, m) => sum + m.applications.reduce((s, a) => s + a.totalEvents, 0), 0),
                duplicateEvents: metrics.reduce((sum, m) => sum + m.duplicateEvents, 0),
                dedupSaturated: metrics.some((m) => m.dedupSaturated === 1),
                stateBytes: windowStateBytes(result.state),
            });
        }
        if (!event.isFinalInvokeForWindow) return { state: result.state, batchItemFailures: [] };
        if (event.isWindowTerminatedEarly) {
            deps.logger.warn("window terminated early by Lambda (state over its limit); its open event-time windows were emitted as they stood", {
                shardId, carrier: event.window, stateBytes: windowStateBytes(result.state),
            });
        }
        return { state: {}, batchItemFailures: [] };
    };
}

/**
 * Sends the documents of this invocation to the sink and publishes what it did. On a failure after
 * the sink's retries, returns the response that makes the event source mapping retry the batch
 * (or throws when there is no record to name); nothing of this invocation goes to CloudWatch then
 * but OpenSearchWriteErrors, so the retry does not count the health metrics twice.
 */
async function writeToSink(
    deps: RealtimeHandlerDeps, sink: MetricSink, event: RealtimeWindowEvent, metrics: WindowMetrics[],
    result: { late: Parameters<typeof metricDocuments>[1]; arrivals: Parameters<typeof metricDocuments>[2] }, windowSeconds: number,
): Promise<RealtimeWindowResponse | undefined> {
    const records = event.Records ?? [];
    const shardId = event.shardId ?? "unknown";
    const documents = metricDocuments(metrics, result.late, result.arrivals, {
        shardId, carrier: event.window.start, batchKey: records[0]?.kinesis.sequenceNumber ?? "final", windowSeconds,
    });
    if (documents.length === 0) return undefined;
    const written = await sink.write(documents);
    deps.writeLine(JSON.stringify(sinkEmfDocument(written.written, written.failed.length, deps.now(), deps.namespace)));
    if (written.failed.length === 0) return undefined;
    const windows = failedWindowStarts(written.failed).map((ms) => new Date(ms).toISOString());
    const details = {
        shardId, carrier: event.window, failedDocuments: written.failed.length, writtenDocuments: written.written, windows,
        reasons: [...new Set(written.failed.map((f) => `${f.status} ${f.reason}`))].slice(0, 10),
    };
    if (records.length === 0) {
        deps.logger.warn("metric documents not written after retries; the invocation fails so that Lambda retries it", details);
        throw new MetricWriteError(`${written.failed.length} metric documents of windows ${windows.join(", ")} not written`);
    }
    deps.logger.warn("metric documents not written after retries; the batch is reported back for the event source mapping to retry", details);
    return { state: event.state ?? {}, batchItemFailures: [{ itemIdentifier: records[0]!.kinesis.sequenceNumber }] };
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
        timing: timingFromEnvironment(env),
        writeLine: (line) => process.stdout.write(line + "\n"),
        logger: {
            info: (message, attributes) => logger.info(message, attributes),
            warn: (message, attributes) => logger.warn(message, attributes),
        },
        now: () => Date.now(),
        sink: sinkFromEnvironment(env),
    };
}

/** The OpenSearch sink when REALTIME_DESTINATION is OPENSEARCH (endpoint, index and region required), else none. */
export function sinkFromEnvironment(env: NodeJS.ProcessEnv = process.env): MetricSink | undefined {
    const destination = env[REALTIME_DESTINATION] ?? "CLOUDWATCH";
    if (destination === "CLOUDWATCH") return undefined;
    if (destination !== "OPENSEARCH") throw new Error(`${REALTIME_DESTINATION} must be CLOUDWATCH or OPENSEARCH (got ${destination})`);
    const transport = openSearchTransport({ endpoint: requiredEnv(OPENSEARCH_ENDPOINT, env), region: requiredEnv("AWS_REGION", env), getCredentials: environmentCredentials(env) });
    return createOpenSearchSink(transport, { index: requiredEnv(OPENSEARCH_INDEX, env) });
}

/** Event-time settings from the environment (functions/core/realtime-timing.ts). */
export { timingFromEnvironment };

let configured: ((event: RealtimeWindowEvent) => Promise<RealtimeWindowResponse>) | undefined;

/** Lambda handler (configured from the environment at the first invocation). */
export async function handler(event: RealtimeWindowEvent): Promise<RealtimeWindowResponse> {
    configured ??= createRealtimeHandler(realtimeDepsFromEnvironment());
    return configured(event);
}
