/**
 * The rules of policy/rules/redshift-monitoring.ts: the compliant facts pass, each breaking change
 * breaks exactly its rule, and unrelated resources are left alone.
 */
import * as assert from "node:assert/strict";
import { checkResources } from "../../policy/rules";
import { REDSHIFT_MONITORING_RESOURCE_RULES, REDSHIFT_MONITORING_STACK_RULES } from "../../policy/rules/redshift-monitoring";
import { ResourceFacts } from "../../policy/rules/types";
import { compliantMonitoring, REDSHIFT_MONITORING_CASES } from "./redshift-monitoring-cases";

function violations(stack: ResourceFacts[]): string[] {
    return [
        ...stack.flatMap((r) => REDSHIFT_MONITORING_RESOURCE_RULES.filter((rule) => rule.types.includes(r.type)).flatMap((rule) => rule.check(r).map((m) => `${rule.name}: ${m}`))),
        ...REDSHIFT_MONITORING_STACK_RULES.flatMap((rule) => rule.check(stack).map((v) => `${rule.name}: ${v.message}`)),
    ];
}

describe("policy pack: REDSHIFT monitoring and Data API rules", () => {
    it("passes the compliant facts", () => {
        assert.deepEqual(violations(compliantMonitoring()), []);
    });

    it("leaves other log groups, non-service permissions and stacks without a workgroup alone", () => {
        const other: ResourceFacts[] = [
            { type: "aws:cloudwatch/logGroup:LogGroup", name: "lambda-logs", props: { name: "/aws/lambda/f", retentionInDays: 30 } },
            { type: "aws:lambda/permission:Permission", name: "account", props: { principal: "123456789012", action: "lambda:InvokeFunction" } },
        ];
        assert.deepEqual(violations(other), []);
    });

    it("is part of the pack", () => {
        const stack = compliantMonitoring();
        delete stack.find((r) => r.name === "monitor-invoke")!.props.sourceArn;
        assert.ok(checkResources(stack).some((v) => v.rule === "lambda-service-invoke-scoped"));
    });

    for (const c of REDSHIFT_MONITORING_CASES) {
        it(`${c.rule} fails on ${c.breaks}`, () => {
            const stack = compliantMonitoring();
            c.mutate(stack);
            const found = violations(stack);
            assert.ok(found.length > 0 && found.every((v) => v.startsWith(`${c.rule}: `)), found.join("\n") || "no violation");
            assert.ok(found.some((v) => c.message.test(v)), found.join("\n"));
        });
    }
});
