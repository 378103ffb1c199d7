/**
 * Source archives of the Cloud Functions: esbuild bundles a handler entry into one `index.js` at
 * program time (components/bundling.ts, as on AWS), leaving the Google Cloud client libraries
 * out: they load their protocol definitions from files at run time, so Cloud Build installs them
 * from the archive's `package.json` (pinned to the versions this package was tested with).
 * No container is built on the studio's machine.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { bundleHandler } from "../bundling";

/** Client libraries the handlers require, installed by Cloud Build. */
export const GCP_RUNTIME_DEPENDENCIES = ["@google-cloud/firestore", "@google-cloud/pubsub"] as const;

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** The installed version of a dependency (the archive pins it exactly). */
function installedVersion(name: string): string {
    const manifest = JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`, { paths: [PROJECT_ROOT] }), "utf8")) as { version: string };
    return manifest.version;
}

const cache = new Map<string, GcpFunctionSource>();

/** A bundled function source. */
export interface GcpFunctionSource {
    /** `index.js` */
    code: string;
    /** `package.json` of the archive. */
    packageJson: string;
    /** SHA-256 of both, hex: part of the object name, so a code change deploys a new object. */
    sha256: string;
}

/**
 * Bundles `entry` (relative to the package root) exporting `handler`.
 * @example bundleGcpFunction("functions/gcp/handlers/events.ts")
 */
export function bundleGcpFunction(entry: string): GcpFunctionSource {
    const absolute = path.resolve(PROJECT_ROOT, entry);
    const hit = cache.get(absolute);
    if (hit) return hit;
    const code = bundleHandler(absolute, PROJECT_ROOT, [...GCP_RUNTIME_DEPENDENCIES, "@aws-sdk/*"]);
    const dependencies = Object.fromEntries(GCP_RUNTIME_DEPENDENCIES.filter((d) => code.includes(`require("${d}")`)).map((d) => [d, installedVersion(d)]));
    const packageJson = JSON.stringify({ name: "game-analytics-function", private: true, main: "index.js", engines: { node: ">=22" }, dependencies }, null, 2);
    const sha256 = createHash("sha256").update(code).update(packageJson).digest("hex");
    const source = { code, packageJson, sha256 };
    cache.set(absolute, source);
    return source;
}

/** The zip archive Cloud Functions builds from: `index.js` and `package.json`. */
export function functionArchive(source: GcpFunctionSource): pulumi.asset.AssetArchive {
    return new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.StringAsset(source.code),
        "package.json": new pulumi.asset.StringAsset(source.packageJson),
    });
}
