/**
 * Processing tier on Google Cloud: delivery of validated rows into BigQuery with no code in
 * between. A rows topic and its BigQuery subscription (the table's schema, no metadata columns);
 * every row BigQuery rejects goes, after 5 attempts, to the dead-letter topic, whose Cloud Storage
 * subscription writes it under `dead-letter/` in the lake: nothing silently dropped, like
 * Firehose's error prefix. In KINESIS_DATA_STREAMS mode a processing function receives the events
 * topic by push and turns ingest records into rows with the shared row core; in DIRECT_BATCH the
 * events function publishes rows itself. `rawBackup` keeps a copy of every message of the source
 * topic under `raw_events/` in the lake.
 *
 * The Pub/Sub service agent is granted exactly what these subscriptions need (Pub/Sub docs):
 * bigquery.dataEditor and metadataViewer on the table, pubsub.publisher on the dead-letter topic,
 * pubsub.subscriber on each dead-lettering subscription, objectCreator and legacyBucketReader on the lake.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ProcessingTierArgs, ProcessingTierOutputs } from "../contracts";
import { APPLICATION_CACHE_TTL_SECONDS, APPLICATIONS_COLLECTION, FIRESTORE_DATABASE, LOG_LEVEL, ROWS_TOPIC } from "../../functions/gcp/environment";
import type { GcpFunction, GcpFunctionWiring } from "./gcp-function";
import { grantBucket, grantFirestore, grantSubscription, grantTable, grantTopic } from "./grants";
import type { GcpDataKey } from "./kms";
import { GCP_NAME_LIMITS, gcpName } from "./names";
import type { GcpRegistryTierOutputs } from "./registry-tier";
import type { ServiceAgents } from "./service-agents";
import type { GcpStorageTier } from "./storage-tier";
import type { GcpStreamTierOutputs } from "./stream-tier";
import { GcpTopic } from "./topic";
import { tierFunction } from "./tier-function";
import { refuseUnsupported } from "./unsupported";

/** Delivery attempts before a message is dead-lettered (Pub/Sub accepts 5-100). */
export const MAX_DELIVERY_ATTEMPTS = 5;

/** The Google Cloud part of the processing tier's arguments, beside the contract's. */
export interface GcpProcessingWiring extends GcpFunctionWiring {
    dataKey: GcpDataKey;
    agents: ServiceAgents;
}

/**
 * The processing tier's arguments on Google Cloud: the contract's (no batch job: BigQuery serves
 * the table directly) with the GCP tiers' outputs, and GCP's own part.
 */
export interface GcpProcessingTierArgs extends ProcessingTierArgs, GcpProcessingWiring {
    storage: GcpStorageTier;
    registry: GcpRegistryTierOutputs;
    /**
     * The events topic (KINESIS_DATA_STREAMS); without it the events function publishes rows (DIRECT_BATCH).
     * @default undefined
     * @example stream
     */
    source?: GcpStreamTierOutputs;
}

/** Outputs with the rows topic the events function publishes to in DIRECT_BATCH mode. */
export interface GcpProcessingTierOutputs extends ProcessingTierOutputs {
    readonly rowsTopicId: pulumi.Output<string>;
    readonly rowsTopicName: pulumi.Output<string>;
    readonly deadLetterTopicName: pulumi.Output<string>;
    /** Subscriptions whose backlog operations watches, by label. */
    readonly watchedSubscriptions: Record<string, pulumi.Output<string>>;
}

export class GcpProcessingTier extends pulumi.ComponentResource implements GcpProcessingTierOutputs {
    readonly rowsTopic: GcpTopic;
    readonly deadLetterTopic: GcpTopic;
    readonly bigQuerySubscription: gcp.pubsub.Subscription;
    readonly deadLetterArchive: gcp.pubsub.Subscription;
    readonly transformFunction?: GcpFunction;

    readonly deliveryName: pulumi.Output<string>;
    readonly delivery: ProcessingTierOutputs["delivery"];
    readonly bufferingSeconds = 10;
    readonly transformFunctionName: pulumi.Output<string>;
    readonly batchWorkflowName: pulumi.Output<string>;
    readonly functions: ProcessingTierOutputs["functions"];
    readonly rowsTopicId: pulumi.Output<string>;
    readonly rowsTopicName: pulumi.Output<string>;
    readonly deadLetterTopicName: pulumi.Output<string>;
    readonly watchedSubscriptions: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: GcpProcessingTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:gcp:ProcessingTier", name, {}, opts);
        refuseUnsupported("GcpProcessingTier", args, {
            batchSchedule: "no batch job runs: BigQuery serves the table and the views directly",
            processedEventsPrefix: "no batch job writes a processed copy",
            tracing: "Cloud Run traces requests into Cloud Trace by itself",
        });
        const child = { parent: this };
        const w = args.workloadName;
        const agent = args.agents.pubsub;
        const topicArgs = { region: args.region, kmsKeyName: args.dataKey.keyId, dependsOn: args.dataKey.grants };
        const table = { project: args.storage.table.project, datasetId: args.storage.table.datasetId, tableId: args.storage.table.tableId };

        this.rowsTopic = new GcpTopic(`${name}-rows`, { topicName: gcpName(w, "rows", GCP_NAME_LIMITS.topic), ...topicArgs }, child);
        this.deadLetterTopic = new GcpTopic(`${name}-dead-letter`, { topicName: gcpName(w, "dead-letter", GCP_NAME_LIMITS.topic), ...topicArgs }, child);
        const dlq = this.deadLetterTopic.topic;

        const deliveryGrants = [
            grantTable(`${name}-agent-table-editor`, agent, "roles/bigquery.dataEditor", table, this),
            grantTable(`${name}-agent-table-metadata`, agent, "roles/bigquery.metadataViewer", table, this),
            grantTopic(`${name}-agent-dead-letter-publisher`, agent, "roles/pubsub.publisher", dlq.id, this),
        ];
        const lakeGrants = [
            grantBucket(`${name}-agent-lake-writer`, agent, "roles/storage.objectCreator", args.storage.lakeName, this),
            grantBucket(`${name}-agent-lake-reader`, agent, "roles/storage.legacyBucketReader", args.storage.lakeName, this),
        ];
        const deadLetterPolicy = { deadLetterTopic: dlq.id, maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS };
        const retryPolicy = { minimumBackoff: "10s", maximumBackoff: "600s" };

        this.bigQuerySubscription = new gcp.pubsub.Subscription(`${name}-bigquery`, {
            name: gcpName(w, "rows-bigquery", GCP_NAME_LIMITS.subscription),
            topic: this.rowsTopic.topic.id,
            bigqueryConfig: { table: args.storage.subscriptionTable, useTableSchema: true, writeMetadata: false, dropUnknownFields: false },
            deadLetterPolicy,
            retryPolicy,
            ackDeadlineSeconds: 60,
            expirationPolicy: { ttl: "" },
        }, { ...child, dependsOn: deliveryGrants });
        grantSubscription(`${name}-agent-bigquery-subscriber`, agent, "roles/pubsub.subscriber", this.bigQuerySubscription.id, this);

        this.deadLetterArchive = new gcp.pubsub.Subscription(`${name}-dead-letter-archive`, {
            name: gcpName(w, "dead-letter-archive", GCP_NAME_LIMITS.subscription),
            topic: dlq.id,
            cloudStorageConfig: {
                bucket: args.storage.lakeName,
                filenamePrefix: `${args.storage.deadLetterPrefix}/`,
                filenameSuffix: ".json",
                maxDuration: "300s",
                maxBytes: 100 * 1024 * 1024,
            },
            expirationPolicy: { ttl: "" },
            messageRetentionDuration: "604800s",
        }, { ...child, dependsOn: lakeGrants });

        const watched: Record<string, pulumi.Output<string>> = { "rows-bigquery": this.bigQuerySubscription.name, "dead-letter-archive": this.deadLetterArchive.name };
        const sourceTopic = args.source ? args.source.topicId : this.rowsTopic.topic.id;
        if (args.rawBackup) {
            const backup = new gcp.pubsub.Subscription(`${name}-raw-backup`, {
                name: gcpName(w, "raw-backup", GCP_NAME_LIMITS.subscription),
                topic: sourceTopic,
                cloudStorageConfig: { bucket: args.storage.lakeName, filenamePrefix: `${args.storage.rawEventsPrefix}/`, filenameSuffix: ".json", maxDuration: "300s", maxBytes: 100 * 1024 * 1024 },
                expirationPolicy: { ttl: "" },
            }, { ...child, dependsOn: lakeGrants });
            watched["raw-backup"] = backup.name;
        }

        if (args.source) {
            const fn = tierFunction(`${name}-transform`, args, {
                shortName: "processing",
                entry: "functions/gcp/handlers/processing.ts",
                ingress: "ALLOW_INTERNAL_ONLY",
                environment: {
                    [FIRESTORE_DATABASE]: args.registry.databaseId,
                    [APPLICATIONS_COLLECTION]: args.registry.applicationsTableName,
                    [ROWS_TOPIC]: this.rowsTopic.topic.id,
                    [APPLICATION_CACHE_TTL_SECONDS]: String(args.applicationCacheTtlSeconds ?? 60),
                    [LOG_LEVEL]: args.logLevel ?? "INFO",
                },
            }, child);
            this.transformFunction = fn;
            grantTopic(`${name}-transform-rows-publisher`, fn.member, "roles/pubsub.publisher", this.rowsTopic.topic.id, this);
            grantFirestore(`${name}-transform-registry-viewer`, fn.member, "roles/datastore.viewer", args.agents.projectId, args.registry.databaseId, this);
            const pusher = new gcp.serviceaccount.Account(`${name}-push-identity`, {
                accountId: gcpName(w, "push", GCP_NAME_LIMITS.serviceAccountId),
                displayName: `${w} Pub/Sub push to the processing function`,
            }, child);
            const pusherMember = pulumi.interpolate`serviceAccount:${pusher.email}`;
            const invoker = fn.grantInvoker("push", pusherMember);
            const push = new gcp.pubsub.Subscription(`${name}-events-push`, {
                name: gcpName(w, "events-processing", GCP_NAME_LIMITS.subscription),
                topic: args.source.topicId,
                pushConfig: { pushEndpoint: fn.url, oidcToken: { serviceAccountEmail: pusher.email } },
                deadLetterPolicy,
                retryPolicy,
                ackDeadlineSeconds: 60,
                expirationPolicy: { ttl: "" },
            }, { ...child, dependsOn: [invoker, ...deliveryGrants] });
            grantSubscription(`${name}-agent-push-subscriber`, agent, "roles/pubsub.subscriber", push.id, this);
            watched["events-processing"] = push.name;
        }

        this.deliveryName = this.bigQuerySubscription.name;
        this.delivery = { cloud: "gcp", id: this.rowsTopic.topic.id, encryptionKey: args.dataKey.keyId };
        this.transformFunctionName = this.transformFunction ? this.transformFunction.functionName : pulumi.output("");
        this.batchWorkflowName = pulumi.output("");
        this.functions = this.transformFunction ? { "events-processing": this.transformFunction.functionName } : {};
        this.rowsTopicId = this.rowsTopic.topic.id;
        this.rowsTopicName = this.rowsTopic.topic.name;
        this.deadLetterTopicName = dlq.name;
        this.watchedSubscriptions = watched;
        this.registerOutputs({ deliveryName: this.deliveryName });
    }
}
