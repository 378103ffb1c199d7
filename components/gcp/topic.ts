/**
 * A Pub/Sub topic encrypted with the stack's Cloud KMS key and stored only in the stack's region
 * (a regional key protects messages only when the topic's storage is restricted to that region).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export interface GcpTopicArgs {
    /**
     * Topic name.
     * @example "mygame-events"
     */
    topicName: string;
    /**
     * Region the messages are stored in (and of the key).
     * @example "europe-west1"
     */
    region: pulumi.Input<string>;
    /**
     * Cloud KMS key of the topic.
     * @example dataKey.keyId
     */
    kmsKeyName: pulumi.Input<string>;
    /**
     * How long the topic keeps messages, in hours (10 minutes to 31 days on Pub/Sub).
     * @default undefined (no topic retention: subscriptions keep unacknowledged messages 7 days)
     * @example 24
     */
    retentionHours?: number;
    /**
     * Resources that must exist first (the key grant of the Pub/Sub service agent).
     * @default []
     * @example dataKey.grants
     */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** One encrypted, regional topic. */
export class GcpTopic extends pulumi.ComponentResource {
    readonly topic: gcp.pubsub.Topic;

    constructor(name: string, args: GcpTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:gcp:Topic", name, {}, opts);
        this.topic = new gcp.pubsub.Topic(`${name}-topic`, {
            name: args.topicName,
            kmsKeyName: args.kmsKeyName,
            messageStoragePolicy: { allowedPersistenceRegions: [args.region] },
            ...(args.retentionHours !== undefined ? { messageRetentionDuration: `${args.retentionHours * 3600}s` } : {}),
        }, { parent: this, dependsOn: args.dependsOn });
        this.registerOutputs({ name: this.topic.name });
    }
}
