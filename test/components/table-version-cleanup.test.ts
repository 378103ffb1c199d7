/**
 * The Glue table-version cleanup's state machine, run step by step by a small interpreter of its
 * own definition (the states, their Choice conditions and Assign expressions as written) against
 * an in-memory Glue whose GetTableVersions pages newest first: every version beyond the newest
 * page is deleted, the newest page is kept, and a run stops at MAX_ROUNDS.
 */
import * as assert from "node:assert/strict";
import { cleanupDefinition, MAX_ROUNDS, VERSIONS_PER_PAGE } from "../../components/aws/iceberg/table-version-cleanup";

type State = { Type: string; Resource?: string; Arguments?: Record<string, unknown>; Assign?: Record<string, unknown>; Next?: string; Choices?: { Condition: string; Next: string }[]; Default?: string };

/** In-memory Glue: versions "1".."n", newest first, pages of MaxResults with a numeric NextToken. */
class FakeGlue {
    versions: string[];
    calls: string[] = [];
    constructor(n: number) {
        this.versions = Array.from({ length: n }, (_, i) => String(n - i));
    }
    getTableVersions(args: Record<string, unknown>): { TableVersions: { VersionId: string }[]; NextToken?: string } {
        this.calls.push("get");
        const start = args.NextToken === undefined ? 0 : Number(args.NextToken);
        const max = Number(args.MaxResults);
        const page = this.versions.slice(start, start + max);
        return { TableVersions: page.map((VersionId) => ({ VersionId })), ...(start + max < this.versions.length ? { NextToken: String(start + max) } : {}) };
    }
    batchDeleteTableVersion(args: Record<string, unknown>): object {
        this.calls.push("delete");
        const ids = args.VersionIds as string[];
        assert.ok(ids.length <= 100, "BatchDeleteTableVersion takes at most 100 ids");
        assert.ok(!ids.includes(this.versions[0]!), "never the current version");
        this.versions = this.versions.filter((v) => !ids.includes(v));
        return { Errors: [] };
    }
}

/** Evaluates the few JSONata forms the definition uses, with its variables. */
function evaluate(expr: unknown, vars: Record<string, unknown>, result: any): unknown {
    if (typeof expr !== "string" || !expr.startsWith("{%")) return expr;
    const body = expr.slice(2, -2).trim();
    if (body === "$states.result.NextToken") return result?.NextToken;
    if (body === "[$states.result.TableVersions.VersionId]") return result.TableVersions.map((v: { VersionId: string }) => v.VersionId);
    if (body === "$next") return vars.next;
    if (body === "$ids") return vars.ids;
    if (body === "$rounds + 1") return (vars.rounds as number) + 1;
    const choice = /^\$exists\(\$next\) and \$next != null and \$rounds < (\d+)$/.exec(body);
    if (choice) return vars.next !== undefined && vars.next !== null && (vars.rounds as number) < Number(choice[1]);
    throw new Error(`expression not understood by the test interpreter: ${body}`);
}

function run(glue: FakeGlue): void {
    const definition = JSON.parse(cleanupDefinition("db", "t")) as { StartAt: string; States: Record<string, State> };
    assert.equal((definition as any).QueryLanguage, "JSONata");
    const vars: Record<string, unknown> = {};
    let name = definition.StartAt;
    for (let steps = 0; steps < 10_000; steps++) {
        const state = definition.States[name]!;
        if (state.Type === "Succeed") return;
        if (state.Type === "Choice") {
            name = state.Choices!.find((c) => evaluate(c.Condition, vars, undefined))?.Next ?? state.Default!;
            continue;
        }
        let result: any;
        if (state.Type === "Task") {
            const args = Object.fromEntries(Object.entries(state.Arguments ?? {}).map(([k, v]) => [k, evaluate(v, vars, undefined)]));
            assert.deepEqual([args.DatabaseName, args.TableName], ["db", "t"]);
            result = state.Resource!.endsWith(":getTableVersions") ? glue.getTableVersions(args) : glue.batchDeleteTableVersion(args);
        }
        for (const [k, v] of Object.entries(state.Assign ?? {})) vars[k] = evaluate(v, vars, result);
        name = state.Next!;
    }
    throw new Error("the state machine did not finish");
}

describe("Glue table-version cleanup (the state machine's logic)", () => {
    it("deletes every version beyond the newest page and keeps the newest ones", () => {
        const glue = new FakeGlue(1_234);
        run(glue);
        assert.equal(glue.versions.length, VERSIONS_PER_PAGE);
        assert.deepEqual(glue.versions.slice(0, 3), ["1234", "1233", "1232"]);
    });

    it("does nothing with a single page of versions", () => {
        const glue = new FakeGlue(40);
        run(glue);
        assert.equal(glue.versions.length, 40);
        assert.deepEqual(glue.calls, ["get"]);
    });

    it("stops after MAX_ROUNDS deletions in one run (the next run goes on)", () => {
        const glue = new FakeGlue(VERSIONS_PER_PAGE * (MAX_ROUNDS + 3));
        run(glue);
        assert.equal(glue.calls.filter((c) => c === "delete").length, MAX_ROUNDS);
        assert.equal(glue.versions.length, VERSIONS_PER_PAGE * 3);
    });
});
