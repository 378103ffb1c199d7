/**
 * The local mode's real-time tier: what the realtime-metrics Lambda does in AWS, in process, with
 * the same event-time core (functions/core/realtime-event-time.ts). It observes the batches the
 * embedded stream's reader reads (after the delivery stage took them), keeps one state per shard
 * (event-time windows and a watermark), and appends the EMF documents the Lambda would print to
 * `<metricsDir>/realtime-YYYY-MM-DD.jsonl`: a window once the watermark passes its end, late
 * events (behind the watermark) as LateEvents of their window, malformed and future lines by
 * arrival minute.
 *
 * Unlike Lambda, the local stage has no carrier to reset: its state lives as long as the process,
 * so its windows follow the event-time semantics exactly. One addition: a shard that has received
 * nothing for `idleMs` moves its watermark to `now - idleMs - watermark`, so that the last window
 * closes without waiting for the next event (Flink would wait). `stop` emits the open windows.
 *
 * It never slows or fails the delivery stage: observing only queues the batch; the queue is
 * counted on the next turn of the event loop, and every failure is logged and kept here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
    accumulateWindow,
    advanceWatermark,
    ClosedWindow,
    DEFAULT_EVENT_TIME,
    DEFAULT_WINDOW_LIMITS,
    emptyWindowState,
    EventTimeSettings,
    finalizeWindow,
    flushWindows,
    WindowLimits,
    WindowState,
} from "../functions/core/realtime-event-time";
import { ArrivalCount, arrivalEmfDocuments, EmfDocument, LateCount, lateEmfDocuments, StreamRecord, toEmfDocuments, windowStartText } from "../functions/core/realtime-metrics";
import type { ShardBatch } from "./stream-batches";
import { formatWindowLine, summarizeEmfDocuments } from "./realtime-summary";

export { windowStartText };

/** Longest window the local mode allows (Lambda's tumblingWindowInSeconds limit, kept for the event-time windows). */
export const MAX_WINDOW_SECONDS = 900;
/** Dimension values kept per window, as RealTimeTier's default `topN`. */
export const DEFAULT_TOP_N = 20;
/** Carrier name of the local stage's states (they are never reset). */
export const LOCAL_CARRIER = "local";

export interface RealtimeStageOptions {
    /** Folder of the `realtime-YYYY-MM-DD.jsonl` files (created at the first window). */
    metricsDir: string;
    /** CloudWatch namespace written in the documents, e.g. "GameAnalytics/local". */
    namespace: string;
    /** Event-time window length, whole seconds from 1 to 900. @default 60 */
    windowSeconds?: number;
    /** Allowed out-of-orderness of the watermark, whole seconds from 0 to 3600. @default 5 */
    watermarkSeconds?: number;
    /** Events stamped more than this after their arrival are FutureEvents (excluded), seconds. @default 300 */
    maxFutureSeconds?: number;
    /** A shard idle this long moves its watermark with the wall clock (see the module comment). @default 2000 ms */
    idleMs?: number;
    /** @default 20 */
    topN?: number;
    /** @default DEFAULT_WINDOW_LIMITS */
    limits?: WindowLimits;
    /** Epoch ms. @default Date.now */
    now?(): number;
    /** Errors and malformed-record warnings. */
    log(message: string): void;
    /** Receives one summary line per written window or late count (all shards together). */
    report?(line: string): void;
}

/** What the stage did so far. */
export interface RealtimeStageStats {
    /** Shard windows closed (a window read from two shards counts twice). */
    windowsClosed: number;
    documentsWritten: number;
    /** Events behind the watermark, counted in LateEvents. */
    lateEvents: number;
    /** Failures (counting, writing), each one logged. */
    failures: number;
}

interface ShardState {
    state: WindowState;
    /** Wall-clock ms of the last batch of this shard. */
    lastSeenMs: number;
}

/** Name of the file holding the documents stamped on `startMs`'s UTC day. */
export function metricsFileName(startMs: number): string {
    return `realtime-${new Date(startMs).toISOString().slice(0, 10)}.jsonl`;
}

export class RealtimeStage {
    readonly windowSeconds: number;
    readonly timing: EventTimeSettings;
    readonly stats: RealtimeStageStats = { windowsClosed: 0, documentsWritten: 0, lateEvents: 0, failures: 0 };
    private readonly idleMs: number;
    private readonly topN: number;
    private readonly limits: WindowLimits;
    private readonly now: () => number;
    private queue: ShardBatch[] = [];
    private drainScheduled = false;
    private readonly shards = new Map<string, ShardState>();
    private writes: Promise<void> = Promise.resolve();
    private timer: NodeJS.Timeout | undefined;
    private stopped = false;

    constructor(private readonly options: RealtimeStageOptions) {
        this.windowSeconds = options.windowSeconds ?? DEFAULT_EVENT_TIME.windowMs / 1000;
        if (!Number.isInteger(this.windowSeconds) || this.windowSeconds < 1 || this.windowSeconds > MAX_WINDOW_SECONDS) {
            throw new RangeError(`windowSeconds: must be a whole number from 1 to ${MAX_WINDOW_SECONDS} (got ${this.windowSeconds})`);
        }
        const watermarkSeconds = options.watermarkSeconds ?? DEFAULT_EVENT_TIME.watermarkMs / 1000;
        if (!Number.isInteger(watermarkSeconds) || watermarkSeconds < 0 || watermarkSeconds > 3600) {
            throw new RangeError(`watermarkSeconds: must be a whole number from 0 to 3600 (got ${watermarkSeconds})`);
        }
        const maxFutureSeconds = options.maxFutureSeconds ?? DEFAULT_EVENT_TIME.maxFutureMs / 1000;
        if (!Number.isFinite(maxFutureSeconds) || maxFutureSeconds < 0) throw new RangeError(`maxFutureSeconds: must be a number of at least 0 (got ${maxFutureSeconds})`);
        this.timing = { windowMs: this.windowSeconds * 1000, watermarkMs: watermarkSeconds * 1000, maxFutureMs: maxFutureSeconds * 1000 };
        this.idleMs = options.idleMs ?? 2000;
        this.topN = options.topN ?? DEFAULT_TOP_N;
        this.limits = options.limits ?? DEFAULT_WINDOW_LIMITS;
        this.now = options.now ?? Date.now;
    }

    /** Starts moving idle shards' watermarks (so windows close without waiting for the next event). */
    start(): void {
        if (this.timer || this.stopped) return;
        this.timer = setInterval(() => this.tick(), Math.min(250, Math.max(20, this.timing.windowMs / 4)));
        this.timer.unref();
    }

    /** The reader's observer: queues the batch and returns. Safe to pass as a callback. */
    readonly observe = (batch: ShardBatch): void => {
        if (this.stopped) return;
        this.queue.push(batch);
        if (!this.drainScheduled) {
            this.drainScheduled = true;
            setImmediate(() => this.drain());
        }
    };

    /** Counts what is queued, emits every open window (ended or not), waits for the files. Idempotent. */
    async stop(): Promise<void> {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
        if (!this.stopped) {
            this.stopped = true;
            try {
                if (this.queue.length > 0) this.drain();
                const closed: ClosedWindow[] = [];
                for (const shard of this.shards.values()) closed.push(...flushWindows(shard.state));
                this.shards.clear();
                this.publish(closed, [], []);
            } catch (error) {
                this.fail("emitting the open windows", error);
            }
        }
        await this.writes;
    }

    /** Counts the queued batches, one accumulateWindow call per shard and drain (like one Lambda invocation per batch). */
    private drain(): void {
        this.drainScheduled = false;
        const batches = this.queue;
        this.queue = [];
        const grouped = new Map<string, StreamRecord[]>();
        for (const batch of batches) {
            let records = grouped.get(batch.shardId);
            if (records === undefined) grouped.set(batch.shardId, (records = []));
            for (const record of batch.records) {
                records.push({ sequenceNumber: record.sequenceNumber, text: record.data.toString("utf8"), approximateArrivalTimestamp: record.arrival / 1000 });
            }
        }
        const closed: ClosedWindow[] = [];
        const late: LateCount[] = [];
        const arrivals: ArrivalCount[] = [];
        for (const [shardId, records] of grouped) {
            try {
                const shard = this.shards.get(shardId) ?? { state: emptyWindowState(LOCAL_CARRIER), lastSeenMs: 0 };
                const result = accumulateWindow(shard.state, records, this.limits, this.timing);
                this.shards.set(shardId, { state: result.state, lastSeenMs: this.now() });
                closed.push(...result.closed);
                late.push(...result.late);
                arrivals.push(...result.arrivals);
                if (result.malformed.length > 0) {
                    const first = result.malformed[0]!;
                    this.options.log(`real-time (${shardId}): ${result.malformed.length} malformed line(s) counted in MalformedRecords and skipped ` +
                        `(first: sequence ${first.sequenceNumber} line ${first.line}: ${first.reason})`);
                }
            } catch (error) {
                this.fail(`counting ${records.length} records of ${shardId}`, error);
            }
        }
        this.publish(closed, late, arrivals);
    }

    /** Moves the watermark of shards idle for `idleMs` and emits the windows it passes. */
    private tick(): void {
        try {
            if (this.queue.length > 0) this.drain();
            const now = this.now();
            const closed: ClosedWindow[] = [];
            for (const [shardId, shard] of this.shards) {
                if (now - shard.lastSeenMs < this.idleMs || Object.keys(shard.state.open).length === 0) continue;
                const moved = advanceWatermark(shard.state, now - this.idleMs - this.timing.watermarkMs, this.timing);
                this.shards.set(shardId, { ...shard, state: moved.state });
                closed.push(...moved.closed);
            }
            this.publish(closed, [], []);
        } catch (error) {
            this.fail("closing idle windows", error);
        }
    }

    /** Writes the documents of closed windows, late counts and arrival counts, one append per day file; reports them. */
    private publish(closed: ClosedWindow[], late: LateCount[], arrivals: ArrivalCount[]): void {
        const documents: EmfDocument[] = [];
        for (const window of closed.sort((a, b) => a.startMs - b.startMs)) {
            try {
                documents.push(...toEmfDocuments(finalizeWindow(window, this.topN), this.options.namespace));
                this.stats.windowsClosed++;
            } catch (error) {
                this.fail(`finalizing window ${windowStartText(window.startMs)}`, error);
            }
        }
        documents.push(...lateEmfDocuments(late, this.options.namespace), ...arrivalEmfDocuments(arrivals, this.options.namespace));
        this.stats.lateEvents += late.reduce((sum, l) => sum + l.count, 0);
        if (documents.length === 0) return;
        const byFile = new Map<string, EmfDocument[]>();
        for (const doc of documents) {
            const file = path.join(this.options.metricsDir, metricsFileName(doc._aws.Timestamp));
            byFile.set(file, [...(byFile.get(file) ?? []), doc]);
        }
        for (const [file, docs] of byFile) {
            const text = docs.map((doc) => JSON.stringify(doc)).join("\n") + "\n";
            this.writes = this.writes.then(async () => {
                try {
                    await fs.promises.mkdir(this.options.metricsDir, { recursive: true });
                    await fs.promises.appendFile(file, text, "utf8");
                    this.stats.documentsWritten += docs.length;
                } catch (error) {
                    this.fail(`writing the metrics of window ${String(docs[0]!.WindowStart)} to ${file}`, error);
                }
            });
        }
        if (this.options.report) {
            try {
                for (const window of summarizeEmfDocuments(documents).windows) this.options.report(formatWindowLine(window, this.windowSeconds));
            } catch (error) {
                this.fail("reporting a window", error);
            }
        }
    }

    private fail(what: string, error: unknown): void {
        this.stats.failures++;
        try {
            this.options.log(`real-time metrics: ${what} failed: ${(error as Error)?.message ?? String(error)} (the lake is not affected)`);
        } catch {
            // a failing logger must not reach the reader either
        }
    }
}
