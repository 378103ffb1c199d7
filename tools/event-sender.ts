/**
 * Sends synthetic events to an events endpoint (local or deployed: a plain HTTPS POST with the API
 * key in the Authorization header), concurrency-bounded and optionally rate-limited, and tallies
 * what the API answered.
 */
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

/** Sends `count` events and returns the tally. Never throws for API or network errors: it counts them. */
export async function sendEvents(options: SendOptions): Promise<SendSummary> {
    const batchSize = Math.max(1, options.batchSize ?? 100);
    const concurrency = Math.max(1, options.concurrency ?? 4);
    const rate = options.rate ?? 0;
    const maxAttempts = options.maxAttempts ?? 3;
    const url = `${options.endpoint.replace(/\/+$/, "")}/applications/${encodeURIComponent(options.applicationId)}/events`;
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
        const body = JSON.stringify({ events: batch.map((g) => g.event) });
        for (let attempt = 1; ; attempt++) {
            let response: Response;
            try {
                response = await fetch(url, {
                    method: "POST",
                    headers: { "Content-Type": "application/json", Authorization: options.apiKey },
                    body,
                });
            } catch (error) {
                const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
                count(`network: ${cause}`, batch.length);
                summary.rejected += batch.length;
                return;
            }
            summary.requests += 1;
            const text = await response.text();
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
    await Promise.all(Array.from({ length: concurrency }, worker));
    summary.elapsedMs = Date.now() - started;
    summary.eventsPerSecond = summary.elapsedMs > 0 ? Math.round((summary.sent / summary.elapsedMs) * 1000) : summary.sent;
    return summary;
}
