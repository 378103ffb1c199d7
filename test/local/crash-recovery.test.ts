import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { readCredentials } from "../../local/credentials";
import { sendEvents, SendSummary } from "../../tools/event-sender";
import { SyntheticEventGenerator } from "../../tools/synthetic-events";
import { queryLake, tempDir, writeStackFile } from "./helpers";
import { exitOf, startLocalServer } from "./server-child";

/** Starts the crash stack's server; module loading alone takes 30 s on a loaded machine, hence 90 s. */
const startChild = (dir: string, args: string[]) => startLocalServer("crash", dir, args, 90_000);

for (const scenario of [
    { mode: "KINESIS_DATA_STREAMS", buffer: ["--buffer-seconds", "30", "--buffer-mb", "64"], note: "everything still buffered at the kill" },
    { mode: "DIRECT_BATCH", buffer: ["--buffer-seconds", "0.05", "--buffer-mb", "0.02"], note: "killed amid constant Parquet writes" },
]) {
    describe(`crash recovery (${scenario.mode}, ${scenario.note}): SIGKILL mid-stream, restart`, function () {
        this.timeout(120_000);
        let dir: string;
        let summary: SendSummary;
        let secondStartOutput = "";
        let secondExitCode: number | null;

        before(async function () {
            dir = tempDir("crash");
            writeStackFile(dir, "crash", {
                workloadName: "crash", ingestMode: scenario.mode,
                realTimeAnalytics: scenario.mode === "KINESIS_DATA_STREAMS",
            });
            const first = await startChild(dir, scenario.buffer);
            const credentials = readCredentials(path.join(dir, ".gap", "crash", "credentials.json"))!;
            let killed = false;
            summary = await sendEvents({
                endpoint: first.url, applicationId: credentials.applicationId, apiKey: credentials.apiKeyValue,
                count: 30_000, batchSize: 100, concurrency: 4, maxAttempts: 1,
                generator: new SyntheticEventGenerator({ seed: 11 }),
                onProgress: (sent) => {
                    if (!killed && sent >= 3000) {
                        killed = true;
                        first.child.kill("SIGKILL");
                    }
                },
            });
            await exitOf(first.child);
            const second = await startChild(dir, ["--buffer-seconds", "0.2"]);
            secondStartOutput = second.stdout();
            second.child.kill("SIGTERM");
            secondExitCode = await exitOf(second.child);
        });

        after(function () {
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        });

        it("was killed mid-stream: some requests got answers, later ones failed to connect", function () {
            assert.ok(summary.accepted >= 3000, `accepted ${summary.accepted}`);
            assert.ok(summary.accepted < 30_000);
            assert.ok(Object.keys(summary.errors).some((k) => k.startsWith("network")), JSON.stringify(summary.errors));
        });

        it("stops cleanly on SIGTERM after the restart", function () {
            assert.equal(secondExitCode, 0);
        });

        it("has every event acknowledged Ok in the lake exactly once after the restart", async function () {
            const rows = await queryLake(path.join(dir, ".gap", "crash", "lake"), "SELECT event_id, count(*) AS copies FROM game_events.raw_events GROUP BY 1");
            const copies = new Map(rows.map((r) => [String(r.event_id), Number(r.copies)]));
            const missing = summary.acceptedEventIds.filter((id) => !copies.has(id));
            const doubled = [...copies.entries()].filter(([, n]) => n > 1);
            assert.deepEqual({ missing: missing.length, doubled: doubled.length }, { missing: 0, doubled: 0 });
        });

        if (scenario.mode === "KINESIS_DATA_STREAMS") {
            it("replays the spooled records, packed several events each, at the restart", function () {
                const match = /replayed (\d+) spooled records \((\d+) events\)/.exec(secondStartOutput);
                assert.ok(match && Number(match[2]) >= summary.accepted, secondStartOutput);
                assert.ok(Number(match[1]) < Number(match[2]), "records are packed");
            });
        }
    });
}
