/**
 * The local API's HTTP edge (issue 10 points 7 and 9, issue 17 point 10): malformed request
 * targets, `Host` values of other sites (DNS rebinding), bodies not declared JSON (cross-site
 * forms), the 5 MiB body limit and the 6 MiB Lambda invoke payload, each a 4xx naming the rule;
 * and no embedded service listening on a socket.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import fc from "fast-check";
import type { HttpRequest } from "../../functions/core/contracts";
import { LAMBDA_SYNC_PAYLOAD_BYTES, MAX_REQUEST_BODY_BYTES } from "../../functions/core/request-limits";
import { createLocalApiServer } from "../../local/http-server";
import { startLocalPipeline } from "../../local/pipeline";
import { call, tempDir, writeStackFile } from "./helpers";

interface RawAnswer {
    status: number;
    body: string;
}

/** Sends raw HTTP/1.1 bytes (what fetch would normalize away) and reads the answer. */
function raw(port: number, head: string, body = ""): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
        const socket = net.connect(port, "127.0.0.1", () => socket.end(head + body));
        let text = "";
        socket.setEncoding("utf8");
        socket.on("data", (c: string) => (text += c));
        socket.on("error", reject);
        socket.on("close", () => {
            const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
            const headEnd = text.indexOf("\r\n\r\n");
            let body = text.slice(headEnd + 4);
            if (/\r\ntransfer-encoding: chunked/i.test(text.slice(0, headEnd))) {
                let decoded = "";
                for (let at = 0; ;) {
                    const lineEnd = body.indexOf("\r\n", at);
                    const size = parseInt(body.slice(at, lineEnd), 16);
                    if (!(size > 0)) break;
                    decoded += body.slice(lineEnd + 2, lineEnd + 2 + size);
                    at = lineEnd + 2 + size + 2;
                }
                body = decoded;
            }
            resolve({ status, body });
        });
    });
}

describe("local API edge: targets, Host, Content-Type, sizes", function () {
    this.timeout(60_000);
    const seen: HttpRequest[] = [];
    const server = createLocalApiServer({
        stageName: "live", corsAllowOrigins: ["*"], allowedHostnames: ["gap.lan"],
        admin: async (req) => (seen.push(req), { statusCode: 200, headers: { "Content-Type": "application/json" }, body: "{}" }),
        authorize: async () => ({ allow: true, applicationId: "a", apiKeyId: "k" }),
        ingest: async (req) => (seen.push(req), { statusCode: 200, headers: {}, body: "{}" }),
        putRecord: () => ({
            authorize: async (authorization) => (authorization === "jwt" ? { applicationId: "a", playerId: "p" } : undefined),
            handle: async (req) => (seen.push(req), { statusCode: 200, headers: {}, body: "Successfully added event" }),
        }),
        log: () => undefined,
    });
    let port = 0;
    before(async () => {
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
        port = (server.address() as net.AddressInfo).port;
    });
    after(() => server.close());
    beforeEach(() => (seen.length = 0));

    it("answers malformed request targets 400, not 500", async function () {
        for (const target of ["///", "http://[", "//evil.example/x", "*"]) {
            const answer = await raw(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
            assert.equal(answer.status, 400, `${target}: ${answer.body}`);
            assert.match(JSON.parse(answer.body).error_detail, /^request target: /);
        }
    });

    it("refuses a Host naming another site (DNS rebinding), 421 naming the header; serves IP literals, localhost and allowed names", async function () {
        const get = (host: string) => raw(port, `GET /live/applications HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
        const refused = await get("evil.example");
        assert.equal(refused.status, 421);
        assert.match(JSON.parse(refused.body).error_detail, /^Host header: "evil\.example" is not a name of this server/);
        assert.equal((await get(`evil.example:${port}`)).status, 421);
        for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, "[::1]", "gap.lan", `GAP.LAN:${port}`]) {
            assert.equal((await get(host)).status, 200, host);
        }
        assert.equal(seen.length, 5);
    });

    it("refuses a body not declared application/json with 415 (a cross-site form cannot create applications)", async function () {
        const post = (contentType: string | undefined, route = "/live/applications") => fetch(`http://127.0.0.1:${port}${route}`, {
            method: "POST", body: '{"Name":"csrf"}', headers: contentType === undefined ? {} : { "Content-Type": contentType },
        });
        for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", undefined]) {
            const res = await post(type);
            assert.equal(res.status, 415, String(type));
            assert.match(((await res.json()) as { error_detail: string }).error_detail, /^Content-Type header: /);
        }
        assert.equal((await post("text/plain", "/live/applications/a/events")).status, 415);
        assert.equal(seen.length, 0, "no handler ran");
        assert.equal((await post("application/json; charset=utf-8")).status, 200);
        assert.equal((await fetch(`http://127.0.0.1:${port}/live/applications`)).status, 200, "a GET without body needs no Content-Type");
    });

    it("answers a body over 5 MiB 413 naming the limit (the Lambda invoke payload is 6 MB, not API Gateway's 10 MB)", async function () {
        const body = JSON.stringify({ events: [{ padding: "x".repeat(MAX_REQUEST_BODY_BYTES) }] });
        const answer = await call("POST", `http://127.0.0.1:${port}/live/applications/a/events`, body, { Authorization: "k" });
        assert.equal(answer.status, 413);
        assert.match(answer.body.error_detail, new RegExp(`over the limit of ${MAX_REQUEST_BODY_BYTES} bytes \\(5 MiB\\)`));
        assert.equal(seen.length, 0);
        const fits = JSON.stringify({ events: [{ padding: "x".repeat(MAX_REQUEST_BODY_BYTES - 100) }] });
        assert.equal((await call("POST", `http://127.0.0.1:${port}/live/applications/a/events`, fits, { Authorization: "k" })).status, 200);
    });

    it("answers 413 naming the 6 MiB invoke payload when the body, JSON-escaped into the proxy event, would not fit", async function () {
        // 4 MiB of backslashes: within the body limit, 8 MiB once escaped into the Lambda event.
        const body = JSON.stringify({ events: [{ s: "\\".repeat(2 * 1024 * 1024) }] });
        assert.ok(Buffer.byteLength(body) <= MAX_REQUEST_BODY_BYTES);
        const answer = await call("POST", `http://127.0.0.1:${port}/live/applications/a/events`, body, { Authorization: "k" });
        assert.equal(answer.status, 413);
        assert.match(answer.body.error_detail, new RegExp(`over the ${LAMBDA_SYNC_PAYLOAD_BYTES}-byte \\(6 MiB\\) payload limit of a synchronous Lambda invoke`));
        assert.equal(seen.length, 0);
    });

    const put = (body: string) => call("POST", `http://127.0.0.1:${port}/put-record`, body, { Authorization: "jwt" });

    it("/put-record: answers a body over 5 MiB 413 naming the limit, and hands a fitting one on with its headers", async function () {
        const answer = await put(JSON.stringify({ padding: "x".repeat(MAX_REQUEST_BODY_BYTES) }));
        assert.equal(answer.status, 413);
        assert.match(answer.body.error_detail, new RegExp(`^body: over the limit of ${MAX_REQUEST_BODY_BYTES} bytes per request$`));
        assert.equal(seen.length, 0);
        const fits = JSON.stringify({ padding: "x".repeat(1000) });
        assert.equal((await put(fits)).status, 200);
        assert.deepEqual([seen.length, seen[0]!.body, seen[0]!.headers.authorization, seen[0]!.headers["content-type"]], [1, fits, "jwt", "application/json"]);
    });

    it("/put-record: answers 413 naming the 6 MiB invoke payload when the body, JSON-escaped into the proxy event, would not fit", async function () {
        const body = JSON.stringify({ s: "\\".repeat(2 * 1024 * 1024) });
        assert.ok(Buffer.byteLength(body) <= MAX_REQUEST_BODY_BYTES);
        const answer = await put(body);
        assert.equal(answer.status, 413);
        assert.match(answer.body.error_detail, new RegExp(`over the ${LAMBDA_SYNC_PAYLOAD_BYTES}-byte \\(6 MiB\\) payload limit of a synchronous Lambda invoke`));
        assert.equal(seen.length, 0);
    });
});

describe("local API edge: hostile request lines and headers (property)", function () {
    this.timeout(120_000);

    it("never answers 5xx, whatever the target, Host, Content-Type and body", async function () {
        const server = createLocalApiServer({
            stageName: "live", corsAllowOrigins: ["*"],
            admin: async () => ({ statusCode: 200, headers: {}, body: "{}" }),
            authorize: async () => ({ allow: true, applicationId: "a", apiKeyId: "k" }),
            ingest: async () => ({ statusCode: 200, headers: {}, body: "{}" }),
            log: () => undefined,
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
        const port = (server.address() as net.AddressInfo).port;
        // Printable ASCII without space: what can stand in a request line or a header value.
        const token = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 30 });
        const target = fc.oneof(token, fc.constantFrom("///", "http://[", "//", "/live//applications", "/%", "/live/applications/%E0%A4%A/events", "*"),
            token.map((t) => `/live/applications/${t}/events`), token.map((t) => `/${t}`));
        try {
            await fc.assert(fc.asyncProperty(
                fc.constantFrom("GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"), target,
                fc.oneof(fc.constant("127.0.0.1"), fc.constant("localhost"), token), fc.option(token, { nil: undefined }), fc.string({ maxLength: 40 }),
                async (method, path, host, contentType, body) => {
                    const bytes = Buffer.byteLength(body);
                    const head = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${contentType === undefined ? "" : `Content-Type: ${contentType}\r\n`}` +
                        `Content-Length: ${bytes}\r\nConnection: close\r\n\r\n`;
                    const answer = await raw(port, head, body);
                    assert.ok(answer.status >= 200 && answer.status < 500, `${answer.status} for ${JSON.stringify(head)}`);
                },
            ), { numRuns: 200 });
        } finally {
            server.close();
        }
    });
});

describe("local pipeline: no embedded service on a socket", function () {
    this.timeout(60_000);

    it("listens on the API port only: the embedded DynamoDB is served in process", async function () {
        const dir = tempDir("edge-sockets");
        writeStackFile(dir, "s", { workloadName: "s", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false });
        const listening = () => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles()
            .filter((h): h is net.Server => h instanceof net.Server && h.listening);
        const before = listening().length;
        const pipeline = await startLocalPipeline({ stack: "s", configDir: dir, dataRoot: path.join(dir, ".gap"), port: 0, bufferMs: 100, log: () => undefined });
        try {
            const servers = listening();
            assert.equal(servers.length - before, 1, `listening: ${servers.map((s) => JSON.stringify(s.address())).join(", ")}`);
            assert.equal((servers.at(-1)!.address() as net.AddressInfo).port, pipeline.port);
            const app = await call("GET", `${pipeline.url}/applications/${pipeline.credentials.applicationId}`);
            assert.equal(app.status, 200, "applications are still read from the embedded DynamoDB");
        } finally {
            await pipeline.stop();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
