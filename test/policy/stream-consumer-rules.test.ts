/**
 * The rules of policy/rules/stream-consumers.ts: the compliant mappings pass, each breaking change
 * breaks its rule with its message, and mappings of other sources are left alone.
 */
import * as assert from "node:assert/strict";
import { checkResources } from "../../policy/rules";
import { STREAM_CONSUMER_RESOURCE_RULES, STREAM_CONSUMER_STACK_RULES } from "../../policy/rules/stream-consumers";
import { ResourceFacts } from "../../policy/rules/types";
import { compliantConsumers, STREAM_CONSUMER_CASES } from "./stream-consumer-cases";

function violations(stack: ResourceFacts[]): { rule: string; message: string }[] {
    return [
        ...stack.flatMap((r) => STREAM_CONSUMER_RESOURCE_RULES.filter((rule) => rule.types.includes(r.type)).flatMap((rule) => rule.check(r).map((message) => ({ rule: rule.name, message })))),
        ...STREAM_CONSUMER_STACK_RULES.flatMap((rule) => rule.check(stack).map((v) => ({ rule: rule.name, message: v.message }))),
    ];
}

describe("policy pack: Kinesis event source mapping rules", () => {
    it("passes the compliant mappings (the archiver's and the real-time one's)", () => {
        assert.deepEqual(violations(compliantConsumers()), []);
    });

    it("leaves mappings of other sources (SQS) alone", () => {
        assert.deepEqual(violations([{ type: "aws:lambda/eventSourceMapping:EventSourceMapping", name: "q", props: { eventSourceArn: "arn:aws:sqs:us-east-1:111122223333:q", batchSize: 10_000 } }]), []);
    });

    it("is part of the pack", () => {
        const stack = compliantConsumers();
        delete stack[1]!.props.startingPosition;
        assert.ok(checkResources(stack).some((v) => v.rule === "lambda-kinesis-mapping-starting-position"));
    });

    for (const c of STREAM_CONSUMER_CASES) {
        it(`${c.rule} fails on ${c.breaks}`, () => {
            const stack = compliantConsumers();
            c.mutate(stack);
            const found = violations(stack);
            assert.ok(found.length > 0, "a violation");
            assert.ok(found.some((v) => v.rule === c.rule && c.message.test(v.message)), JSON.stringify(found));
        });
    }
});
