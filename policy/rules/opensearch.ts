/**
 * Rules of OpenSearch Serverless (issue 15, the OPENSEARCH real-time destination), each one a
 * behaviour of the service that a mock accepts and the cloud does not, or a default that leaks:
 * - A collection is created only if an encryption policy covers its name (AWS refuses it
 *   otherwise; hashicorp/terraform-provider-aws#38505: the create races a policy made in the same
 *   run, hence the component's dependsOn), and without a network policy nothing can reach it.
 * - An encryption policy with `AWSOwnedKey: true` (or no `KmsARN`) encrypts with a key the studio
 *   neither controls nor audits: the house rule is a customer-managed key.
 * - A network policy with `AllowFromPublic: true` opens the collection (or its Dashboards) to the
 *   internet, authenticated by SigV4 only: private means VPC endpoints or AWS services.
 * - A data access policy with a `*` principal grants every principal of the account that has
 *   aoss:APIAccessAll, and `aoss:*` or a `*` collection/index grants more than a metrics writer needs.
 */
import { label, ofType } from "./relations";
import { ResourceFacts, ResourceRule, StackRule, Violation } from "./types";

/** Type tokens of the resources these rules read (@pulumi/aws v7). */
export const OPENSEARCH_TYPES = {
    collection: "aws:opensearch/serverlessCollection:ServerlessCollection",
    securityPolicy: "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy",
    accessPolicy: "aws:opensearch/serverlessAccessPolicy:ServerlessAccessPolicy",
} as const;

/** The policy document of a policy resource, parsed; undefined while unknown (a preview) or unreadable. */
function documentOf(props: Record<string, any>): unknown {
    const policy = props.policy;
    if (typeof policy !== "string") return typeof policy === "object" && policy !== null ? policy : undefined;
    try {
        return JSON.parse(policy);
    } catch {
        return undefined;
    }
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export const openSearchEncryptionCmk: ResourceRule = {
    name: "opensearch-serverless-encryption-cmk",
    description: "An OpenSearch Serverless encryption policy uses a customer-managed KMS key (AWSOwnedKey false and a KmsARN).",
    types: [OPENSEARCH_TYPES.securityPolicy],
    check: ({ props }) => {
        if (props.type !== "encryption") return [];
        const doc = documentOf(props) as { AWSOwnedKey?: unknown; KmsARN?: unknown } | undefined;
        if (doc === undefined) return typeof props.policy === "string" ? ["the encryption policy is not valid JSON"] : [];
        const problems: string[] = [];
        if (doc.AWSOwnedKey !== false) problems.push(`AWSOwnedKey is ${JSON.stringify(doc.AWSOwnedKey)}: encrypt with a customer-managed KMS key (AWSOwnedKey false, KmsARN set)`);
        if (doc.AWSOwnedKey === false && (typeof doc.KmsARN !== "string" || doc.KmsARN === "")) problems.push("AWSOwnedKey is false but KmsARN is missing: name the customer-managed key");
        return problems;
    },
};

export const openSearchNetworkPrivate: ResourceRule = {
    name: "opensearch-serverless-network-private",
    description: "An OpenSearch Serverless network policy never allows public access: every rule has AllowFromPublic false and names its VPC endpoints or AWS services.",
    types: [OPENSEARCH_TYPES.securityPolicy],
    check: ({ props }) => {
        if (props.type !== "network") return [];
        const doc = documentOf(props);
        if (doc === undefined) return typeof props.policy === "string" ? ["the network policy is not valid JSON"] : [];
        const problems: string[] = [];
        asArray(doc).forEach((statement, i) => {
            const s = statement as { AllowFromPublic?: unknown; SourceVPCEs?: unknown; SourceServices?: unknown };
            if (s.AllowFromPublic !== false) problems.push(`rule ${i}: AllowFromPublic is ${JSON.stringify(s.AllowFromPublic)}: the collection would be reachable from the internet; set false and name SourceVPCEs or SourceServices`);
            else if (asArray(s.SourceVPCEs).length === 0 && asArray(s.SourceServices).length === 0) problems.push(`rule ${i}: private access names no SourceVPCEs and no SourceServices: nothing can reach the collection`);
        });
        return problems;
    },
};

export const openSearchDataAccessNamed: ResourceRule = {
    name: "opensearch-serverless-data-access-named",
    description: "An OpenSearch Serverless data access policy names its principals and permissions (no \"*\" principal, no aoss:* permission) and its collection (no collection/* or index/*/*).",
    types: [OPENSEARCH_TYPES.accessPolicy],
    check: ({ props }) => {
        if (props.type !== "data") return [];
        const doc = documentOf(props);
        if (doc === undefined) return typeof props.policy === "string" ? ["the data access policy is not valid JSON"] : [];
        const problems: string[] = [];
        asArray(doc).forEach((statement, i) => {
            const s = statement as { Principal?: unknown; Rules?: unknown };
            const principals = asArray(s.Principal).map(String);
            if (principals.length === 0) problems.push(`statement ${i}: no Principal`);
            for (const p of principals) if (p.includes("*")) problems.push(`statement ${i}: principal ${p}: name the roles or users (a wildcard grants every principal of the account with aoss:APIAccessAll)`);
            for (const rule of asArray(s.Rules) as Array<{ Resource?: unknown; Permission?: unknown }>) {
                for (const permission of asArray(rule.Permission).map(String)) if (permission.includes("*")) problems.push(`statement ${i}: permission ${permission}: list the aoss: permissions needed`);
                for (const resource of asArray(rule.Resource).map(String)) {
                    const collection = resource.split("/")[1] ?? "";
                    if (collection === "" || collection === "*") problems.push(`statement ${i}: resource ${resource}: name the collection`);
                }
            }
        });
        return problems;
    },
};

/** Whether a policy resource pattern (`collection/name`, `collection/prefix*`) covers `collectionName`. */
function covers(pattern: string, collectionName: string): boolean {
    const name = pattern.replace(/^collection\//, "");
    return name.endsWith("*") ? collectionName.startsWith(name.slice(0, -1)) : name === collectionName;
}

export const openSearchCollectionCovered: StackRule = {
    name: "opensearch-serverless-collection-covered",
    description: "Every OpenSearch Serverless collection is covered by an encryption policy (AWS refuses the collection otherwise) and a network policy of the stack.",
    check: (resources: readonly ResourceFacts[]): Violation[] => {
        const policies = ofType(resources, OPENSEARCH_TYPES.securityPolicy);
        const patterns = (type: string) => policies.filter((p) => p.props.type === type).flatMap((p) => {
            const doc = documentOf(p.props);
            return asArray(doc).flatMap((s) => asArray((s as { Rules?: unknown }).Rules)).flatMap((r) => asArray((r as { Resource?: unknown }).Resource).map(String));
        });
        const unknown = policies.some((p) => documentOf(p.props) === undefined);
        const violations: Violation[] = [];
        for (const c of ofType(resources, OPENSEARCH_TYPES.collection)) {
            const name = c.props.name;
            if (typeof name !== "string" || unknown) continue;
            for (const type of ["encryption", "network"]) {
                if (!patterns(type).some((p) => covers(p, name))) {
                    violations.push({ urn: c.urn, message: `${label(c)}: no ${type} policy of the stack covers collection/${name}${type === "encryption" ? " (AWS refuses to create the collection)" : " (nothing can reach it)"}` });
                }
            }
        }
        return violations;
    },
};

export const OPENSEARCH_RESOURCE_RULES: readonly ResourceRule[] = [openSearchEncryptionCmk, openSearchNetworkPrivate, openSearchDataAccessNamed];
export const OPENSEARCH_STACK_RULES: readonly StackRule[] = [openSearchCollectionCovered];
