/** The GCP function archives: one index.js per handler, the client libraries left to Cloud Build, pinned. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { bundleGcpFunction } from "../../components/gcp/function-source";

const version = (name: string) => JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), "utf8")).version as string;

describe("GCP function sources", function () {
    this.timeout(60_000);

    it("bundles each handler with the shared core, requiring only the client libraries it uses, pinned", () => {
        const events = bundleGcpFunction("functions/gcp/handlers/events.ts");
        const manifest = JSON.parse(events.packageJson);
        assert.deepEqual(manifest.dependencies, { "@google-cloud/firestore": version("@google-cloud/firestore"), "@google-cloud/pubsub": version("@google-cloud/pubsub") });
        assert.match(events.code, /exports|module\.exports/);
        assert.ok(events.code.includes("event_timestamp"), "the shared core's schema is bundled in");
        assert.ok(!/@aws-sdk|@aws-lambda-powertools/.test(events.code), "nothing of AWS");
        const realtime = bundleGcpFunction("functions/gcp/handlers/realtime.ts");
        assert.deepEqual(JSON.parse(realtime.packageJson).dependencies, {}, "the real-time function uses REST only");
        assert.notEqual(events.sha256, realtime.sha256);
    });
});
