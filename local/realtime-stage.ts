/**
 * The local mode's real-time tier: what the realtime-metrics Lambda does in AWS, in process. It
 * observes the batches the embedded stream's reader reads (after the delivery stage took them),
 * keeps one tumbling window state per shard and window with the Lambda's own core functions
 * (`accumulateWindow`, `finalizeWindow`, `toEmfDocuments`), and when a window is over appends the
 * EMF documents the Lambda would print to `<metricsDir>/realtime-YYYY-MM-DD.jsonl`.
 *
 * It never slows or fails the delivery stage: observing only queues the batch; the queue is
 * counted on the next turn of the event loop, and every failure is logged and kept here.
 * Windows follow arrival time in the stream, like Lambda's: a window closes `graceMs` after its
 * end, so that records the reader is still fetching get in. A record read later than that opens
 * a second part of its window, written as more documents with the same `WindowStart` (readers sum
 * them, as CloudWatch sums the data points of several shards).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
    accumulateWindow,
    DEFAULT_WINDOW_LIMITS,
    emptyWindowState,
    EmfDocument,
    finalizeWindow,
    StreamRecord,
    toEmfDocuments,
    WindowLimits,
    WindowState,
} from "../functions/core/realtime-metrics";
import type { ShardBatch } from "./embedded-kinesis";
import { formatWindowLine, summarizeEmfDocuments } from "./realtime-summary";

/** Longest window Lambda allows (tumblingWindowInSeconds), and the local mode too. */
export const MAX_WINDOW_SECONDS = 900;
/** Spell/item values kept per window, as RealTimeTier's default `topN`. */
export const DEFAULT_TOP_N = 20;

export interface RealtimeStageOptions {
    /** Folder of the `realtime-YYYY-MM-DD.jsonl` files (created at the first window). */
    metricsDir: string;
    /** CloudWatch namespace written in the documents, e.g. "GameAnalytics/local". */
    namespace: string;
    /** Window length, whole seconds from 1 to 900. @default 60 */
    windowSeconds?: number;
    /** @default 20 */
    topN?: number;
    /** @default DEFAULT_WINDOW_LIMITS */
    limits?: WindowLimits;
    /** Time after a window's end before it is closed. @default min(1000, window length) ms */
    graceMs?: number;
    /** Epoch ms. @default Date.now */
    now?(): number;
    /** Errors and malformed-record warnings. */
    log(message: string): void;
    /** Receives one summary line per closed window (all shards together). */
    report?(line: string): void;
}

/** What the stage did so far. */
export interface RealtimeStageStats {
    /** Shard windows closed (a window read from two shards counts twice). */
    windowsClosed: number;
    documentsWritten: number;
    /** Failures (counting, writing), each one logged. */
    failures: number;
}

interface OpenWindow {
    startMs: number;
    state: WindowState;
}

/** Window start as Lambda gives it: ISO 8601, UTC, without milliseconds when they are 0. */
export function windowStartText(startMs: number): string {
    return new Date(startMs).toISOString().replace(/\.000Z$/, "Z");
}

/** Name of the file holding the windows that start on `startMs`'s UTC day. */
export function metricsFileName(startMs: number): string {
    return `realtime-${new Date(startMs).toISOString().slice(0, 10)}.jsonl`;
}

export class RealtimeStage {
    readonly windowSeconds: number;
    readonly stats: RealtimeStageStats = { windowsClosed: 0, documentsWritten: 0, failures: 0 };
    private readonly windowMs: number;
    private readonly graceMs: number;
    private readonly topN: number;
    private readonly limits: WindowLimits;
    private readonly now: () => number;
    private queue: ShardBatch[] = [];
    private drainScheduled = false;
    /** Open windows by shard id, then by window start (epoch ms). */
    private readonly open = new Map<string, Map<number, OpenWindow>>();
    private writes: Promise<void> = Promise.resolve();
    private timer: NodeJS.Timeout | undefined;
    private stopped = false;

    constructor(private readonly options: RealtimeStageOptions) {
        this.windowSeconds = options.windowSeconds ?? 60;
        if (!Number.isInteger(this.windowSeconds) || this.windowSeconds < 1 || this.windowSeconds > MAX_WINDOW_SECONDS) {
            throw new RangeError(`windowSeconds: must be a whole number from 1 to ${MAX_WINDOW_SECONDS} (got ${this.windowSeconds})`);
        }
        this.windowMs = this.windowSeconds * 1000;
        this.graceMs = options.graceMs ?? Math.min(1000, this.windowMs);
        this.topN = options.topN ?? DEFAULT_TOP_N;
        this.limits = options.limits ?? DEFAULT_WINDOW_LIMITS;
        this.now = options.now ?? Date.now;
    }

    /** Starts closing windows as they end. */
    start(): void {
        if (this.timer || this.stopped) return;
        this.timer = setInterval(() => this.closeWindows(false), Math.min(250, Math.max(20, this.windowMs / 4)));
        this.timer.unref();
    }

    /**
     * The reader's observer: queues the batch and returns. Safe to pass as a callback.
     */
    readonly observe = (batch: ShardBatch): void => {
        if (this.stopped) return;
        this.queue.push(batch);
        if (!this.drainScheduled) {
            this.drainScheduled = true;
            setImmediate(() => this.drain());
        }
    };

    /** Counts what is queued, closes every open window (ended or not), waits for the files. Idempotent. */
    async stop(): Promise<void> {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
        if (!this.stopped) {
            this.stopped = true;
            this.closeWindows(true);
        }
        await this.writes;
    }

    /** Counts the queued batches into their shard windows. */
    private drain(): void {
        this.drainScheduled = false;
        const batches = this.queue;
        this.queue = [];
        // One accumulateWindow call per shard window and drain, like one Lambda invocation per batch.
        const grouped = new Map<string, Map<number, StreamRecord[]>>();
        for (const batch of batches) {
            let byWindow = grouped.get(batch.shardId);
            if (byWindow === undefined) grouped.set(batch.shardId, (byWindow = new Map()));
            for (const record of batch.records) {
                const startMs = Math.floor(record.arrival / this.windowMs) * this.windowMs;
                let records = byWindow.get(startMs);
                if (records === undefined) byWindow.set(startMs, (records = []));
                records.push({ sequenceNumber: record.sequenceNumber, text: record.data.toString("utf8"), approximateArrivalTimestamp: record.arrival / 1000 });
            }
        }
        for (const [shardId, byWindow] of grouped) {
            for (const [startMs, records] of byWindow) {
                try {
                    this.accumulate(shardId, startMs, records);
                } catch (error) {
                    this.fail(`counting ${records.length} records of ${shardId}`, error);
                }
            }
        }
    }

    private accumulate(shardId: string, startMs: number, records: StreamRecord[]): void {
        let windows = this.open.get(shardId);
        if (windows === undefined) this.open.set(shardId, (windows = new Map()));
        const window = windows.get(startMs) ?? { startMs, state: emptyWindowState(windowStartText(startMs)) };
        const { state, malformed } = accumulateWindow(window.state, records, this.limits);
        windows.set(startMs, { startMs, state });
        if (malformed.length > 0) {
            const first = malformed[0]!;
            this.options.log(`real-time (${shardId}): ${malformed.length} malformed line(s) counted in MalformedRecords and skipped ` +
                `(first: sequence ${first.sequenceNumber} line ${first.line}: ${first.reason})`);
        }
    }

    /** Closes the windows that are over (or all of them), writes their documents, reports them. */
    private closeWindows(all: boolean): void {
        try {
            if (this.queue.length > 0) this.drain();
            const cutoff = this.now() - this.graceMs;
            const closing = new Map<number, WindowState[]>();
            for (const [shardId, windows] of this.open) {
                for (const [startMs, window] of windows) {
                    if (!all && startMs + this.windowMs > cutoff) continue;
                    windows.delete(startMs);
                    const states = closing.get(startMs) ?? [];
                    states.push(window.state);
                    closing.set(startMs, states);
                }
                if (windows.size === 0) this.open.delete(shardId);
            }
            for (const startMs of [...closing.keys()].sort((a, b) => a - b)) this.publish(startMs, closing.get(startMs)!);
        } catch (error) {
            this.fail("closing windows", error);
        }
    }

    private publish(startMs: number, states: WindowState[]): void {
        const documents: EmfDocument[] = [];
        for (const state of states) {
            try {
                documents.push(...toEmfDocuments(finalizeWindow(state, this.topN), this.options.namespace, startMs));
                this.stats.windowsClosed++;
            } catch (error) {
                this.fail(`finalizing window ${windowStartText(startMs)}`, error);
            }
        }
        if (documents.length === 0) return;
        const file = path.join(this.options.metricsDir, metricsFileName(startMs));
        const text = documents.map((doc) => JSON.stringify(doc)).join("\n") + "\n";
        this.writes = this.writes.then(async () => {
            try {
                await fs.promises.mkdir(this.options.metricsDir, { recursive: true });
                await fs.promises.appendFile(file, text, "utf8");
                this.stats.documentsWritten += documents.length;
            } catch (error) {
                this.fail(`writing the metrics of window ${windowStartText(startMs)} to ${file}`, error);
            }
        });
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
