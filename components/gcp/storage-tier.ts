/**
 * Storage tier on Google Cloud: a BigQuery dataset and its `raw_events` table, partitioned by
 * event day and clustered by application and event type, with partitions expiring after
 * `dataRetentionDays`; the sample queries as BigQuery views of the same names; and the lake bucket
 * (raw copies when asked, and every row BigQuery rejects, under `dead-letter/`). Everything is
 * encrypted with the stack's Cloud KMS key.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { StorageTierArgs, StorageTierOutputs } from "../contracts";
import { GcpPrivateBucket } from "./bucket";
import { CLUSTERING_COLUMNS, EVENT_DAY_COLUMN, EVENTS_TABLE_SCHEMA } from "./bigquery-schema";
import type { GcpDataKey } from "./kms";
import { uniqueBucketName } from "./names";

const MS_PER_DAY = 86_400_000;

/** A view of the storage tier: its name and its SQL over the events table. */
export interface GcpViewSpec {
    /** View name (the sample query's name). */
    name: string;
    description?: string;
    /** Standard SQL of the view. */
    query: string;
}

export interface GcpStorageTierArgs extends StorageTierArgs {
    /**
     * Region of the dataset and the bucket.
     * @example "europe-west1"
     */
    location: pulumi.Input<string>;
    /**
     * Project id, for globally unique bucket names and full table ids.
     * @example "my-studio-analytics"
     */
    projectId: pulumi.Output<string>;
    /**
     * The stack's Cloud KMS key.
     * @example dataKey
     */
    dataKey: GcpDataKey;
    /**
     * Views over the events table, given the dataset and table ids (see analytics/query-definitions/bigquery.ts).
     * @default [] (no views)
     * @example (dataset, table) => renderBigQueryViews(QUERY_DEFINITIONS, project, dataset, table)
     */
    views?: (projectId: string, datasetId: string, tableId: string) => readonly GcpViewSpec[];
}

/** Outputs of the storage tier, with the Google Cloud handles other GCP tiers need. */
export interface GcpStorageTierOutputs extends StorageTierOutputs {
    /** `projects/{p}/datasets/{d}/tables/{t}` of the events table. */
    readonly tableId: pulumi.Output<string>;
    /** `{project}.{dataset}.{table}`, as the BigQuery subscription names its table. */
    readonly subscriptionTable: pulumi.Output<string>;
    /** Prefix of the dead-lettered rows in the lake. */
    readonly deadLetterPrefix: string;
}

/** Folder of the rows BigQuery rejected, in the lake. */
export const DEAD_LETTER_PREFIX = "dead-letter";

/** The dataset, the table, the views and the lake. */
export class GcpStorageTier extends pulumi.ComponentResource implements GcpStorageTierOutputs {
    readonly dataset: gcp.bigquery.Dataset;
    readonly table: gcp.bigquery.Table;
    readonly views: gcp.bigquery.Table[];
    readonly lakeBucket: GcpPrivateBucket;

    readonly lakeName: pulumi.Output<string>;
    readonly lake: StorageTierOutputs["lake"];
    readonly dataKey: StorageTierOutputs["dataKey"];
    readonly databaseName: pulumi.Output<string>;
    readonly rawEventsTableName: pulumi.Output<string>;
    readonly queryWorkgroupName: pulumi.Output<string>;
    readonly rawEventsPrefix: string;
    readonly tableId: pulumi.Output<string>;
    readonly subscriptionTable: pulumi.Output<string>;
    readonly deadLetterPrefix = DEAD_LETTER_PREFIX;
    /** Always a BigQuery native table, which the neutral settings call HIVE (ICEBERG is not implemented here). */
    readonly tableFormat = "HIVE" as const;

    constructor(name: string, args: GcpStorageTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:gcp:StorageTier", name, {}, opts);
        if (args.tableFormat === "ICEBERG") throw new Error("GcpStorageTier: tableFormat ICEBERG is not implemented on gcp; use HIVE (the BigQuery native table)");
        const child = { parent: this };
        const devMode = args.devMode ?? false;
        const retentionDays = args.dataRetentionDays ?? 0;
        const datasetId = args.eventsDatabase ?? `${args.workloadName.toLowerCase().replace(/-/g, "_")}_events`;
        const tableName = args.rawEventsTable ?? "raw_events";
        this.rawEventsPrefix = args.rawEventsPrefix ?? "raw_events";
        const keyDeps = { ...child, dependsOn: args.dataKey.grants };

        this.dataset = new gcp.bigquery.Dataset(`${name}-dataset`, {
            datasetId,
            location: args.location,
            description: `Game events of ${args.workloadName}`,
            defaultEncryptionConfiguration: { kmsKeyName: args.dataKey.keyId },
            deleteContentsOnDestroy: devMode,
        }, keyDeps);

        this.table = new gcp.bigquery.Table(`${name}-raw-events`, {
            datasetId: this.dataset.datasetId,
            tableId: tableName,
            description: "Validated, enriched game events (one row per event), written by the Pub/Sub BigQuery subscription",
            schema: JSON.stringify(EVENTS_TABLE_SCHEMA),
            timePartitioning: {
                type: "DAY",
                field: EVENT_DAY_COLUMN,
                ...(retentionDays > 0 ? { expirationMs: retentionDays * MS_PER_DAY } : {}),
            },
            clusterings: [...CLUSTERING_COLUMNS],
            encryptionConfiguration: { kmsKeyName: args.dataKey.keyId },
            deletionProtection: !devMode,
        }, keyDeps);

        const views = args.views;
        this.views = [];
        if (views) {
            // View SQL needs the project id, known only at deployment: the list of views is fixed here,
            // their text is computed from the resolved ids.
            const placeholder = views("project", datasetId, tableName);
            placeholder.forEach((spec, index) => {
                this.views.push(new gcp.bigquery.Table(`${name}-view-${spec.name}`, {
                    datasetId: this.dataset.datasetId,
                    tableId: spec.name,
                    description: spec.description,
                    view: {
                        useLegacySql: false,
                        query: args.projectId.apply((p) => views(p, datasetId, tableName)[index]!.query),
                    },
                    deletionProtection: false,
                }, { ...child, dependsOn: [this.table] }));
            });
        }

        this.lakeBucket = new GcpPrivateBucket(`${name}-lake`, {
            bucketName: args.projectId.apply((p) => uniqueBucketName(args.workloadName, "lake", p)),
            location: args.location,
            kmsKeyName: args.dataKey.keyId,
            devMode,
            expireAfterDays: retentionDays,
            dependsOn: args.dataKey.grants,
        }, child);

        this.lakeName = this.lakeBucket.bucketName;
        this.lake = { cloud: "gcp", id: this.lakeBucket.bucket.id, encryptionKey: args.dataKey.keyId };
        this.dataKey = { cloud: "gcp", id: args.dataKey.keyId };
        this.databaseName = this.dataset.datasetId;
        this.rawEventsTableName = this.table.tableId;
        this.queryWorkgroupName = pulumi.interpolate`${this.dataset.project}:${this.dataset.datasetId}`;
        this.tableId = this.table.id;
        this.subscriptionTable = pulumi.interpolate`${this.table.project}.${this.table.datasetId}.${this.table.tableId}`;
        this.registerOutputs({ lakeName: this.lakeName, databaseName: this.databaseName, rawEventsTableName: this.rawEventsTableName });
    }
}
