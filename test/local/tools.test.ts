import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { validateGameEvent } from "../../functions/core/event-schema";
import { formatTable } from "../../tools/table-format";
import { EVENT_TYPES, SyntheticEventGenerator } from "../../tools/synthetic-events";
import { tempDir } from "./helpers";

const ROOT = path.resolve(__dirname, "../..");

function runTool(tool: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ["--require", "tsx/cjs", path.join(ROOT, "tools", tool), ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("synthetic events", function () {
    it("generates every event type of the guidance, each valid against the event schema", function () {
        const events = new SyntheticEventGenerator({ seed: 3 }).batch(3000);
        assert.deepEqual(new Set(events.map((g) => g.event.event_type)), new Set(EVENT_TYPES.map((t) => t.type)));
        const invalid = events.filter((g) => !validateGameEvent(g.event).valid);
        assert.deepEqual(invalid, []);
    });

    it("marks exactly the events that break the schema as invalid", function () {
        const events = new SyntheticEventGenerator({ seed: 4, invalidRatio: 0.3 }).batch(1000);
        const mismatches = events.filter((g) => g.valid !== validateGameEvent(g.event).valid);
        assert.equal(mismatches.length, 0);
        assert.ok(events.some((g) => !g.valid));
    });

    it("is reproducible from its seed", function () {
        const a = new SyntheticEventGenerator({ seed: 9, now: () => 1_800_000_000 }).batch(50);
        const b = new SyntheticEventGenerator({ seed: 9, now: () => 1_800_000_000 }).batch(50);
        assert.deepEqual(a, b);
    });
});

describe("query and send-events command lines", function () {
    this.timeout(60_000);

    it("query: an empty lake is a clear message and exit 1, without a stack trace", function () {
        const dir = tempDir("query-cli");
        try {
            const r = runTool("query.ts", ["--named", "TotalEvents", "--config-dir", dir, "--data-dir", path.join(dir, ".gap")]);
            assert.equal(r.status, 1);
            assert.match(r.stderr, /^Error: the lake of stack "dev" is empty/);
            assert.doesNotMatch(r.stderr, /\n\s+at /);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("send-events: a bad option value names the option and the rule", function () {
        const r = runTool("send-events.ts", ["--count", "0", "--dry-run"]);
        assert.deepEqual([r.status, r.stderr.trim()], [1, 'Error: --count: must be a whole number from 1 up (got "0")']);
    });

    it("formats rows as an aligned table with numbers right-aligned", function () {
        assert.equal(formatTable(["name", "n"], [{ name: "a", n: 5 }, { name: "bbb", n: 120 }]),
            "name |   n\n-----+----\na    |   5\nbbb  | 120\n(2 rows)");
    });
});
