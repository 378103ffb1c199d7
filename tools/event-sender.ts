/**
 * Sends synthetic events to an events endpoint (local or deployed: a plain HTTPS POST with the API
 * key in the Authorization header), concurrency-bounded and optionally rate-limited, and tallies
 * what the API answered.
 *
 * Requests go through node:http / node:https with a keep-alive agent of `concurrency` sockets,
 * not fetch: fetch's web streams cost the sender about as much CPU per request as generating the
 * events, which on a small machine is taken from the pipeline being measured.
 */
import * as http from "node:http";
import * as https from "node:https";
import { GeneratedEvent, SyntheticEventGenerator } from "./synthetic-events";

export interface SendOptions {
    /** Base URL with the stage, e.g. https://abc.execute-api.us-east-1.amazonaws.com/live */
    endpoint: string;
    applicationId: string;
    apiKey: string;
    count: number;
    /** Events per request. @default 100 */
    batchSize?: number;
    /** Requests in flight at once. @default 4 */
    concurrency?: number;
    /** Events per second; 0 = as fast as possible. @default 0 */
    rate?: number;
    generator: SyntheticEventGenerator;
    /** Called after each request with the events sent so far. */
    onProgress?(sent: number): void;
    /** Called with each request's events before it is sent. */
    onBatch?(events: GeneratedEvent[]): void;
    /** Attempts of a request answered 429/503 (nothing stored). @default 3 */
    maxAttempts?: number;
}

export interface SendSummary {
    /** Events sent (in requests that got an answer or failed for good). */
    sent: number;
    /** Events answered `Result: "Ok"`. */
    accepted: number;
    /** Events answered `Result: "Error"` or lost in a failed request. */
    rejected: number;
    /** Generated events that were valid / invalid. */
    generatedValid: number;
    generatedInvalid: number;
    requests: number;
    /** Counts by per-event ErrorCode, by `HTTP <status>` of failed requests, by network error. */
    errors: Record<string, number>;
    elapsedMs: number;
    eventsPerSecond: number;
    /** Ids of the events answered Ok (for tests that check the lake). */
    acceptedEventIds: string[];
}

interface IngestAnswer {
    Events?: { Result: string; ErrorCode?: string }[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** An answer: status and body text. */
interface HttpAnswer {
    status: number;
    text: string;
}

/**
 * POSTs `body` to `url` through `agent` and reads the whole answer. Rejects on network errors,
 * except that a request on a kept-alive socket the server had just closed (ECONNRESET before any
 * answer: the server never read it) is sent once more on a new socket, as Node.js documents.
 */
function post(url: URL, agent: http.Agent, headers: Record<string, string>, body: Buffer, resend = true): Promise<HttpAnswer> {
    const request = url.protocol === "https:" ? https.request : http.request;
    return new Promise((resolve, reject) => {
        let answered = false;
        const req = request(url, { method: "POST", agent, headers: { ...headers, "Content-Length": String(body.length) } }, (res) => {
            answered = true;
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", reject);
        });
        req.on("error", (error: Error & { code?: string }) => {
            if (resend && !answered && req.reusedSocket && error.code === "ECONNRESET") resolve(post(url, agent, headers, body, false));
            else reject(error);
        });
        req.end(body);
    });
}

/** Sends `count` events and returns the tally. Never throws for API or network errors: it counts them. */
export async function sendEvents(options: SendOptions): Promise<SendSummary> {
    const batchSize = Math.max(1, options.batchSize ?? 100);
    const concurrency = Math.max(1, options.concurrency ?? 4);
    const rate = options.rate ?? 0;
    const maxAttempts = options.maxAttempts ?? 3;
    const url = new URL(`${options.endpoint.replace(/\/+$/, "")}/applications/${encodeURIComponent(options.applicationId)}/events`);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`endpoint must be an http(s) URL: ${options.endpoint}`);
    const agent = new (url.protocol === "https:" ? https.Agent : http.Agent)({ keepAlive: true, maxSockets: concurrency });
    const headers = { "Content-Type": "application/json", Authorization: options.apiKey };
    const summary: SendSummary = {
        sent: 0, accepted: 0, rejected: 0, generatedValid: 0, generatedInvalid: 0, requests: 0,
        errors: {}, elapsedMs: 0, eventsPerSecond: 0, acceptedEventIds: [],
    };
    const count = (key: string, n = 1): void => {
        summary.errors[key] = (summary.errors[key] ?? 0) + n;
    };
    const started = Date.now();
    let generated = 0;

    const sendOne = async (batch: GeneratedEvent[]): Promise<void> => {
        const body = Buffer.from(JSON.stringify({ events: batch.map((g) => g.event) }), "utf8");
        for (let attempt = 1; ; attempt++) {
            let response: HttpAnswer;
            try {
                response = await post(url, agent, headers, body);
            } catch (error) {
                const cause = (error as { code?: string }).code ?? (error as Error).message;
                count(`network: ${cause}`, batch.length);
                summary.rejected += batch.length;
                return;
            }
            summary.requests += 1;
            const text = response.text;
            if ((response.status === 429 || response.status === 503) && attempt < maxAttempts) {
                await sleep(200 * 2 ** attempt);
                continue;
            }
            if (response.status !== 200) {
                count(`HTTP ${response.status}`, batch.length);
                summary.rejected += batch.length;
                return;
            }
            let results: NonNullable<IngestAnswer["Events"]>;
            try {
                results = (JSON.parse(text) as IngestAnswer).Events ?? [];
            } catch {
                count("InvalidResponse", batch.length);
                summary.rejected += batch.length;
                return;
            }
            batch.forEach((g, i) => {
                const result = results[i];
                if (result?.Result === "Ok") {
                    summary.accepted += 1;
                    summary.acceptedEventIds.push(String(g.event.event_id));
                } else {
                    summary.rejected += 1;
                    count(result?.ErrorCode ?? "MissingResult");
                }
            });
            return;
        }
    };

    const worker = async (): Promise<void> => {
        while (generated < options.count) {
            const size = Math.min(batchSize, options.count - generated);
            const firstIndex = generated;
            generated += size;
            if (rate > 0) {
                const due = started + (firstIndex / rate) * 1000;
                if (due > Date.now()) await sleep(due - Date.now());
            }
            const batch = options.generator.batch(size);
            for (const g of batch) {
                if (g.valid) summary.generatedValid += 1;
                else summary.generatedInvalid += 1;
            }
            options.onBatch?.(batch);
            await sendOne(batch);
            summary.sent += size;
            options.onProgress?.(summary.sent);
        }
    };
    try {
        await Promise.all(Array.from({ length: concurrency }, worker));
    } finally {
        agent.destroy();
    }
    summary.elapsedMs = Date.now() - started;
    summary.eventsPerSecond = summary.elapsedMs > 0 ? Math.round((summary.sent / summary.elapsedMs) * 1000) : summary.sent;
    return summary;
}
