/**
 * The role bindings the GCP tiers make, one small function each, so every grant names one role on
 * one resource (no project-wide primitive role anywhere).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** Project roles a function may receive, each conditioned on one Firestore database. */
export type FirestoreRole = "roles/datastore.viewer" | "roles/datastore.user";

/**
 * `role` on one Firestore database only (an IAM condition on the database's resource name):
 * Firestore has no per-database IAM policy, so the binding is on the project, conditioned.
 */
export function grantFirestore(name: string, member: pulumi.Input<string>, role: FirestoreRole, projectId: pulumi.Input<string>, databaseId: pulumi.Input<string>, parent: pulumi.Resource): gcp.projects.IAMMember {
    return new gcp.projects.IAMMember(name, {
        project: projectId,
        role,
        member,
        condition: {
            title: "registry-database-only",
            description: "Only the pipeline's registry database",
            expression: pulumi.interpolate`resource.name == "projects/${projectId}/databases/${databaseId}"`,
        },
    }, { parent });
}

/** `role` on one topic. */
export function grantTopic(name: string, member: pulumi.Input<string>, role: "roles/pubsub.publisher" | "roles/pubsub.viewer", topic: pulumi.Input<string>, parent: pulumi.Resource): gcp.pubsub.TopicIAMMember {
    return new gcp.pubsub.TopicIAMMember(name, { topic, role, member }, { parent });
}

/** `role` on one subscription. */
export function grantSubscription(name: string, member: pulumi.Input<string>, role: "roles/pubsub.subscriber", subscription: pulumi.Input<string>, parent: pulumi.Resource): gcp.pubsub.SubscriptionIAMMember {
    return new gcp.pubsub.SubscriptionIAMMember(name, { subscription, role, member }, { parent });
}

/** `role` on one bucket. */
export function grantBucket(name: string, member: pulumi.Input<string>, role: "roles/storage.objectCreator" | "roles/storage.legacyBucketReader" | "roles/storage.objectViewer", bucket: pulumi.Input<string>, parent: pulumi.Resource): gcp.storage.BucketIAMMember {
    return new gcp.storage.BucketIAMMember(name, { bucket, role, member }, { parent });
}

/** `role` on one BigQuery table. */
export function grantTable(name: string, member: pulumi.Input<string>, role: "roles/bigquery.dataEditor" | "roles/bigquery.metadataViewer", table: { project: pulumi.Input<string>; datasetId: pulumi.Input<string>; tableId: pulumi.Input<string> }, parent: pulumi.Resource): gcp.bigquery.IamMember {
    return new gcp.bigquery.IamMember(name, { ...table, role, member }, { parent });
}
