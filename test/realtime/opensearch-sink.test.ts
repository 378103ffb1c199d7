/**
 * The OpenSearch metric sink against a local `_bulk` server on 127.0.0.1 (support/bulk-server.ts;
 * no OpenSearch runs here): the real OpenSearch client, really signing for `aoss`, with throttling,
 * 5xx answers, partial failures and hang-ups scripted.
 */
import * as assert from "node:assert/strict";
import { createOpenSearchSink, type OpenSearchSinkOptions } from "../../functions/aws/adapters/opensearch-sink";
import { environmentCredentials, openSearchTransport } from "../../functions/aws/adapters/opensearch-transport";
import { accumulateWindow, emptyWindowState, finalizeWindow, flushWindows } from "../../functions/core/realtime-event-time";
import { failedWindowStarts, METRIC_INDEX_MAPPINGS, metricDocuments, type MetricDocument } from "../../functions/core/realtime-sink";
import { BulkServer, type BulkScript, sha256Hex } from "./support/bulk-server";
import { APP_A, APP_B, gameEvent, recordsOf, WINDOW_START_SECONDS } from "./support/records";

const CREDENTIALS = { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", AWS_SESSION_TOKEN: "session-token" };

/** Documents of two event-time windows (two applications), as the handler builds them. */
function sampleDocuments(): MetricDocument[] {
    const t = WINDOW_START_SECONDS;
    const records = [
        ...recordsOf(APP_A, [gameEvent("login", {}, t + 1), gameEvent("user_knockout", { spell_id: "ice" }, t + 2), gameEvent("iap_transaction", { item_id: "sword", currency_type: "USD", currency_amount: 1.99 }, t + 3)], t + 4),
        ...recordsOf(APP_B, [gameEvent("match_start", { map_id: "dunes" }, t + 61)], t + 62),
    ];
    const result = accumulateWindow(emptyWindowState("2026-01-05T12:00:00Z"), records);
    const windows = [...result.closed, ...flushWindows(result.state)].map((w) => finalizeWindow(w));
    return metricDocuments(windows, [{ windowStartMs: t * 1000, count: 2 }], [], { shardId: "shardId-000000000000", carrier: "2026-01-05T12:00:00Z", batchKey: "4963001", windowSeconds: 60 });
}

async function withServer(script: BulkScript | undefined, run: (server: BulkServer, options: (extra?: Partial<OpenSearchSinkOptions>) => ReturnType<typeof createOpenSearchSink>, sleeps: number[]) => Promise<void>): Promise<void> {
    const server = new BulkServer(script);
    const endpoint = await server.start();
    const sleeps: number[] = [];
    const transport = openSearchTransport({ endpoint, region: "us-east-1", getCredentials: environmentCredentials(CREDENTIALS) });
    try {
        await run(server, (extra) => createOpenSearchSink(transport, { index: "game_metrics", sleep: async (ms) => { sleeps.push(ms); }, random: () => 0.5, ...extra }), sleeps);
    } finally {
        await server.stop();
    }
}

describe("OpenSearch metric sink (local _bulk server)", function () {
    this.timeout(30_000);

    it("builds one document per metric value with deterministic ids, and a second build gives the same ids", () => {
        const a = sampleDocuments();
        const b = sampleDocuments().map((d) => d.id);
        assert.deepEqual(a.map((d) => d.id), b);
        assert.equal(new Set(b).size, b.length, "ids are unique");
        const total = a.filter((d) => d.source.metric === "TotalEvents").map((d) => [d.source.application_id, d.source["@timestamp"], d.source.value]);
        assert.deepEqual(total, [[APP_A, "2026-01-05T12:00:00Z", 3], [APP_B, "2026-01-05T12:01:00Z", 1]]);
        const revenue = a.find((d) => d.source.metric === "Revenue")!.source;
        assert.deepEqual([revenue.dimension, revenue.dimension_value, revenue.value, revenue.window_end], ["Currency", "USD", 1.99, "2026-01-05T12:01:00Z"]);
        assert.deepEqual(a.filter((d) => d.source.metric === "LateEvents").map((d) => d.source.value), [2]);
    });

    it("writes every document signed with SigV4 for aoss, and a resend overwrites instead of adding", async () => {
        await withServer(undefined, async (server, sink) => {
            const docs = sampleDocuments();
            const first = await sink().write(docs);
            const again = await sink().write(docs);
            assert.deepEqual([first.written, first.failed.length, again.written, server.documents.size], [docs.length, 0, docs.length, docs.length]);
            const req = server.requests[0]!;
            assert.match(String(req.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/aoss\/aws4_request, SignedHeaders=.*x-amz-content-sha256.*, Signature=[0-9a-f]{64}$/);
            assert.equal(req.headers["x-amz-content-sha256"], sha256Hex(req.body));
            assert.equal(req.headers["x-amz-security-token"], "session-token");
            const stored = server.documents.get(docs[0]!.id)!;
            assert.deepEqual(stored, docs[0]!.source);
            assert.deepEqual(server.indices.get("game_metrics"), METRIC_INDEX_MAPPINGS, "the index is created once, with the mappings");
            const fields = new Set(docs.flatMap((d) => Object.keys(d.source)));
            assert.deepEqual([...fields].filter((f) => !(f in METRIC_INDEX_MAPPINGS.properties)), [], "every field is mapped (dynamic: strict)");
        });
    });

    it("reports every document failed when the index cannot be created, and tries again at the next write", async () => {
        await withServer(undefined, async (server, sink) => {
            const docs = sampleDocuments();
            const s = sink();
            server.indexCreateStatus = 403;
            const refused = await s.write(docs);
            assert.deepEqual([refused.written, refused.failed.length, server.requests.length], [0, docs.length, 0]);
            assert.match(refused.failed[0]!.reason, /index game_metrics not ready/);
            server.indexCreateStatus = undefined;
            const later = await s.write(docs);
            assert.deepEqual([later.written, later.failed.length], [docs.length, 0]);
        });
    });

    it("retries a throttled (429) and an unavailable (503) request with exponential backoff until it is written", async () => {
        await withServer((n) => (n === 0 ? { status: 429 } : n === 1 ? { status: 503 } : undefined), async (server, sink, sleeps) => {
            const docs = sampleDocuments();
            const result = await sink({ baseDelayMs: 100 }).write(docs);
            assert.deepEqual([result.written, result.failed.length, result.requests, server.documents.size], [docs.length, 0, 3, docs.length]);
            assert.deepEqual(sleeps, [50, 100], "full jitter (random 0.5) of 100 ms then 200 ms");
        });
    });

    it("on a partial failure (errors: true) resends only the throttled items, and reports an item refused for good without resending it", async () => {
        const docs = sampleDocuments();
        const throttled = new Set([docs[1]!.id, docs[4]!.id]);
        const refused = docs[2]!.id;
        await withServer((n) => (n === 0 ? { itemStatus: (id) => (throttled.has(id) ? 429 : id === refused ? 400 : 201) } : undefined), async (server, sink) => {
            const result = await sink().write(docs);
            assert.deepEqual(server.requests.map((r) => r.ids.length), [docs.length, 2]);
            assert.deepEqual(new Set(server.requests[1]!.ids), throttled);
            assert.deepEqual([result.written, server.documents.size], [docs.length - 1, docs.length - 1]);
            assert.deepEqual(result.failed.map((f) => [f.document.id, f.status, f.reason]), [[refused, 400, "mapper_parsing_exception: scripted 400"]]);
            assert.deepEqual(failedWindowStarts(result.failed), [docs[2]!.windowStartMs]);
        });
    });

    it("gives up after maxAttempts and reports every document still not written, with the last status", async () => {
        await withServer(() => ({ status: 503 }), async (server, sink) => {
            const docs = sampleDocuments();
            const result = await sink({ maxAttempts: 3 }).write(docs);
            assert.deepEqual([result.written, result.failed.length, server.requests.length], [0, docs.length, 3]);
            assert.deepEqual([...new Set(result.failed.map((f) => f.status))], [503]);
            assert.deepEqual(failedWindowStarts(result.failed), [Date.parse("2026-01-05T12:00:00Z"), Date.parse("2026-01-05T12:01:00Z")]);
        });
    });

    it("resends a request that got no answer (connection closed)", async () => {
        await withServer((n) => (n === 0 ? { hangUp: true } : undefined), async (server, sink) => {
            const docs = sampleDocuments();
            const result = await sink().write(docs);
            assert.deepEqual([result.written, result.failed.length, server.requests.length], [docs.length, 0, 2]);
        });
    });

    it("splits the documents into requests of maxDocumentsPerRequest, each an NDJSON body ending with a newline", async () => {
        await withServer(undefined, async (server, sink) => {
            const docs = sampleDocuments();
            await sink({ maxDocumentsPerRequest: 4 }).write(docs);
            assert.deepEqual(server.requests.map((r) => r.ids.length), [4, 4, 4, 4, 4].slice(0, Math.floor(docs.length / 4)).concat(docs.length % 4 ? [docs.length % 4] : []));
            assert.equal(server.documents.size, docs.length);
        });
    });
});
