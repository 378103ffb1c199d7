/**
 * Fault injection on the whole local server (`local/main.ts` as a child process): SIGKILL during
 * recovery of a batch holding a poison row, scratch files left by a SIGKILL, a read-only data folder.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { readCredentials } from "../../../local/credentials";
import { Spool } from "../../../local/spool";
import { sendEvents } from "../../../tools/event-sender";
import { SyntheticEventGenerator } from "../../../tools/synthetic-events";
import { queryLake, tempDir, writeStackFile } from "../helpers";
import { exitOf, spawnLocalServer, startLocalServer } from "../server-child";

const STACK = "faults";

const run = (dir: string, dataDir: string, args: string[]) => spawnLocalServer(STACK, dir, dataDir, ["--quiet", ...args]);
const start = (dir: string, args: string[], timeoutMs = 60_000) => startLocalServer(STACK, dir, ["--quiet", ...args], timeoutMs);

describe("local server under faults", function () {
    this.timeout(180_000);

    describe("SIGKILL during recovery of a batch holding a poison row", function () {
        let dir: string;
        const acknowledged: string[] = [];
        const listenMs: number[] = [];
        let scratch: string[] = [];
        let lastExit: number | null = null;

        before(async function () {
            dir = tempDir("faults-recovery");
            writeStackFile(dir, STACK, { workloadName: "faults", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false });
            const gap = path.join(dir, ".gap", STACK);
            // 1. Events accepted and still buffered when the server is killed.
            const first = await start(dir, ["--buffer-seconds", "600", "--buffer-mb", "64"]);
            const credentials = readCredentials(path.join(gap, "credentials.json"))!;
            const send = async (url: string, count: number, seed: number): Promise<void> => {
                const summary = await sendEvents({
                    endpoint: url, applicationId: credentials.applicationId, apiKey: credentials.apiKeyValue,
                    count, batchSize: 100, concurrency: 4, maxAttempts: 1, generator: new SyntheticEventGenerator({ seed }),
                });
                assert.equal(summary.accepted, count, JSON.stringify(summary.errors));
                acknowledged.push(...summary.acceptedEventIds);
            };
            await send(first.url, 3000, 21);
            first.child.kill("SIGKILL");
            await exitOf(first.child);

            // 2. A poison record joins the spool, and the checkpoint says the whole backlog was being
            //    written when the server died (the state a SIGKILL during the poison batch's retries leaves).
            const spoolDir = path.join(gap, "spool");
            const spool = await Spool.open(spoolDir, { log: () => undefined });
            const poisonEvent = {
                event_id: "7e0c2b1a-0000-4000-8000-00000000dead", event_type: "chat", event_name: "\ud800", event_timestamp: Math.floor(Date.now() / 1000),
                event_version: "1.0.0", app_version: "1.0.0", event_data: {},
            };
            await spool.append([Buffer.from(JSON.stringify({ application_id: credentials.applicationId, event: poisonEvent, request_id: "r", request_time_epoch: 1 }) + "\n")]);
            const frames = [...spool.readFrom(0)].map((e): [number, number] => [e.offset, e.end]);
            await spool.close();
            fs.writeFileSync(path.join(gap, "checkpoint.json"), JSON.stringify({
                spoolEpoch: fs.readFileSync(path.join(spoolDir, "epoch"), "utf8").trim(), watermark: 0, delivered: [],
                inFlight: { batchId: "0".repeat(16), startedAt: Date.now(), frames },
            }));
            // 3. Scratch files a SIGKILL mid-write leaves (pid 999999: not running).
            const partition = path.join(gap, "lake", "raw_events", "year=2026", "month=01", "day=01");
            fs.mkdirSync(partition, { recursive: true });
            scratch = [
                path.join(partition, "abc-0000000000000000.parquet.999999.tmp"),
                path.join(partition, "abc-0000000000000000.parquet.999999.jsonl"),
                path.join(gap, "checkpoint.json.999999.tmp"),
            ];
            for (const file of scratch) fs.writeFileSync(file, "half");

            // 4. Restart; SIGKILL again right after it listens (the recovery is under way); restart.
            const second = await start(dir, ["--buffer-seconds", "0.2"]);
            listenMs.push(second.listenMs);
            second.child.kill("SIGKILL");
            await exitOf(second.child);
            const third = await start(dir, ["--buffer-seconds", "0.2"]);
            listenMs.push(third.listenMs);
            await send(third.url, 500, 22);
            third.child.kill("SIGTERM");
            lastExit = await exitOf(third.child);
        });

        after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

        it("listens again within seconds after each SIGKILL, recovery running behind the listener", function () {
            console.log(`      (listening after ${listenMs.join(" ms, ")} ms)`);
            assert.equal(listenMs.length, 2);
            for (const ms of listenMs) assert.ok(ms < 10_000, `listening after ${ms} ms`);
            assert.equal(lastExit, 0);
        });

        it("has every acknowledged event in the lake exactly once, the poison row in format-conversion-failed", async function () {
            const lake = path.join(dir, ".gap", STACK, "lake");
            const rows = await queryLake(lake, "SELECT event_id, count(*) AS n FROM game_events.raw_events GROUP BY 1");
            const copies = new Map(rows.map((r) => [String(r.event_id), Number(r.n)]));
            const missing = acknowledged.filter((id) => !copies.has(id));
            const doubled = [...copies.values()].filter((n) => n > 1);
            assert.deepEqual({ missing: missing.length, doubled: doubled.length }, { missing: 0, doubled: 0 });
            const failed = path.join(lake, "firehose-errors", "format-conversion-failed");
            const poisonLanded = copies.has("7e0c2b1a-0000-4000-8000-00000000dead") ||
                (fs.existsSync(failed) && fs.readdirSync(failed, { recursive: true }).some((f) => String(f).endsWith(".jsonl")));
            assert.ok(poisonLanded, "the poison record is in the error output (or was made writable upstream)");
        });

        it("removes the scratch files a SIGKILL left behind", function () {
            assert.deepEqual(scratch.filter((f) => fs.existsSync(f)), []);
        });
    });

    describe("a read-only data folder", function () {
        let dir: string;
        let mounted = false;
        before(function () {
            if (process.getuid?.() !== 0) {
                console.log(`      (skipped: mounting a read-only tmpfs needs root; running as uid ${process.getuid?.()})`);
                this.skip();
            }
            dir = tempDir("faults-ro");
            writeStackFile(dir, STACK, { workloadName: "faults" });
            fs.mkdirSync(path.join(dir, "ro"));
            try {
                execFileSync("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", path.join(dir, "ro")], { stdio: "pipe" });
                mounted = true;
            } catch (error) {
                console.log(`      (skipped: mount -t tmpfs -o ro failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`);
                this.skip();
            }
        });
        after(function () {
            if (mounted) execFileSync("umount", [path.join(dir, "ro")]);
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        });

        it("exits 1 with one line naming the folder, no stack trace", async function () {
            const child = run(dir, path.join(dir, "ro"), []);
            let err = "";
            child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
            const code = await exitOf(child);
            assert.equal(code, 1);
            const lines = err.trim().split("\n");
            assert.equal(lines.length, 1, err);
            assert.match(lines[0], new RegExp(`data folder ${path.join(dir, "ro", STACK).replace(/[/.]/g, "\\$&")} is not writable: it is on a read-only file system \\(EROFS\\)`));
        });
    });
});
