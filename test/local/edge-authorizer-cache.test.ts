/**
 * Issue 17 point 9, end to end in local mode: a disabled key is refused within the
 * EffectiveWithinSeconds the admin API answers (the authorizer's cache honours the
 * authorizerCacheTtlSeconds setting; local mode has no API Gateway cache in front).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { type LocalPipeline, startLocalPipeline } from "../../local/pipeline";
import { call, tempDir, writeStackFile } from "./helpers";

const event = () => ({ event_id: crypto.randomUUID(), event_type: "t", event_name: "n", event_timestamp: 1_767_614_400 });

for (const ttl of [0, 1]) {
    describe(`local mode: disabling a key with authorizerCacheTtlSeconds ${ttl}`, function () {
        this.timeout(60_000);
        let dir: string;
        let pipeline: LocalPipeline;
        before(async () => {
            dir = tempDir("edge-ttl");
            writeStackFile(dir, "s", { workloadName: "s", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, authorizerCacheTtlSeconds: ttl });
            pipeline = await startLocalPipeline({ stack: "s", configDir: dir, dataRoot: path.join(dir, ".gap"), port: 0, bufferMs: 100, log: () => undefined });
        });
        after(async () => {
            await pipeline?.stop();
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("refuses its events once the promised EffectiveWithinSeconds have passed", async function () {
            const { applicationId, apiKeyId, apiKeyValue } = pipeline.credentials;
            const send = () => call("POST", `${pipeline.url}/applications/${applicationId}/events`, { events: [event()] }, { Authorization: apiKeyValue });
            assert.equal((await send()).status, 200, "the key works (and its decision is cached)");
            const disabled = await call("PUT", `${pipeline.url}/applications/${applicationId}/authorizations/${apiKeyId}`, { Enabled: false });
            assert.equal(disabled.status, 200);
            const promised = disabled.body.EffectiveWithinSeconds as number;
            assert.equal(promised, ttl, "no API Gateway cache locally: the bound is the decision cache's TTL");
            const disabledAt = Date.now();
            // The deadline is counted from the PUT's answer: wait it out, then the key must be refused.
            await new Promise((r) => setTimeout(r, Math.max(0, promised * 1000 - (Date.now() - disabledAt))));
            const after = await send();
            assert.equal(after.status, 403, JSON.stringify(after.body));
        });
    });
}
