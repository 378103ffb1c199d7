/**
 * The metric sink on OpenSearch: `_bulk` index actions with the documents' own ids (a retry
 * overwrites, never adds), in requests of at most `maxDocumentsPerRequest` documents.
 *
 * Retries, with exponential backoff and full jitter, only what can succeed later: a whole request
 * answered 429 or 5xx (or not answered), and the items of a 200 answer whose own status is 429 or
 * 5xx (`errors: true`). Items refused for good (a 400 mapping error, a 403) are not retried. What is
 * still not written when the attempts run out is returned in `failed`, with its status and reason:
 * the handler reports those windows back to the event source mapping. Never throws for a refused
 * document; the transport is the only I/O (functions/aws/adapters/opensearch-transport.ts).
 */
import { type FailedDocument, METRIC_INDEX_MAPPINGS, type MetricDocument, type MetricSink, type SinkWriteResult } from "../../core/realtime-sink";

/** One `_bulk` call: NDJSON in, status and parsed body out. Throws only when no answer came. */
export interface BulkTransport {
    bulk(ndjson: string): Promise<{ statusCode: number; body: unknown }>;
    /** Creates the index with these mappings unless it exists (throws when neither happened). */
    ensureIndex?(index: string, mappings: Record<string, unknown>): Promise<void>;
}

export interface OpenSearchSinkOptions {
    /** Index the documents go to. @example "game_metrics" */
    index: string;
    /** Attempts per document, the first included. @default 5 */
    maxAttempts?: number;
    /** First backoff, ms; doubles each attempt. @default 200 */
    baseDelayMs?: number;
    /** Largest backoff, ms. @default 5000 */
    maxDelayMs?: number;
    /** Documents per `_bulk` request. @default 500 */
    maxDocumentsPerRequest?: number;
    /** Waits `ms` (tests pass a recorder). @default setTimeout */
    sleep?(ms: number): Promise<void>;
    /** Uniform in [0, 1) for the jitter. @default Math.random */
    random?(): number;
}

/** HTTP statuses worth another attempt. */
export function isRetryableStatus(status: number): boolean {
    return status === 429 || status >= 500 || status === 0;
}

/** The NDJSON body of one `_bulk` request (every line ends with a newline, the last one too). */
export function bulkBody(index: string, documents: readonly MetricDocument[]): string {
    return documents.map((d) => `${JSON.stringify({ index: { _index: index, _id: d.id } })}\n${JSON.stringify(d.source)}\n`).join("");
}

export function createOpenSearchSink(transport: BulkTransport, options: OpenSearchSinkOptions): MetricSink {
    const maxAttempts = options.maxAttempts ?? 5;
    const base = options.baseDelayMs ?? 200;
    const cap = options.maxDelayMs ?? 5000;
    const perRequest = options.maxDocumentsPerRequest ?? 500;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const random = options.random ?? Math.random;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts: must be a whole number of at least 1 (got ${maxAttempts})`);
    if (!Number.isInteger(perRequest) || perRequest < 1) throw new RangeError(`maxDocumentsPerRequest: must be a whole number of at least 1 (got ${perRequest})`);

    let indexReady: Promise<void> | undefined;
    return {
        async write(documents) {
            let pending: MetricDocument[] = [...documents];
            const failed: FailedDocument[] = [];
            let written = 0;
            let requests = 0;
            if (transport.ensureIndex !== undefined && pending.length > 0) {
                try {
                    await (indexReady ??= transport.ensureIndex(options.index, METRIC_INDEX_MAPPINGS));
                } catch (error) {
                    indexReady = undefined; // tried again at the next write
                    return { written: 0, failed: pending.map((document) => ({ document, status: 0, reason: `index ${options.index} not ready: ${(error as Error).message}` })), requests };
                }
            }
            for (let attempt = 1; pending.length > 0; attempt++) {
                const retry: FailedDocument[] = [];
                for (let i = 0; i < pending.length; i += perRequest) {
                    const chunk = pending.slice(i, i + perRequest);
                    requests++;
                    const outcome = await sendChunk(transport, options.index, chunk);
                    written += outcome.written;
                    failed.push(...outcome.refused);
                    retry.push(...outcome.retryable);
                }
                if (retry.length === 0) break;
                if (attempt >= maxAttempts) {
                    failed.push(...retry);
                    break;
                }
                await sleep(Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1))));
                pending = retry.map((r) => r.document);
            }
            return { written, failed, requests } satisfies SinkWriteResult;
        },
    };
}

interface ChunkOutcome {
    written: number;
    retryable: FailedDocument[];
    refused: FailedDocument[];
}

async function sendChunk(transport: BulkTransport, index: string, chunk: MetricDocument[]): Promise<ChunkOutcome> {
    const all = (status: number, reason: string): FailedDocument[] => chunk.map((document) => ({ document, status, reason }));
    let answer: { statusCode: number; body: unknown };
    try {
        answer = await transport.bulk(bulkBody(index, chunk));
    } catch (error) {
        return { written: 0, retryable: all(0, `no answer: ${(error as Error).message}`), refused: [] };
    }
    const { statusCode, body } = answer;
    if (statusCode < 200 || statusCode >= 300) {
        const reason = `bulk request answered ${statusCode}${errorReason(body) ? `: ${errorReason(body)}` : ""}`;
        return isRetryableStatus(statusCode) ? { written: 0, retryable: all(statusCode, reason), refused: [] } : { written: 0, retryable: [], refused: all(statusCode, reason) };
    }
    const items = isObject(body) && Array.isArray(body.items) ? body.items : undefined;
    if (items === undefined || items.length !== chunk.length) {
        // An answer we cannot match to the documents: nothing is known written; the ids make a resend safe.
        return { written: 0, retryable: all(statusCode, `bulk answer without one item per document (${items?.length ?? "no"} items for ${chunk.length})`), refused: [] };
    }
    const outcome: ChunkOutcome = { written: 0, retryable: [], refused: [] };
    items.forEach((item, i) => {
        const result = isObject(item) ? (Object.values(item)[0] as unknown) : undefined;
        const status = isObject(result) && typeof result.status === "number" ? result.status : 0;
        if (status >= 200 && status < 300) {
            outcome.written++;
            return;
        }
        const failure = { document: chunk[i]!, status, reason: errorReason(result) ?? `item answered ${status}` };
        (isRetryableStatus(status) ? outcome.retryable : outcome.refused).push(failure);
    });
    return outcome;
}

/** `error.type: error.reason` of an OpenSearch error body or bulk item, when there is one. */
function errorReason(value: unknown): string | undefined {
    if (!isObject(value)) return undefined;
    const error = value.error;
    if (typeof error === "string") return error;
    if (isObject(error)) return [error.type, error.reason].filter((x) => typeof x === "string").join(": ") || undefined;
    return typeof value.message === "string" ? value.message : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
