/**
 * The Google-managed service agents of the project that act on the stack's resources: Pub/Sub
 * (BigQuery and Cloud Storage subscriptions, dead lettering, CMEK on topics), BigQuery (CMEK on
 * datasets), Cloud Storage (CMEK on buckets) and Firestore (CMEK on the database). Their emails
 * derive from the project number (Google Cloud docs: "service agents").
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** Emails of the service agents, as IAM members (`serviceAccount:...`). */
export interface ServiceAgents {
    readonly projectId: pulumi.Output<string>;
    readonly projectNumber: pulumi.Output<string>;
    readonly pubsub: pulumi.Output<string>;
    readonly bigquery: pulumi.Output<string>;
    readonly storage: pulumi.Output<string>;
    readonly firestore: pulumi.Output<string>;
}

/** Service agent emails of a project number (pure; tested). */
export function serviceAgentEmails(projectNumber: string): { pubsub: string; bigquery: string; storage: string; firestore: string } {
    return {
        pubsub: `service-${projectNumber}@gcp-sa-pubsub.iam.gserviceaccount.com`,
        bigquery: `bq-${projectNumber}@bigquery-encryption.iam.gserviceaccount.com`,
        storage: `service-${projectNumber}@gs-project-accounts.iam.gserviceaccount.com`,
        firestore: `service-${projectNumber}@gcp-sa-firestore.iam.gserviceaccount.com`,
    };
}

/**
 * The service agents of the provider's project (one `getProject` invoke).
 * @example const agents = projectServiceAgents(this);
 */
export function projectServiceAgents(parent: pulumi.Resource): ServiceAgents {
    const project = gcp.organizations.getProjectOutput({}, { parent });
    const emails = project.number.apply((n) => serviceAgentEmails(n));
    const member = (pick: (e: ReturnType<typeof serviceAgentEmails>) => string) => emails.apply((e) => `serviceAccount:${pick(e)}`);
    return {
        projectId: project.apply((p) => p.projectId ?? ""),
        projectNumber: project.number,
        pubsub: member((e) => e.pubsub),
        bigquery: member((e) => e.bigquery),
        storage: member((e) => e.storage),
        firestore: member((e) => e.firestore),
    };
}
