/**
 * The import graph of functions/ and local/ (issue 11): no circle (type-only imports included),
 * and the neutral core (functions/core) imports nothing from the cloud folder (functions/aws),
 * from local/ or from components/.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/** Repository-relative TypeScript files under `dir`. */
function sources(dir: string): string[] {
    const out: string[] = [];
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = path.posix.join(dir, entry.name);
        if (entry.isDirectory()) out.push(...sources(rel));
        else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(rel);
    }
    return out;
}

/** Repository-relative files `file` imports (static, dynamic, `require`, type-only), relative specifiers only. */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const out: string[] = [];
    for (const match of text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)"(\.{1,2}\/[^"]+)"/g)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!));
        for (const candidate of [`${target}.ts`, `${target}/index.ts`, target]) {
            if (fs.existsSync(path.join(ROOT, candidate)) && fs.statSync(path.join(ROOT, candidate)).isFile()) {
                out.push(candidate);
                break;
            }
        }
    }
    return out;
}

/** The import graph restricted to `files`. */
function graphOf(files: readonly string[]): Map<string, string[]> {
    const inScope = new Set(files);
    return new Map(files.map((f) => [f, importsOf(f).filter((t) => inScope.has(t))]));
}

/** Every circle of `graph`, each as the path that closes it. */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const found: string[][] = [];
    const visit = (file: string): void => {
        state.set(file, "open");
        stack.push(file);
        for (const next of graph.get(file) ?? []) {
            if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
            else if (!state.has(next)) visit(next);
        }
        stack.pop();
        state.set(file, "done");
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    return found;
}

describe("import graph of functions/ and local/", () => {
    const files = [...sources("functions"), ...sources("local")];

    it("sees the imports it checks, and finds a circle where there is one", () => {
        assert.ok(importsOf("local/embedded-kinesis.ts").includes("local/batch-observers.ts"));
        assert.ok(importsOf("local/batch-observers.ts").includes("local/stream-batches.ts"), "type-only imports count");
        assert.deepEqual(circles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]])), [["a", "b", "c", "a"]]);
        assert.deepEqual(circles(new Map([["a", ["b"]], ["b", []], ["d", ["a", "b"]]])), []);
    });

    it("has no circle", () => {
        assert.deepEqual(circles(graphOf(files)).map((c) => c.join(" -> ")), []);
    });

    it("keeps the neutral core free of the cloud folder, local/ and components/", () => {
        const offenders = sources("functions/core").flatMap((f) => importsOf(f)
            .filter((t) => t.startsWith("functions/aws/") || t.startsWith("local/") || t.startsWith("components/"))
            .map((t) => `${f} -> ${t}`));
        assert.deepEqual(offenders, []);
    });
});
