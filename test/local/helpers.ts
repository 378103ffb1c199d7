/**
 * Helpers of the local-mode tests: temporary folders, stack files, JSON calls to the local API,
 * queries over the local lake and runs of the query tool.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openAthenaEmulation } from "../../analytics/duckdb-athena";
import { PlainValue, runQuery } from "../../analytics/query-results";

export function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), `gap-${prefix}-`));
}

/** Writes `Pulumi.<stack>.yaml` with `game-analytics:` keys. */
export function writeStackFile(dir: string, stack: string, config: Record<string, string | number | boolean>): void {
    const lines = ["config:", ...Object.entries(config).map(([k, v]) => `  game-analytics:${k}: ${JSON.stringify(v)}`)];
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), lines.join("\n") + "\n");
}

export interface ApiAnswer {
    status: number;
    body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    headers: Headers;
}

/** One JSON call to the local API. */
export async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    const res = await fetch(url, {
        method,
        headers: { "Content-Type": "application/json", ...headers },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
        parsed = JSON.parse(text);
    } catch {
        // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
}

/** Runs SQL over a stack's lake folder (default names: game_events.raw_events under raw_events/). */
export async function queryLake(lakeDir: string, sql: string, prefix = "raw_events"): Promise<Record<string, PlainValue>[]> {
    const db = await openAthenaEmulation({ lakeDir, rawEventsPrefix: prefix, database: "game_events", table: "raw_events" });
    try {
        return (await runQuery(db.connection, sql)).rows;
    } finally {
        db.close();
    }
}

/** Every file under a folder (recursive), relative paths. */
export function filesUnder(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return (fs.readdirSync(dir, { recursive: true }) as string[])
        .filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

const ROOT = path.resolve(__dirname, "../..");

/**
 * Runs `tools/query.ts` as a user would, on the stack `stack` whose file is in `dir` and whose data
 * is under `dir/.gap`.
 * @example runQueryTool(dir, "ice", ["--named", "TotalEvents", "--json"])
 */
export function runQueryTool(dir: string, stack: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ["--require", "tsx/cjs", path.join(ROOT, "tools", "query.ts"),
        "--stack", stack, "--config-dir", dir, "--data-dir", path.join(dir, ".gap"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 90_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
