/**
 * Lambda code bundling at program time: esbuild turns one handler entry file into a single
 * minified CommonJS `index.js`, with the AWS SDK v3 left out because the Node.js 22 runtime
 * provides it. The same sources always give byte-identical code, so `pulumi preview` shows no
 * spurious diff; each entry is built once per process.
 */
import * as pulumi from "@pulumi/pulumi";
import { buildSync } from "esbuild";
import * as path from "node:path";

/** Repository root: esbuild resolves paths against it whatever the current directory is. */
const PROJECT_ROOT = path.resolve(__dirname, "..");

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
 * A Lambda code archive holding `index.js`, built from `entry` (path relative to the repository
 * root, or absolute). Use with `handler: "index.handler"`.
 *
 * @example bundleFunction("functions/handlers/events.ts")
 */
export function bundleFunction(entry: string): pulumi.asset.AssetArchive {
    return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundleCode(entry)) });
}

/** Forgets every cached bundle (tests use it to prove two builds give the same bytes). */
export function clearBundleCache(): void {
    bundleCache.clear();
}
