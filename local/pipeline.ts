/**
 * The whole pipeline in one process, without AWS: the REST API on 127.0.0.1, applications and keys
 * in an embedded DynamoDB, the spool (write-ahead log), an embedded Kinesis stream in
 * KINESIS_DATA_STREAMS mode, and the delivery stage writing Parquet into a local lake that the
 * query tool reads like Athena. With realTimeAnalytics, the real-time stage observes the stream
 * reader and writes per-window metrics (EMF lines) like the realtime-metrics Lambda. Only adapters differ from AWS: the handlers are the same code.
 */
import * as crypto from "node:crypto";
import { type Clock, systemClock } from "../functions/core/ports";
import type { PipelineSettings } from "../components/contracts/settings";
import { LocalCredentials } from "./credentials";
import { dataFolder, DataFolder } from "./data-folder";
import { DeliveryStage } from "./delivery-stage";
import { Closers, ensureCredentials, openStorage, recover, shutdown, startApiServer, startIngestPath, startPlayerAuth, type StepContext } from "./pipeline-steps";
import type { LocalPlayerAuth } from "../functions/core/player-auth/local-player-auth";
import { RealtimeStage } from "./realtime-stage";
import { SpoolEntry } from "./spool";
import { loadStackSettings } from "./stack-settings";

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
    /** Clock of the pipeline (tests move it past the issuer keys' refetch cooldown). @default the system clock */
    clock?: Clock;
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
    /** Player tokens (issue 16): the stack's issuer or the development issuer and its test token; undefined without oidcIssuerUrl. */
    playerAuth: LocalPlayerAuth | undefined;
    /** Stops accepting requests, flushes every buffer, closes everything. Idempotent. */
    stop(): Promise<void>;
}

/**
 * Starts the local pipeline: setup, recovery, mode choice, server, then a stop() that shuts it
 * down (the steps are in pipeline-steps.ts). A failed start closes what it opened.
 */
export async function startLocalPipeline(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
    const stack = options.stack ?? "dev";
    const configDir = options.configDir ?? process.cwd();
    const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
    const { settings, file: settingsFile } = options.settings
        ? { settings: options.settings, file: undefined }
        : loadStackSettings(configDir, stack);
    const paths = dataFolder(options.dataRoot ?? `${configDir}/.gap`, stack);
    const host = options.host ?? "127.0.0.1";
    const ctx: StepContext = { settings, paths, clock: options.clock ?? systemClock, newId: () => crypto.randomUUID(), log };
    const closers = new Closers(log);
    try {
        const storage = await openStorage(ctx, options, closers);
        const replay = await recover(storage, log);
        const ingest = await startIngestPath(ctx, storage, replay, options, closers);
        const api = await startApiServer(ctx, storage, ingest.sink, host, options.port ?? 8080);
        const { credentials, created } = await ensureCredentials(ctx, api);
        const playerAuth = await startPlayerAuth(ctx, api, credentials, closers);
        return {
            playerAuth,
            url: api.url, host, port: api.port, stack, settings, settingsFile, paths, credentials,
            createdCredentials: created, adminToken: api.adminToken, delivery: storage.delivery, realtime: ingest.realtime,
            replayedRecords: replay.length, replayedEvents: countLines(replay),
            stop: shutdown(api, ingest, storage.delivery, closers),
        };
    } catch (error) {
        await closers.closeAll();
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
