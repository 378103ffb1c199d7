/** The package's public entry, loaded the way a consumer's program loads it. */
import * as assert from "node:assert/strict";
import * as path from "node:path";

describe("public API", () => {
    const root = path.resolve(__dirname, "..", "..");
    const pkg = require(path.join(root, "package.json")) as { main: string };
    const api = require(path.join(root, pkg.main)) as Record<string, unknown>;

    it("exports every component as a class", () => {
        for (const name of ["GameAnalyticsPipeline", "StorageTier", "EventStream", "RegistryTables", "ProcessingTier", "IngestTier", "OperationsTier", "LambdaFunction"]) {
            assert.equal(typeof api[name], "function", name);
        }
    });

    it("exports the settings model and its validation", () => {
        const validate = api.validateSettings as (raw: Record<string, unknown>) => { ingestMode: string };
        assert.equal(validate({ workloadName: "g" }).ingestMode, "KINESIS_DATA_STREAMS");
        assert.ok(Array.isArray(api.SETTING_KEYS) && typeof api.SettingsError === "function" && typeof api.readStackSettings === "function");
    });
});
