/**
 * local-e2e: the local pipeline (`npm start`'s code, run as a child process on an ephemeral port
 * with a temporary data folder) driven by the send-events machinery: concurrent requests of 100
 * synthetic events, from the first send until every accepted event is queryable in the lake
 * (HIVE: the Parquet files counted with DuckDB; ICEBERG: the current snapshot's data files, as
 * its manifests list them), then every accepted event id checked in the table, once each. Both
 * table formats run in the same run, rounds alternating.
 * Reports where the time goes: the send phase, the delivery lag after it, and the CPU seconds of
 * the server process and of the sender. Every request body is generated during the timed phase, by
 * the sender in this process (node:http with keep-alive), on the same 2 cores as the server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { sqlString } from "../analytics/duckdb-athena";
import type { IngestMode, TableFormat } from "../components/contracts/settings";
import { icebergTableDir, scanTable } from "../local/iceberg/reader";
import { readCredentials } from "../local/credentials";
import { dataFolder } from "../local/data-folder";
import { sendEvents } from "../tools/event-sender";
import { SyntheticEventGenerator } from "../tools/synthetic-events";
import { check, median, nowMs, type Benchmark, type Figure, type TargetCheck } from "./harness";

export const TARGET_EVENTS_PER_SECOND = 20_000;
export const STACK = "bench";
const PROJECT_ROOT = path.resolve(__dirname, "..");
/** Delivery buffer of the server child: 0.5 s (npm start's default is 2 s) and 1 MiB (npm start's default). */
const BUFFER_SECONDS = 0.5;
const BUFFER_MB = 1;
/**
 * Extra Node.js options of the server child, space-separated, for profiling it, e.g.
 * `GAP_E2E_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` (`--cpu-prof` is refused in NODE_OPTIONS).
 */
const SERVER_NODE_ARGS = (process.env.GAP_E2E_SERVER_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");

export interface RunningPipeline {
    child: ChildProcess;
    url: string;
    lakeDir: string;
    stop(): Promise<void>;
}

/** Starts `local/main.ts` as a child and waits for its "Listening on" line. */
export async function startChild(dir: string, ingestMode: IngestMode, tableFormat: TableFormat = "HIVE"): Promise<RunningPipeline> {
    fs.writeFileSync(path.join(dir, `Pulumi.${STACK}.yaml`), [
        "config:",
        "  game-analytics:workloadName: bench",
        `  game-analytics:ingestMode: ${ingestMode}`,
        "  game-analytics:realTimeAnalytics: false",
        "  game-analytics:devMode: true",
        `  game-analytics:tableFormat: ${tableFormat}`,
    ].join("\n") + "\n");
    const dataRoot = path.join(dir, ".gap");
    const child = spawn(process.execPath, [...SERVER_NODE_ARGS, "--import", "tsx", path.join(PROJECT_ROOT, "local", "main.ts"),
        "--stack", STACK, "--port", "0", "--host", "127.0.0.1", "--config-dir", dir, "--data-dir", dataRoot,
        "--buffer-seconds", String(BUFFER_SECONDS), "--buffer-mb", String(BUFFER_MB)], { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`local pipeline did not start in 60 s: ${stderr}`)), 60_000);
        child.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            const match = /Listening on (\S+)/.exec(out);
            if (match) {
                clearTimeout(timer);
                resolve(match[1]!);
            }
        });
        child.once("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`local pipeline exited with ${code}: ${stderr}`));
        });
    });
    child.stdout!.resume();
    const stop = async (): Promise<void> => {
        if (child.exitCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        await exited;
    };
    return { child, url, lakeDir: dataFolder(dataRoot, STACK).lakeDir, stop };
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); undefined elsewhere. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
    if (pid === undefined) return undefined;
    try {
        const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        // utime and stime, in clock ticks (USER_HZ, 100 on Linux).
        return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
        return undefined;
    }
}

export async function lakeCount(connection: DuckDBConnection, lakeDir: string): Promise<number> {
    const glob = path.join(lakeDir, "raw_events", "**", "*.parquet");
    try {
        const reader = await connection.runAndReadAll(`SELECT count(*) FROM read_parquet(${sqlString(glob)})`);
        return Number(reader.getRows()[0]![0]);
    } catch (error) {
        if (/No files found/i.test((error as Error).message)) return 0;
        throw error;
    }
}

async function lakeEventIds(connection: DuckDBConnection, lakeDir: string): Promise<string[]> {
    const glob = path.join(lakeDir, "raw_events", "**", "*.parquet");
    const reader = await connection.runAndReadAll(`SELECT event_id FROM read_parquet(${sqlString(glob)})`);
    return reader.getRows().map((r) => String(r[0]));
}

/** Rows of the Iceberg table's current snapshot (the record counts its manifests carry). */
export async function icebergCount(lakeDir: string): Promise<number> {
    return (await scanTable(icebergTableDir(lakeDir, "raw_events"))).records;
}

/** Event ids of the Iceberg table's current snapshot: only the data files its manifests list. */
async function icebergEventIds(connection: DuckDBConnection, lakeDir: string): Promise<string[]> {
    const { files } = await scanTable(icebergTableDir(lakeDir, "raw_events"));
    if (files.length === 0) return [];
    const list = files.map(sqlString).join(", ");
    const reader = await connection.runAndReadAll(`SELECT event_id FROM read_parquet([${list}])`);
    return reader.getRows().map((r) => String(r[0]));
}

/** One case of the run: an ingest mode and a table format. */
export interface E2eCase {
    ingestMode: IngestMode;
    tableFormat: TableFormat;
}

/** The cases, in run order: both ingest modes with HIVE, then with ICEBERG. */
export const E2E_CASES: readonly E2eCase[] = [
    { ingestMode: "DIRECT_BATCH", tableFormat: "HIVE" },
    { ingestMode: "KINESIS_DATA_STREAMS", tableFormat: "HIVE" },
    { ingestMode: "DIRECT_BATCH", tableFormat: "ICEBERG" },
    { ingestMode: "KINESIS_DATA_STREAMS", tableFormat: "ICEBERG" },
];

/** Label of a case in figure names: the ingest mode, with the table format when it is ICEBERG. */
export function caseLabel(c: E2eCase): string {
    return c.tableFormat === "HIVE" ? `${c.ingestMode} HIVE` : `${c.ingestMode} ICEBERG`;
}

async function runMode(e2eCase: E2eCase, count: number, concurrency: number, log: (m: string) => void) {
    const { ingestMode, tableFormat } = e2eCase;
    const iceberg = tableFormat === "ICEBERG";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gap-bench-e2e-"));
    const pipeline = await startChild(dir, ingestMode, tableFormat);
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
        const credentials = readCredentials(dataFolder(path.join(dir, ".gap"), STACK).credentialsFile);
        if (!credentials) throw new Error("the local pipeline wrote no credentials");
        const serverCpu0 = processCpuSeconds(pipeline.child.pid);
        const senderCpu0 = process.cpuUsage();
        const start = nowMs();
        const summary = await sendEvents({
            endpoint: pipeline.url, applicationId: credentials.applicationId, apiKey: credentials.apiKeyValue,
            count, batchSize: 100, concurrency, generator: new SyntheticEventGenerator({ seed: 11 }),
        });
        const sent = nowMs();
        let landed = 0;
        const deadline = sent + 120_000;
        const countRows = () => (iceberg ? icebergCount(pipeline.lakeDir) : lakeCount(connection, pipeline.lakeDir));
        while ((landed = await countRows()) < summary.accepted && nowMs() < deadline) {
            await new Promise((r) => setTimeout(r, 50));
        }
        const done = nowMs();
        const senderCpu = process.cpuUsage(senderCpu0);
        const serverCpu1 = processCpuSeconds(pipeline.child.pid);
        const ids = await (iceberg ? icebergEventIds(connection, pipeline.lakeDir) : lakeEventIds(connection, pipeline.lakeDir));
        const accepted = new Set(summary.acceptedEventIds);
        const distinct = new Set(ids);
        const missing = [...accepted].filter((id) => !distinct.has(id)).length;
        const verified = missing === 0 && ids.length === distinct.size && distinct.size === accepted.size;
        log(`  ${caseLabel(e2eCase)}: ${summary.accepted}/${count} accepted, ${landed} in the lake after ${((done - start) / 1000).toFixed(1)} s`);
        return {
            summary, landed, missing, duplicates: ids.length - distinct.size, verified,
            sendSeconds: (sent - start) / 1000, totalSeconds: (done - start) / 1000,
            serverCpuSeconds: serverCpu0 !== undefined && serverCpu1 !== undefined ? serverCpu1 - serverCpu0 : undefined,
            senderCpuSeconds: (senderCpu.user + senderCpu.system) / 1e6,
        };
    } finally {
        connection.closeSync();
        instance.closeSync();
        await pipeline.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

export const localE2eBenchmark: Benchmark = {
    name: "local-e2e",
    title: "Local pipeline end to end (API -> spool -> transform -> Parquet lake or Iceberg table), HIVE and ICEBERG in the same run, this machine",
    async run(options) {
        const log = options.log ?? (() => undefined);
        const count = options.tiny ? 200 : options.quick ? 20_000 : 100_000;
        const concurrency = 8;
        const figures: Figure[] = [];
        const targets: TargetCheck[] = [];
        const notes: string[] = [];
        // Rounds alternate the modes, so a burst of load from elsewhere on the machine hits both alike;
        // every figure is the median of the rounds, and every round is checked event by event.
        const rounds = options.tiny || options.quick ? 1 : 3;
        const modes = E2E_CASES.map(caseLabel);
        const results = new Map<string, Array<Awaited<ReturnType<typeof runMode>>>>(modes.map((m) => [m, []]));
        for (let round = 0; round < rounds; round++) {
            for (const c of E2E_CASES) results.get(caseLabel(c))!.push(await runMode(c, count, concurrency, log));
        }
        for (const mode of modes) {
            const runs = results.get(mode)!;
            const rates = runs.map((r) => r.summary.accepted / r.totalSeconds);
            const rate = median(rates);
            const middle = runs[rates.indexOf(rate)] ?? runs[0]!;
            const accepted = runs.reduce((n, r) => n + r.summary.accepted, 0);
            const landed = runs.reduce((n, r) => n + r.landed, 0);
            const missing = runs.reduce((n, r) => n + r.missing, 0);
            const duplicates = runs.reduce((n, r) => n + r.duplicates, 0);
            const verified = runs.every((r) => r.verified);
            figures.push(
                { name: `${mode}: accepted events/s, first send to all queryable`, value: rate, unit: "events/s", samples: rates },
                { name: `${mode}: send phase events/s (API answered)`, value: median(runs.map((r) => r.summary.accepted / r.sendSeconds)), unit: "events/s" },
                { name: `${mode}: table lag after the last answer`, value: median(runs.map((r) => (r.totalSeconds - r.sendSeconds) * 1000)), unit: "ms" },
                { name: `${mode}: events accepted / landed / missing / duplicated (all rounds)`, value: accepted, unit: `/ ${landed} / ${missing} / ${duplicates}` },
            );
            const serverCores = runs.filter((r) => r.serverCpuSeconds !== undefined).map((r) => r.serverCpuSeconds! / r.totalSeconds);
            if (serverCores.length > 0) figures.push({ name: `${mode}: server process CPU / wall`, value: median(serverCores), unit: "cores" });
            figures.push({ name: `${mode}: sender (this process) CPU / wall`, value: median(runs.map((r) => r.senderCpuSeconds / r.totalSeconds)), unit: "cores" });
            targets.push(check(`${mode}: accepted events/s to queryable`, rate, "events/s", ">=", TARGET_EVENTS_PER_SECOND));
            targets.push(check(`${mode}: every accepted event in the table once, every round (1 = yes)`, verified ? 1 : 0, "", ">=", 1));
            notes.push(`${mode}: ${rounds} round(s) of ${count} events in requests of 100, ${concurrency} in flight, modes alternating; ` +
                `median round: ${middle.summary.accepted} accepted (${JSON.stringify(middle.summary.errors)} errors), send ${middle.sendSeconds.toFixed(2)} s, all queryable at ${middle.totalSeconds.toFixed(2)} s; ` +
                `rounds: ${rates.map((r) => Math.round(r)).join(", ")} events/s`);
        }
        notes.push(`server: \`local/main.ts\` child process (tsx), delivery buffer ${BUFFER_SECONDS} s / ${BUFFER_MB} MiB, spool fsync before each answer; sender and DuckDB polling share the machine`);
        notes.push("ICEBERG: the delivery stage commits one snapshot per flush (DuckDB Parquet data files with field ids, avsc manifests, versioned metadata.json); an event counts as landed when the current snapshot lists a data file holding it");
        notes.push("KINESIS_DATA_STREAMS: the embedded stream (kinesalite, SDK puts and reads) runs on a worker thread of the server; a request is answered once spooled while the stream is less than 5 MiB behind, after its put otherwise");
        return { figures, targets, notes };
    },
};
