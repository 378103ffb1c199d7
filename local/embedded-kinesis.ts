/**
 * An embedded Kinesis Data Streams (kinesalite, in memory) on 127.0.0.1 with one stream, and a
 * reader that polls every shard (GetShardIterator + GetRecords) and hands records on: to its consumer
 * (the delivery stage, awaited) and then to its observers (the real-time stage, never awaited).
 * Kinesalite keeps nothing across restarts: durability comes from the spool written before the put.
 */
import type { RequestListener, Server } from "node:http";
import {
    CreateStreamCommand,
    DescribeStreamCommand,
    GetRecordsCommand,
    GetShardIteratorCommand,
    KinesisClient,
    ListShardsCommand,
} from "@aws-sdk/client-kinesis";
import { notifyBatchObservers } from "./batch-observers";
import { InProcessHttpHandler } from "./in-process-http";
import { LOCAL_AWS_CLIENT_CONFIG } from "./local-aws";

type KinesaliteFactory = (options: { createStreamMs?: number; deleteStreamMs?: number; updateStreamMs?: number; shardLimit?: number }) => Server;
// kinesalite ships no type declarations; this is the one function the local mode uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesalite = require("kinesalite") as KinesaliteFactory;

/** The endpoint the client signs for; requests never leave the process. */
const IN_PROCESS_ENDPOINT = "http://kinesalite.in-process";

/** One record read from a shard. */
export interface StreamRecord {
    partitionKey: string;
    sequenceNumber: string;
    data: Buffer;
    /** Epoch ms. */
    arrival: number;
}

export interface EmbeddedKinesis {
    client: KinesisClient;
    streamName: string;
    close(): Promise<void>;
}

/**
 * Starts kinesalite and creates an ACTIVE stream with `shardCount` shards. The client reaches
 * kinesalite's request handler in process (see in-process-http.ts): the same SDK calls and the
 * same kinesalite request handling as over loopback HTTP, without the socket hop, which cost more
 * than kinesalite's own work for record bodies of ~100 KB. Nothing listens on a port.
 */
export async function startEmbeddedKinesis(streamName: string, shardCount: number): Promise<EmbeddedKinesis> {
    const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: Math.max(10, shardCount) });
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
    } catch (error) {
        await close();
        throw error;
    }
    return { client, streamName, close };
}

/** One non-empty batch read from one shard. */
export interface ShardBatch {
    shardId: string;
    records: readonly StreamRecord[];
}

/**
 * Sees every batch after the consumer took it. Called synchronously and never awaited: it must
 * only queue the batch. What it throws is logged and goes no further.
 */
export type BatchObserver = (batch: ShardBatch) => void;

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

