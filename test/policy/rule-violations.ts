/**
 * Running one family of the pack's rules (e.g. the Iceberg rules) over a compliant stack built by
 * the real components, and the breaking cases of the family, for the rule-family tests.
 */
import * as assert from "node:assert/strict";
import type { ResourceFacts, ResourceRule, StackRule, Violation } from "../../policy/rules/types";

/** A change of the compliant stack that breaks the rule `rule`. */
export interface BreakingCase {
    rule: string;
    breaks: string;
    mutate(stack: ResourceFacts[]): void;
}

/**
 * The violations of the rule named `rule` among `resourceRules` and `stackRules` over `stack`: a
 * resource rule's on each resource of its types (with that resource's URN), a stack rule's as it reports them.
 * @example violationsOf(ICEBERG_RESOURCE_RULES, ICEBERG_STACK_RULES, stack, "iceberg-table-v2-partitioned")
 */
export function violationsOf(resourceRules: readonly ResourceRule[], stackRules: readonly StackRule[], stack: ResourceFacts[], rule: string): Violation[] {
    const found: Violation[] = [];
    for (const r of resourceRules.filter((x) => x.name === rule)) {
        for (const resource of stack.filter((s) => r.types.includes(s.type))) found.push(...r.check(resource).map((message) => ({ message, urn: resource.urn })));
    }
    for (const r of stackRules.filter((x) => x.name === rule)) found.push(...r.check(stack));
    return found;
}

/** A rule family over its compliant stack, inside a describe block. */
export interface RuleFamily {
    /** The compliant stack (built before the block's tests). */
    stack(): ResourceFacts[];
    /** A deep copy of the compliant stack, to mutate. */
    fresh(): ResourceFacts[];
    /** The violations of one rule of the family over `stack`. */
    violations(stack: ResourceFacts[], rule: string): Violation[];
    /** The violations of every rule of the family over `stack`. */
    allViolations(stack: ResourceFacts[]): Violation[];
    /** One test per case: the rule passes on the compliant stack and reports the change (a message and a URN each). */
    itReportsEachCase(cases: readonly BreakingCase[]): void;
}

/**
 * Registers a `before` hook in the calling describe block that builds the compliant stack.
 * @example const family = useRuleFamily(ICEBERG_RESOURCE_RULES, ICEBERG_STACK_RULES, compliantIcebergStack); family.itReportsEachCase(ICEBERG_CASES);
 */
export function useRuleFamily(resourceRules: readonly ResourceRule[], stackRules: readonly StackRule[], compliantStack: () => Promise<ResourceFacts[]>): RuleFamily {
    let stack: ResourceFacts[] | undefined;
    before(async () => {
        stack = await compliantStack();
    });
    const built = (): ResourceFacts[] => {
        if (stack === undefined) throw new Error("the compliant stack is built before the describe block's tests only");
        return stack;
    };
    const violations = (s: ResourceFacts[], rule: string): Violation[] => violationsOf(resourceRules, stackRules, s, rule);
    const fresh = (): ResourceFacts[] => JSON.parse(JSON.stringify(built()));
    return {
        stack: built,
        fresh,
        violations,
        allViolations: (s) => [...resourceRules, ...stackRules].flatMap((r) => violations(s, r.name)),
        itReportsEachCase(cases) {
            for (const c of cases) {
                it(`${c.rule} reports: ${c.breaks}`, () => {
                    const s = fresh();
                    assert.deepEqual(violations(s, c.rule), [], "passes before the change");
                    c.mutate(s);
                    const found = violations(s, c.rule);
                    assert.ok(found.length > 0, `expected a ${c.rule} violation`);
                    assert.ok(found.every((v) => v.message.length > 20 && v.urn !== undefined), JSON.stringify(found));
                });
            }
        },
    };
}
