/**
 * authorizer: latency of `authorizeApiKey` (the Lambda authorizer's logic) with a warm decision
 * cache, and uncached: one GetItem against dynalite (in-process, 127.0.0.1) through the real
 * DynamoDB adapter. Comparisons from the same run: hashing the key alone (the least a cached
 * decision does) and a bare GetItem through the same client.
 */
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { generateApiKey, hashApiKey } from "../functions/core/api-keys";
import { DynamoDbKeyStore } from "../functions/aws/adapters/dynamodb-store";
import { authorizeApiKey, DecisionCache } from "../functions/core/authorize";
import { systemClock } from "../functions/core/ports";
import { startEmbeddedDynamoDb } from "../local/embedded-dynamodb";
import { silenceSdkVersionNotice } from "../local/local-aws";
import { FIXTURE_APPLICATION_ID } from "./fixtures";
import { check, compareRates, median, nowMs, type Benchmark } from "./harness";

export const TARGET_CACHED_MICROSECONDS = 20;

/** Latency in ms of each of `count` sequential calls. */
async function latencies(count: number, call: () => Promise<unknown>): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
        const start = nowMs();
        await call();
        out.push(nowMs() - start);
    }
    return out;
}

function percentile(values: number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const authorizerBenchmark: Benchmark = {
    name: "authorizer",
    title: "API key authorizer (Lambda authorizer logic)",
    async run(options) {
        silenceSdkVersionNotice();
        const dynamo = await startEmbeddedDynamoDb(undefined, "bench");
        try {
            const keys = new DynamoDbKeyStore(dynamo.documentClient, dynamo.authorizationsTable);
            const key = generateApiKey();
            const at = new Date().toISOString();
            await keys.putKey({
                ApiKeyId: "0c4a3b2d-1e5f-4a6b-8c7d-9e0f1a2b3c4d", ApiKeyHash: key.hash, ApiKeyHint: key.hint, ApiKeyName: "bench",
                ApiKeyDescription: "", ApplicationId: FIXTURE_APPLICATION_ID, CreatedAt: at, UpdatedAt: at, Enabled: true,
            });
            const cache = new DecisionCache(300_000);
            const cachedDeps = { keys, clock: systemClock, cache };
            const first = await authorizeApiKey(key.value, FIXTURE_APPLICATION_ID, cachedDeps);
            if (!first.allow) throw new Error(`authorizer benchmark key was denied: ${first.reason}`);

            const callsPerRun = options.tiny ? 10 : 1000;
            const comparison = await compareRates(
                [
                    { label: "hash", units: callsPerRun, run: () => { for (let i = 0; i < callsPerRun; i++) hashApiKey(key.value); } },
                    {
                        label: "cached",
                        units: callsPerRun,
                        run: async () => { for (let i = 0; i < callsPerRun; i++) await authorizeApiKey(key.value, FIXTURE_APPLICATION_ID, cachedDeps); },
                    },
                ],
                { rounds: options.tiny ? 1 : options.quick ? 3 : 9, minRoundMs: options.tiny ? 1 : options.quick ? 100 : 300, warmupRounds: options.tiny ? 0 : 2 },
            );
            const cachedUs = 1e6 / median(comparison.rates.cached!);
            const hashUs = 1e6 / median(comparison.rates.hash!);

            const uncachedDeps = { keys, clock: systemClock };
            const getItem = () => dynamo.documentClient.send(new GetCommand({ TableName: dynamo.authorizationsTable, Key: { api_key_hash: key.hash } }));
            const calls = options.tiny ? 5 : options.quick ? 100 : 400;
            await latencies(Math.min(calls, 50), () => authorizeApiKey(key.value, FIXTURE_APPLICATION_ID, uncachedDeps)); // warm the HTTP connection
            // Interleaved halves, so both sides see the same machine load.
            const uncached: number[] = [];
            const bare: number[] = [];
            for (let half = 0; half < 4; half++) {
                uncached.push(...await latencies(calls / 4, () => authorizeApiKey(key.value, FIXTURE_APPLICATION_ID, uncachedDeps)));
                bare.push(...await latencies(calls / 4, getItem));
            }
            const uncachedMs = median(uncached);
            const bareMs = median(bare);
            return {
                figures: [
                    { name: "cached decision: latency", value: cachedUs, unit: "µs", samples: comparison.rates.cached!.map((r) => 1e6 / r) },
                    { name: "SHA-256 of the key alone: latency", value: hashUs, unit: "µs" },
                    { name: "cached decision / hash alone", value: cachedUs / hashUs, unit: "x" },
                    { name: "uncached decision (dynalite GetItem): median latency", value: uncachedMs * 1000, unit: "µs" },
                    { name: "uncached decision: p95 latency", value: percentile(uncached, 95) * 1000, unit: "µs" },
                    { name: "bare GetItem on the same client: median latency", value: bareMs * 1000, unit: "µs" },
                    { name: "uncached decision / bare GetItem", value: uncachedMs / bareMs, unit: "x" },
                ],
                targets: [check("cached decision latency", cachedUs, "µs", "<", TARGET_CACHED_MICROSECONDS)],
                notes: [
                    `cached: ${callsPerRun} sequential awaited calls per timing, median of interleaved rounds; uncached: ${calls} sequential calls, cache disabled, each one GetItem`,
                    "dynalite is a Node.js emulation of DynamoDB in the same process: the uncached figure is dominated by its HTTP round trip and LevelDB work, not by the authorizer; real DynamoDB single-digit-ms GetItem latency applies in AWS",
                ],
            };
        } finally {
            await dynamo.close();
        }
    },
};
