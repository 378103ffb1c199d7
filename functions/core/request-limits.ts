/**
 * The request size limit of the API, the same in AWS and in local mode.
 *
 * API Gateway accepts bodies up to 10 MB, but with a Lambda proxy integration the whole proxy
 * event (the body as a JSON string, the headers twice (`headers` and `multiValueHeaders`), the
 * request context) is the payload of a synchronous Lambda invoke, limited to 6 MB: "For
 * synchronous invocations, the maximum payload size is 6 MB"
 * (https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html). Above it the function never
 * runs and API Gateway answers 413 `{"message": "Request Too Long"}`. Inside the event the body
 * is JSON-escaped (each `"` and `\` doubled, control characters six bytes) and, for binary media
 * types, base64-encoded (4/3 larger; this API declares none, so JSON bodies arrive as text).
 *
 * So the API promises {@link MAX_REQUEST_BODY_BYTES} of body, which leaves 1 MiB of the invoke
 * payload for the envelope and the escaping of an ordinary JSON batch; the handlers answer a
 * larger body 413 naming that limit. A body within it whose escaped form still overflows the
 * invoke payload (mostly quotes and backslashes) is refused by API Gateway, 413 as well; the
 * local server reproduces that check ({@link proxyEventBytes}).
 */
import type { HttpResponse } from "./contracts";
import { errorResponse } from "./http";

/** Largest request body accepted, bytes (5 MiB). */
export const MAX_REQUEST_BODY_BYTES = 5 * 1024 * 1024;

/** Largest payload of a synchronous Lambda invoke, bytes ("6 MB"; 6 MiB here, the lower reading). */
export const LAMBDA_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Bytes of a proxy event besides body and headers (request context, identity, path, stage...), generously. */
export const PROXY_EVENT_ENVELOPE_BYTES = 4 * 1024;

/** The 413 for a body over {@link MAX_REQUEST_BODY_BYTES}. */
export function bodyTooLarge(bytes: number, headers: Record<string, string> = {}): HttpResponse {
    return errorResponse(
        413,
        "PayloadTooLarge",
        `body: ${bytes} bytes, over the limit of ${MAX_REQUEST_BODY_BYTES} bytes (5 MiB) per request; split the batch`,
        headers,
    );
}

/** The 413 for a request whose proxy event would overflow the Lambda invoke payload. */
export function invokePayloadTooLarge(bytes: number, headers: Record<string, string> = {}): HttpResponse {
    return errorResponse(
        413,
        "PayloadTooLarge",
        `request: about ${bytes} bytes once wrapped as a Lambda proxy event (body JSON-escaped, headers), over the ` +
            `${LAMBDA_SYNC_PAYLOAD_BYTES}-byte (6 MiB) payload limit of a synchronous Lambda invoke; send smaller batches`,
        headers,
    );
}

/** The 413 answer when `body` is over the limit, else undefined. */
export function checkBodySize(body: string | null, headers: Record<string, string> = {}): HttpResponse | undefined {
    if (body === null) return undefined;
    // Cheap bound first: a UTF-8 string has at most 3 bytes per UTF-16 unit, at least 1.
    if (body.length * 3 <= MAX_REQUEST_BODY_BYTES) return undefined;
    const bytes = Buffer.byteLength(body, "utf8");
    return bytes > MAX_REQUEST_BODY_BYTES ? bodyTooLarge(bytes, headers) : undefined;
}

/** Size of the proxy event API Gateway would build for this request, bytes (an upper estimate). */
export function proxyEventBytes(body: string | null, headers: Record<string, string | undefined>): number {
    let headerBytes = 0;
    for (const [name, value] of Object.entries(headers)) {
        if (value !== undefined) headerBytes += Buffer.byteLength(JSON.stringify(name) + JSON.stringify(value)) + 2;
    }
    const bodyBytes = body === null ? 4 : Buffer.byteLength(JSON.stringify(body));
    // Headers appear twice: as `headers` and as `multiValueHeaders` (values in arrays).
    return PROXY_EVENT_ENVELOPE_BYTES + 2 * headerBytes + bodyBytes;
}
