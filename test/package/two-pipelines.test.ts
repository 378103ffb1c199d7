/**
 * The package as a studio installs it: `npm pack` the repository (its `prepack` compiles to
 * dist/), install the tarball into a fresh project outside the repository, compile
 * examples/two-pipelines against the installed type declarations (what Pulumi's default
 * TypeScript runner does), and run the compiled program with plain `node` (no tsx) under
 * Pulumi mocks. Proves the published file set is complete: `require("@gap/game-analytics-pipeline")`
 * resolves through package.json to compiled JavaScript, the types compile a consumer program,
 * and each Lambda's handler source bundles from inside node_modules into the very bytes the
 * repository bundles.
 *
 * About 25 s (build, pack, compile, two pipelines); skip it with GAP_PACKAGE_TEST=0.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bundleCode } from "../../components/aws/bundle";

const ROOT = path.resolve(__dirname, "../..");
const PACKAGE_NAME = "@gap/game-analytics-pipeline";
const HANDLERS = ["authorizer", "admin", "events", "processing", "realtime-metrics"];
/** Repository areas that are not the library: none of their files may ship. */
const NOT_SHIPPED = ["test/", "bench/", "local/", "tools/", "cost/", "examples/", "stacks/", "components/", "analytics/"];
/**
 * A ceiling for the gzipped tarball that catches an accidentally shipped folder (test data, a
 * build cache), not feature growth: about 440 kB with Iceberg, Redshift, OpenSearch and player
 * auth (December 2026).
 */
const MAX_TARBALL_BYTES = 600_000;
const enabled = process.env.GAP_PACKAGE_TEST !== "0";

/**
 * Run by plain node in the consumer project: resolves the package by name, runs the compiled
 * example under mocks recording each registered resource, hashes the installed package's bundle
 * of each handler, and prints it all as JSON.
 */
const RUNNER = `
const crypto = require("node:crypto");
const pulumi = require("@pulumi/pulumi");
const registered = [];
pulumi.runtime.setMocks({
    newResource(args) {
        const physical = args.inputs.name || args.inputs.bucket || (args.inputs.bucketPrefix ? args.inputs.bucketPrefix + "0001" : args.name + "-0001");
        registered.push({ type: args.type, name: args.name, physical, hasCode: args.inputs.code !== undefined });
        const service = args.type.split(":")[1].split("/")[0];
        return { id: args.type === "aws:s3/bucket:Bucket" ? physical : args.name + "-id",
                 state: { ...args.inputs, name: physical, bucket: physical, arn: "arn:aws:" + service + ":us-east-1:111122223333:" + physical } };
    },
    call(args) {
        return { accountId: "111122223333", region: "us-east-1", name: "us-east-1", partition: "aws", id: "x" };
    },
}, "two-pipelines", "dev", true);
const resolved = require.resolve(${JSON.stringify(PACKAGE_NAME)});
require("./bin/index.js");
const api = require(${JSON.stringify(PACKAGE_NAME)});
async function bundleHashes() {
    const hashes = {};
    for (const handler of ${JSON.stringify(HANDLERS)}) {
        const assets = await api.bundleFunction("functions/aws/handlers/" + handler + ".ts").assets;
        hashes[handler] = crypto.createHash("sha256").update(await assets["index.js"].text).digest("hex");
    }
    return hashes;
}
let last = -1, stable = 0;
const timer = setInterval(async () => {
    stable = registered.length === last ? stable + 1 : 0;
    last = registered.length;
    if (stable < 5) return;
    clearInterval(timer);
    const report = {
        resolved,
        typescriptModulesLoaded: Object.keys(require.cache).filter((f) => /\\.[cm]?tsx?$/.test(f)),
        bundles: await bundleHashes(),
        resources: registered,
    };
    process.stdout.write("REPORT " + JSON.stringify(report) + "\\n");
    process.exit(0);
}, 100);
`;

interface Report {
    resolved: string;
    typescriptModulesLoaded: string[];
    bundles: Record<string, string>;
    resources: { type: string; name: string; physical: string; hasCode: boolean }[];
}

(enabled ? describe : describe.skip)("the packed package", function () {
    this.timeout(180_000);
    let workDir: string;
    let files: string[];
    let tarballBytes: number;
    let installed: string;
    let report: Report;

    before(() => {
        workDir = fs.mkdtempSync(path.join(os.tmpdir(), "gap-package-"));
        // `npm pack` runs `prepack` (npm run build) first; its output goes to stderr.
        const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", workDir], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
        files = packed[0].files.map((f: { path: string }) => f.path);
        tarballBytes = packed[0].size;

        // Unpack the tarball as node_modules/@gap/game-analytics-pipeline (what `npm install <tgz>` does),
        // and link its dependencies from the repository's node_modules: no network needed.
        const project = path.join(workDir, "consumer");
        installed = path.join(project, "node_modules", PACKAGE_NAME);
        fs.mkdirSync(installed, { recursive: true });
        execFileSync("tar", ["-xzf", path.join(workDir, packed[0].filename), "-C", installed, "--strip-components=1"]);
        for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
            if (entry.startsWith(".") || entry === "@gap") continue;
            fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(project, "node_modules", entry));
        }
        for (const file of ["index.ts", "package.json", "Pulumi.yaml", "tsconfig.json"]) {
            fs.copyFileSync(path.join(ROOT, "examples/two-pipelines", file), path.join(project, file));
        }
        fs.writeFileSync(path.join(project, "run-under-mocks.js"), RUNNER);

        // Compile the program against the installed package's declarations, then run it with plain node.
        execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "."], { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        const output = execFileSync(process.execPath, ["run-under-mocks.js"], {
            cwd: project,
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
            env: { ...process.env, NODE_OPTIONS: "" },
        });
        const line = output.split("\n").find((l) => l.startsWith("REPORT "));
        assert.ok(line, `no report printed:\n${output.slice(-2000)}`);
        report = JSON.parse(line.slice("REPORT ".length));
    });
    after(() => {
        if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    });

    it("ships compiled JavaScript, declarations, the Glue script and handler sources, and nothing of the repository's tooling", () => {
        for (const f of ["dist/index.js", "dist/index.d.ts", "dist/components/aws/bundle.js", "dist/components/glue/process_events.py", ...HANDLERS.map((h) => `functions/aws/handlers/${h}.ts`)]) {
            assert.ok(files.includes(f), `${f} is in the tarball`);
        }
        const strays = files.filter((f) => NOT_SHIPPED.some((dir) => f.startsWith(dir)) || (f.endsWith(".ts") && !f.endsWith(".d.ts") && !/^(functions|policy)\//.test(f)));
        assert.deepEqual(strays, []);
        assert.ok(tarballBytes < MAX_TARBALL_BYTES, `tarball is ${tarballBytes} bytes`);
    });

    it("resolves the package by name to its compiled entry and loads no TypeScript", () => {
        assert.equal(fs.realpathSync(report.resolved), fs.realpathSync(path.join(installed, "dist", "index.js")));
        assert.deepEqual(report.typescriptModulesLoaded, []);
    });

    it("runs the two-pipelines example: two pipelines, eight bundled Lambdas named per game, no logical name twice", () => {
        const resources = report.resources;
        assert.equal(resources.filter((r) => r.type === "game-analytics:index:GameAnalyticsPipeline").length, 2);
        const functions = resources.filter((r) => r.type === "aws:lambda/function:Function");
        assert.equal(functions.length, 8);
        assert.ok(functions.every((f) => f.hasCode), "every Lambda got bundled code");
        for (const game of ["shooter", "puzzle"]) {
            assert.equal(functions.filter((f) => f.physical.startsWith(`acme-${game}-dev-`)).length, 4, `the ${game} functions carry its workload name`);
        }
        const names = resources.filter((r) => r.type.startsWith("aws:")).map((r) => `${r.type}::${r.name}`);
        assert.equal(new Set(names).size, names.length, "no two resources share a logical name");
    });

    it("bundles each handler from the installed package into the same bytes as from the repository", () => {
        const fromRepository = Object.fromEntries(HANDLERS.map((h) => [h, createHash("sha256").update(bundleCode(`functions/aws/handlers/${h}.ts`)).digest("hex")]));
        assert.deepEqual(report.bundles, fromRepository);
    });
});
