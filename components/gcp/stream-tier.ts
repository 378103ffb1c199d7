/**
 * Stream tier on Google Cloud (KINESIS_DATA_STREAMS mode): one Pub/Sub topic of ingest records
 * (the same newline-delimited `{application_id, event, ...}` lines as the Kinesis records),
 * read by delivery (processing) and by real-time. Pub/Sub scales by itself: no shards.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StreamTierArgs, StreamTierOutputs } from "../contracts";
import type { GcpDataKey } from "./kms";
import { GCP_NAME_LIMITS, gcpName } from "./names";
import { GcpTopic } from "./topic";
import { refuseUnsupported } from "./unsupported";

/** The Google Cloud part of the stream tier's arguments, beside the contract's. */
export interface GcpStreamWiring {
    /**
     * Region of the messages.
     * @example "europe-west1"
     */
    region: pulumi.Input<string>;
    /**
     * The stack's Cloud KMS key.
     * @example dataKey
     */
    dataKey: GcpDataKey;
}

/** The stream tier's arguments on Google Cloud: the contract's (no provisioned capacity, no shards) and GCP's own part. */
export interface GcpStreamTierArgs extends StreamTierArgs, GcpStreamWiring {
    /**
     * How long the topic keeps messages (replay window), in hours: 1 to 744 (31 days).
     * @default 24
     * @example 168
     */
    retentionHours?: number;
}

/** Outputs with the topic's full id, for subscriptions. */
export interface GcpStreamTierOutputs extends StreamTierOutputs {
    /** `projects/{p}/topics/{t}` */
    readonly topicId: pulumi.Output<string>;
}

/** The events topic. */
export class GcpStreamTier extends pulumi.ComponentResource implements GcpStreamTierOutputs {
    readonly topic: GcpTopic;
    readonly streamName: pulumi.Output<string>;
    readonly stream: StreamTierOutputs["stream"];
    readonly topicId: pulumi.Output<string>;

    constructor(name: string, args: GcpStreamTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:gcp:StreamTier", name, {}, opts);
        refuseUnsupported("GcpStreamTier", args, { provisioned: "Pub/Sub scales by itself", shardCount: "Pub/Sub has no shards" });
        this.topic = new GcpTopic(`${name}-events`, {
            topicName: gcpName(args.workloadName, "events", GCP_NAME_LIMITS.topic),
            region: args.region,
            kmsKeyName: args.dataKey.keyId,
            retentionHours: args.retentionHours ?? 24,
            dependsOn: args.dataKey.grants,
        }, { parent: this });
        this.streamName = this.topic.topic.name;
        this.topicId = this.topic.topic.id;
        this.stream = { cloud: "gcp", id: this.topic.topic.id, encryptionKey: args.dataKey.keyId };
        this.registerOutputs({ streamName: this.streamName });
    }
}
