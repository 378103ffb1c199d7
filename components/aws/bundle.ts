/**
 * Lambda code bundling at program time: esbuild turns one handler entry file into a single
 * minified CommonJS `index.js`, with the AWS SDK v3 left out because the Node.js 22 runtime
 * provides it. The same sources always give byte-identical code, so `pulumi preview` shows no
 * spurious diff; each entry is built once per process.
 *
 * Entries are the handler TypeScript sources (`functions/aws/handlers/*.ts`), which the published
 * package ships next to its compiled `dist/`: the same sources bundle the same way from the
 * repository (this file run by tsx) and from an installed package (`dist/components/aws/bundle.js`).
 */
import * as pulumi from "@pulumi/pulumi";
import { buildSync, type TsconfigRaw } from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The package root (the directory holding package.json and `functions/`): two levels up from
 * `components/aws/` in the repository, three from `dist/components/aws/` in the compiled package.
 */
function packageRoot(componentsDir: string): string {
    const candidates = [path.resolve(componentsDir, "..", ".."), path.resolve(componentsDir, "..", "..", "..")];
    const root = candidates.find((dir) => fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "functions", "aws", "handlers")));
    if (root === undefined) {
        throw new Error(`cannot find the handler sources (functions/aws/handlers) above ${componentsDir}; looked in ${candidates.join(", ")}`);
    }
    return root;
}

/** Package root: esbuild resolves entries against it whatever the current directory is. */
const PROJECT_ROOT = packageRoot(__dirname);

/**
 * The TypeScript options esbuild honours, given inline so that no tsconfig.json is looked up:
 * the bundle does not depend on where the package is installed (a consumer's own tsconfig.json
 * above node_modules never changes it). Same semantics as the repository's tsconfig.json.
 */
const HANDLER_TSCONFIG: TsconfigRaw = { compilerOptions: { target: "ES2022", strict: true, useDefineForClassFields: true } };

/** Bundled code by absolute entry path. */
const bundleCache = new Map<string, string>();

/**
 * Bundles `entry` (a TypeScript or JavaScript file exporting `handler`) and returns its code.
 * Throws with esbuild's messages when the entry does not build.
 */
export function bundleCode(entry: string): string {
    const absoluteEntry = path.resolve(PROJECT_ROOT, entry);
    const cached = bundleCache.get(absoluteEntry);
    if (cached !== undefined) return cached;
    const result = buildSync({
        entryPoints: [absoluteEntry],
        absWorkingDir: PROJECT_ROOT,
        bundle: true,
        platform: "node",
        target: "node22",
        format: "cjs",
        minify: true,
        sourcemap: false,
        legalComments: "none",
        external: ["@aws-sdk/*"],
        tsconfigRaw: HANDLER_TSCONFIG,
        write: false,
        logLevel: "silent",
    });
    const output = result.outputFiles[0];
    if (output === undefined || output.text.length === 0) {
        throw new Error(`bundling ${entry} produced no code`);
    }
    bundleCache.set(absoluteEntry, output.text);
    return output.text;
}

/**
 * A Lambda code archive holding `index.js`, built from `entry` (path relative to the package
 * root, or absolute). Use with `handler: "index.handler"`.
 *
 * @example bundleFunction("functions/aws/handlers/events.ts")
 */
export function bundleFunction(entry: string): pulumi.asset.AssetArchive {
    return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundleCode(entry)) });
}

/** Forgets every cached bundle (tests use it to prove two builds give the same bytes). */
export function clearBundleCache(): void {
    bundleCache.clear();
}
