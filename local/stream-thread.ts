/**
 * The embedded Kinesis stream of KINESIS_DATA_STREAMS mode, run on a worker thread of its own
 * (stream-worker.ts): kinesalite, the SDK client putting records through the same
 * KinesisEventSink as in AWS, and the StreamReader reading them back. The main thread keeps the
 * API, the spool and the delivery stage; what crosses between the threads is the records' bytes,
 * one moved buffer per put or per read batch.
 *
 * Why: in one thread, the stream's per-byte work (base64 and JSON of every record in and out, in
 * the SDK and in kinesalite, and kinesalite's validation and storage) took about half of the main
 * thread in KINESIS_DATA_STREAMS mode, and the main thread was the bottleneck of the pipeline.
 * On a machine with a second core, that work now runs beside the API instead of in its way.
 *
 * {@link StreamThread.sink} is an EventSink (Kinesis limits) whose puts run in the stream thread;
 * {@link StreamThread.reader} has the StreamReader's interface: batches are handed to the consumer
 * on the main thread, then to the observers, and the stream thread reads on only once the consumer
 * took a batch.
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { KINESIS_SINK_LIMITS } from "../functions/aws/adapters/kinesis-sink";
import type { EventSink, SinkRecord, SinkRecordResult } from "../functions/core/ports";
import { notifyBatchObservers } from "./batch-observers";
import type { BatchObserver, ShardBatch, StreamRecord } from "./embedded-kinesis";
import { packBytes, unpackBytes, type FromStreamThread, type StreamThreadSettings, type ToStreamThread } from "./stream-messages";

const WORKER_FILE = path.join(__dirname, "stream-worker.ts");
/** The worker loads TypeScript through tsx, as the local mode does (tsx's CommonJS hook). */
const WORKER_BOOTSTRAP = `require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(WORKER_FILE)});`;

type Done = Extract<FromStreamThread, { type: "done" }>;
/** A request to the stream thread, before it gets its id. */
type Request = ToStreamThread extends infer M ? (M extends { id: number } ? Omit<M, "id"> : never) : never;

export class StreamThread {
    private nextId = 0;
    private readonly calls = new Map<number, { resolve(done: Done): void; reject(error: Error): void }>();
    private stopped: Error | undefined;
    private onBatch: ((message: Extract<FromStreamThread, { type: "batch" }>) => Promise<void>) | undefined;
    private readonly exited: Promise<void>;

    /** EventSink on the stream: Kinesis limits, puts through KinesisEventSink in the stream thread. */
    readonly sink: EventSink;
    /** Reads the stream from its start (same interface as StreamReader); start it once. */
    readonly reader: ThreadStreamReader;

    private constructor(private readonly worker: Worker, private readonly log: (message: string) => void) {
        this.exited = new Promise((resolve) => worker.once("exit", () => resolve()));
        worker.on("message", (message: FromStreamThread) => this.receive(message));
        worker.on("error", (error) => this.fail(new Error(`stream thread failed: ${error.message}`)));
        worker.once("exit", (code) => this.fail(new Error(`stream thread exited (code ${code})`)));
        const thread = this;
        this.sink = {
            ...KINESIS_SINK_LIMITS,
            putRecords: (records) => thread.putRecords(records),
        };
        this.reader = new ThreadStreamReader(this, log);
    }

    /** Starts the thread and its stream (`shardCount` shards, ACTIVE when this resolves). */
    static start(settings: StreamThreadSettings, log: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<StreamThread> {
        const worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: settings });
        return new Promise((resolve, reject) => {
            const onMessage = (message: FromStreamThread): void => {
                if (message.type === "log") log(message.message);
                if (message.type !== "ready" && message.type !== "failed") return;
                worker.off("message", onMessage);
                worker.off("error", onError);
                if (message.type === "ready") {
                    resolve(new StreamThread(worker, log));
                } else {
                    void worker.terminate();
                    reject(new Error(`embedded Kinesis: ${message.message}`));
                }
            };
            const onError = (error: Error): void => reject(new Error(`stream thread failed to start: ${error.message}`));
            worker.on("message", onMessage);
            worker.once("error", onError);
        });
    }

    private async putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]> {
        const packed = packBytes(records.map((r) => r.data));
        const done = await this.call({ type: "put", records: packed, partitionKeys: records.map((r) => r.partitionKey) }, [packed.bytes]);
        if (!done.results || done.results.length !== records.length) throw new Error("stream thread: a put answered without one result per record");
        return done.results;
    }

    /** @internal Used by the reader. */
    async startReading(idleMs: number, pollMs: number, onBatch: (message: Extract<FromStreamThread, { type: "batch" }>) => Promise<void>): Promise<void> {
        this.onBatch = onBatch;
        await this.call({ type: "start-reading", idleMs, pollMs });
    }

    /** @internal Used by the reader. */
    async stopReading(): Promise<void> {
        await this.call({ type: "stop-reading" });
    }

    /** Records the embedded stream keeps (counted in kinesalite's store): the ones not yet read. */
    async storedRecords(): Promise<number> {
        const done = await this.call({ type: "stored-records" });
        return done.count ?? 0;
    }

    /** Stops reading, closes the stream and ends the thread. Idempotent. */
    async close(): Promise<void> {
        if (!this.stopped) {
            try {
                await this.call({ type: "close" });
            } catch (error) {
                this.log(`closing the stream thread: ${(error as Error).message}`);
                await this.worker.terminate();
            }
        }
        await this.exited;
    }

    private call(request: Request, transfer: ArrayBuffer[] = []): Promise<Done> {
        if (this.stopped) return Promise.reject(this.stopped);
        const id = this.nextId++;
        return new Promise((resolve, reject) => {
            this.calls.set(id, {
                resolve: (done) => (done.error !== undefined ? reject(new Error(done.error)) : resolve(done)),
                reject,
            });
            this.worker.postMessage({ ...request, id } as ToStreamThread, transfer);
        });
    }

    private receive(message: FromStreamThread): void {
        switch (message.type) {
            case "done": {
                const call = this.calls.get(message.id);
                this.calls.delete(message.id);
                call?.resolve(message);
                return;
            }
            case "batch": {
                const onBatch = this.onBatch;
                if (!onBatch) return;
                // Taken either way: a consumer failure is logged and the reader goes on, as in StreamReader.
                const taken = (): void => this.worker.postMessage({ type: "batch-taken", batch: message.batch } satisfies ToStreamThread);
                onBatch(message).then(taken, (error: Error) => {
                    this.log(`stream reader (${message.shardId}): the consumer failed: ${error.message}`);
                    taken();
                });
                return;
            }
            case "log":
                this.log(message.message);
                return;
            default:
                return;
        }
    }

    private fail(error: Error): void {
        if (this.stopped) return;
        this.stopped = error;
        for (const call of this.calls.values()) call.reject(error);
        this.calls.clear();
    }
}

/** The StreamReader's interface on the main thread, over the stream thread's reader. */
export class ThreadStreamReader {
    private readonly observers = new Set<BatchObserver>();
    /** Records handed to the consumer so far. */
    recordsRead = 0;
    private onRecords: (records: StreamRecord[]) => void | Promise<void> = () => undefined;

    constructor(private readonly thread: StreamThread, private readonly log: (message: string) => void) {}

    /** Adds an observer of every batch read from now on; returns the function that removes it. */
    observe(observer: BatchObserver): () => void {
        this.observers.add(observer);
        return () => this.observers.delete(observer);
    }

    /**
     * Reads every shard from its start, handing each non-empty batch to `onRecords` (awaited), then
     * to each observer. `idleMs` and `pollMs` pace the polling as in StreamReader.
     */
    async start(onRecords: (records: StreamRecord[]) => void | Promise<void>, idleMs = 100, pollMs = Math.min(idleMs, 50)): Promise<void> {
        this.onRecords = onRecords;
        await this.thread.startReading(idleMs, pollMs, async (message) => {
            const data = unpackBytes(message.records);
            const records: StreamRecord[] = data.map((d, i) => ({
                data: d, partitionKey: message.partitionKeys[i], sequenceNumber: message.sequenceNumbers[i], arrival: message.arrivals[i],
            }));
            await this.onRecords(records);
            this.recordsRead += records.length;
            this.notifyObservers({ shardId: message.shardId, records });
        });
    }

    /** Reads until `caughtUp()` is true (or immediately when not given), then stops reading. */
    async stop(caughtUp: () => boolean = () => true, timeoutMs = 30_000): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while (!caughtUp() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        await this.thread.stopReading();
    }

    private notifyObservers(batch: ShardBatch): void {
        notifyBatchObservers(this.observers, batch, this.log);
    }
}
