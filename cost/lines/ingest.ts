/** API Gateway, the authorizer and ingest Lambdas, and the DynamoDB registry tables. */
import type { CostContext } from "../context";
import { blendedLine, count, line, type LineItem } from "../line-item";
import { HTTP_API_METERING_BYTES, PRICES } from "../prices";
import { lambdaLines } from "./lambda";
import { ASSUMPTIONS } from "../assumptions";

/** REST API price tiers: 333 M, 667 M, 19 B, then the rest (per month, per account). */
export function restApiUsd(requests: number): number {
    const tiers: Array<[number, number]> = [
        [333e6, PRICES.apiGateway.restFirst333M.usd],
        [667e6, PRICES.apiGateway.restNext667M.usd],
        [19e9, PRICES.apiGateway.restNext19B.usd],
        [Infinity, PRICES.apiGateway.restOver20B.usd],
    ];
    let left = requests;
    let usd = 0;
    for (const [size, perMillion] of tiers) {
        const n = Math.min(left, size);
        usd += (n / 1e6) * perMillion;
        left -= n;
        if (left <= 0) break;
    }
    return usd;
}

/** HTTP API: 300 M at the first price, the rest at the second; each started 512 KB is one request. */
export function httpApiUsd(meteredRequests: number): number {
    const first = Math.min(meteredRequests, 300e6);
    return (first / 1e6) * PRICES.apiGateway.httpFirst300M.usd + ((meteredRequests - first) / 1e6) * PRICES.apiGateway.httpOver300M.usd;
}

export function ingestLines(c: CostContext): LineItem[] {
    const items: LineItem[] = [];
    const d = c.design;
    if (d.apiType === "rest") {
        items.push(blendedLine("API Gateway", "REST API requests", c.requests / 1e6, "million requests", restApiUsd(c.requests),
            `${count(c.requests)} requests of ${c.workload.eventsPerRequest} events; tiered from 3.50 USD/M`));
    } else {
        const metered = c.requests * Math.ceil(c.requestBodyBytes / HTTP_API_METERING_BYTES);
        items.push(blendedLine("API Gateway", "HTTP API requests", metered / 1e6, "million requests", httpApiUsd(metered),
            `${count(metered)} metered requests (512 KB increments). Trade-off: no AWS WAF, no per-method throttling, no usage plans; REQUEST authorizer caching differs`));
    }

    const ttl = d.authorizerCacheTtlSeconds;
    items.push(...lambdaLines("authorizer", d.authorizer, c.authorizerInvocations, 0,
        ttl > 0
            ? `cache misses only: ${c.workload.apiKeys} API keys x one per ${ttl} s TTL (of ${count(c.requests)} requests)`
            : "authorizer cache disabled: one per request"));

    if (d.ingest) {
        items.push(...lambdaLines("events (ingest)", d.ingest, c.requests, c.workload.eventsPerRequest,
            "one per request: validates, packs events into sink records, retries failed records"));
    }

    // Registry reads: one GetItem (1 RRU, strongly consistent, item < 4 KB) per authorizer invocation,
    // one application lookup per transform container per application per cache TTL.
    const appTtl = Math.max(1, c.settings.applicationCacheTtlSeconds);
    const appLookups = Math.min(c.transformInvocations * c.workload.applications,
        ASSUMPTIONS.transformContainers * c.workload.applications * Math.ceil(c.seconds / appTtl));
    const reads = c.authorizerInvocations + appLookups;
    items.push(line("DynamoDB", "on-demand reads", reads / 1e6, PRICES.dynamodb.readRequestUnits,
        `${count(c.authorizerInvocations)} key lookups + ${count(appLookups)} application lookups (cached ${appTtl} s per container)`));
    return items;
}
