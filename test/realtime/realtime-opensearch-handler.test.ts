/**
 * The real-time handler with the OPENSEARCH destination, writing through the real sink and the
 * signed client to the local `_bulk` server: window metrics land as documents, CloudWatch keeps
 * the health metrics, a failed write reports the batch back, and the retry never double counts.
 */
import * as assert from "node:assert/strict";
import { bundleCode } from "../../components/aws/bundle";
import { createOpenSearchSink } from "../../functions/aws/adapters/opensearch-sink";
import { environmentCredentials, openSearchTransport } from "../../functions/aws/adapters/opensearch-transport";
import { createRealtimeHandler, MetricWriteError, type RealtimeWindowEvent, type RealtimeWindowResponse, sinkFromEnvironment } from "../../functions/aws/handlers/realtime-metrics";
import { DEFAULT_WINDOW_LIMITS } from "../../functions/core/realtime-event-time";
import { parseEmfLines, valueOf } from "./support/emf";
import { BulkServer, type BulkScript } from "./support/bulk-server";
import { APP_A, gameEvent, recordsOf, throughLambda, WINDOW_START_SECONDS, windowEvent } from "./support/records";

const ENV = { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret", AWS_REGION: "us-east-1" };

interface Rig {
    server: BulkServer;
    handler: (event: RealtimeWindowEvent) => Promise<RealtimeWindowResponse>;
    stdout: string[];
    warnings: Array<{ message: string; attributes: Record<string, unknown> }>;
}

async function rig(script?: BulkScript): Promise<Rig> {
    const server = new BulkServer(script);
    const endpoint = await server.start();
    const stdout: string[] = [];
    const warnings: Rig["warnings"] = [];
    const sink = createOpenSearchSink(openSearchTransport({ endpoint, region: "us-east-1", getCredentials: environmentCredentials(ENV) }), {
        index: "game_metrics", maxAttempts: 2, sleep: async () => undefined,
    });
    const handler = createRealtimeHandler({
        namespace: "GameAnalytics/os", topN: 20, limits: DEFAULT_WINDOW_LIMITS, sink,
        writeLine: (line) => stdout.push(line),
        logger: { info: () => undefined, warn: (message, attributes) => warnings.push({ message, attributes }) },
        now: () => Date.UTC(2026, 0, 5, 12, 5),
    });
    return { server, handler, stdout, warnings };
}

/** Sum of the stored documents' values of `metric` (what a dashboard's Sum shows). */
function storedSum(server: BulkServer, metric: string): number {
    return [...server.documents.values()].filter((d) => d.metric === metric).reduce((sum, d) => sum + (d.value as number), 0);
}

const t = WINDOW_START_SECONDS;
/** Three events in the carrier's first minute, then one a minute later whose watermark closes it. */
const FIRST = () => recordsOf(APP_A, [gameEvent("login", {}, t + 1), gameEvent("user_knockout", { spell_id: "ice" }, t + 2), gameEvent("login", {}, t + 3)], t + 4);
const CLOSER = () => recordsOf(APP_A, [gameEvent("login", {}, t + 70)], t + 71);

describe("real-time handler, OPENSEARCH destination (local _bulk server)", function () {
    this.timeout(30_000);

    it("writes the closed window's metrics as documents and keeps only the health metrics in CloudWatch", async () => {
        const r = await rig();
        try {
            const first = throughLambda(await r.handler(windowEvent(FIRST(), {}, false)));
            const second = throughLambda(await r.handler(windowEvent(CLOSER(), first.state, false)));
            assert.deepEqual(second.batchItemFailures, []);
            assert.deepEqual([storedSum(r.server, "TotalEvents"), storedSum(r.server, "TotalLogins"), storedSum(r.server, "KnockoutsBySpell")], [3, 2, 1]);
            const points = parseEmfLines(r.stdout);
            assert.deepEqual(points.filter((p) => p.name === "TotalEvents"), [], "window metrics are not published to CloudWatch too");
            assert.equal(valueOf(points, "DuplicateEvents"), 0);
            assert.equal(valueOf(points, "OpenSearchDocumentsWritten"), r.server.documents.size);
            assert.equal(valueOf(points, "OpenSearchWriteErrors"), 0);
        } finally {
            await r.server.stop();
        }
    });

    it("reports the batch back with the incoming state when documents stay unwritten, and its retry writes them without double counting", async () => {
        let failing = true;
        const r = await rig((_n) => (failing ? { itemStatus: (id) => (id.charCodeAt(0) % 2 === 0 ? 503 : 201) } : undefined));
        try {
            const first = throughLambda(await r.handler(windowEvent(FIRST(), {}, false)));
            const closer = CLOSER();
            const failed = throughLambda(await r.handler(windowEvent(closer, first.state, false)));
            assert.deepEqual(failed.batchItemFailures, [{ itemIdentifier: closer[0]!.sequenceNumber }]);
            assert.deepEqual(failed.state, first.state, "the state handed back is the one the batch came with");
            const points = parseEmfLines(r.stdout);
            assert.ok(valueOf(points, "OpenSearchWriteErrors")! > 0);
            assert.deepEqual(points.filter((p) => p.name === "DuplicateEvents"), [], "no health metric of a failed invocation (its retry publishes them)");
            assert.match(r.warnings[0]!.message, /reported back for the event source mapping to retry/);
            assert.deepEqual(r.warnings[0]!.attributes.windows, ["2026-01-05T12:00:00.000Z"]);
            assert.ok(storedSum(r.server, "TotalEvents") < 3 || storedSum(r.server, "TotalLogins") < 2 || storedSum(r.server, "KnockoutsBySpell") < 1, "part of the window was written");

            failing = false;
            const retried = throughLambda(await r.handler(windowEvent(closer, failed.state, false)));
            assert.deepEqual(retried.batchItemFailures, []);
            assert.deepEqual([storedSum(r.server, "TotalEvents"), storedSum(r.server, "TotalLogins"), storedSum(r.server, "KnockoutsBySpell")], [3, 2, 1]);
        } finally {
            await r.server.stop();
        }
    });

    it("fails the invocation when the final flush cannot be written and there is no record to report", async () => {
        const r = await rig(() => ({ status: 503 }));
        try {
            const first = throughLambda(await r.handler(windowEvent(FIRST(), {}, false)));
            await assert.rejects(r.handler(windowEvent([], first.state, true)), (e: Error) => e instanceof MetricWriteError && /not written/.test(e.message));
        } finally {
            await r.server.stop();
        }
    });

    it("is configured from the environment: no sink for CLOUDWATCH, a refusal for an unknown destination, the endpoint required for OPENSEARCH", () => {
        assert.equal(sinkFromEnvironment({}), undefined);
        assert.equal(sinkFromEnvironment({ REALTIME_DESTINATION: "CLOUDWATCH" }), undefined);
        assert.throws(() => sinkFromEnvironment({ REALTIME_DESTINATION: "KIBANA" }), /REALTIME_DESTINATION must be CLOUDWATCH or OPENSEARCH/);
        assert.throws(() => sinkFromEnvironment({ REALTIME_DESTINATION: "OPENSEARCH", ...ENV }), /OPENSEARCH_ENDPOINT is required/);
    });

    it("works bundled (the Lambda artifact): signed writes from the environment's credentials", async () => {
        const server = new BulkServer();
        const endpoint = await server.start();
        const saved = { ...process.env };
        try {
            const module = { exports: {} as { handler: (event: RealtimeWindowEvent) => Promise<RealtimeWindowResponse> } };
            new Function("module", "exports", "require", bundleCode("functions/aws/handlers/realtime-metrics.ts"))(module, module.exports, require);
            process.env = {
                ...saved, ...ENV, POWERTOOLS_METRICS_NAMESPACE: "GameAnalytics/bundled", POWERTOOLS_LOG_LEVEL: "ERROR",
                REALTIME_DESTINATION: "OPENSEARCH", OPENSEARCH_ENDPOINT: endpoint, OPENSEARCH_INDEX: "game_metrics",
            };
            const write = process.stdout.write;
            process.stdout.write = (() => true) as typeof process.stdout.write;
            let response: RealtimeWindowResponse;
            try {
                response = await module.exports.handler(windowEvent(FIRST(), {}, true));
            } finally {
                process.stdout.write = write;
            }
            assert.deepEqual(response.batchItemFailures, []);
            assert.equal(storedSum(server, "TotalEvents"), 3);
            assert.match(String(server.requests[0]!.headers.authorization), /\/us-east-1\/aoss\/aws4_request/);
        } finally {
            process.env = saved;
            await server.stop();
        }
    });
});
