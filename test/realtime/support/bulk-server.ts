/**
 * A local HTTP server on 127.0.0.1 speaking the `_bulk` API the way OpenSearch does (there is no
 * embedded OpenSearch to run in tests): NDJSON index actions in, `{ took, errors, items }` out, one
 * item per action in order, documents stored by `_id` (so a resend overwrites). A script decides,
 * per request, a whole-request status (429, 503, ...) or per-document item statuses, to play
 * throttling and partial failures. It records every request with its headers.
 */
import { createHash } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedBulkRequest {
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
    body: string;
    ids: string[];
}

/** What the server does with one request (by its 0-based number): a status for all, or per id. */
export type BulkScript = (request: number, ids: string[]) => { status: number } | { itemStatus(id: string): number } | { hangUp: true } | undefined;

export class BulkServer {
    readonly documents = new Map<string, Record<string, unknown>>();
    readonly requests: RecordedBulkRequest[] = [];
    /** Indices created (`PUT /<index>`), with the mappings asked for. */
    readonly indices = new Map<string, unknown>();
    /** Answers `PUT /<index>` with this status while it is set (to play an index that cannot be created). */
    indexCreateStatus: number | undefined;
    private server: http.Server | undefined;

    constructor(private readonly script: BulkScript = () => undefined) {}

    async start(): Promise<string> {
        this.server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => this.answer(req, Buffer.concat(chunks).toString("utf8"), res));
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    private answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
        if (req.method === "PUT" && /^\/[a-z0-9_]+$/.test(req.url ?? "")) {
            const index = req.url!.slice(1);
            if (this.indexCreateStatus !== undefined) return this.send(res, this.indexCreateStatus, { error: { type: "security_exception", reason: "scripted" } });
            if (this.indices.has(index)) return this.send(res, 400, { error: { type: "resource_already_exists_exception", reason: `index [${index}] already exists` } });
            this.indices.set(index, (JSON.parse(body) as { mappings: unknown }).mappings);
            return this.send(res, 200, { acknowledged: true, index });
        }
        const lines = body.split("\n").filter((l) => l !== "");
        const actions: Array<{ index: string; id: string; source: Record<string, unknown> }> = [];
        for (let i = 0; i + 1 < lines.length; i += 2) {
            const action = JSON.parse(lines[i]!) as { index?: { _index: string; _id: string } };
            if (!action.index) return this.send(res, 400, { error: { type: "illegal_argument_exception", reason: "only index actions are expected" } });
            actions.push({ index: action.index._index, id: action.index._id, source: JSON.parse(lines[i + 1]!) });
        }
        const n = this.requests.length;
        this.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, ids: actions.map((a) => a.id) });
        if (req.method !== "POST" || !req.url?.startsWith("/_bulk")) return this.send(res, 404, { error: "not a _bulk request" });
        if (!body.endsWith("\n")) return this.send(res, 400, { error: { type: "illegal_argument_exception", reason: "The bulk request must be terminated by a newline [\\n]" } });
        const plan = this.script(n, actions.map((a) => a.id));
        if (plan && "hangUp" in plan) {
            req.socket.destroy();
            return;
        }
        if (plan && "status" in plan) return this.send(res, plan.status, { error: { type: plan.status === 429 ? "too_many_requests" : "service_unavailable", reason: `scripted ${plan.status}` } });
        const items = actions.map((a) => {
            const status = plan && "itemStatus" in plan ? plan.itemStatus(a.id) : 201;
            if (status >= 200 && status < 300) {
                const existed = this.documents.has(a.id);
                this.documents.set(a.id, a.source);
                return { index: { _index: a.index, _id: a.id, status: existed ? 200 : 201, result: existed ? "updated" : "created" } };
            }
            const type = status === 429 ? "es_rejected_execution_exception" : status === 400 ? "mapper_parsing_exception" : "internal_error";
            return { index: { _index: a.index, _id: a.id, status, error: { type, reason: `scripted ${status}` } } };
        });
        this.send(res, 200, { took: 1, errors: items.some((i) => i.index.status >= 300), items });
    }

    private send(res: http.ServerResponse, status: number, body: unknown): void {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
    }
}

/** SHA-256 hex of a body, as `x-amz-content-sha256` carries it. */
export function sha256Hex(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}
