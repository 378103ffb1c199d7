/** Storage tier contract: the events table (data lake or warehouse) and its query engine. */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceAccess } from "./access";
import type { TierBaseArgs } from "./common";
import type { TableFormat } from "./settings";

export interface StorageTierArgs extends TierBaseArgs {
    /**
     * Database (catalog database, dataset) of the events.
     * @default "<workload name, lowercased, with underscores>_events"
     * @example "game_events"
     */
    eventsDatabase?: string;
    /**
     * Table of the events.
     * @default "raw_events"
     * @example "events"
     */
    rawEventsTable?: string;
    /**
     * Folder of the raw events in the lake.
     * @default "raw_events"
     * @example "raw"
     */
    rawEventsPrefix?: string;
    /**
     * Folder of scratch files of the batch jobs.
     * @default "glueetl-tmp"
     * @example "tmp"
     */
    glueTmpPrefix?: string;
    /**
     * Table format of the events table.
     * @default "HIVE"
     * @example "ICEBERG"
     */
    tableFormat?: TableFormat;
    /**
     * Destroyable storage for development stacks; production keeps versions and retains data.
     * @default false
     * @example true
     */
    devMode?: boolean;
    /**
     * Days after which raw events expire; 0 keeps them forever.
     * @default 0
     * @example 365
     */
    dataRetentionDays?: number;
    /**
     * Maintenance of the Iceberg table (ICEBERG only): snapshot retention in days, snapshots kept,
     * orphan-file retention in days, hours between maintenance runs.
     * @default { snapshotRetentionDays: 5, snapshotsToKeep: 1, orphanFileRetentionDays: 3, maintenanceRunHours: 24 }
     * @example { snapshotRetentionDays: 7 }
     */
    icebergMaintenance?: IcebergMaintenance;
}

/** How long an Iceberg table keeps what it no longer needs, and how often it is cleaned. */
export interface IcebergMaintenance {
    snapshotRetentionDays?: number;
    snapshotsToKeep?: number;
    orphanFileRetentionDays?: number;
    maintenanceRunHours?: number;
}

export interface StorageTierOutputs {
    /** Name of the lake (bucket). */
    readonly lakeName: pulumi.Output<string>;
    /** Access handle of the lake (writers get write access, the query engine read access). */
    readonly lake: ResourceAccess;
    /** Access handle of the key that encrypts the lake. */
    readonly dataKey: ResourceAccess;
    /** Database of the events. */
    readonly databaseName: pulumi.Output<string>;
    /** Table of the events. */
    readonly rawEventsTableName: pulumi.Output<string>;
    /** Where queries run (an Athena workgroup on AWS). */
    readonly queryWorkgroupName: pulumi.Output<string>;
    /** Folder of the raw events in the lake. */
    readonly rawEventsPrefix: string;
    /** Table format of the events table (writers of rows follow it). */
    readonly tableFormat: TableFormat;
}
