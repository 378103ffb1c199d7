/**
 * The steps of {@link startLocalPipeline} (local/pipeline.ts), in order: setup (data folder,
 * registry, spool, delivery stage), recovery (redo the batch a crash cut short, replay the rest),
 * mode choice (the embedded stream or the direct spool sink), the API server with the default
 * credentials, and shutdown. Each step registers what it opened with the {@link Closers}, so a
 * failed start closes exactly what was opened, in reverse order.
 */
import * as crypto from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { PipelineSettings } from "../components/contracts/settings";
import { DynamoDbApplicationRegistry, DynamoDbKeyStore } from "../functions/aws/adapters/dynamodb-store";
import { KINESIS_MAX_BYTES_PER_CALL } from "../functions/aws/adapters/kinesis-sink";
import { handleAdminRequest } from "../functions/core/admin";
import { authorizeApiKey, DecisionCache } from "../functions/core/authorize";
import type { HttpRequest } from "../functions/core/contracts";
import { handleIngestRequest, storeIngestRecord } from "../functions/core/ingest";
import { CachedApplicationAuthModes, RegistryAuthModes } from "../functions/core/player-auth/cached-auth-modes";
import { JwtDecisionCache } from "../functions/core/player-auth/jwt-decision-cache";
import { type LocalPlayerAuth, startLocalPlayerAuth } from "../functions/core/player-auth/local-player-auth";
import { DEFAULT_AUTH_MODES, authorizeEventsRequest, authorizePlayerToken } from "../functions/core/player-auth/player-authorizer";
import { handlePutRecordRequest } from "../functions/core/player-auth/put-record";
import { oidcRawSettings, usesDevIssuer } from "../components/player-auth-settings";
import type { ApplicationRegistry, Clock, EventSink, KeyStore } from "../functions/core/ports";
import { APPLICATIONS, AUTHORIZATIONS } from "../functions/core/routes";
import { cachedApplicationLookup } from "../functions/core/rows";
import { DeliveryCheckpoint, recoverSpool } from "./checkpoint";
import { LocalCredentials, readCredentials, writeCredentials } from "./credentials";
import { DataFolder, ensureWritable } from "./data-folder";
import { DeliveryStage } from "./delivery-stage";
import { startEmbeddedDynamoDb } from "./embedded-dynamodb";
import { createLocalApiServer } from "./http-server";
import { IcebergTableWriter } from "./iceberg/writer";
import { icebergTableDir } from "./iceberg/reader";
import { ParquetLakeWriter, removeScratchFiles } from "./lake-writer";
import { SpoolingKinesisSink, SpoolSink } from "./local-sinks";
import { RealtimeStage } from "./realtime-stage";
import { FRAME_HEADER_BYTES, Spool, SpoolEntry } from "./spool";
import { StreamThread } from "./stream-thread";
import { expectedObjectsOf, PgliteWarehouse, pgliteCatalog, warehouseDir, warehouseNamesOf } from "./warehouse";

/** What the steps share: settings, folders, clock, ids and the log. */
export interface StepContext {
    settings: PipelineSettings;
    paths: DataFolder;
    clock: Clock;
    newId(): string;
    log(message: string): void;
}

/** What was opened so far; closed in reverse order, each failure logged, none stopping the others. */
export class Closers {
    private readonly closers: (() => Promise<void> | void)[] = [];

    constructor(private readonly log: (message: string) => void) {}

    push(close: () => Promise<void> | void): void {
        this.closers.push(close);
    }

    async closeAll(): Promise<void> {
        for (const close of this.closers.reverse()) {
            try {
                await close();
            } catch (error) {
                this.log(`while stopping: ${(error as Error).message}`);
            }
        }
        this.closers.length = 0;
    }
}

/** What setup opens: the registry and key store, the spool and its checkpoint, the delivery stage. */
export interface Storage {
    registry: ApplicationRegistry;
    keys: KeyStore;
    spool: Spool;
    checkpoint: DeliveryCheckpoint;
    delivery: DeliveryStage;
    /** The Iceberg events table's writer (tableFormat ICEBERG only). */
    iceberg: IcebergTableWriter | undefined;
    /** The local warehouse (dataStack REDSHIFT only). */
    warehouse: PgliteWarehouse | undefined;
}

/** Step 1, setup: the data folder (cleared of scratch files), the embedded DynamoDB, the spool, the delivery stage. */
export async function openStorage(ctx: StepContext, buffer: { bufferBytes?: number; bufferMs?: number }, closers: Closers): Promise<Storage> {
    const { settings, paths, clock, newId, log } = ctx;
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
    // tableFormat ICEBERG: one writer on the events table, closed after the delivery stage stopped.
    let iceberg: IcebergTableWriter | undefined;
    let warehouse: PgliteWarehouse | undefined;
    if (settings.dataStack === "REDSHIFT") {
        const opened = await PgliteWarehouse.open({ dataDir: warehouseDir(paths.root), names: warehouseNamesOf(settings) });
        warehouse = opened;
        closers.push(() => opened.close());
    } else if (settings.tableFormat === "ICEBERG") {
        const opened = await IcebergTableWriter.open(icebergTableDir(paths.lakeDir, settings.rawEventsPrefix));
        iceberg = opened;
        closers.push(() => opened.close());
    }
    const lookupApplication = cachedApplicationLookup(registry, settings.applicationCacheTtlSeconds * 1000, clock);
    const delivery = new DeliveryStage({
        lakeDir: paths.lakeDir,
        rawEventsPrefix: settings.rawEventsPrefix,
        spoolEpoch: spool.epoch,
        checkpoint,
        writer,
        icebergWriter: iceberg,
        warehouse,
        rows: { lookupApplication, clock, newId },
        bufferBytes: buffer.bufferBytes,
        bufferMs: buffer.bufferMs,
        onCommitted: (watermark) => spool.releaseBefore(watermark),
        log,
    });
    return { registry, keys, spool, checkpoint, delivery, iceberg, warehouse };
}

/**
 * Step 2, recovery: a batch cut short by a crash is redone first, under the same file names; the
 * checkpoint is clamped to the spool first. Queued, not awaited: recovery never holds up the
 * listener.
 * @returns the records accepted before the crash and not yet delivered, to replay
 */
export async function recover(storage: Storage, log: (message: string) => void): Promise<SpoolEntry[]> {
    const { redo, replay } = await recoverSpool(storage.spool, storage.checkpoint, log);
    if (redo) void storage.delivery.redo(redo.batch, redo.entries).catch(() => undefined);
    return replay;
}

/** The ingest path chosen by the ingest mode. */
export interface IngestPath {
    sink: EventSink;
    /** The real-time metrics stage (KINESIS_DATA_STREAMS with realTimeAnalytics only). */
    realtime: RealtimeStage | undefined;
    /** Waits for the replay, then until the stream reader has read what the sink forwarded, and stops both. */
    drain(): Promise<void>;
}

/** Options of the real-time stage. */
export interface RealtimeOptions {
    realtimeWindowSeconds?: number;
    onRealtimeWindow?(line: string): void;
}

/**
 * Step 3, mode choice: KINESIS_DATA_STREAMS spools then puts to the embedded stream, whose reader
 * feeds the delivery stage (and the real-time stage); DIRECT_BATCH hands the spooled records to
 * the delivery stage directly. The replayed records go the same way.
 */
export async function startIngestPath(ctx: StepContext, storage: Storage, replay: SpoolEntry[], realtimeOptions: RealtimeOptions, closers: Closers): Promise<IngestPath> {
    if (ctx.settings.ingestMode === "KINESIS_DATA_STREAMS") return startStreamPath(ctx, storage, replay, realtimeOptions, closers);
    storage.delivery.accept(replay);
    return { sink: new SpoolSink(storage.spool, (entries) => storage.delivery.accept(entries)), realtime: undefined, drain: async () => undefined };
}

async function startStreamPath(ctx: StepContext, storage: Storage, replay: SpoolEntry[], realtimeOptions: RealtimeOptions, closers: Closers): Promise<IngestPath> {
    const { settings, paths, log } = ctx;
    const { delivery, spool } = storage;
    const shards = settings.streamProvisioned ? settings.streamShardCount : 1;
    // The stream (kinesalite, the SDK's puts and reads) runs on a thread of its own.
    const stream = await StreamThread.start({ streamName: `${settings.workloadName}-events`, shardCount: shards, retentionHours: settings.streamRetentionHours }, log);
    closers.push(() => stream.close());
    const reader = stream.reader;
    let realtime: RealtimeStage | undefined;
    if (settings.realTimeAnalytics) {
        const stage = new RealtimeStage({
            metricsDir: paths.metricsDir,
            namespace: `GameAnalytics/${settings.workloadName}`,
            windowSeconds: realtimeOptions.realtimeWindowSeconds,
            watermarkSeconds: settings.realtimeWatermarkSeconds,
            log,
            report: realtimeOptions.onRealtimeWindow,
        });
        realtime = stage;
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
    // REDSHIFT reads the stream itself (one row per Kinesis record): one event per record, no packing.
    const sink = new SpoolingKinesisSink(spool, stream.sink, log, {
        answerAheadBytes: KINESIS_MAX_BYTES_PER_CALL, packsEvents: settings.dataStack === "REDSHIFT" ? false : undefined,
    });
    // Not awaited (recovery never holds up the listener); drain() waits for it.
    const replaying = sink.forward(replay).catch((error: Error) => log(`replay put failed, the records go at the next start: ${error.message}`));
    return {
        sink,
        realtime,
        drain: async () => {
            await replaying;
            await reader.stop(() => sink.idle && reader.recordsRead >= sink.forwarded);
            sink.stop();
        },
    };
}

/** The listening API server. */
export interface ApiServer {
    server: Server;
    port: number;
    /** Base URL including the stage. */
    url: string;
    /** Bearer token of the admin routes when bound beyond loopback. */
    adminToken: string | undefined;
    adminDeps: Parameters<typeof handleAdminRequest>[1];
    /** Requests being answered now. */
    inFlightRequests(): number;
    /** Player tokens (issue 16): set by {@link startPlayerAuth} once the default application exists. */
    playerAuth: { current?: LocalPlayerAuth };
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Step 4, the server: the REST API on `host:port`, the same handlers as in AWS. */
export async function startApiServer(ctx: StepContext, storage: Storage, sink: EventSink, host: string, port: number): Promise<ApiServer> {
    const { settings, clock, newId, log } = ctx;
    const { registry, keys } = storage;
    const decisionCache = new DecisionCache(settings.authorizerCacheTtlSeconds * 1000);
    // No API Gateway in front: the decision cache is the only cache a key change waits for.
    const warehouse = storage.warehouse
        ? { dataStack: "REDSHIFT" as const, catalog: pgliteCatalog(storage.warehouse), expected: expectedObjectsOf(storage.warehouse.names) }
        : { dataStack: "DATA_LAKE" as const };
    const adminDeps = { registry, keys, clock, newId, authorizerCacheTtlSeconds: 0, decisionCacheTtlSeconds: settings.authorizerCacheTtlSeconds, warehouse };
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
    // Player tokens: the same decisions as the AWS player authorizer (player-authorizer.ts).
    const playerAuth: ApiServer["playerAuth"] = {};
    const applications = new CachedApplicationAuthModes(new RegistryAuthModes(registry), clock, settings.applicationCacheTtlSeconds * 1000);
    const jwtCache = new JwtDecisionCache();
    const server: Server = createLocalApiServer({
        stageName: settings.apiStageName,
        corsAllowOrigins: settings.corsAllowOrigins,
        adminToken,
        allowedHostnames: [host],
        admin: (req) => track(() => handleAdminRequest(req, adminDeps)),
        authorize: async (value, applicationId) => {
            const player = playerAuth.current;
            // Without an issuer the events route is the API-key route it always was (as in AWS).
            if (player === undefined) return authorizeApiKey(value, applicationId, { keys, clock, cache: decisionCache });
            const decision = await authorizeEventsRequest(value, applicationId, {
                keys, clock, applications, keyCache: decisionCache, player: { verifier: player.verifier, cache: jwtCache },
            });
            if (!decision.allow) return { allow: false };
            return decision.credential === "JWT"
                ? { allow: true, applicationId: decision.applicationId, playerId: decision.playerId }
                : { allow: true, applicationId: decision.applicationId };
        },
        ingest: (req, applicationId, playerId) => track(() => handleIngestRequest(req, applicationId, { sink, clock }, { playerId })),
        putRecord: () => {
            const player = playerAuth.current;
            if (player === undefined) return undefined;
            return {
                authorize: async (authorization) => {
                    const decision = await authorizePlayerToken(authorization, undefined, { verifier: player.verifier, clock, applications, cache: jwtCache });
                    return decision.allow ? { applicationId: decision.applicationId, playerId: decision.playerId } : undefined;
                },
                handle: (req, caller) => track(() => handlePutRecordRequest(req, caller, { store: (record) => storeIngestRecord(record, { sink, clock }) })),
            };
        },
        log,
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve());
    });
    const boundPort = (server.address() as AddressInfo).port;
    const urlHost = host.includes(":") ? `[${host}]` : host;
    return { server, port: boundPort, url: `http://${urlHost}:${boundPort}/${settings.apiStageName}`, adminToken, adminDeps, inFlightRequests: () => inFlightRequests, playerAuth };
}

/**
 * Step 4b, player tokens (issue 16): the stack's issuer (`oidc*` settings, http allowed on
 * loopback) or, with `oidcIssuerUrl: dev`, a development issuer on 127.0.0.1 whose test token
 * (for the default application, which is then set to accept JWTs too) is printed at start.
 * @returns undefined when the stack has no issuer
 */
export async function startPlayerAuth(ctx: StepContext, api: ApiServer, credentials: LocalCredentials, closers: Closers): Promise<LocalPlayerAuth | undefined> {
    const { settings, clock, log } = ctx;
    if (settings.oidcIssuerUrl === undefined) return undefined;
    const dev = usesDevIssuer(settings);
    const auth = await startLocalPlayerAuth({ settings: dev ? {} : oidcRawSettings(settings), devIssuer: dev, applicationId: credentials.applicationId, clock });
    if (auth === undefined) return undefined;
    closers.push(() => auth.close());
    if (dev) {
        const { registry } = api.adminDeps;
        const app = await registry.getApplication(credentials.applicationId);
        const modes = app?.AuthModes ?? [...DEFAULT_AUTH_MODES];
        if (app !== undefined && !modes.includes("JWT")) {
            await registry.updateApplication(app.ApplicationId, { AuthModes: [...modes, "JWT"], UpdatedAt: new Date(clock.now()).toISOString() });
            log(`default application ${app.ApplicationId}: AuthModes now ${[...modes, "JWT"].join(", ")} (development issuer)`);
        }
    }
    api.playerAuth.current = auth;
    return auth;
}

/**
 * The credentials file: kept (with the current endpoint) when it exists, else the default
 * application and API key are created through the admin handler.
 */
export async function ensureCredentials(ctx: StepContext, api: ApiServer): Promise<{ credentials: LocalCredentials; created: boolean }> {
    const existing = readCredentials(ctx.paths.credentialsFile);
    const credentials = existing
        ? { ...existing, endpoint: api.url }
        : await createDefaultCredentials(api.adminDeps, api.url, ctx.settings.workloadName);
    writeCredentials(ctx.paths.credentialsFile, credentials);
    return { credentials, created: existing === undefined };
}

/**
 * Step 5, shutdown: stops accepting requests (idle connections at once, the others once answered
 * or after 10 s), drains the ingest path, flushes the real-time windows and the delivery stage,
 * closes everything. Idempotent: every call returns the same promise.
 */
export function shutdown(api: ApiServer, ingest: IngestPath, delivery: DeliveryStage, closers: Closers): () => Promise<void> {
    let stopping: Promise<void> | undefined;
    return () => {
        stopping ??= (async () => {
            await closeServer(api);
            await ingest.drain();
            // Flushes the open windows; its failures are logged inside, never thrown.
            await ingest.realtime?.stop();
            await delivery.stop();
            await closers.closeAll();
        })();
        return stopping;
    };
}

/** Closes the server: idle connections now, busy ones once no request is in flight (at most 10 s). */
function closeServer(api: ApiServer): Promise<void> {
    const { server } = api;
    return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        const deadline = Date.now() + 10_000;
        const poll = setInterval(() => {
            server.closeIdleConnections();
            if (api.inFlightRequests() === 0 || Date.now() > deadline) {
                clearInterval(poll);
                server.closeAllConnections();
            }
        }, 20);
    });
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
