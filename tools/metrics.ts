/**
 * `npm run metrics`: the latest real-time metric windows of the local mode, read from
 * `.gap/<stack>/metrics/realtime-YYYY-MM-DD.jsonl` (written by local/realtime-stage.ts) and summed
 * over shards like CloudWatch's Sum statistic.
 *
 *     npm run metrics -- [--stack dev] [--last 10] [--json] [--data-dir .gap] [--config-dir .]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { dataFolder } from "../local/data-folder";
import { formatTopCounts, summarizeEmfDocuments, WindowSummary } from "../local/realtime-summary";
import { CliError, numberOption, runCli } from "./cli-common";
import { formatTable } from "./table-format";

const USAGE = "Usage: npm run metrics -- [--stack dev] [--last 10] [--json] [--data-dir .gap] [--config-dir .]";
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
            top_spells: formatTopCounts(a?.knockoutsBySpell ?? [], 3),
            top_items: formatTopCounts(a?.purchases ?? [], 3),
            lag_s: lag,
        }));
    });
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            last: { type: "string" },
            json: { type: "boolean" },
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
    const columns = ["window_start", "application", "TotalEvents", "TotalLogins", "top_spells", "top_items", "lag_s"];
    console.log(formatTable(columns, metricsRows(windows)));
}

if (require.main === module) runCli(main);
