/** The Iceberg rules of the policy pack: the real components comply, and each AWS rule catches its breaking change. */
import * as assert from "node:assert/strict";
import { ICEBERG_RESOURCE_RULES, ICEBERG_STACK_RULES } from "../../policy/rules/iceberg";
import { ResourceFacts } from "../../policy/rules/types";
import { useRuleFamily } from "./rule-violations";
import { compliantIcebergStack, ICEBERG_CASES } from "./iceberg-cases";

describe("policy rules: Iceberg on AWS", function () {
    this.timeout(60_000);
    const family = useRuleFamily(ICEBERG_RESOURCE_RULES, ICEBERG_STACK_RULES, compliantIcebergStack);

    it("the components' own Iceberg stack (with a 365-day raw-events retention) breaks no Iceberg rule", () => {
        assert.ok(family.stack().length >= 8, `only ${family.stack().length} resources`);
        assert.deepEqual(family.allViolations(family.stack()), []);
    });

    it("every Iceberg rule has at least one breaking example", () => {
        const covered = new Set(ICEBERG_CASES.map((c) => c.rule));
        assert.deepEqual([...ICEBERG_RESOURCE_RULES, ...ICEBERG_STACK_RULES].map((r) => r.name).filter((n) => !covered.has(n)), []);
    });

    family.itReportsEachCase(ICEBERG_CASES);

    it("ignores Hive tables and extended_s3 streams", () => {
        const hive: ResourceFacts = { type: "aws:glue/catalogTable:CatalogTable", name: "hive", urn: "u", props: { name: "raw_events", partitionKeys: [{ name: "year", type: "string" }] } };
        const s3: ResourceFacts = { type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", name: "s3", urn: "u2", props: { destination: "extended_s3" } };
        assert.deepEqual(ICEBERG_RESOURCE_RULES.flatMap((r) => [hive, s3].filter((x) => r.types.includes(x.type)).flatMap((x) => r.check(x))), []);
        assert.deepEqual(ICEBERG_STACK_RULES.flatMap((r) => r.check([hive, s3])), []);
    });
});
