/**
 * An embedded Kinesis Data Streams (kinesalite, in memory) on 127.0.0.1 with one stream, and a
 * reader that polls every shard (GetShardIterator + GetRecords) and hands records on: to its consumer
 * (the delivery stage, awaited) and then to its observers (the real-time stage, never awaited).
 * Kinesalite keeps nothing across restarts: durability comes from the spool written before the put.
 *
 * Kinesalite keeps every record it is given (it drops a record past the stream's retention only
 * when a read passes over it, and the reader never reads behind its iterator), so the embedded
 * stream trims its store itself: the records the consumer took ({@link EmbeddedKinesis.trim}) and
 * the records older than the retention setting ({@link EmbeddedKinesis.trimExpired}).
 */
import type { RequestListener, Server } from "node:http";
import {
    CreateStreamCommand,
    IncreaseStreamRetentionPeriodCommand,
    DescribeStreamCommand,
    GetRecordsCommand,
    GetShardIteratorCommand,
    KinesisClient,
    ListShardsCommand,
} from "@aws-sdk/client-kinesis";
import { notifyBatchObservers } from "./batch-observers";
import type { BatchObserver, ShardBatch, StreamRecord } from "./stream-batches";
import { InProcessHttpHandler } from "./in-process-http";
import { LOCAL_AWS_CLIENT_CONFIG } from "./local-aws";

type KinesaliteFactory = (options: { createStreamMs?: number; deleteStreamMs?: number; updateStreamMs?: number; shardLimit?: number }) => Server;
// kinesalite ships no type declarations; this is the one function the local mode uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesalite = require("kinesalite") as KinesaliteFactory;

/** The parts of kinesalite's store (a levelup over memdown, one sublevel per stream) trimmed here. */
interface KinesaliteStreamDb {
    batch(operations: { type: "del"; key: string }[], callback: (error?: Error) => void): void;
    createKeyStream(options: { gte: string; lt: string }): NodeJS.ReadableStream & { destroy(): void };
}
interface KinesaliteStore {
    getStreamDb(streamName: string): KinesaliteStreamDb;
}
/** kinesalite's db module: the store factory and how a record's key is made of its shard and sequence number. */
interface KinesaliteDbModule {
    create(options: object): KinesaliteStore;
    shardIxToHex(shardIx: number): string;
    parseSequence(sequenceNumber: string): { seqTime?: number; shardCreateTime: number };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesaliteDb = require("kinesalite/db") as KinesaliteDbModule;

/**
 * Starts kinesalite and keeps its store: kinesalite's factory builds the store through its db
 * module's `create` and keeps it to itself, so `create` is wrapped for the length of that one call.
 */
function kinesaliteWithStore(options: Parameters<KinesaliteFactory>[0]): { server: Server; store: KinesaliteStore } {
    const create = kinesaliteDb.create;
    let store: KinesaliteStore | undefined;
    kinesaliteDb.create = (o) => (store = create(o));
    let server: Server;
    try {
        server = kinesalite(options);
    } finally {
        kinesaliteDb.create = create;
    }
    if (!store) throw new Error("kinesalite did not build its store through kinesalite/db's create");
    return { server, store };
}

/** The key of a record in kinesalite's stream store: shard index (8 hex digits) "/" sequence number. */
const shardPrefix = (shardIx: number): string => kinesaliteDb.shardIxToHex(shardIx) + "/";

/** The shard index of a shard id ("shardId-000000000003" -> 3). */
function shardIndex(shardId: string): number {
    const ix = Number(/^shardId-(\d{12})$/.exec(shardId)?.[1]);
    if (!Number.isInteger(ix)) throw new Error(`not a shard id: ${shardId}`);
    return ix;
}

/** The endpoint the client signs for; requests never leave the process. */
const IN_PROCESS_ENDPOINT = "http://kinesalite.in-process";

export interface EmbeddedKinesis {
    client: KinesisClient;
    streamName: string;
    /** Retention of the stream, in hours (what {@link trimExpired} keeps). */
    retentionHours: number;
    /**
     * Drops records of one shard from the store: the ones the consumer took. The reader never reads
     * behind its iterator and the spool, not the stream, keeps what is not yet in the lake, so a
     * taken record is never needed again.
     */
    trim(shardId: string, sequenceNumbers: readonly string[]): Promise<void>;
    /** Drops every record older than the retention (by its arrival time); resolves with how many. */
    trimExpired(now?: number): Promise<number>;
    /** Records kept in the store, every shard (a full scan of the keys: for tests and benchmarks). */
    storedRecords(): Promise<number>;
    close(): Promise<void>;
}

/** Options of {@link startEmbeddedKinesis}. */
export interface EmbeddedKinesisOptions {
    /**
     * Retention of the stream, in hours (the `streamRetentionHours` setting): records older are
     * dropped by {@link EmbeddedKinesis.trimExpired}, read or not, as Kinesis does.
     * @default 24
     * @example 168
     */
    retentionHours?: number;
}

/** Kinesalite's longest retention (IncreaseStreamRetentionPeriod refuses more than 168 hours). */
const KINESALITE_MAX_RETENTION_HOURS = 168;

/**
 * Starts kinesalite and creates an ACTIVE stream with `shardCount` shards. The client reaches
 * kinesalite's request handler in process (see in-process-http.ts): the same SDK calls and the
 * same kinesalite request handling as over loopback HTTP, without the socket hop, which cost more
 * than kinesalite's own work for record bodies of ~100 KB. Nothing listens on a port.
 */
export async function startEmbeddedKinesis(streamName: string, shardCount: number, options: EmbeddedKinesisOptions = {}): Promise<EmbeddedKinesis> {
    const retentionHours = options.retentionHours ?? 24;
    if (!(Number.isInteger(retentionHours) && retentionHours >= 1)) throw new RangeError(`retentionHours: a whole number of hours >= 1, got ${retentionHours}`);
    const { server, store } = kinesaliteWithStore({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: Math.max(10, shardCount) });
    const listener = server.listeners("request")[0] as RequestListener;
    const client = new KinesisClient({ ...LOCAL_AWS_CLIENT_CONFIG, requestHandler: new InProcessHttpHandler(listener), endpoint: IN_PROCESS_ENDPOINT });
    // Signed without hashing each body (SigV4's UNSIGNED-PAYLOAD): kinesalite checks that requests
    // are signed, not the signatures, and the SHA-256 of every record body in and out was a cost of
    // its own. The dummy credentials sign for nothing real anyway.
    client.middlewareStack.add((next) => (args) => {
        const request = args.request as { headers?: Record<string, string> };
        if (request.headers) request.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
        return next(args);
    }, { step: "build", name: "localUnsignedPayload" });
    const close = async (): Promise<void> => {
        client.destroy();
        // kinesalite's close() closes its store, then the (never listening) HTTP server.
        await new Promise<void>((resolve, reject) => server.close((error?: Error & { code?: string }) => {
            if (error && error.code !== "ERR_SERVER_NOT_RUNNING") reject(error);
            else resolve();
        }));
    };
    try {
        await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
        for (let i = 0; i < 100; i++) {
            const d = await client.send(new DescribeStreamCommand({ StreamName: streamName }));
            if (d.StreamDescription?.StreamStatus === "ACTIVE") break;
            await new Promise((r) => setTimeout(r, 50));
        }
        // Kinesalite hides records past its own retention (24 h unless raised) from reads.
        const kinesaliteHours = Math.min(retentionHours, KINESALITE_MAX_RETENTION_HOURS);
        if (kinesaliteHours > 24) await client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: streamName, RetentionPeriodHours: kinesaliteHours }));
    } catch (error) {
        await close();
        throw error;
    }
    const streamDb = store.getStreamDb(streamName);
    const del = (keys: string[]): Promise<void> => keys.length === 0 ? Promise.resolve() : new Promise((resolve, reject) => {
        streamDb.batch(keys.map((key) => ({ type: "del" as const, key })), (error) => (error ? reject(error) : resolve()));
    });
    /** Calls `visit` with each key of one shard, in order, until it returns false. */
    const scanShard = (shardIx: number, visit: (key: string) => boolean): Promise<void> => new Promise((resolve, reject) => {
        const keys = streamDb.createKeyStream({ gte: shardPrefix(shardIx), lt: shardPrefix(shardIx + 1) });
        let done = false;
        const finish = (error?: Error): void => {
            if (done) return;
            done = true;
            if (error) reject(error);
            else resolve();
        };
        keys.on("data", (key: string) => {
            if (done) return;
            if (!visit(key)) {
                keys.destroy();
                finish();
            }
        });
        keys.on("end", () => finish());
        keys.on("close", () => finish());
        keys.on("error", (error: Error) => finish(error));
    });
    return {
        client, streamName, retentionHours, close,
        trim: async (shardId, sequenceNumbers) => {
            const prefix = shardPrefix(shardIndex(shardId));
            return del(sequenceNumbers.map((s) => prefix + s));
        },
        trimExpired: async (now = Date.now()) => {
            const cutoff = now - retentionHours * 3_600_000;
            let dropped = 0;
            for (let shardIx = 0; shardIx < shardCount; shardIx++) {
                const expired: string[] = [];
                // Keys of a shard are in arrival order: the first one young enough ends the scan.
                await scanShard(shardIx, (key) => {
                    const sequence = kinesaliteDb.parseSequence(key.slice(key.indexOf("/") + 1));
                    if ((sequence.seqTime ?? sequence.shardCreateTime) >= cutoff) return false;
                    expired.push(key);
                    return true;
                });
                await del(expired);
                dropped += expired.length;
            }
            return dropped;
        },
        storedRecords: async () => {
            let count = 0;
            for (let shardIx = 0; shardIx < shardCount; shardIx++) await scanShard(shardIx, () => ++count > 0);
            return count;
        },
    };
}

/** Records per GetRecords call (the Kinesis maximum). */
const GET_RECORDS_LIMIT = 10_000;

/**
 * Polls every shard of a stream from its start and calls `onRecords` with each non-empty batch
 * (awaited: a slow consumer slows the reader, it never drops records), then each observer.
 * Between two calls it waits `idleMs` after an empty answer and `pollMs` after a partial one
 * (a full one is followed at once): each GetRecords costs kinesalite a shard iterator
 * decryption, a range read and a new iterator whatever it returns, so back-to-back calls under
 * load returned one or two records each and cost more than the records they carried.
 */
export class StreamReader {
    private running = false;
    private loops: Promise<void>[] = [];
    private readonly observers = new Set<BatchObserver>();
    /** Records handed to the consumer so far. */
    recordsRead = 0;

    constructor(
        private readonly client: KinesisClient,
        private readonly streamName: string,
        private readonly onRecords: (records: StreamRecord[], shardId: string) => void | Promise<void>,
        private readonly idleMs = 100,
        private readonly log: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
        private readonly pollMs = Math.min(idleMs, 50),
    ) {}

    /** Adds an observer of every batch read from now on; returns the function that removes it. */
    observe(observer: BatchObserver): () => void {
        this.observers.add(observer);
        return () => this.observers.delete(observer);
    }

    async start(): Promise<void> {
        this.running = true;
        const shards = (await this.client.send(new ListShardsCommand({ StreamName: this.streamName }))).Shards ?? [];
        this.loops = shards.map((s) => this.readShard(s.ShardId!));
    }

    /** Reads until `caughtUp()` is true (or immediately when not given), then stops every loop. */
    async stop(caughtUp: () => boolean = () => true, timeoutMs = 30_000): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while (!caughtUp() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        this.running = false;
        await Promise.all(this.loops);
    }

    private async readShard(shardId: string): Promise<void> {
        let iterator = (await this.client.send(new GetShardIteratorCommand({
            StreamName: this.streamName, ShardId: shardId, ShardIteratorType: "TRIM_HORIZON",
        }))).ShardIterator;
        while (this.running && iterator) {
            try {
                const out = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: GET_RECORDS_LIMIT }));
                iterator = out.NextShardIterator;
                const records = (out.Records ?? []).map((r) => ({
                    partitionKey: r.PartitionKey ?? "",
                    sequenceNumber: r.SequenceNumber ?? "",
                    // A view of the SDK's decoded bytes, not a copy (the answer is not reused).
                    data: r.Data ? Buffer.from(r.Data.buffer, r.Data.byteOffset, r.Data.byteLength) : Buffer.alloc(0),
                    arrival: r.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
                }));
                if (records.length > 0) {
                    await this.onRecords(records, shardId);
                    this.recordsRead += records.length;
                    this.notifyObservers({ shardId, records });
                    if (records.length < GET_RECORDS_LIMIT) await new Promise((r) => setTimeout(r, this.pollMs));
                } else {
                    await new Promise((r) => setTimeout(r, this.idleMs));
                }
            } catch (error) {
                if (!this.running) return;
                this.log(`stream reader (${shardId}): ${(error as Error).message}; retrying`);
                await new Promise((r) => setTimeout(r, 500));
            }
        }
    }

    private notifyObservers(batch: ShardBatch): void {
        notifyBatchObservers(this.observers, batch, this.log);
    }
}

