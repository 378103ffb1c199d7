/**
 * The whole pipeline in one process, without AWS: the REST API on 127.0.0.1, applications and keys
 * in an embedded DynamoDB, the spool (write-ahead log), an embedded Kinesis stream in
 * KINESIS_DATA_STREAMS mode, and the delivery stage writing Parquet into a local lake that the
 * query tool reads like Athena. With realTimeAnalytics, the real-time stage observes the stream
 * reader and writes per-window metrics (EMF lines) like the realtime-metrics Lambda. Only adapters differ from AWS: the handlers are the same code.
 */
import * as crypto from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { DynamoDbApplicationRegistry, DynamoDbKeyStore } from "../functions/aws/adapters/dynamodb-store";
import { KINESIS_MAX_BYTES_PER_CALL } from "../functions/aws/adapters/kinesis-sink";
import { handleAdminRequest } from "../functions/core/admin";
import { authorizeApiKey, DecisionCache } from "../functions/core/authorize";
import type { HttpRequest } from "../functions/core/contracts";
import { handleIngestRequest } from "../functions/core/ingest";
import { systemClock, type EventSink } from "../functions/core/ports";
import { APPLICATIONS, AUTHORIZATIONS } from "../functions/core/routes";
import { cachedApplicationLookup, transformRecords } from "../functions/core/transform";
import type { PipelineSettings } from "../components/contracts/settings";
import { DeliveryCheckpoint, recoverSpool } from "./checkpoint";
import { LocalCredentials, readCredentials, writeCredentials } from "./credentials";
import { dataFolder, DataFolder, ensureWritable } from "./data-folder";
import { DeliveryStage } from "./delivery-stage";
import { startEmbeddedDynamoDb } from "./embedded-dynamodb";
import { createLocalApiServer } from "./http-server";
import { ParquetLakeWriter, removeScratchFiles } from "./lake-writer";
import { SpoolingKinesisSink, SpoolSink } from "./local-sinks";
import { RealtimeStage } from "./realtime-stage";
import { FRAME_HEADER_BYTES, Spool, SpoolEntry } from "./spool";
import { loadStackSettings } from "./stack-settings";
import { StreamThread, ThreadStreamReader } from "./stream-thread";

export interface LocalPipelineOptions {
    /** Stack whose `Pulumi.<stack>.yaml` gives the settings. @default "dev" */
    stack?: string;
    /** Folder holding `Pulumi.<stack>.yaml`. @default process.cwd() */
    configDir?: string;
    /** Root of the data folders. @default "<configDir>/.gap" */
    dataRoot?: string;
    /** Address to bind. Admin routes need a bearer token beyond loopback. @default "127.0.0.1" */
    host?: string;
    /** Port; 0 picks a free one. @default 8080 */
    port?: number;
    /** Settings to use instead of reading the stack file (tests). */
    settings?: PipelineSettings;
    /** Delivery buffer size in bytes. @default 1 MiB */
    bufferBytes?: number;
    /** Delivery buffer time in ms. @default 2000 */
    bufferMs?: number;
    /** Tumbling window of the real-time metrics, whole seconds from 1 to 900. @default 60 */
    realtimeWindowSeconds?: number;
    /** Receives a one-line summary of each closed real-time window (nothing when not given). */
    onRealtimeWindow?(line: string): void;
    log?(message: string): void;
}

export interface LocalPipeline {
    /** Base URL including the stage, e.g. http://127.0.0.1:8080/live */
    url: string;
    host: string;
    port: number;
    stack: string;
    settings: PipelineSettings;
    /** Where the settings came from (undefined: defaults). */
    settingsFile: string | undefined;
    paths: DataFolder;
    credentials: LocalCredentials;
    /** True when this start created the default application and key. */
    createdCredentials: boolean;
    /** Bearer token of the admin routes when bound beyond loopback. */
    adminToken: string | undefined;
    delivery: DeliveryStage;
    /**
     * The real-time metrics stage: present with ingestMode KINESIS_DATA_STREAMS and
     * realTimeAnalytics true. Writes `paths.metricsDir/realtime-YYYY-MM-DD.jsonl`.
     */
    realtime: RealtimeStage | undefined;
    /** Records replayed from the spool at start (accepted before a crash, not yet delivered). */
    replayedRecords: number;
    /** Events in those records (records are packed: several newline-terminated lines each). */
    replayedEvents: number;
    /** Stops accepting requests, flushes every buffer, closes everything. Idempotent. */
    stop(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Starts the local pipeline. */
export async function startLocalPipeline(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
    const stack = options.stack ?? "dev";
    const configDir = options.configDir ?? process.cwd();
    const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
    const { settings, file: settingsFile } = options.settings
        ? { settings: options.settings, file: undefined }
        : loadStackSettings(configDir, stack);
    const paths = dataFolder(options.dataRoot ?? `${configDir}/.gap`, stack);
    const host = options.host ?? "127.0.0.1";
    const clock = systemClock;
    const newId = (): string => crypto.randomUUID();

    const closers: (() => Promise<void> | void)[] = [];
    const closeAll = async (): Promise<void> => {
        for (const close of closers.reverse()) {
            try {
                await close();
            } catch (error) {
                log(`while stopping: ${(error as Error).message}`);
            }
        }
        closers.length = 0;
    };

    try {
        ensureWritable(paths);
        // Scratch files of a process killed mid-write (temporary names, never read).
        removeScratchFiles(paths.root, false);
        removeScratchFiles(paths.spoolDir, false);
        removeScratchFiles(paths.lakeDir);
        const dynamo = await startEmbeddedDynamoDb(paths.dynamodbDir, settings.workloadName);
        closers.push(() => dynamo.close());
        const registry = new DynamoDbApplicationRegistry(dynamo.documentClient, dynamo.applicationsTable);
        const keys = new DynamoDbKeyStore(dynamo.documentClient, dynamo.authorizationsTable);

        const spool = await Spool.open(paths.spoolDir, { log });
        closers.push(() => spool.close());
        const checkpoint = DeliveryCheckpoint.load(paths.checkpointFile, spool.epoch);
        const writer = await ParquetLakeWriter.open();
        closers.push(() => writer.close());
        const lookupApplication = cachedApplicationLookup(registry, settings.applicationCacheTtlSeconds * 1000, clock);
        const delivery = new DeliveryStage({
            lakeDir: paths.lakeDir,
            rawEventsPrefix: settings.rawEventsPrefix,
            spoolEpoch: spool.epoch,
            checkpoint,
            writer,
            transform: (records) => transformRecords(records, { lookupApplication, clock, newId }),
            bufferBytes: options.bufferBytes,
            bufferMs: options.bufferMs,
            onCommitted: (watermark) => spool.releaseBefore(watermark),
            log,
        });

        // A batch cut short by a crash is redone first, under the same file names; the checkpoint is
        // clamped to the spool first. Queued, not awaited: recovery never holds up the listener.
        const { redo, replay } = await recoverSpool(spool, checkpoint, log);
        if (redo) void delivery.redo(redo.batch, redo.entries).catch(() => undefined);

        let sink: EventSink;
        let reader: ThreadStreamReader | undefined;
        let kinesisSink: SpoolingKinesisSink | undefined;
        let realtime: RealtimeStage | undefined;
        let replaying: Promise<void> = Promise.resolve();
        if (settings.ingestMode === "KINESIS_DATA_STREAMS") {
            const shards = settings.streamProvisioned ? settings.streamShardCount : 1;
            // The stream (kinesalite, the SDK's puts and reads) runs on a thread of its own.
            const stream = await StreamThread.start({ streamName: `${settings.workloadName}-events`, shardCount: shards, retentionHours: settings.streamRetentionHours }, log);
            closers.push(() => stream.close());
            reader = stream.reader;
            if (settings.realTimeAnalytics) {
                realtime = new RealtimeStage({
                    metricsDir: paths.metricsDir,
                    namespace: `GameAnalytics/${settings.workloadName}`,
                    windowSeconds: options.realtimeWindowSeconds,
                    log,
                    report: options.onRealtimeWindow,
                });
                const stage = realtime;
                closers.push(() => stage.stop());
                reader.observe(stage.observe);
                stage.start();
            }
            await reader.start((records) => {
                delivery.accept(records.map((r): SpoolEntry => {
                    const offset = Number(r.partitionKey);
                    return { offset, end: offset + FRAME_HEADER_BYTES + r.data.length, arrival: r.arrival, data: r.data };
                }));
            }, 100);
            // Answered once spooled while the stream is less than one full PutRecords (5 MiB) behind.
            kinesisSink = new SpoolingKinesisSink(spool, stream.sink, log, { answerAheadBytes: KINESIS_MAX_BYTES_PER_CALL });
            sink = kinesisSink;
            // Not awaited (recovery never holds up the listener); stop() waits for it.
            replaying = kinesisSink.forward(replay).catch((error: Error) => log(`replay put failed, the records go at the next start: ${error.message}`));
        } else {
            sink = new SpoolSink(spool, (entries) => delivery.accept(entries));
            delivery.accept(replay);
        }

        const decisionCache = new DecisionCache(settings.authorizerCacheTtlSeconds * 1000);
        // No API Gateway in front: the decision cache is the only cache a key change waits for.
        const adminDeps = { registry, keys, clock, newId, authorizerCacheTtlSeconds: 0, decisionCacheTtlSeconds: settings.authorizerCacheTtlSeconds };
        const adminToken = LOOPBACK.has(host) ? undefined : crypto.randomBytes(24).toString("base64url");
        let inFlightRequests = 0;
        const track = async <T>(work: () => Promise<T>): Promise<T> => {
            inFlightRequests += 1;
            try {
                return await work();
            } finally {
                inFlightRequests -= 1;
            }
        };
        const server: Server = createLocalApiServer({
            stageName: settings.apiStageName,
            corsAllowOrigins: settings.corsAllowOrigins,
            adminToken,
            allowedHostnames: [host],
            admin: (req) => track(() => handleAdminRequest(req, adminDeps)),
            authorize: (value, applicationId) => authorizeApiKey(value, applicationId, { keys, clock, cache: decisionCache }),
            ingest: (req, applicationId) => track(() => handleIngestRequest(req, applicationId, { sink, clock })),
            log,
        });
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(options.port ?? 8080, host, () => resolve());
        });
        const port = (server.address() as AddressInfo).port;
        const urlHost = host.includes(":") ? `[${host}]` : host;
        const url = `http://${urlHost}:${port}/${settings.apiStageName}`;

        const existing = readCredentials(paths.credentialsFile);
        const credentials = existing
            ? { ...existing, endpoint: url }
            : await createDefaultCredentials(adminDeps, url, settings.workloadName);
        writeCredentials(paths.credentialsFile, credentials);

        let stopping: Promise<void> | undefined;
        const stop = (): Promise<void> => {
            stopping ??= (async () => {
                await new Promise<void>((resolve) => {
                    server.close(() => resolve());
                    server.closeIdleConnections();
                    const deadline = Date.now() + 10_000;
                    const poll = setInterval(() => {
                        server.closeIdleConnections();
                        if (inFlightRequests === 0 || Date.now() > deadline) {
                            clearInterval(poll);
                            server.closeAllConnections();
                        }
                    }, 20);
                });
                await replaying;
                if (reader && kinesisSink) {
                    const sinkRef = kinesisSink;
                    const readerRef = reader;
                    await readerRef.stop(() => sinkRef.idle && readerRef.recordsRead >= sinkRef.forwarded);
                    sinkRef.stop();
                }
                // Flushes the open windows; its failures are logged inside, never thrown.
                await realtime?.stop();
                await delivery.stop();
                await closeAll();
            })();
            return stopping;
        };

        return {
            url, host, port, stack, settings, settingsFile, paths, credentials,
            createdCredentials: existing === undefined,
            adminToken, delivery, realtime, replayedRecords: replay.length, replayedEvents: countLines(replay), stop,
        };
    } catch (error) {
        await closeAll();
        throw error;
    }
}

/** Event lines in spooled records: every line ends with "\n" (JSON text never holds a raw newline). */
function countLines(entries: readonly SpoolEntry[]): number {
    let lines = 0;
    for (const entry of entries) {
        for (let i = entry.data.indexOf(0x0a); i !== -1; i = entry.data.indexOf(0x0a, i + 1)) lines++;
    }
    return lines;
}

/** Creates the default application and API key through the admin handler (same code as the API). */
async function createDefaultCredentials(
    adminDeps: Parameters<typeof handleAdminRequest>[1],
    endpoint: string,
    workloadName: string,
): Promise<LocalCredentials> {
    const call = async (resource: string, pathParameters: Record<string, string>, body: unknown): Promise<Record<string, unknown>> => {
        const req: HttpRequest = {
            method: "POST", resource, pathParameters, headers: { "content-type": "application/json" },
            body: JSON.stringify(body), requestId: crypto.randomUUID(), requestTimeEpoch: Date.now(),
        };
        const res = await handleAdminRequest(req, adminDeps);
        if (res.statusCode !== 200) throw new Error(`creating the default application failed: ${res.statusCode} ${res.body}`);
        return JSON.parse(res.body) as Record<string, unknown>;
    };
    const applicationName = `${workloadName}-game`;
    const app = await call(APPLICATIONS, {}, { Name: applicationName, Description: "Default application of the local mode" });
    const applicationId = String(app.ApplicationId);
    const key = await call(AUTHORIZATIONS, { applicationId }, { Name: "local-key", Description: "Default API key of the local mode" });
    return { applicationId, applicationName, apiKeyId: String(key.ApiKeyId), apiKeyValue: String(key.ApiKeyValue), endpoint };
}
