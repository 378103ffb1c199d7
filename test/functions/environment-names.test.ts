/**
 * One source of the functions' environment variable names (functions/core/environment-names.ts):
 * the components write only those names, the handlers read only those names, nobody spells them
 * as string literals, and no component imports a Lambda entry module.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { GameAnalyticsPipeline } from "../../components/pipeline";
import { ENVIRONMENT_VARIABLES } from "../../functions/core/environment-names";
import { MockRecorder, valueOf } from "../support/pulumi-mocks";

const ROOT = path.resolve(__dirname, "../..");

/** The TypeScript sources under `dir` (relative to the repository), recursively. */
function sources(dir: string): string[] {
    const out: string[] = [];
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = path.join(dir, entry.name);
        if (entry.isDirectory()) out.push(...sources(rel));
        else if (entry.name.endsWith(".ts")) out.push(rel);
    }
    return out;
}

/** Environment variable names of every Lambda function the pipeline registers with `args`. */
async function lambdaEnvironmentNames(args: ConstructorParameters<typeof GameAnalyticsPipeline>[1]): Promise<string[]> {
    const mocks = new MockRecorder();
    await mocks.install();
    const pipeline = new GameAnalyticsPipeline("game1", args);
    await valueOf(pipeline.dashboardUrl);
    const functions = (await mocks.settle()).filter((r) => r.type === "aws:lambda/function:Function");
    assert.ok(functions.length >= 4, "the pipeline registers its Lambda functions");
    return functions.flatMap((f) => Object.keys((f.inputs.environment as { variables?: Record<string, unknown> } | undefined)?.variables ?? {}));
}

describe("environment variable names: one source for components and handlers", function () {
    this.timeout(60_000);

    it("lists each name once, spelled as its own value", () => {
        assert.equal(new Set(ENVIRONMENT_VARIABLES).size, ENVIRONMENT_VARIABLES.length);
        for (const name of ENVIRONMENT_VARIABLES) assert.match(name, /^[A-Z][A-Z0-9_]*$/);
    });

    for (const args of [
        { workloadName: "game1", ingestMode: "KINESIS_DATA_STREAMS" as const, realTimeAnalytics: true },
        { workloadName: "game1", ingestMode: "DIRECT_BATCH" as const, realTimeAnalytics: false },
    ]) {
        it(`gives the Lambdas of ${args.ingestMode} only names of the one source`, async () => {
            const names = await lambdaEnvironmentNames(args);
            const unknown = names.filter((n) => !(ENVIRONMENT_VARIABLES as readonly string[]).includes(n));
            assert.deepEqual(unknown, []);
            if (args.realTimeAnalytics) assert.ok(names.includes("REALTIME_TOP_N"));
        });
    }

    it("has no component import a Lambda entry module (functions/aws/handlers)", () => {
        const offenders = sources("components").filter((f) => /from\s+"[^"]*functions\/(aws\/)?handlers\//.test(fs.readFileSync(path.join(ROOT, f), "utf8")));
        assert.deepEqual(offenders, []);
    });

    it("has no handler or component spell a name as a string literal or a literal key", () => {
        const offenders: string[] = [];
        for (const file of [...sources("functions/aws/handlers"), ...sources("components")]) {
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            for (const name of ENVIRONMENT_VARIABLES) {
                if (new RegExp(`["'\`]${name}["'\`]|^\\s*${name}\\s*:|[{,]\\s*${name}\\s*:|\\.${name}\\b`, "m").test(text)) offenders.push(`${file}: ${name}`);
            }
        }
        assert.deepEqual(offenders, []);
    });
});
