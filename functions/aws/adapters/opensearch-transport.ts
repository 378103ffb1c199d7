/**
 * The `_bulk` transport of the OpenSearch sink: the OpenSearch JavaScript client signing every
 * request with SigV4 for OpenSearch Serverless (service `aoss`), with the client's own retries off
 * (the sink retries item by item). An HTTP error status is returned, not thrown, so the sink sees
 * 429 and 5xx answers; only a request that got no answer throws.
 */
import { Client, errors } from "@opensearch-project/opensearch";
import { AwsSigv4Signer } from "@opensearch-project/opensearch/aws";
import type { BulkTransport } from "./opensearch-sink";

/** AWS credentials as the signer takes them. */
export interface SigningCredentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
}

export interface OpenSearchTransportOptions {
    /** Collection endpoint. @example "https://abc123.us-east-1.aoss.amazonaws.com" */
    endpoint: string;
    /** Region of the collection. @example "us-east-1" */
    region: string;
    /** The function role's credentials (Lambda's environment). */
    getCredentials(): Promise<SigningCredentials>;
    /** Per-request timeout, ms. @default 10000 */
    requestTimeoutMs?: number;
}

/** A signed `_bulk` transport to an OpenSearch Serverless collection. */
export function openSearchTransport(options: OpenSearchTransportOptions): BulkTransport {
    const client = new Client({
        ...AwsSigv4Signer({ region: options.region, service: "aoss", getCredentials: options.getCredentials }),
        node: options.endpoint,
        maxRetries: 0,
        requestTimeout: options.requestTimeoutMs ?? 10_000,
    });
    return {
        async bulk(ndjson) {
            try {
                // The client sends a string bulk body as it is (its types only list the array form).
                const response = await client.bulk({ body: ndjson as unknown as Parameters<Client["bulk"]>[0]["body"] });
                return { statusCode: response.statusCode ?? 0, body: response.body };
            } catch (error) {
                if (error instanceof errors.ResponseError) return { statusCode: error.statusCode ?? error.meta?.statusCode ?? 0, body: error.body ?? error.meta?.body };
                throw error;
            }
        },
        async ensureIndex(index, mappings) {
            try {
                await client.indices.create({ index, body: { mappings } as never });
            } catch (error) {
                const type = error instanceof errors.ResponseError ? (error.body as { error?: { type?: string } } | undefined)?.error?.type : undefined;
                if (type !== "resource_already_exists_exception") throw error;
            }
        },
    };
}

/** Credentials Lambda puts in the function's environment (the execution role's session). */
export function environmentCredentials(env: NodeJS.ProcessEnv = process.env): () => Promise<SigningCredentials> {
    return async () => {
        const accessKeyId = env.AWS_ACCESS_KEY_ID;
        const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
        if (!accessKeyId || !secretAccessKey) throw new Error("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are required to sign OpenSearch requests");
        return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
    };
}
