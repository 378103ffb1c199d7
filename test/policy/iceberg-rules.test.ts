/** The Iceberg rules of the policy pack: the real components comply, and each AWS rule catches its breaking change. */
import * as assert from "node:assert/strict";
import { ICEBERG_RESOURCE_RULES, ICEBERG_STACK_RULES } from "../../policy/rules/iceberg";
import { ResourceFacts, Violation } from "../../policy/rules/types";
import { compliantIcebergStack, ICEBERG_CASES } from "./iceberg-cases";

function violations(stack: ResourceFacts[], rule: string): Violation[] {
    const found: Violation[] = [];
    for (const r of ICEBERG_RESOURCE_RULES.filter((x) => x.name === rule)) {
        for (const resource of stack.filter((s) => r.types.includes(s.type))) found.push(...r.check(resource).map((message) => ({ message, urn: resource.urn })));
    }
    for (const r of ICEBERG_STACK_RULES.filter((x) => x.name === rule)) found.push(...r.check(stack));
    return found;
}

describe("policy rules: Iceberg on AWS", function () {
    this.timeout(60_000);
    let stack: ResourceFacts[];
    const fresh = (): ResourceFacts[] => JSON.parse(JSON.stringify(stack));

    before(async () => {
        stack = await compliantIcebergStack();
    });

    it("the components' own Iceberg stack (with a 365-day raw-events retention) breaks no Iceberg rule", () => {
        assert.ok(stack.length >= 8, `only ${stack.length} resources`);
        const all = [...ICEBERG_RESOURCE_RULES, ...ICEBERG_STACK_RULES].flatMap((r) => violations(stack, r.name));
        assert.deepEqual(all, []);
    });

    it("every Iceberg rule has at least one breaking example", () => {
        const covered = new Set(ICEBERG_CASES.map((c) => c.rule));
        assert.deepEqual([...ICEBERG_RESOURCE_RULES, ...ICEBERG_STACK_RULES].map((r) => r.name).filter((n) => !covered.has(n)), []);
    });

    for (const c of ICEBERG_CASES) {
        it(`${c.rule} reports: ${c.breaks}`, () => {
            const s = fresh();
            assert.deepEqual(violations(s, c.rule), [], "passes before the change");
            c.mutate(s);
            const found = violations(s, c.rule);
            assert.ok(found.length > 0, `expected a ${c.rule} violation`);
            assert.ok(found.every((v) => v.message.length > 20 && v.urn !== undefined), JSON.stringify(found));
        });
    }

    it("ignores Hive tables and extended_s3 streams", () => {
        const hive: ResourceFacts = { type: "aws:glue/catalogTable:CatalogTable", name: "hive", urn: "u", props: { name: "raw_events", partitionKeys: [{ name: "year", type: "string" }] } };
        const s3: ResourceFacts = { type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", name: "s3", urn: "u2", props: { destination: "extended_s3" } };
        assert.deepEqual(ICEBERG_RESOURCE_RULES.flatMap((r) => [hive, s3].filter((x) => r.types.includes(x.type)).flatMap((x) => r.check(x))), []);
        assert.deepEqual(ICEBERG_STACK_RULES.flatMap((r) => r.check([hive, s3])), []);
    });
});
