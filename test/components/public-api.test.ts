/**
 * The package's public entry: its API surface (index.ts, loaded from source so no build is
 * needed), and package.json pointing consumers at what the build emits for it. That the compiled
 * entry really loads by package name is proven by test/package/two-pipelines.test.ts.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as ts from "typescript";
import * as api from "../../index";

const ROOT = path.resolve(__dirname, "..", "..");

describe("public API", () => {
    it("exports every component as a class", () => {
        const exported = api as unknown as Record<string, unknown>;
        for (const name of ["GameAnalyticsPipeline", "StorageTier", "EventStream", "RegistryTables", "ProcessingTier", "IngestTier", "OperationsTier", "LambdaFunction"]) {
            assert.equal(typeof exported[name], "function", name);
        }
    });

    it("exports the settings model and its validation", () => {
        assert.equal(api.validateSettings({ workloadName: "g" }).ingestMode, "KINESIS_DATA_STREAMS");
        assert.ok(Array.isArray(api.SETTING_KEYS) && typeof api.SettingsError === "function" && typeof api.readStackSettings === "function");
    });

    it("points main, types and exports at the JavaScript and declarations the build emits for index.ts", () => {
        const pkg = require(path.join(ROOT, "package.json")) as { main: string; types: string; exports: { ".": { types: string; default: string } } };
        const configPath = path.join(ROOT, "tsconfig.build.json");
        const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, ROOT, undefined, configPath);
        const entry = path.join(ROOT, "index.ts");
        assert.ok(config.fileNames.map((f) => path.resolve(f)).includes(entry), "the build compiles index.ts");
        const emitted = ts.getOutputFileNames(config, entry, false).map((f) => path.relative(ROOT, f));
        const js = emitted.find((f) => f.endsWith(".js"));
        const declarations = emitted.find((f) => f.endsWith(".d.ts"));
        assert.deepEqual(
            { main: pkg.main, default: pkg.exports["."].default, types: pkg.types, exportedTypes: pkg.exports["."].types },
            { main: js, default: `./${js}`, types: declarations, exportedTypes: `./${declarations}` },
        );
    });
});
