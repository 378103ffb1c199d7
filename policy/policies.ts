/**
 * The rules of `policy/rules` as Pulumi policies, every one mandatory. Kept apart from
 * `index.ts` because constructing a `PolicyPack` starts the policy server.
 */
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { RESOURCE_RULES, STACK_RULES } from "./rules";
import { ResourceFacts, ResourceRule, StackRule } from "./rules/types";

/** Converts an engine resource to the facts the rules read (dependencies as URNs). */
export function toFacts(resource: PolicyResource): ResourceFacts {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [property, dependencies] of Object.entries(resource.propertyDependencies ?? {})) {
        propertyDependencies[property] = dependencies.map((d) => d.urn);
    }
    return {
        type: resource.type, name: resource.name, urn: resource.urn, props: resource.props, propertyDependencies,
        dependencies: (resource.dependencies ?? []).map((d) => d.urn),
        opts: { protect: resource.opts?.protect, deleteBeforeReplace: resource.opts?.deleteBeforeReplace },
    };
}

export function resourcePolicy(rule: ResourceRule): ResourceValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: "mandatory",
        validateResource: (args, reportViolation) => {
            if (!rule.types.includes(args.type)) return;
            const opts = { protect: args.opts?.protect, deleteBeforeReplace: args.opts?.deleteBeforeReplace };
            for (const message of rule.check({ type: args.type, name: args.name, urn: args.urn, props: args.props, opts })) {
                reportViolation(message);
            }
        },
    };
}

export function stackPolicy(rule: StackRule): StackValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: "mandatory",
        validateStack: (args, reportViolation) => {
            for (const violation of rule.check(args.resources.map(toFacts))) {
                reportViolation(violation.message, violation.urn);
            }
        },
    };
}

/** Every policy of the pack. */
export const SECURITY_POLICIES = [...RESOURCE_RULES.map(resourcePolicy), ...STACK_RULES.map(stackPolicy)];
