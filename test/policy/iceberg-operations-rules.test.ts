/** The Iceberg operating rules: the real components comply, and each AWS rule catches its breaking change. */
import * as assert from "node:assert/strict";
import { ICEBERG_OPERATION_RESOURCE_RULES, ICEBERG_OPERATION_STACK_RULES } from "../../policy/rules/iceberg-operations";
import { RESOURCE_RULES, STACK_RULES } from "../../policy/rules";
import { ResourceFacts, Violation } from "../../policy/rules/types";
import { compliantIcebergOperationsStack, ICEBERG_OPERATION_CASES } from "./iceberg-operations-cases";

function violations(stack: ResourceFacts[], rule: string): Violation[] {
    const found: Violation[] = [];
    for (const r of ICEBERG_OPERATION_RESOURCE_RULES.filter((x) => x.name === rule)) {
        for (const resource of stack.filter((s) => r.types.includes(s.type))) found.push(...r.check(resource).map((message) => ({ message, urn: resource.urn })));
    }
    for (const r of ICEBERG_OPERATION_STACK_RULES.filter((x) => x.name === rule)) found.push(...r.check(stack));
    return found;
}

describe("policy rules: Iceberg operations on AWS (retention schedule, one event per record)", function () {
    this.timeout(60_000);
    let stack: ResourceFacts[];
    const fresh = (): ResourceFacts[] => JSON.parse(JSON.stringify(stack));

    before(async () => {
        stack = await compliantIcebergOperationsStack();
    });

    it("are registered in the pack, and the components' own stack breaks none of them", () => {
        for (const r of ICEBERG_OPERATION_RESOURCE_RULES) assert.ok(RESOURCE_RULES.includes(r), r.name);
        for (const r of ICEBERG_OPERATION_STACK_RULES) assert.ok(STACK_RULES.includes(r), r.name);
        assert.ok(stack.some((r) => r.type === "aws:scheduler/schedule:Schedule"));
        const all = [...ICEBERG_OPERATION_RESOURCE_RULES, ...ICEBERG_OPERATION_STACK_RULES].flatMap((r) => violations(stack, r.name));
        assert.deepEqual(all, []);
    });

    for (const c of ICEBERG_OPERATION_CASES) {
        it(`${c.rule} reports: ${c.breaks}`, () => {
            const s = fresh();
            assert.deepEqual(violations(s, c.rule), [], "passes before the change");
            c.mutate(s);
            const found = violations(s, c.rule);
            assert.ok(found.length > 0, `expected a ${c.rule} violation`);
            assert.ok(found.every((v) => v.message.length > 20 && v.urn !== undefined), JSON.stringify(found));
        });
    }

    it("leaves packing alone when no stream delivers to Iceberg", () => {
        const s = fresh().filter((r) => r.type !== "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
        delete s.find((r) => r.name === "events-direct")!.props.environment.variables.FIREHOSE_PACK_EVENTS;
        assert.deepEqual(violations(s, "iceberg-one-event-per-record"), []);
    });
});
