/**
 * An AWS SDK request handler that hands each request to a Node.js HTTP request listener in the same
 * process (an embedded service such as kinesalite), without a socket: the listener gets the
 * method, path, headers and body it would have read from loopback TCP, and its answer goes back to
 * the SDK as status, headers and body bytes. The SDK still serializes, signs, retries and
 * deserializes; the service still parses and validates every request. What is saved is the
 * loopback hop: socket writes of every body in both directions, HTTP framing and parsing on both
 * sides, and the re-assembly of large bodies from 64 KiB chunks (kinesalite concatenates each
 * chunk onto the body received so far).
 *
 * The listener sees a minimal request (`method`, `url`, lower-cased `headers`, one `data` event
 * with the whole body, then `end`) and a minimal response (`statusCode`, `setHeader`, `getHeader`,
 * `end`). That is the whole surface kinesalite's handler uses; a listener needing more (sockets,
 * streaming responses, trailers) is not supported.
 */
import { EventEmitter } from "node:events";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";

/** The request the SDK hands its request handler (the fields this handler reads). */
export interface SdkHttpRequest {
    method: string;
    path: string;
    query?: Record<string, string | (string | null)[] | null>;
    headers: Record<string, string>;
    body?: unknown;
}

/** The response given back to the SDK (a body of bytes is collected as is). */
export interface SdkHttpResponse {
    statusCode: number;
    headers: Record<string, string>;
    body: Uint8Array;
}

/** The request of the listener: an event emitter with the fields of an IncomingMessage it reads. */
class InProcessRequest extends EventEmitter {
    readonly httpVersion = "1.1";
    constructor(readonly method: string, readonly url: string, readonly headers: Record<string, string>) {
        super();
    }
}

/** The response of the listener: collects status, headers and the body given to `end`. */
class InProcessResponse {
    statusCode = 200;
    private readonly headers: Record<string, string> = {};
    private finished = false;

    constructor(private readonly onEnd: (response: SdkHttpResponse) => void) {}

    setHeader(name: string, value: string | number | readonly string[]): this {
        this.headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
        return this;
    }

    getHeader(name: string): string | undefined {
        return this.headers[name.toLowerCase()];
    }

    removeHeader(name: string): void {
        delete this.headers[name.toLowerCase()];
    }

    end(body?: string | Uint8Array | null): this {
        if (this.finished) return this;
        this.finished = true;
        const bytes = body === undefined || body === null ? new Uint8Array(0) : typeof body === "string" ? Buffer.from(body, "utf8") : body;
        this.onEnd({ statusCode: this.statusCode, headers: this.headers, body: bytes });
        return this;
    }
}

/** Request path with its query string, as an HTTP request line carries it. */
function requestUrl(request: SdkHttpRequest): string {
    const query = request.query ?? {};
    const parts: string[] = [];
    for (const [key, value] of Object.entries(query)) {
        const values = Array.isArray(value) ? value : [value];
        for (const v of values) parts.push(v === null ? encodeURIComponent(key) : `${encodeURIComponent(key)}=${encodeURIComponent(v)}`);
    }
    return parts.length > 0 ? `${request.path}?${parts.join("&")}` : request.path;
}

function bodyBytes(body: unknown): Buffer | undefined {
    if (body === undefined || body === null) return undefined;
    if (typeof body === "string") return Buffer.from(body, "utf8");
    if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    throw new TypeError("in-process HTTP: only string and byte bodies are supported");
}

/**
 * Request handler for an SDK client (its `requestHandler` setting) that serves every request with
 * `listener`. The client's endpoint still names a host (it is signed) but nothing connects to it.
 */
export class InProcessHttpHandler {
    readonly metadata = { handlerProtocol: "http/1.1" };

    constructor(private readonly listener: RequestListener) {}

    handle(request: SdkHttpRequest, options?: { abortSignal?: { aborted: boolean } }): Promise<{ response: SdkHttpResponse }> {
        if (options?.abortSignal?.aborted) return Promise.reject(Object.assign(new Error("Request aborted"), { name: "AbortError" }));
        return new Promise((resolve, reject) => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
            let body: Buffer | undefined;
            try {
                body = bodyBytes(request.body);
            } catch (error) {
                reject(error);
                return;
            }
            if (body !== undefined) headers["content-length"] = String(body.length);
            const req = new InProcessRequest(request.method, requestUrl(request), headers);
            const res = new InProcessResponse((response) => resolve({ response }));
            try {
                this.listener(req as unknown as IncomingMessage, res as unknown as ServerResponse);
            } catch (error) {
                reject(error);
                return;
            }
            // Like a socket: the body arrives after the listener attached its handlers.
            process.nextTick(() => {
                try {
                    if (body !== undefined && body.length > 0) req.emit("data", body);
                    req.emit("end");
                } catch (error) {
                    reject(error);
                }
            });
        });
    }

    updateHttpClientConfig(): void {
        // Nothing to configure: no connections, no timeouts.
    }

    httpHandlerConfigs(): Record<string, never> {
        return {};
    }

    destroy(): void {
        // Nothing to release.
    }
}
