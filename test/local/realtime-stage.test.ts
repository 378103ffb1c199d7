import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalPipeline, startLocalPipeline } from "../../local/pipeline";
import { metricsRows, readLatestWindows } from "../../tools/metrics";
import { call, queryLake, tempDir, writeStackFile } from "./helpers";

const ROOT = path.resolve(__dirname, "../..");
const WINDOW_SECONDS = 2;

function gameEvent(eventType: string, eventData: Record<string, unknown>, eventId: string = crypto.randomUUID(), timestamp = Math.floor(Date.now() / 1000) - 10): Record<string, unknown> {
    return {
        event_id: eventId, event_type: eventType, event_name: eventType,
        event_timestamp: timestamp, event_version: "1.0.0", app_version: "1.0.0",
        event_data: eventData,
    };
}

async function start(dir: string, stack: string, config: Record<string, string | number | boolean>, extra: { windowSeconds?: number; onWindow?(line: string): void; logs?: string[] } = {}): Promise<LocalPipeline> {
    writeStackFile(dir, stack, { workloadName: stack, authorizerCacheTtlSeconds: 0, devMode: true, ...config });
    return startLocalPipeline({
        stack, configDir: dir, dataRoot: path.join(dir, ".gap"), port: 0, bufferMs: 200,
        realtimeWindowSeconds: extra.windowSeconds ?? WINDOW_SECONDS, onRealtimeWindow: extra.onWindow,
        log: (m) => extra.logs?.push(m),
    });
}

async function postEvents(p: LocalPipeline, events: unknown[]): Promise<void> {
    const c = p.credentials;
    const answer = await call("POST", `${p.url}/applications/${c.applicationId}/events`, { events }, { Authorization: c.apiKeyValue });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.Total, events.length, JSON.stringify(answer.body));
    assert.equal(answer.body.FailedRecordCount, 0, JSON.stringify(answer.body));
}

function readDocuments(metricsDir: string): Record<string, unknown>[] {
    if (!fs.existsSync(metricsDir)) return [];
    return fs.readdirSync(metricsDir).sort().flatMap((f) =>
        fs.readFileSync(path.join(metricsDir, f), "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>));
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}


describe("local real-time stage (KINESIS_DATA_STREAMS, realTimeAnalytics): metrics of closed windows in metrics/realtime-<day>.jsonl", function () {
    this.timeout(120_000);
    let dir: string;
    let pipeline: LocalPipeline;
    let documents: Record<string, unknown>[];
    const windowLines: string[] = [];
    const ids = { login1: crypto.randomUUID(), knockout1: crypto.randomUUID(), knockout4: crypto.randomUUID(), purchase1: crypto.randomUUID() };
    let lateDocuments: Record<string, unknown>[];
    let eventTime: number;

    before(async function () {
        // Event time: the start of a 2 s window about 10 s ago (when the test runs, not when mocha loads
        // the file); every event of the burst happened in it.
        eventTime = Math.floor((Date.now() / 1000 - 10) / WINDOW_SECONDS) * WINDOW_SECONDS;
        dir = tempDir("realtime");
        pipeline = await start(dir, "rt", { ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: true }, { onWindow: (l) => windowLines.push(l) });
        const t = eventTime;
        const first = [
            gameEvent("login", { platform: "pc", user_id: "p1" }, ids.login1, t),
            gameEvent("login", { platform: "ps5", user_id: "p2" }, undefined, t),
            gameEvent("login", { platform: "ios" }, undefined, t + 1),
            gameEvent("user_knockout", { spell_id: "fireball", user_id: "p1" }, ids.knockout1, t),
            gameEvent("user_knockout", { spell_id: "fireball" }, undefined, t),
            gameEvent("user_knockout", { spell_id: "fireball" }, undefined, t),
            gameEvent("user_knockout", { spell_id: "ice_lance" }, ids.knockout4, t),
            gameEvent("iap_transaction", { item_id: "gem_pack_100", currency_type: "USD", currency_amount: 4.99 }, ids.purchase1, t),
            gameEvent("iap_transaction", { item_id: "gem_pack_100", currency_type: "USD", currency_amount: 4.99 }, undefined, t),
            gameEvent("iap_transaction", { item_id: "sword_01", currency_type: "gems", currency_amount: 100 }, undefined, t + 1),
            gameEvent("match_start", { match_id: "m1", map_id: "dunes" }, undefined, t + 1),
        ];
        // Duplicates inside the request, then a client retry of part of it: 4 duplicates in all.
        const firstWithDuplicates = [...first, first[0], first[3]];
        await postEvents(pipeline, firstWithDuplicates);
        await postEvents(pipeline, [first[7], first[6]]);
        // Read before stop: the window closes on its own once the (idle) watermark passes it.
        documents = await waitFor("the window's documents", () => {
            const docs = readDocuments(pipeline.paths.metricsDir);
            return docs.length > 0 && pipeline.realtime!.stats.windowsClosed > 0 ? docs : undefined;
        });
        // A client that was offline sends an event of that window now: it is late.
        await postEvents(pipeline, [gameEvent("login", {}, undefined, t)]);
        lateDocuments = await waitFor("the late count", () => {
            const docs = readDocuments(pipeline.paths.metricsDir).slice(documents.length);
            return docs.length > 0 ? docs : undefined;
        });
        await pipeline.stop();
    });

    after(async function () {
        await pipeline?.stop();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("writes the EMF documents of the Lambda with the exact counts of the event-time window (duplicates skipped)", function () {
        const windowStart = documents[0]!.WindowStart as string;
        assert.equal(Date.parse(windowStart), eventTime * 1000, "the window of the events' event_timestamp, not of their arrival");
        const lag = documents[0]!.EventLagSeconds as number;
        assert.ok(lag >= 9 && lag < 40, `lag of events stamped about 10 s ago: ${lag}`);
        const app = pipeline.credentials.applicationId;
        const withoutEnvelope = documents.map(({ _aws, ...fields }) => fields); // eslint-disable-line @typescript-eslint/no-unused-vars
        assert.deepEqual(withoutEnvelope, [
            { WindowStart: windowStart, DuplicateEvents: 4, DedupSaturated: 0, EventLagSeconds: lag },
            { ApplicationId: app, WindowStart: windowStart, TotalEvents: 11, TotalLogins: 3, ActivePlayers: 2 },
            { ApplicationId: app, SpellId: "fireball", WindowStart: windowStart, KnockoutsBySpell: 3 },
            { ApplicationId: app, SpellId: "ice_lance", WindowStart: windowStart, KnockoutsBySpell: 1 },
            { ApplicationId: app, ItemId: "gem_pack_100", WindowStart: windowStart, Purchases: 2 },
            { ApplicationId: app, ItemId: "sword_01", WindowStart: windowStart, Purchases: 1 },
            { ApplicationId: app, Currency: "gems", WindowStart: windowStart, Revenue: 100 },
            { ApplicationId: app, Currency: "USD", WindowStart: windowStart, Revenue: 9.98 },
            { ApplicationId: app, MapId: "dunes", WindowStart: windowStart, MatchStarts: 1 },
        ]);
    });

    it("counts an event of the closed window that arrives later in LateEvents of that window, not in its totals", function () {
        const withoutEnvelope = lateDocuments.map(({ _aws, ...fields }) => fields); // eslint-disable-line @typescript-eslint/no-unused-vars
        assert.deepEqual(withoutEnvelope, [{ WindowStart: documents[0]!.WindowStart, LateEvents: 1 }]);
        assert.equal(pipeline.realtime!.stats.lateEvents, 1);
    });

    it("stamps every document with the window start in the stack's namespace, in the file of the window's UTC day", function () {
        const start = documents[0]!.WindowStart as string;
        for (const doc of documents) {
            const aws = doc._aws as { Timestamp: number; CloudWatchMetrics: { Namespace: string }[] };
            assert.equal(aws.Timestamp, Date.parse(start));
            assert.equal(aws.CloudWatchMetrics[0]!.Namespace, "GameAnalytics/rt");
        }
        assert.deepEqual(fs.readdirSync(pipeline.paths.metricsDir), [`realtime-${start.slice(0, 10)}.jsonl`]);
    });

    it("reports one console line per closed window, and one for the late count written after it", function () {
        assert.equal(windowLines.length, 2, windowLines.join("\n"));
        assert.match(windowLines[0]!, /11 events, 3 logins, 2 players, 1 application; knockouts: fireball 3, ice_lance 1; purchases: gem_pack_100 2, sword_01 1; revenue: gems 100, USD 9.98; match starts: dunes 1; duplicates 4, late 0, future 0, malformed 0/);
        assert.match(windowLines[1]!, new RegExp(`^real-time ${String(documents[0]!.WindowStart)} \\(2 s\\): late 1 \\(counted after the window\\)$`));
    });

    it("leaves the lake complete: every accepted line is delivered", async function () {
        const rows = await queryLake(pipeline.paths.lakeDir, "SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM game_events.raw_events");
        assert.deepEqual(rows, [{ n: 16, d: 12 }]);
    });

    it("npm run metrics shows the window as a table row and as JSON", function () {
        const { windows } = readLatestWindows(pipeline.paths.metricsDir, 10);
        assert.deepEqual(metricsRows(windows).map(({ lag_s, ...row }) => row), [{ // eslint-disable-line @typescript-eslint/no-unused-vars
            window_start: documents[0]!.WindowStart, application: pipeline.credentials.applicationId, TotalEvents: 11, TotalLogins: 3, ActivePlayers: 2,
            top_spells: "fireball 3, ice_lance 1", top_items: "gem_pack_100 2, sword_01 1", revenue: "gems 100, USD 9.98", match_starts: "dunes 1", late: 1,
        }]);
        const cli = spawnSync(process.execPath, ["--require", "tsx/cjs", path.join(ROOT, "tools/metrics.ts"), "--stack", "rt", "--data-dir", path.join(dir, ".gap"), "--json", "--last", "1"],
            { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
        assert.equal(cli.status, 0, cli.stderr);
        const json = JSON.parse(cli.stdout) as { windowStart: string; duplicateEvents: number; applications: { totalEvents: number }[] }[];
        assert.deepEqual(json.map((w) => [w.windowStart, w.duplicateEvents, w.applications[0]!.totalEvents]), [[documents[0]!.WindowStart, 4, 11]]);
    });
});

describe("npm run metrics -- --follow", function () {
    this.timeout(120_000);

    it("prints the latest window, then each window and late count as it is written, until SIGTERM", async function () {
        const dir = tempDir("realtime-follow");
        const metricsDir = path.join(dir, ".gap", "fw", "metrics");
        fs.mkdirSync(metricsDir, { recursive: true });
        const doc = (start: string, fields: Record<string, unknown>) => JSON.stringify({ _aws: { Timestamp: Date.parse(start), CloudWatchMetrics: [] }, WindowStart: start, ...fields });
        const file = path.join(metricsDir, "realtime-2026-01-05.jsonl");
        fs.writeFileSync(file, [doc("2026-01-05T12:00:00Z", { DuplicateEvents: 0, DedupSaturated: 0 }), doc("2026-01-05T12:00:00Z", { ApplicationId: "a", TotalEvents: 5, TotalLogins: 1, ActivePlayers: 2 })].join("\n") + "\n");
        const { spawn } = await import("node:child_process");
        const child = spawn(process.execPath, ["--require", "tsx/cjs", path.join(ROOT, "tools/metrics.ts"), "--stack", "fw", "--data-dir", path.join(dir, ".gap"), "--follow"], { cwd: ROOT });
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
        const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
        try {
            await waitFor("the latest window", () => (out.includes("2026-01-05T12:00:00Z: 5 events") ? true : undefined), 30_000);
            // The next window, then a late count of the first, written in two appends (the second line in two halves).
            fs.appendFileSync(file, [doc("2026-01-05T12:01:00Z", { DuplicateEvents: 1, DedupSaturated: 0 }), doc("2026-01-05T12:01:00Z", { ApplicationId: "a", TotalEvents: 7, TotalLogins: 0, ActivePlayers: 3 })].join("\n") + "\n");
            const late = doc("2026-01-05T12:00:00Z", { LateEvents: 2 });
            fs.appendFileSync(file, late.slice(0, 20));
            await new Promise((r) => setTimeout(r, 700));
            fs.appendFileSync(file, late.slice(20) + "\n");
            await waitFor("the late count", () => (out.includes("late 2") ? true : undefined), 30_000);
        } finally {
            child.kill("SIGTERM");
        }
        assert.equal(await exited, 0);
        const lines = out.trim().split("\n");
        assert.deepEqual(lines.map((l) => l.replace(/;.*$/, "")), [
            "real-time 2026-01-05T12:00:00Z: 5 events, 1 logins, 2 players, 1 application",
            "real-time 2026-01-05T12:01:00Z: 7 events, 0 logins, 3 players, 1 application",
            "real-time 2026-01-05T12:00:00Z: late 2 (counted after the window)",
        ]);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});

describe("local real-time stage: stop flushes the open window; its failures never reach the lake", function () {
    this.timeout(120_000);
    let dir: string;

    beforeEach(function () {
        dir = tempDir("realtime-stop");
    });

    afterEach(function () {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("writes the still-open window when the pipeline stops (what SIGTERM/SIGINT do)", async function () {
        const pipeline = await start(dir, "flush", { ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: true }, { windowSeconds: 900 });
        try {
            await postEvents(pipeline, [gameEvent("login", {}), gameEvent("login", {}), gameEvent("user_knockout", {})]);
            await waitFor("the delivery of the events", () => (fs.existsSync(pipeline.paths.lakeDir) ? true : undefined));
            assert.equal(pipeline.realtime!.stats.windowsClosed, 0, "the 900 s window is still open");
        } finally {
            await pipeline.stop();
        }
        const docs = readDocuments(pipeline.paths.metricsDir);
        const app = docs.find((d) => d.TotalEvents !== undefined);
        assert.deepEqual([app?.TotalEvents, app?.TotalLogins, docs.find((d) => d.SpellId !== undefined)?.SpellId], [3, 2, "unknown"]);
    });

    it("keeps delivering to the lake when the metrics cannot be written, and logs why", async function () {
        const logs: string[] = [];
        fs.mkdirSync(path.join(dir, ".gap", "broken"), { recursive: true });
        fs.writeFileSync(path.join(dir, ".gap", "broken", "metrics"), "a file where the metrics folder should be");
        const pipeline = await start(dir, "broken", { ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: true }, { windowSeconds: 1, logs });
        try {
            await postEvents(pipeline, [gameEvent("login", {}), gameEvent("login", {})]);
            await waitFor("a failed metrics write", () => (pipeline.realtime!.stats.failures > 0 ? true : undefined));
        } finally {
            await pipeline.stop();
        }
        assert.ok(logs.some((l) => /real-time metrics: writing the metrics of window .* failed/.test(l)), logs.join("\n"));
        assert.deepEqual(await queryLake(pipeline.paths.lakeDir, "SELECT count(*) AS n FROM game_events.raw_events"), [{ n: 2 }]);
    });
});

for (const scenario of [
    { name: "KINESIS_DATA_STREAMS with realTimeAnalytics false", config: { ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: false } },
    { name: "DIRECT_BATCH", config: { ingestMode: "DIRECT_BATCH", realTimeAnalytics: false } },
]) {
    describe(`local real-time stage off (${scenario.name})`, function () {
        this.timeout(120_000);

        it("computes no metrics: no stage, no metrics folder, events still in the lake", async function () {
            const dir = tempDir("realtime-off");
            try {
                const pipeline = await start(dir, "off", scenario.config, { windowSeconds: 1 });
                try {
                    assert.equal(pipeline.realtime, undefined);
                    await postEvents(pipeline, [gameEvent("login", {}), gameEvent("user_knockout", { spell_id: "fireball" })]);
                    await new Promise((r) => setTimeout(r, 2500)); // more than a window and its grace
                } finally {
                    await pipeline.stop();
                }
                assert.equal(fs.existsSync(pipeline.paths.metricsDir), false);
                assert.deepEqual(await queryLake(pipeline.paths.lakeDir, "SELECT count(*) AS n FROM game_events.raw_events"), [{ n: 2 }]);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
}
