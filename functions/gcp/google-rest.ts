/**
 * Thin REST adapters of Pub/Sub pull/acknowledge and Cloud Monitoring timeSeries.create, with the
 * function's own identity (an access token from the metadata server). Request shapes follow the
 * REST references (`v1/{subscription}:pull`, `v1/{subscription}:acknowledge`,
 * `v3/projects/{p}/timeSeries`); no client library needed.
 */
import type { PulledMessage, TimeSeries } from "./realtime-window";

/** `fetch` as the adapters use it. */
export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{ ok: boolean; status: number; json(): Promise<any>; text(): Promise<string> }>;

export const METADATA_TOKEN_URL = "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token";

/** An access token of the function's service account. */
export async function metadataToken(fetch: Fetch): Promise<string> {
    const res = await fetch(METADATA_TOKEN_URL, { method: "GET", headers: { "Metadata-Flavor": "Google" } });
    if (!res.ok) throw new Error(`metadata server answered ${res.status}`);
    return (await res.json()).access_token as string;
}

async function call(fetch: Fetch, token: () => Promise<string>, url: string, body: unknown): Promise<any> {
    const res = await fetch(url, { method: "POST", headers: { Authorization: `Bearer ${await token()}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return res.json();
}

/** Pub/Sub and Monitoring calls of the real-time function. */
export function googleRest(fetch: Fetch, subscription: string, projectId: string, token: () => Promise<string> = () => metadataToken(fetch)) {
    return {
        async pull(maxMessages: number): Promise<PulledMessage[]> {
            const out = await call(fetch, token, `https://pubsub.googleapis.com/v1/${subscription}:pull`, { maxMessages });
            return ((out.receivedMessages ?? []) as Array<{ ackId: string; message: { data?: string; messageId: string; publishTime: string } }>)
                .map((r) => ({ ackId: r.ackId, data: r.message.data ?? "", messageId: r.message.messageId, publishTime: r.message.publishTime }));
        },
        async acknowledge(ackIds: string[]): Promise<void> {
            if (ackIds.length > 0) await call(fetch, token, `https://pubsub.googleapis.com/v1/${subscription}:acknowledge`, { ackIds });
        },
        async writeTimeSeries(timeSeries: TimeSeries[]): Promise<void> {
            if (timeSeries.length > 0) await call(fetch, token, `https://monitoring.googleapis.com/v3/projects/${projectId}/timeSeries`, { timeSeries });
        },
    };
}
