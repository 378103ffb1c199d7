/**
 * Breaking examples of the OpenSearch Serverless rules (policy/rules/opensearch.ts), applied to the
 * pipeline's own OPENSEARCH stack (test/realtime/realtime-destinations.test.ts builds it) and
 * counted by test/policy/rules.test.ts's coverage check.
 */
import { OPENSEARCH_TYPES as T } from "../../policy/rules/opensearch";
import type { ResourceFacts } from "../../policy/rules/types";

const policyOf = (s: ResourceFacts[], type: string, policyType: string) => s.find((r) => r.type === type && r.props.type === policyType)!;
const rewrite = (r: ResourceFacts, change: (doc: any) => any) => { r.props.policy = JSON.stringify(change(JSON.parse(r.props.policy))); };

export const OPENSEARCH_CASES: Array<{ rule: string; breaks: string; mutate(s: ResourceFacts[]): void; expect: RegExp }> = [
    { rule: "opensearch-serverless-encryption-cmk", breaks: "an AWS-owned key", expect: /AWSOwnedKey is true/,
        mutate: (s) => rewrite(policyOf(s, T.securityPolicy, "encryption"), (d) => ({ Rules: d.Rules, AWSOwnedKey: true })) },
    { rule: "opensearch-serverless-encryption-cmk", breaks: "no KmsARN", expect: /KmsARN is missing/,
        mutate: (s) => rewrite(policyOf(s, T.securityPolicy, "encryption"), (d) => ({ Rules: d.Rules, AWSOwnedKey: false })) },
    { rule: "opensearch-serverless-network-private", breaks: "public access", expect: /AllowFromPublic is true/,
        mutate: (s) => rewrite(policyOf(s, T.securityPolicy, "network"), (d) => d.map((x: any) => ({ ...x, AllowFromPublic: true }))) },
    { rule: "opensearch-serverless-network-private", breaks: "private access from nowhere", expect: /names no SourceVPCEs and no SourceServices/,
        mutate: (s) => rewrite(policyOf(s, T.securityPolicy, "network"), (d) => d.map((x: any) => ({ Rules: x.Rules, AllowFromPublic: false }))) },
    { rule: "opensearch-serverless-data-access-named", breaks: "a * principal", expect: /principal \*: name the roles/,
        mutate: (s) => rewrite(s.find((r) => r.type === T.accessPolicy)!, (d) => d.map((x: any) => ({ ...x, Principal: ["*"] }))) },
    { rule: "opensearch-serverless-data-access-named", breaks: "aoss:* on collection/*", expect: /permission aoss:\*.*|resource collection\/\*/,
        mutate: (s) => rewrite(s.find((r) => r.type === T.accessPolicy)!, (d) => d.map((x: any) => ({ ...x, Rules: [{ ResourceType: "collection", Resource: ["collection/*"], Permission: ["aoss:*"] }] }))) },
    { rule: "opensearch-serverless-collection-covered", breaks: "a collection no encryption policy covers", expect: /no encryption policy of the stack covers collection\/game1-rt-metrics/,
        mutate: (s) => s.splice(s.indexOf(policyOf(s, T.securityPolicy, "encryption")), 1) },
    { rule: "opensearch-serverless-collection-covered", breaks: "a collection no network policy covers", expect: /no network policy of the stack covers/,
        mutate: (s) => rewrite(policyOf(s, T.securityPolicy, "network"), (d) => d.map((x: any) => ({ ...x, Rules: [{ ResourceType: "collection", Resource: ["collection/other-*"] }] }))) },
];

