/**
 * Grants Google's service agents need before a resource works, learnt from the Pub/Sub, BigQuery,
 * Cloud Storage and Firestore docs, as stack rules:
 * - a BigQuery subscription: the Pub/Sub service agent holds roles/bigquery.dataEditor on its table;
 * - a dead-letter policy: the Pub/Sub service agent holds roles/pubsub.publisher on the dead-letter
 *   topic and roles/pubsub.subscriber on the subscription (otherwise nothing is dead-lettered);
 * - a Cloud Storage subscription: the Pub/Sub service agent holds roles/storage.objectCreator on the bucket;
 * - a customer-managed key: the service agent of each service encrypting with it holds
 *   roles/cloudkms.cryptoKeyEncrypterDecrypter on the key.
 * Relations are by value (resolved ids under mocks and after deployment).
 */
import { label, ofType } from "./relations";
import { GCP_TYPES, SERVICE_AGENTS } from "./gcp-types";
import type { ResourceFacts, StackRule, Violation } from "./types";

function granted(resources: readonly ResourceFacts[], type: string, role: string, agent: RegExp, target: (g: ResourceFacts) => boolean): boolean {
    return ofType(resources, type).some((g) => g.props.role === role && typeof g.props.member === "string" && agent.test(g.props.member) && target(g));
}

function tableMatches(g: ResourceFacts, table: string): boolean {
    const [project, dataset, tableId] = table.split(/[.:]/);
    return g.props.tableId === tableId && g.props.datasetId === dataset && (g.props.project === undefined || g.props.project === project);
}

export const gcpSubscriptionAgentGrants: StackRule = {
    name: "gcp-subscription-agent-grants",
    description: "BigQuery subscriptions, Cloud Storage subscriptions and dead-letter policies come with the Pub/Sub service agent's grants they need.",
    check: (resources) => {
        const violations: Violation[] = [];
        const agent = SERVICE_AGENTS.pubsub;
        for (const sub of ofType(resources, GCP_TYPES.subscription)) {
            const problems: string[] = [];
            const table = sub.props.bigqueryConfig?.table;
            if (typeof table === "string" && !granted(resources, GCP_TYPES.tableIamMember, "roles/bigquery.dataEditor", agent, (g) => tableMatches(g, table))) {
                problems.push(`the Pub/Sub service agent lacks roles/bigquery.dataEditor on ${table}`);
            }
            const bucket = sub.props.cloudStorageConfig?.bucket;
            if (typeof bucket === "string" && !granted(resources, GCP_TYPES.bucketIamMember, "roles/storage.objectCreator", agent, (g) => g.props.bucket === bucket)) {
                problems.push(`the Pub/Sub service agent lacks roles/storage.objectCreator on bucket ${bucket}`);
            }
            const dlq = sub.props.deadLetterPolicy?.deadLetterTopic;
            if (typeof dlq === "string") {
                if (!granted(resources, GCP_TYPES.topicIamMember, "roles/pubsub.publisher", agent, (g) => g.props.topic === dlq)) {
                    problems.push(`the Pub/Sub service agent lacks roles/pubsub.publisher on the dead-letter topic ${dlq}`);
                }
                if (!granted(resources, GCP_TYPES.subscriptionIamMember, "roles/pubsub.subscriber", agent, (g) => g.props.subscription === sub.id)) {
                    problems.push("the Pub/Sub service agent lacks roles/pubsub.subscriber on the subscription (needed to forward to the dead-letter topic)");
                }
            }
            for (const p of problems) violations.push({ message: `${label(sub)}: ${p}`, urn: sub.urn });
        }
        return violations;
    },
};

const KEY_USERS: ReadonlyArray<{ type: string; key: (r: ResourceFacts) => unknown; agent: RegExp; service: string }> = [
    { type: GCP_TYPES.topic, key: (r) => r.props.kmsKeyName, agent: SERVICE_AGENTS.pubsub, service: "Pub/Sub" },
    { type: GCP_TYPES.dataset, key: (r) => r.props.defaultEncryptionConfiguration?.kmsKeyName, agent: SERVICE_AGENTS.bigquery, service: "BigQuery" },
    { type: GCP_TYPES.table, key: (r) => r.props.encryptionConfiguration?.kmsKeyName, agent: SERVICE_AGENTS.bigquery, service: "BigQuery" },
    { type: GCP_TYPES.bucket, key: (r) => r.props.encryption?.defaultKmsKeyName, agent: SERVICE_AGENTS.storage, service: "Cloud Storage" },
    { type: GCP_TYPES.firestoreDatabase, key: (r) => r.props.cmekConfig?.kmsKeyName, agent: SERVICE_AGENTS.firestore, service: "Firestore" },
];

export const gcpKmsAgentGrants: StackRule = {
    name: "gcp-kms-agent-grants",
    description: "Every customer-managed key in use is granted roles/cloudkms.cryptoKeyEncrypterDecrypter to the service agent of each service using it.",
    check: (resources) => {
        const violations: Violation[] = [];
        for (const user of KEY_USERS) {
            for (const r of ofType(resources, user.type)) {
                const key = user.key(r);
                if (typeof key !== "string") continue;
                if (!granted(resources, GCP_TYPES.cryptoKeyIamMember, "roles/cloudkms.cryptoKeyEncrypterDecrypter", user.agent, (g) => g.props.cryptoKeyId === key)) {
                    violations.push({ message: `${label(r)}: the ${user.service} service agent lacks roles/cloudkms.cryptoKeyEncrypterDecrypter on ${key}`, urn: r.urn });
                }
            }
        }
        return violations;
    },
};
