/**
 * The package as a studio installs it: `npm pack` the repository, install the tarball into a
 * fresh project outside the repository, and run examples/two-pipelines (which imports the
 * package by name) under Pulumi mocks in its own Node.js process. Proves the published file set
 * is complete: the entry point loads, and each Lambda's handler source bundles from inside
 * node_modules.
 *
 * About 15 s (pack, unpack, two pipelines); skip it with GAP_PACKAGE_TEST=0.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const PACKAGE_NAME = "@gap/game-analytics-pipeline";
const enabled = process.env.GAP_PACKAGE_TEST !== "0";

/** Runs the example with mocks that record each registered resource; prints them as JSON. */
const RUNNER = `
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
require("./index.ts");
let last = -1, stable = 0;
const timer = setInterval(() => {
    stable = registered.length === last ? stable + 1 : 0;
    last = registered.length;
    if (stable >= 5) { clearInterval(timer); process.stdout.write("RESOURCES " + JSON.stringify(registered) + "\\n"); process.exit(0); }
}, 100);
`;

(enabled ? describe : describe.skip)("the packed package", function () {
    this.timeout(180_000);
    let workDir: string;

    before(() => {
        workDir = fs.mkdtempSync(path.join(os.tmpdir(), "gap-package-"));
    });
    after(() => {
        if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    });

    it("installs from its tarball and runs the two-pipelines example under mocks", () => {
        const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", workDir], { cwd: ROOT, encoding: "utf8" }));
        const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
        assert.ok(files.every((f) => !f.startsWith("test/")), "no test in the package");
        assert.ok(files.includes("functions/handlers/events.ts"), "handler sources ship for bundling");

        // Unpack the tarball as node_modules/@gap/game-analytics-pipeline (what `npm install <tgz>` does),
        // and link its dependencies from the repository's node_modules: no network needed.
        const project = path.join(workDir, "consumer");
        const installed = path.join(project, "node_modules", PACKAGE_NAME);
        fs.mkdirSync(installed, { recursive: true });
        execFileSync("tar", ["-xzf", path.join(workDir, packed[0].filename), "-C", installed, "--strip-components=1"]);
        for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
            if (entry.startsWith(".") || entry === "@gap") continue;
            fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(project, "node_modules", entry));
        }
        for (const file of ["index.ts", "package.json", "Pulumi.yaml"]) {
            fs.copyFileSync(path.join(ROOT, "examples/two-pipelines", file), path.join(project, file));
        }
        fs.writeFileSync(path.join(project, "run-under-mocks.js"), RUNNER);

        const output = execFileSync(process.execPath, ["--require", "tsx/cjs", "run-under-mocks.js"], { cwd: project, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        const line = output.split("\n").find((l) => l.startsWith("RESOURCES "));
        assert.ok(line, `no resources printed:\n${output.slice(-2000)}`);
        const resources: { type: string; name: string; physical: string; hasCode: boolean }[] = JSON.parse(line.slice("RESOURCES ".length));

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
});
