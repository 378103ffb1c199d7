/** The Iceberg operating rules: the real components comply, and each AWS rule catches its breaking change. */
import * as assert from "node:assert/strict";
import { ICEBERG_OPERATION_RESOURCE_RULES, ICEBERG_OPERATION_STACK_RULES } from "../../policy/rules/iceberg-operations";
import { RESOURCE_RULES, STACK_RULES } from "../../policy/rules";
import { useRuleFamily } from "./rule-violations";
import { compliantIcebergOperationsStack, ICEBERG_OPERATION_CASES } from "./iceberg-operations-cases";

describe("policy rules: Iceberg operations on AWS (retention schedule, one event per record)", function () {
    this.timeout(60_000);
    const family = useRuleFamily(ICEBERG_OPERATION_RESOURCE_RULES, ICEBERG_OPERATION_STACK_RULES, compliantIcebergOperationsStack);
    const { fresh, violations } = family;

    it("are registered in the pack, and the components' own stack breaks none of them", () => {
        for (const r of ICEBERG_OPERATION_RESOURCE_RULES) assert.ok(RESOURCE_RULES.includes(r), r.name);
        for (const r of ICEBERG_OPERATION_STACK_RULES) assert.ok(STACK_RULES.includes(r), r.name);
        assert.ok(family.stack().some((r) => r.type === "aws:scheduler/schedule:Schedule"));
        assert.deepEqual(family.allViolations(family.stack()), []);
    });

    family.itReportsEachCase(ICEBERG_OPERATION_CASES);

    it("leaves packing alone when no stream delivers to Iceberg", () => {
        const s = fresh().filter((r) => r.type !== "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
        delete s.find((r) => r.name === "events-direct")!.props.environment.variables.FIREHOSE_PACK_EVENTS;
        assert.deepEqual(violations(s, "iceberg-one-event-per-record"), []);
    });
});
