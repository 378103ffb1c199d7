/**
 * `npm run metrics`: the latest real-time metric windows of the local mode, read from
 * `.gap/<stack>/metrics/realtime-YYYY-MM-DD.jsonl` (written by local/realtime-stage.ts) and summed
 * over shards like CloudWatch's Sum statistic. With `--follow`, it then prints one line per
 * window as the local stage closes it, and one per late count written after its window.
 *
 *     npm run metrics -- [--stack dev] [--last 10] [--json] [--follow] [--data-dir .gap] [--config-dir .]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { dataFolder } from "../local/data-folder";
import { formatTopCounts, formatWindowLine, summarizeEmfDocuments, WindowSummary } from "../local/realtime-summary";
import { CliError, numberOption, runCli } from "./cli-common";
import { formatTable } from "./table-format";

const USAGE = "Usage: npm run metrics -- [--stack dev] [--last 10] [--json] [--follow] [--data-dir .gap] [--config-dir .]";
const FILE_PATTERN = /^realtime-\d{4}-\d{2}-\d{2}\.jsonl$/;

/** The last `last` windows found in a metrics folder (oldest first). */
export function readLatestWindows(metricsDir: string, last: number): { windows: WindowSummary[]; skippedLines: number } {
    const files = fs.existsSync(metricsDir) ? fs.readdirSync(metricsDir).filter((f) => FILE_PATTERN.test(f)).sort().reverse() : [];
    const documents: unknown[] = [];
    let skippedLines = 0;
    const starts = new Set<string>();
    // Newest day first, until enough windows are known.
    for (const file of files) {
        for (const line of fs.readFileSync(path.join(metricsDir, file), "utf8").split("\n")) {
            if (line.trim() === "") continue;
            try {
                const doc = JSON.parse(line) as { WindowStart?: unknown };
                documents.push(doc);
                if (typeof doc?.WindowStart === "string") starts.add(doc.WindowStart);
            } catch {
                skippedLines++; // a line still being written, or damaged
            }
        }
        if (starts.size >= last) break;
    }
    const { windows, skipped } = summarizeEmfDocuments(documents);
    return { windows: windows.slice(-last), skippedLines: skippedLines + skipped };
}

/** Table rows: one per window and application (a window without valid events gets one row). */
export function metricsRows(windows: readonly WindowSummary[]): Record<string, string | number | null>[] {
    return windows.flatMap((w) => {
        const lag = w.eventLagSeconds;
        const apps = w.applications.length > 0 ? w.applications : [undefined];
        return apps.map((a) => ({
            window_start: w.windowStart,
            application: a?.applicationId ?? "(no valid events)",
            TotalEvents: a?.totalEvents ?? 0,
            TotalLogins: a?.totalLogins ?? 0,
            ActivePlayers: a?.activePlayers ?? 0,
            top_spells: formatTopCounts(a?.knockoutsBySpell ?? [], 3),
            top_items: formatTopCounts(a?.purchases ?? [], 3),
            revenue: formatTopCounts(a?.revenueByCurrency ?? [], 3),
            match_starts: formatTopCounts(a?.matchStartsByMap ?? [], 3),
            late: w.lateEvents,
            lag_s: lag,
        }));
    });
}

/**
 * Reads what was appended to the metrics files since the last call: complete lines only (a line
 * still being written waits for the next call). Keeps the byte offset of each file.
 */
export class MetricsFollower {
    private readonly offsets = new Map<string, number>();
    private readonly partial = new Map<string, string>();

    constructor(private readonly metricsDir: string) {}

    /** Starts after what the files hold now (what `readLatestWindows` already showed). */
    skipExisting(): void {
        for (const file of this.files()) this.offsets.set(file, fs.statSync(path.join(this.metricsDir, file)).size);
    }

    /** The windows of the documents appended since the last call, summed, oldest first; and the unreadable lines. */
    poll(): { windows: WindowSummary[]; skippedLines: number } {
        const documents: unknown[] = [];
        let skippedLines = 0;
        for (const file of this.files()) {
            const full = path.join(this.metricsDir, file);
            const size = fs.statSync(full).size;
            const from = this.offsets.get(file) ?? 0;
            if (size <= from) continue;
            const fd = fs.openSync(full, "r");
            try {
                const buffer = Buffer.alloc(size - from);
                fs.readSync(fd, buffer, 0, buffer.length, from);
                this.offsets.set(file, size);
                const text = (this.partial.get(file) ?? "") + buffer.toString("utf8");
                const lines = text.split("\n");
                this.partial.set(file, lines.pop()!);
                for (const line of lines) {
                    if (line.trim() === "") continue;
                    try {
                        documents.push(JSON.parse(line));
                    } catch {
                        skippedLines++;
                    }
                }
            } finally {
                fs.closeSync(fd);
            }
        }
        const { windows, skipped } = summarizeEmfDocuments(documents);
        return { windows, skippedLines: skippedLines + skipped };
    }

    private files(): string[] {
        return fs.existsSync(this.metricsDir) ? fs.readdirSync(this.metricsDir).filter((f) => FILE_PATTERN.test(f)).sort() : [];
    }
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            last: { type: "string" },
            json: { type: "boolean" },
            follow: { type: "boolean" },
            "data-dir": { type: "string" },
            "config-dir": { type: "string" },
            help: { type: "boolean" },
        },
        strict: true,
    });
    if (values.help) {
        console.log(USAGE);
        return;
    }
    const stack = values.stack ?? process.env.GAP_STACK ?? "dev";
    const last = numberOption("--last", values.last, 10, { min: 1, integer: true });
    const configDir = values["config-dir"] ?? process.cwd();
    const folder = dataFolder(values["data-dir"] ?? path.join(configDir, ".gap"), stack);
    const { windows, skippedLines } = readLatestWindows(folder.metricsDir, last);
    if (values.follow) {
        await follow(folder.metricsDir, windows, values.json === true);
        return;
    }
    if (windows.length === 0) {
        throw new CliError(`no real-time metrics for stack "${stack}" yet (nothing in ${folder.metricsDir}).\n` +
            "They are computed by the local mode (npm start) with ingestMode KINESIS_DATA_STREAMS and realTimeAnalytics true; " +
            "a window is written once it is over (60 s by default, --realtime-window-seconds).");
    }
    if (skippedLines > 0) process.stderr.write(`(${skippedLines} unreadable line(s) skipped)\n`);
    if (values.json) {
        console.log(JSON.stringify(windows, null, 2));
        return;
    }
    const columns = ["window_start", "application", "TotalEvents", "TotalLogins", "ActivePlayers", "top_spells", "top_items", "revenue", "match_starts", "late", "lag_s"];
    console.log(formatTable(columns, metricsRows(windows)));
}

/** Prints the latest windows, then each window (or late count) as it is written, until SIGINT/SIGTERM. */
async function follow(metricsDir: string, latest: readonly WindowSummary[], json: boolean): Promise<void> {
    const print = (w: WindowSummary) => console.log(json ? JSON.stringify(w) : formatWindowLine(w));
    const follower = new MetricsFollower(metricsDir);
    follower.skipExisting();
    for (const w of latest) print(w);
    if (latest.length === 0) process.stderr.write(`(no windows in ${metricsDir} yet; waiting for the local mode to close one)\n`);
    await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
            const { windows, skippedLines } = follower.poll();
            if (skippedLines > 0) process.stderr.write(`(${skippedLines} unreadable line(s) skipped)\n`);
            for (const w of windows) print(w);
        }, 500);
        const stop = () => {
            clearInterval(timer);
            resolve();
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
    });
}

if (require.main === module) runCli(main);
