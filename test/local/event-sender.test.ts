import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { sendEvents } from "../../tools/event-sender";
import { SyntheticEventGenerator } from "../../tools/synthetic-events";

/** An events endpoint that answers Ok for every event and records what it saw. */
async function startEndpoint(): Promise<{ url: string; connections: number; requests: { auth?: string; type?: string; events: number }[]; close(): Promise<void> }> {
    const state = { connections: 0, requests: [] as { auth?: string; type?: string; events: number }[] };
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const events = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { events: unknown[] }).events;
            state.requests.push({ auth: req.headers.authorization, type: req.headers["content-type"], events: events.length });
            res.setHeader("Content-Type", "application/json");
            res.end(JSON.stringify({ Total: events.length, FailedRecordCount: 0, Events: events.map(() => ({ Result: "Ok" })) }));
        });
    });
    server.on("connection", () => {
        state.connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/live`,
        get connections() {
            return state.connections;
        },
        requests: state.requests,
        close: () => new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
        }),
    };
}

describe("send-events sender (node:http, keep-alive)", function () {
    it("sends every event once in requests of the batch size, with the key, over at most `concurrency` connections", async function () {
        const endpoint = await startEndpoint();
        try {
            const summary = await sendEvents({
                endpoint: endpoint.url, applicationId: "app", apiKey: "secret-key", count: 1050, batchSize: 50, concurrency: 4,
                generator: new SyntheticEventGenerator({ seed: 5 }),
            });
            assert.equal(summary.accepted, 1050);
            assert.equal(new Set(summary.acceptedEventIds).size, 1050);
            assert.equal(summary.requests, 21);
            assert.deepEqual(endpoint.requests.map((r) => r.events).reduce((a, b) => a + b, 0), 1050);
            assert.ok(endpoint.requests.every((r) => r.auth === "secret-key" && r.type === "application/json"));
            assert.ok(endpoint.connections <= 4, `${endpoint.connections} connections`);
        } finally {
            await endpoint.close();
        }
    });

    it("counts a refused connection as a network error of every event of the request, without throwing", async function () {
        const endpoint = await startEndpoint();
        const url = endpoint.url;
        await endpoint.close();
        const summary = await sendEvents({
            endpoint: url, applicationId: "app", apiKey: "k", count: 30, batchSize: 10, concurrency: 2,
            generator: new SyntheticEventGenerator({ seed: 6 }),
        });
        assert.deepEqual([summary.accepted, summary.rejected, summary.errors], [0, 30, { "network: ECONNREFUSED": 30 }]);
    });

    it("refuses an endpoint that is not an http(s) URL", async function () {
        await assert.rejects(sendEvents({
            endpoint: "ftp://example.com/live", applicationId: "app", apiKey: "k", count: 1, generator: new SyntheticEventGenerator({ seed: 1 }),
        }), /http\(s\) URL/);
    });
});
