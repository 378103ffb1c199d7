/**
 * The Redshift Serverless rules of the policy pack (policy/rules/redshift.ts): a compliant
 * warehouse passes, and each documented mistake breaks exactly the rule written for it.
 */
import * as assert from "node:assert/strict";
import { REDSHIFT_RESOURCE_RULES, REDSHIFT_STACK_RULES } from "../../policy/rules/redshift";
import { ResourceFacts } from "../../policy/rules/types";
import { compliant, named, REDSHIFT_CASES as CASES, WG_URN } from "./redshift-cases";

function violations(stack: ResourceFacts[]): string[] {
    return [
        ...stack.flatMap((r) => REDSHIFT_RESOURCE_RULES.filter((rule) => rule.types.includes(r.type)).flatMap((rule) => rule.check(r).map((m) => `${rule.name}: ${m}`))),
        ...REDSHIFT_STACK_RULES.flatMap((rule) => rule.check(stack).map((v) => `${rule.name}: ${v.message}`)),
    ];
}


describe("policy pack: Redshift Serverless rules", () => {
    it("passes a compliant warehouse", () => {
        assert.deepEqual(violations(compliant()), []);
    });

    it("matches a usage limit to its workgroup by preview dependency", () => {
        const stack = compliant();
        named(stack, "wh-daily-limit").propertyDependencies = { resourceArn: [WG_URN] };
        assert.deepEqual(violations(stack), []);
    });

    for (const c of CASES) {
        it(`${c.rule} fails on ${c.breaks}`, () => {
            const stack = compliant();
            c.mutate(stack);
            const found = violations(stack);
            assert.ok(found.length > 0 && found.every((v) => v.startsWith(`${c.rule}: `)), found.join("\n") || "no violation");
            assert.ok(found.some((v) => c.message.test(v)), found.join("\n"));
        });
    }
});
