/**
 * The GCP adapters around the shared core: the HTTP adapter (routes, stage, API key check, CORS),
 * the Pub/Sub sink (per-event answers, rows through the row core), the Firestore adapter against
 * the client library's method shapes (no emulator runs here), the real-time run, and the GCP settings rules.
 */
import * as assert from "node:assert/strict";
import { hashApiKey } from "../../functions/core/api-keys";
import type { StoredApiKey } from "../../functions/core/ports";
import { FirestoreApplicationRegistry, FirestoreKeyStore, type FsCollection, type FsDatabase, type FsQuery, GRPC_ALREADY_EXISTS } from "../../functions/gcp/firestore-store";
import { answerEvents } from "../../functions/gcp/http-adapter";
import { PubSubEventSink, type TopicPublisher } from "../../functions/gcp/pubsub-sink";
import { deliverPushMessage } from "../../functions/gcp/push-delivery";
import { runRealtimeWindow } from "../../functions/gcp/realtime-window";
import { validateGcpSettings } from "../../components/gcp/settings";
import { validateSettings } from "../../components/contracts/settings";

/** In-memory Firestore with the documented semantics the adapter relies on (create fails with ALREADY_EXISTS). */
function memoryFirestore(): FsDatabase {
    const collections = new Map<string, Map<string, Record<string, unknown>>>();
    const coll = (path: string) => collections.get(path) ?? collections.set(path, new Map()).get(path)!;
    const query = (docs: Map<string, Record<string, unknown>>, filters: Array<[string, unknown]>, order?: string, after?: unknown, limit?: number): FsQuery => ({
        where: (f, _op, v) => query(docs, [...filters, [f, v]], order, after, limit),
        orderBy: (f) => query(docs, filters, f, after, limit),
        startAfter: (v) => query(docs, filters, order, v, limit),
        limit: (n) => query(docs, filters, order, after, n),
        get: async () => {
            const key = (id: string, d: Record<string, unknown>) => (order === "__name__" || order === undefined ? id : String(d[order]));
            let rows = [...docs.entries()].filter(([, d]) => filters.every(([f, v]) => d[f] === v)).sort(([a, da], [b, db]) => key(a, da).localeCompare(key(b, db)));
            if (after !== undefined) rows = rows.filter(([id, d]) => key(id, d) > String(after));
            if (limit !== undefined) rows = rows.slice(0, limit);
            return { docs: rows.map(([id, d]) => ({ exists: true, id, data: () => ({ ...d }) })) };
        },
    });
    return {
        collection: (path): FsCollection => {
            const docs = coll(path);
            return {
                ...query(docs, []),
                doc: (id) => ({
                    get: async () => ({ exists: docs.has(id), id, data: () => (docs.has(id) ? { ...docs.get(id)! } : undefined) }),
                    create: async (data) => {
                        if (docs.has(id)) throw Object.assign(new Error("exists"), { code: GRPC_ALREADY_EXISTS });
                        docs.set(id, { ...data });
                    },
                    update: async (data) => { docs.set(id, { ...docs.get(id)!, ...data }); },
                    delete: async () => { docs.delete(id); },
                }),
            };
        },
    };
}

const APP = "11111111-1111-4111-8111-111111111111";
const KEY_VALUE = "k".repeat(88);
const clock = { now: () => Date.UTC(2026, 11, 1, 12, 0, 30) };
const event = (i: number) => ({ event_id: `aaaaaaaa-aaaa-4aaa-8aaa-${String(i).padStart(12, "0")}`, event_type: "login", event_name: "login", event_timestamp: 1764590400 });
const key: StoredApiKey = { ApiKeyId: "22222222-2222-4222-8222-222222222222", ApiKeyHash: hashApiKey(KEY_VALUE), ApiKeyHint: "kkkk...kkkk", ApiKeyName: "n", ApiKeyDescription: "", ApplicationId: APP, CreatedAt: "t", UpdatedAt: "t", Enabled: true };

function publisher(fail = new Set<number>()): TopicPublisher & { sent: string[] } {
    let n = 0;
    const sent: string[] = [];
    return {
        sent,
        publishMessage: async ({ data }) => {
            const i = n++;
            if (fail.has(i)) throw Object.assign(new Error("unavailable"), { code: 14 });
            sent.push(data.toString("utf8"));
            return String(i);
        },
    };
}

describe("GCP function adapters", () => {
    it("Firestore adapter: one read by hash, duplicate create refused, keys listed and paged per application", async () => {
        const db = memoryFirestore();
        const keys = new FirestoreKeyStore(db, "authorizations");
        await keys.putKey(key);
        await assert.rejects(keys.putKey(key), /already exists/);
        await keys.putKey({ ...key, ApiKeyId: "33333333-3333-4333-8333-333333333333", ApiKeyHash: "h2" });
        await keys.putKey({ ...key, ApiKeyId: "44444444-4444-4444-8444-444444444444", ApiKeyHash: "h3", ApplicationId: "other" });
        assert.equal((await keys.getKeyByHash(key.ApiKeyHash))?.ApiKeyId, key.ApiKeyId);
        const first = await keys.listKeys(APP, 1);
        assert.equal(first.items.length, 1);
        const second = await keys.listKeys(APP, 1, first.nextToken);
        assert.deepEqual([first.items[0]!.ApiKeyId, second.items[0]!.ApiKeyId], [key.ApiKeyId, "33333333-3333-4333-8333-333333333333"]);
        assert.equal(second.nextToken, undefined);
        await assert.rejects(keys.listKeys(APP, 1, "garbage"), /nextToken/);
        assert.equal((await keys.setKeyEnabled(APP, key.ApiKeyId, false, "t2"))?.Enabled, false);
        assert.equal((await keys.getKeyByHash(key.ApiKeyHash))?.Enabled, false);
        assert.equal(await keys.deleteKeysOfApplication(APP), 2);
        const apps = new FirestoreApplicationRegistry(db, "applications");
        await apps.createApplication({ ApplicationId: APP, ApplicationName: "g", Description: "", CreatedAt: "t", UpdatedAt: "t" });
        assert.equal((await apps.getApplication(APP))?.ApplicationName, "g");
        assert.equal(await apps.deleteApplication(APP), true);
        assert.equal(await apps.deleteApplication(APP), false);
    });

    it("events over HTTP: stage checked, key authorized, per-event answers, CORS, 403 on a bad key", async () => {
        const db = memoryFirestore();
        const keys = new FirestoreKeyStore(db, "authorizations");
        await keys.putKey(key);
        const topic = publisher(new Set([0]));
        const deps = { stage: "live", keys, clock, allowedOrigins: ["*"], newRequestId: () => "r1", ingest: () => ({ sink: new PubSubEventSink(topic, "records"), clock, sleep: async () => {} }) };
        const req = (path: string, auth: string | undefined, body: unknown) => ({ method: "POST", path, headers: { ...(auth ? { authorization: auth } : {}), origin: "https://g.example" }, rawBody: Buffer.from(JSON.stringify(body)) });
        const ok = await answerEvents(req(`/live/applications/${APP}/events`, KEY_VALUE, { events: [event(1), event(2), { bad: true }] }), deps);
        assert.equal(ok.statusCode, 200);
        const body = JSON.parse(ok.body);
        assert.equal(body.Total, 3);
        assert.equal(body.Events[2].ErrorCode, "InvalidEvent");
        assert.equal(ok.headers["Access-Control-Allow-Origin"], "*");
        assert.equal(topic.sent.length, 1, "the two valid events packed in one message, published on the retry");
        assert.deepEqual(body.Events.slice(0, 2), [{ Result: "Ok" }, { Result: "Ok" }]);
        assert.deepEqual(topic.sent[0]!.trim().split("\n").map((l) => JSON.parse(l).event.event_id), [event(1).event_id, event(2).event_id]);
        assert.equal((await answerEvents(req(`/live/applications/${APP}/events`, "wrong", { events: [event(1)] }), deps)).statusCode, 403);
        assert.equal((await answerEvents(req(`/v1/applications/${APP}/events`, KEY_VALUE, { events: [event(1)] }), deps)).statusCode, 404);
        assert.equal((await answerEvents(req(`/live/applications`, KEY_VALUE, {}), deps)).statusCode, 404);
        assert.equal((await answerEvents({ ...req(`/live/applications/${APP}/events`, undefined, {}), method: "OPTIONS" }, deps)).statusCode, 204);
    });

    it("rows mode: the row core enriches each event and adds the event_day partition column", async () => {
        const topic = publisher();
        const sink = new PubSubEventSink(topic, "rows", { lookupApplication: async () => ({ ApplicationId: APP, ApplicationName: "Game", Description: "", CreatedAt: "", UpdatedAt: "" }), clock, newId: () => "id-1" });
        const line = JSON.stringify({ application_id: APP, event: event(1), request_id: "r", request_time_epoch: 1, player_id: "player-9", source_event_id: "00006" });
        const [result] = await sink.putRecords([{ data: Buffer.from(line), partitionKey: "p" }]);
        assert.deepEqual(result, { ok: true });
        const row = JSON.parse(topic.sent[0]!);
        assert.equal(row.application_name, "Game");
        assert.equal(row.event_day, "2025-12-01");
        assert.deepEqual(Object.keys(row).slice(-4), ["metadata", "player_id", "source_event_id", "event_day"], "the BigQuery schema's order");
        assert.deepEqual([row.player_id, row.source_event_id], ["player-9", "00006"]);
        assert.equal(JSON.parse(row.metadata).processing_status, "ok");
        const [bad] = await sink.putRecords([{ data: Buffer.from("not json"), partitionKey: "p" }]);
        assert.equal(bad!.ok, false);
    });

    it("push delivery: an unreadable record is refused (redelivered, then dead-lettered), a readable one acked", async () => {
        const topic = publisher();
        const deps = { lookupApplication: async () => undefined, clock, newId: () => "id" };
        const data = Buffer.from(JSON.stringify({ application_id: APP, event: event(1) })).toString("base64");
        assert.equal((await deliverPushMessage({ message: { data } }, topic, deps)).status, 204);
        assert.equal(JSON.parse(JSON.parse(topic.sent[0]!).metadata).processing_status, "unregistered");
        assert.equal((await deliverPushMessage({ message: { data: Buffer.from("{").toString("base64") } }, topic, deps)).status, 400);
        const failing = { lookupApplication: async () => { throw new Error("down"); }, clock, newId: () => "id" };
        assert.equal((await deliverPushMessage({ message: { data } }, topic, failing)).status, 503);
    });

    it("real-time run: same window core, de-duplicated counts as Monitoring series, acknowledged only after the write", async () => {
        const line = (i: number) => Buffer.from(JSON.stringify({ application_id: APP, event: event(i) })).toString("base64");
        const batches = [[1, 1, 2].map((i, n) => ({ ackId: `a${n}`, data: line(i), messageId: `m${n}`, publishTime: "2026-12-01T12:00:10Z" })), []];
        const acked: string[] = [];
        const written: any[] = [];
        const deps = { pull: async () => batches.shift() ?? [], acknowledge: async (ids: string[]) => { acked.push(...ids); }, writeTimeSeries: async (s: any[]) => { written.push(...s); }, projectId: "p", metricsPrefix: "custom.googleapis.com/game_analytics/g", topN: 20, now: clock.now };
        const run = await runRealtimeWindow(deps);
        assert.equal(run.messages, 3);
        assert.deepEqual(run.windows.map((w) => w.windowStart), ["2025-12-01T12:00:00Z"], "one event-time window, the events' own minute");
        const total = written.find((s) => s.metric.type.endsWith("/TotalEvents"));
        assert.equal(total.points[0].value.int64Value, "2");
        assert.equal(written.find((s) => s.metric.type.endsWith("/TotalLogins")).points[0].value.int64Value, "2");
        assert.deepEqual(acked, ["a0", "a1", "a2"]);
        const failing = { ...deps, pull: async () => [{ ackId: "x", data: line(1), messageId: "m", publishTime: "2026-12-01T12:00:10Z" }], maxPulls: 1, writeTimeSeries: async () => { throw new Error("quota"); } };
        acked.length = 0;
        await assert.rejects(runRealtimeWindow(failing), /quota/);
        assert.deepEqual(acked, []);
    });

    it("GCP settings: AWS-only settings refused with what to do, the rest accepted", () => {
        const raw = { workloadName: "g", etlSchedule: "cron(0 * * * ? *)", apiAccessLogging: false, tracing: true, streamRetentionHours: 1000 };
        const { apiAccessLogging: _a, tracing: _t, ...neutral } = raw;
        const problems = validateGcpSettings(raw, validateSettings(neutral));
        assert.deepEqual(problems.map((p) => p.key).sort(), ["apiAccessLogging", "etlSchedule", "streamRetentionHours", "tracing"]);
        assert.match(problems.find((p) => p.key === "etlSchedule")!.rule, /AWS only/);
        assert.deepEqual(validateGcpSettings({ workloadName: "g" }, validateSettings({ workloadName: "g" })), []);
        assert.deepEqual(validateGcpSettings({ workloadName: "g", dataStack: "REDSHIFT" }, validateSettings({ workloadName: "g", dataStack: "REDSHIFT" })).map((p) => p.key), ["dataStack"]);
    });
});

describe("GCP push delivery of a packed record", () => {
    it("turns every line of a packed ingest record into one row each", async () => {
        const topic = publisher();
        const lines = [1, 2, 3].map((i) => JSON.stringify({ application_id: APP, event: event(i) })).join("\n") + "\n";
        const outcome = await deliverPushMessage({ message: { data: Buffer.from(lines).toString("base64") } }, topic, { lookupApplication: async () => undefined, clock, newId: () => "id" });
        assert.equal(outcome.status, 204);
        assert.equal(outcome.rows, 3);
        assert.deepEqual(topic.sent.map((r) => JSON.parse(r).event_day), ["2025-12-01", "2025-12-01", "2025-12-01"]);
    });
});
