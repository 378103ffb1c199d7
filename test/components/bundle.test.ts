/** Lambda bundling at program time: real esbuild builds of the four handlers. */
import * as assert from "node:assert/strict";
import { bundleCode, bundleFunction, clearBundleCache } from "../../components/aws/bundle";

const HANDLERS = ["authorizer", "admin", "events", "processing"].map((h) => `functions/aws/handlers/${h}.ts`);

describe("bundleFunction", () => {
    it("builds byte-identical code from the same sources, so previews show no spurious diff", () => {
        clearBundleCache();
        const first = HANDLERS.map(bundleCode);
        clearBundleCache();
        const second = HANDLERS.map(bundleCode);
        assert.deepEqual(second, first);
    });

    it("leaves the AWS SDK v3 to the Lambda runtime and bundles everything else", () => {
        const code = bundleCode("functions/aws/handlers/events.ts");
        assert.match(code, /require\("@aws-sdk\/client-(firehose|kinesis)"\)/);
        assert.doesNotMatch(code, /require\("(ajv|@aws-lambda-powertools\/logger)"\)/);
    });

    it("exports the handler as CommonJS", () => {
        const exported: Record<string, unknown> = {};
        const module = { exports: exported };
        // The bundle only requires @aws-sdk/* at load time; give it the installed SDK.
        new Function("module", "exports", "require", bundleCode("functions/aws/handlers/authorizer.ts"))(module, exported, require);
        assert.equal(typeof (module.exports as Record<string, unknown>).handler, "function");
    });

    it("archives the code as index.js only", async () => {
        const archive = bundleFunction("functions/aws/handlers/admin.ts");
        assert.deepEqual(Object.keys(await archive.assets), ["index.js"]);
    });

    it("fails with esbuild's message when an entry does not exist", () => {
        assert.throws(() => bundleCode("functions/aws/handlers/missing.ts"), /Could not resolve|missing\.ts/);
    });
});
