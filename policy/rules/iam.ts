/**
 * Least privilege in identity policies (role inline policies, role/user/group policies, managed
 * policies): every action spelled out (no `*`, `service:*` or other wildcard, no NotAction), no
 * NotResource, and `Resource: "*"` only for the actions in
 * {@link ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS}. Resource policies (KMS key policies, bucket
 * policies) are out of scope: their `Resource: "*"` means "this resource".
 */
import { ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS } from "./iam-exceptions";
import { parsePolicyDocument, statementLabel } from "./policy-documents";
import { ResourceFacts, ResourceRule, TYPES } from "./types";

/** Problems of one identity policy document; `where` names it in messages. */
export function identityPolicyProblems(document: unknown, where: string): string[] {
    let statements;
    try {
        statements = parsePolicyDocument(document);
    } catch (error) {
        return [`${where}: not a valid policy document (${(error as Error).message})`];
    }
    const problems: string[] = [];
    statements.forEach((s, index) => {
        if (s.effect !== "Allow") return;
        const at = `${where} ${statementLabel(s, index)}`;
        const wildcards = s.actions.filter((a) => a.includes("*") || a.includes("?"));
        if (wildcards.length > 0) problems.push(`${at}: wildcard action ${wildcards.join(", ")}; spell out each action`);
        if (s.notActions.length > 0) problems.push(`${at}: Allow with NotAction grants everything else; list the actions instead`);
        if (s.notResources.length > 0) problems.push(`${at}: Allow with NotResource grants every other resource; list the resources instead`);
        if (s.resources.includes("*")) {
            const scoped = s.actions.filter((a) => !(a in ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS));
            if (scoped.length > 0) {
                problems.push(`${at}: Resource "*" for ${scoped.join(", ")}, which support resource-level permissions; name the resource ARNs`);
            }
        }
    });
    return problems;
}

/** The identity policy documents a resource carries, with where each is. */
export function identityPolicyDocuments(resource: ResourceFacts): { where: string; document: unknown }[] {
    if (resource.type === TYPES.iamRole) {
        const inline: { name?: string; policy?: unknown }[] = resource.props.inlinePolicies ?? [];
        return inline.filter((p) => p.policy !== undefined && p.policy !== "")
            .map((p) => ({ where: `inline policy "${p.name ?? ""}"`, document: p.policy }));
    }
    return resource.props.policy === undefined ? [] : [{ where: "policy", document: resource.props.policy }];
}

export const iamLeastPrivilege: ResourceRule = {
    name: "iam-least-privilege",
    description: "Identity policies spell out every action (no wildcards, no NotAction/NotResource) and use Resource \"*\" only for actions without resource-level permissions.",
    types: [TYPES.iamRole, TYPES.iamRolePolicy, TYPES.iamPolicy, TYPES.iamUserPolicy, TYPES.iamGroupPolicy],
    check: (resource) => identityPolicyDocuments(resource).flatMap(({ where, document }) => identityPolicyProblems(document, where)),
};

/** AWS-managed policies that grant far more than any function of the pipeline needs. */
const BROAD_MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/(.*\/)?(AdministratorAccess|PowerUserAccess|[A-Za-z0-9]*FullAccess[A-Za-z0-9]*)$/;

export const iamNoBroadManagedPolicies: ResourceRule = {
    name: "iam-no-broad-managed-policies",
    description: "No role is given AdministratorAccess, PowerUserAccess or an AWS-managed *FullAccess policy.",
    types: [TYPES.iamRolePolicyAttachment, TYPES.iamRole],
    check: ({ type, props }) => {
        const arns: unknown[] = type === TYPES.iamRole ? props.managedPolicyArns ?? [] : [props.policyArn];
        return arns.filter((arn): arn is string => typeof arn === "string" && BROAD_MANAGED_POLICY.test(arn))
            .map((arn) => `attaches the broad AWS-managed policy ${arn}; write a least-privilege policy instead`);
    },
};
