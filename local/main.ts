/**
 * `npm start`: runs the pipeline locally (see docs/local-mode.md).
 *
 *     npm start -- [--stack dev] [--port 8080] [--host 127.0.0.1] [--data-dir .gap]
 *                  [--config-dir .] [--buffer-seconds 2] [--buffer-mb 1]
 *                  [--realtime-window-seconds 60] [--quiet]
 *
 * Environment: GAP_PORT (port), GAP_STACK (stack). Stops cleanly on SIGINT/SIGTERM: stops
 * accepting requests, writes every buffered event to the lake, closes everything.
 */
import { parseArgs } from "node:util";
import { SettingsError } from "../components/contracts/settings";
import { DataFolderError } from "./data-folder";
import { silenceSdkVersionNotice } from "./local-aws";
import { LocalPipeline, startLocalPipeline } from "./pipeline";
import { MAX_WINDOW_SECONDS } from "./realtime-stage";

const USAGE = `Usage: npm start -- [options]
  --stack NAME          stack whose Pulumi.<stack>.yaml gives the settings (default: dev, env GAP_STACK)
  --port N              port to listen on; 0 picks a free one (default: 8080, env GAP_PORT)
  --host ADDRESS        address to bind (default: 127.0.0.1); beyond loopback, admin routes need the printed token
  --data-dir DIR        root of the data folders (default: .gap)
  --config-dir DIR      folder holding Pulumi.<stack>.yaml (default: current folder)
  --buffer-seconds S    delivery buffer time (default: 2)
  --buffer-mb M         delivery buffer size (default: 1)
  --realtime-window-seconds S
                        real-time metrics window, whole seconds 1-900 (default: 60; KINESIS_DATA_STREAMS
                        with realTimeAnalytics only)
  --quiet               no per-window line of the real-time metrics on the console
  --help                this text`;

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name}: must be a number >= 0 (got "${value}")`);
    return n;
}

class UsageError extends Error {}

async function main(): Promise<void> {
    silenceSdkVersionNotice();
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            port: { type: "string" },
            host: { type: "string" },
            "data-dir": { type: "string" },
            "config-dir": { type: "string" },
            "buffer-seconds": { type: "string" },
            "buffer-mb": { type: "string" },
            "realtime-window-seconds": { type: "string" },
            quiet: { type: "boolean" },
            help: { type: "boolean" },
        },
        strict: true,
    });
    if (values.help) {
        console.log(USAGE);
        return;
    }
    const port = positiveNumber("--port", values.port ?? process.env.GAP_PORT, 8080);
    if (!Number.isInteger(port) || port > 65535) throw new UsageError(`--port: must be a whole number from 0 to 65535 (got ${port})`);
    const windowSeconds = positiveNumber("--realtime-window-seconds", values["realtime-window-seconds"], 60);
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > MAX_WINDOW_SECONDS) {
        throw new UsageError(`--realtime-window-seconds: must be a whole number from 1 to ${MAX_WINDOW_SECONDS} (got ${windowSeconds})`);
    }
    const configDir = values["config-dir"] ?? process.cwd();
    const started = Date.now();
    const pipeline = await startLocalPipeline({
        stack: values.stack ?? process.env.GAP_STACK ?? "dev",
        configDir,
        dataRoot: values["data-dir"] ?? `${configDir}/.gap`,
        host: values.host ?? "127.0.0.1",
        port,
        bufferMs: positiveNumber("--buffer-seconds", values["buffer-seconds"], 2) * 1000,
        bufferBytes: Math.round(positiveNumber("--buffer-mb", values["buffer-mb"], 1) * 1024 * 1024),
        realtimeWindowSeconds: windowSeconds,
        onRealtimeWindow: values.quiet ? undefined : (line) => console.log(line),
        log: (m) => process.stderr.write(`${m}\n`),
    });
    let firstSignalAt = 0;
    const onSignal = (signal: string): void => {
        // npm and tsx relay the terminal's Ctrl+C, so one keypress can arrive twice: only a signal
        // more than 2 s after the first one forces an immediate exit.
        if (firstSignalAt > 0) {
            if (Date.now() - firstSignalAt < 2000) return;
            process.stderr.write("Second signal: exiting now; undelivered events stay in the spool for the next start.\n");
            process.exit(130);
        }
        firstSignalAt = Date.now();
        process.stderr.write(`\n${signal}: stopping (flushing buffered events to the lake${pipeline.realtime ? " and the open real-time windows" : ""})...\n`);
        pipeline.stop().then(() => {
            const s = pipeline.delivery.stats;
            process.stderr.write(`Stopped. Delivered ${s.rowsWritten} events in ${s.parquetFiles} Parquet files; ` +
                `${s.recordsFailed} records in firehose-errors.\n`);
            const r = pipeline.realtime?.stats;
            if (r) process.stderr.write(`Real-time: ${r.windowsClosed} shard windows closed, ${r.documentsWritten} metric documents written.\n`);
            process.exit(0);
        }, (error) => {
            process.stderr.write(`Stop failed: ${(error as Error).message}\n`);
            process.exit(1);
        });
    };
    // Handlers first, banner second: whoever waits for "Listening on" may signal at once.
    process.on("SIGINT", () => onSignal("SIGINT"));
    process.on("SIGTERM", () => onSignal("SIGTERM"));
    printBanner(pipeline, Date.now() - started);
}

function printBanner(p: LocalPipeline, startMs: number): void {
    const c = p.credentials;
    const sampleEvent = JSON.stringify({ events: [{
        event_id: "8f1c3a52-1b7e-4b39-9a55-4c1e2f0d9a10", event_type: "login", event_name: "login",
        event_timestamp: Math.floor(Date.now() / 1000), event_version: "1.0.0", app_version: "1.0.0",
        event_data: { platform: "pc" },
    }] });
    const lines = [
        `Game analytics pipeline, local mode: stack "${p.stack}" (${p.settingsFile ?? "default settings"}), ` +
            `ingest ${p.settings.ingestMode}, started in ${(startMs / 1000).toFixed(1)} s`,
        `Listening on ${p.url}`,
        `  data folder:    ${p.paths.root}`,
        `  application id: ${c.applicationId}${p.createdCredentials ? " (created now)" : ""}`,
        `  API key:        ${c.apiKeyValue}`,
        `                  (kept in ${p.paths.credentialsFile}, mode 0600)`,
    ];
    if (p.settings.dataStack === "REDSHIFT") {
        lines.push(`  warehouse:      ${p.paths.root}/warehouse (pglite, one row per event; query it after stopping)`);
    } else if (p.settings.tableFormat === "ICEBERG") {
        lines.push(`  Iceberg table:  ${p.paths.lakeDir}/${p.settings.rawEventsPrefix} (one snapshot per delivery batch)`);
    }
    if (p.adminToken) lines.push(`  admin token:    ${p.adminToken}  (admin routes need "Authorization: Bearer <token>")`);
    if (p.realtime) {
        lines.push(`  real-time:      ${p.realtime.windowSeconds} s windows -> ${p.paths.metricsDir}/realtime-YYYY-MM-DD.jsonl`);
    }
    if (p.playerAuth) lines.push(...p.playerAuth.banner(p.url).map((line) => `  ${line}`));
    if (p.replayedRecords > 0) lines.push(`  replayed ${p.replayedRecords} spooled records (${p.replayedEvents} events) accepted before the last stop`);
    lines.push(
        "",
        "Send one event:",
        `  curl -sS -X POST '${p.url}/applications/${c.applicationId}/events' -H 'Authorization: ${c.apiKeyValue}' ` +
            `-H 'Content-Type: application/json' -d '${sampleEvent}'`,
        "Send synthetic events:",
        `  npm run send-events -- --count 10000${p.stack === "dev" ? "" : ` --stack ${p.stack}`}`,
        p.settings.dataStack === "REDSHIFT" ? "Query the warehouse (stop the pipeline first: pglite takes one process):" : "Query the lake:",
        `  npm run query -- --named TotalEvents${p.stack === "dev" ? "" : ` --stack ${p.stack}`}`,
        ...(p.realtime ? ["Real-time metrics (after each window):", `  npm run metrics${p.stack === "dev" ? "" : ` -- --stack ${p.stack}`}`] : []),
        "",
        "Ctrl+C stops (buffered events are written first).",
    );
    console.log(lines.join("\n"));
}

main().catch((error: unknown) => {
    if (error instanceof SettingsError || error instanceof UsageError || error instanceof DataFolderError) {
        process.stderr.write(`${(error as Error).message}\n`);
        if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    } else {
        process.stderr.write(`Local mode failed to start: ${(error as Error).message ?? error}\n`);
    }
    process.exit(1);
});
