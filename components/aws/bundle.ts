/**
 * Lambda code bundling at program time (components/bundling.ts): one handler entry file becomes
 * a single `index.js`, with the AWS SDK v3 left out because the Node.js 22 runtime provides it;
 * each entry is built once per process.
 *
 * Entries are the handler TypeScript sources (`functions/aws/handlers/*.ts`), which the published
 * package ships next to its compiled `dist/`: the same sources bundle the same way from the
 * repository (this file run by tsx) and from an installed package (`dist/components/aws/bundle.js`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";
import { bundleHandler } from "../bundling";

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
    // The Node.js 22 runtime provides the AWS SDK v3.
    const code = bundleHandler(absoluteEntry, PROJECT_ROOT, ["@aws-sdk/*"]);
    bundleCache.set(absoluteEntry, code);
    return code;
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
