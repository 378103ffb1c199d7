/**
 * `IcebergEventsTable`: the events table as an Apache Iceberg v2 table in the Glue Data Catalog,
 * kept healthy without a cluster, and the Athena view that lets every Hive-era query run on it.
 *
 * - The Glue table `<table>_iceberg` (`openTableFormatInput.icebergInput`, format version 2,
 *   `metadataOperation: CREATE`) with the stored columns of the Hive table, `event_timestamp` as a
 *   real timestamp and the partition spec declared at creation (iceberg-schema.ts): no Glue job to
 *   run by hand afterwards.
 * - Three Glue table optimizers (compaction, snapshot retention, orphan-file deletion) running as
 *   their own role, which may touch the table's folder, the table and its own logs only.
 * - The view `<table>` (analytics/iceberg-athena.ts) exposing the Hive table's columns.
 *
 * The table lives under its own folder (`iceberg/<table>/` by default), never under the Hive
 * table's folder: the lake's lifecycle rules expire `raw_events/` objects when a data retention is
 * set, and an S3 expiration deleting a file an Iceberg snapshot still references breaks the table
 * (the policy rule `iceberg-location-not-expired` enforces it). Retention of Iceberg rows is a
 * DELETE plus snapshot expiry, not an S3 lifecycle.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EVENT_TIME_COLUMN, ICEBERG_TABLE_SUFFIX, prestoViewText, viewColumns } from "../../../analytics/iceberg-athena";
import { awsContext } from "../aws-context";
import { assumeRolePolicy, KMS_DATA_ACTIONS, policyDocument, PolicyStatement } from "../iam";
import { NAME_LIMITS, physicalName } from "../names";
import { stripUndefined } from "../../contracts/common";
import { GLUE_TYPE_OF_ICEBERG, glueIcebergPartitionSpec, glueIcebergSchema, ICEBERG_FORMAT_VERSION } from "./iceberg-schema";
import { EVENTS_SCHEMA } from "../../../functions/core/iceberg-schema";
import { TableVersionCleanup } from "./table-version-cleanup";

/** The three optimizer types Glue runs on an Iceberg table. */
export const OPTIMIZER_TYPES = ["compaction", "retention", "orphan_file_deletion"] as const;
export type OptimizerType = (typeof OPTIMIZER_TYPES)[number];

/**
 * Log groups the Glue table optimizers write to, per type (account-wide names Glue chooses, one
 * per optimizer type: "Table optimization prerequisites", AWS Glue developer guide).
 */
export const OPTIMIZER_LOG_GROUPS: Readonly<Record<OptimizerType, string>> = {
    compaction: "/aws-glue/iceberg-compaction/logs",
    retention: "/aws-glue/iceberg-retention/logs",
    orphan_file_deletion: "/aws-glue/iceberg-orphan-file-deletion/logs",
};

export interface IcebergEventsTableArgs {
    /**
     * Prefix of every physical name.
     * @example "game-analytics"
     */
    workloadName: string;
    /**
     * Glue database of the events (the storage tier's).
     * @example storage.databaseName
     */
    databaseName: pulumi.Input<string>;
    /**
     * Name of the events table as queries know it: the view gets this name, the Iceberg table
     * `<name>_iceberg`.
     * @default "raw_events"
     * @example "events"
     */
    tableName?: string;
    /**
     * The analytics bucket.
     * @example storage.bucketName
     */
    bucketName: pulumi.Input<string>;
    /**
     * ARN of the analytics bucket.
     * @example storage.bucketArn
     */
    bucketArn: pulumi.Input<string>;
    /**
     * ARN of the lake's KMS key (data and metadata files are SSE-KMS with it).
     * @example storage.keyArn
     */
    dataKeyArn: pulumi.Input<string>;
    /**
     * Folder of the Iceberg table (data/ and metadata/ below it). Must not be a folder a lifecycle
     * rule expires.
     * @default "iceberg/<tableName>"
     * @example "lake/events"
     */
    tablePrefix?: string;
    /**
     * Days a snapshot is kept before the retention optimizer expires it (time travel reaches back
     * this far).
     * @default 5
     * @example 7
     */
    snapshotRetentionDays?: number;
    /**
     * Snapshots always kept, whatever their age.
     * @default 1
     * @example 10
     */
    snapshotsToKeep?: number;
    /**
     * Days a file no snapshot references is kept before the orphan-file optimizer deletes it
     * (longer than any write in flight).
     * @default 3
     * @example 7
     */
    orphanFileRetentionDays?: number;
    /**
     * Hours between runs of the retention and orphan-file optimizers.
     * @default 24
     * @example 12
     */
    maintenanceRunHours?: number;
    /**
     * Create the optimizers' log groups ({@link OPTIMIZER_LOG_GROUPS}) with a retention and the
     * lake key, before the optimizers run (Glue would create them never expiring). Their names are
     * fixed by Glue and ACCOUNT-WIDE: set false in every stack but one per account and region.
     * @default true
     * @example false
     */
    optimizerLogGroups?: boolean;
    /**
     * Delete the table's old Glue table versions daily (each Iceberg commit archives one; Glue
     * allows 100,000 per table): see {@link TableVersionCleanup}.
     * @default true
     * @example false
     */
    tableVersionCleanup?: boolean;
    /**
     * Retention of the optimizers' log groups, in days.
     * @default 30
     * @example 90
     */
    logRetentionDays?: number;
}

const DEFAULTS = {
    tableName: "raw_events",
    snapshotRetentionDays: 5,
    snapshotsToKeep: 1,
    orphanFileRetentionDays: 3,
    maintenanceRunHours: 24,
    optimizerLogGroups: true,
    tableVersionCleanup: true,
    logRetentionDays: 30,
};

type Resolved = typeof DEFAULTS & IcebergEventsTableArgs & { tablePrefix: string };

/** Default folder of the Iceberg table. */
export function defaultIcebergPrefix(tableName: string): string {
    return `iceberg/${tableName}`;
}

/** The Iceberg events table, its maintenance, and its Hive-compatible view. */
export class IcebergEventsTable extends pulumi.ComponentResource {
    readonly table: aws.glue.CatalogTable;
    readonly view: aws.glue.CatalogTable;
    readonly optimizerRole: aws.iam.Role;
    /** The daily deletion of old Glue table versions (absent when `tableVersionCleanup` is false). */
    readonly versionCleanup?: TableVersionCleanup;
    /** The optimizers' log groups, by optimizer type (none when `optimizerLogGroups` is false). */
    readonly optimizerLogGroups: Partial<Record<OptimizerType, aws.cloudwatch.LogGroup>>;
    readonly optimizerPolicy: aws.iam.RolePolicy;
    readonly optimizers: Record<OptimizerType, aws.glue.CatalogTableOptimizer>;

    /** Name of the Iceberg table (`<tableName>_iceberg`): Firehose's destination. */
    readonly icebergTableName: pulumi.Output<string>;
    /** Name of the view (`<tableName>`): what queries read. */
    readonly viewName: pulumi.Output<string>;
    /** Folder of the table in the bucket. */
    readonly tablePrefix: string;
    /** `s3://bucket/<tablePrefix>`. */
    readonly location: pulumi.Output<string>;

    constructor(name: string, args: IcebergEventsTableArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:IcebergEventsTable", name, {}, opts);
        const tableName = args.tableName ?? DEFAULTS.tableName;
        const a: Resolved = { ...DEFAULTS, tablePrefix: defaultIcebergPrefix(tableName), ...stripUndefined(args) };
        validate(a);
        this.tablePrefix = a.tablePrefix;
        this.location = pulumi.interpolate`s3://${a.bucketName}/${a.tablePrefix}`;
        const icebergName = `${a.tableName}${ICEBERG_TABLE_SUFFIX}`;

        this.table = new aws.glue.CatalogTable(`${name}-table`, {
            name: icebergName,
            databaseName: a.databaseName,
            description: "Game events (Apache Iceberg v2, partitioned by day(event_timestamp) and application_id), written by Firehose",
            tableType: "EXTERNAL_TABLE",
            openTableFormatInput: {
                icebergInput: {
                    metadataOperation: "CREATE",
                    version: ICEBERG_FORMAT_VERSION,
                    icebergTableInput: {
                        location: this.location,
                        schema: glueIcebergSchema(),
                        partitionSpec: glueIcebergPartitionSpec(),
                        properties: {
                            "write.format.default": "parquet",
                            "write.parquet.compression-codec": "zstd",
                            // Athena and the optimizers read; the retention optimizer falls back to these.
                            "history.expire.max-snapshot-age-ms": String(a.snapshotRetentionDays * 86_400_000),
                            "history.expire.min-snapshots-to-keep": String(a.snapshotsToKeep),
                        },
                    },
                },
            },
            // Columns as Athena and the console list them; the Iceberg schema above is authoritative.
            storageDescriptor: {
                location: this.location,
                columns: EVENTS_SCHEMA.fields.map((f) => ({ name: f.name, type: GLUE_TYPE_OF_ICEBERG[f.type] ?? f.type })),
            },
        }, { parent: this });

        this.optimizerRole = new aws.iam.Role(`${name}-optimizer-role`, {
            name: physicalName(a.workloadName, "iceberg-optimizer", NAME_LIMITS.iamRole),
            description: "Glue table optimizers (compaction, snapshot retention, orphan-file deletion) of the Iceberg events table",
            // Glue documents its service role trust without a condition; the optimizers assume it as glue.amazonaws.com.
            assumeRolePolicy: assumeRolePolicy("glue.amazonaws.com"),
        }, { parent: this });
        const ctx = awsContext(this);
        this.optimizerPolicy = new aws.iam.RolePolicy(`${name}-optimizer-policy`, {
            role: this.optimizerRole.name,
            name: "least-privilege",
            policy: policyDocument(optimizerStatements({
                bucketArn: a.bucketArn, dataKeyArn: a.dataKeyArn, tablePrefix: a.tablePrefix,
                databaseName: a.databaseName, tableName: icebergName, ...ctx,
            })),
        }, { parent: this });

        this.optimizerLogGroups = {};
        if (a.optimizerLogGroups) {
            for (const type of OPTIMIZER_TYPES) {
                this.optimizerLogGroups[type] = new aws.cloudwatch.LogGroup(`${name}-${type.replace(/_/g, "-")}-logs`, {
                    name: OPTIMIZER_LOG_GROUPS[type],
                    retentionInDays: a.logRetentionDays,
                    kmsKeyId: a.dataKeyArn,
                }, { parent: this });
            }
        }
        const logGroups = Object.values(this.optimizerLogGroups);
        const optimizer = (type: OptimizerType, configuration: Partial<aws.types.input.glue.CatalogTableOptimizerConfiguration>) =>
            new aws.glue.CatalogTableOptimizer(`${name}-${type.replace(/_/g, "-")}`, {
                catalogId: ctx.accountId,
                databaseName: a.databaseName,
                tableName: this.table.name,
                type,
                configuration: { enabled: true, roleArn: this.optimizerRole.arn, ...configuration },
            }, { parent: this, dependsOn: [this.optimizerPolicy, ...logGroups] });
        this.optimizers = {
            // binpack: rows arrive in time order already; sorting would rewrite every file for little gain.
            // minInputFiles 100 (Glue's default, stated): production's 96 commits a day leave ~96 files
            // of tens of MB per partition-day, not worth rewriting; development's 1,440 are compacted.
            compaction: optimizer("compaction", { compactionConfiguration: { icebergConfiguration: { strategy: "binpack", minInputFiles: 100 } } }),
            retention: optimizer("retention", {
                retentionConfiguration: {
                    icebergConfiguration: {
                        snapshotRetentionPeriodInDays: a.snapshotRetentionDays,
                        numberOfSnapshotsToRetain: a.snapshotsToKeep,
                        // Without it expired snapshots leave their files behind (Glue's default is false).
                        cleanExpiredFiles: true,
                        runRateInHours: a.maintenanceRunHours,
                    },
                },
            }),
            orphan_file_deletion: optimizer("orphan_file_deletion", {
                orphanFileDeletionConfiguration: {
                    icebergConfiguration: {
                        orphanFileRetentionPeriodInDays: a.orphanFileRetentionDays,
                        location: pulumi.interpolate`${this.location}/`,
                        runRateInHours: a.maintenanceRunHours,
                    },
                },
            }),
        };

        this.view = new aws.glue.CatalogTable(`${name}-view`, {
            name: a.tableName,
            databaseName: a.databaseName,
            description: `Hive-compatible view of ${icebergName}: epoch-second event_timestamp, year/month/day strings, and ${EVENT_TIME_COLUMN} for pruning`,
            tableType: "VIRTUAL_VIEW",
            parameters: { presto_view: "true", comment: "Presto View" },
            viewOriginalText: pulumi.output(a.databaseName).apply((database) => prestoViewText(database, icebergName)),
            viewExpandedText: "/* Presto View */",
            storageDescriptor: { columns: viewColumns().map((c) => ({ name: c.name, type: c.glueType })) },
        }, { parent: this, dependsOn: [this.table] });

        this.versionCleanup = a.tableVersionCleanup ? new TableVersionCleanup(`${name}-versions`, {
            workloadName: a.workloadName, databaseName: a.databaseName, tableName: this.table.name, dataKeyArn: a.dataKeyArn,
        }, { parent: this }) : undefined;

        this.icebergTableName = this.table.name;
        this.viewName = this.view.name;
        this.registerOutputs({ icebergTableName: this.icebergTableName, viewName: this.viewName, location: this.location });
    }
}

/** Refuses arguments Glue would refuse at deploy time, naming the field and the rule. */
export function validate(a: { snapshotRetentionDays: number; snapshotsToKeep: number; orphanFileRetentionDays: number; maintenanceRunHours: number; tablePrefix: string }): void {
    const problems: string[] = [];
    const integer = (field: string, value: number, min: number, max: number) => {
        if (!Number.isInteger(value) || value < min || value > max) problems.push(`${field}: must be an integer from ${min} to ${max} (got ${value})`);
    };
    integer("snapshotRetentionDays", a.snapshotRetentionDays, 1, 3653);
    integer("snapshotsToKeep", a.snapshotsToKeep, 1, 1000);
    // Glue's orphan-file retention minimum is 1 day; a file younger than a commit in flight must survive.
    integer("orphanFileRetentionDays", a.orphanFileRetentionDays, 1, 3653);
    // Glue runs retention and orphan-file deletion every 3 to 168 hours.
    integer("maintenanceRunHours", a.maintenanceRunHours, 3, 168);
    if (!/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(a.tablePrefix)) problems.push(`tablePrefix: must be a folder path without leading or trailing "/" (got "${a.tablePrefix}")`);
    if (problems.length > 0) throw new Error(`IcebergEventsTable: ${problems.join("; ")}`);
}

/** What the optimizer role may touch. */
export interface OptimizerScope {
    bucketArn: pulumi.Input<string>;
    dataKeyArn: pulumi.Input<string>;
    tablePrefix: string;
    databaseName: pulumi.Input<string>;
    tableName: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    region: pulumi.Input<string>;
    partition: pulumi.Input<string>;
}

/**
 * Least privilege of the optimizers ("Table optimization prerequisites", AWS Glue): read, write and
 * delete objects of the table's folder only (compaction rewrites, retention and orphan deletion
 * delete), list the bucket under that folder, read and update this one table, use the lake key,
 * write the optimizers' own log groups.
 */
export function optimizerStatements(s: OptimizerScope): PolicyStatement[] {
    const glue = (resource: pulumi.Input<string>) => pulumi.interpolate`arn:${s.partition}:glue:${s.region}:${s.accountId}:${resource}`;
    return [
        {
            Sid: "ListTheTableFolder",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: [s.bucketArn],
            Condition: { StringLike: { "s3:prefix": [`${s.tablePrefix}/*`, s.tablePrefix] } },
        },
        {
            Sid: "RewriteAndDeleteTableFiles",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: [pulumi.interpolate`${s.bucketArn}/${s.tablePrefix}/*`],
        },
        { Sid: "UseTheLakeKey", Effect: "Allow", Action: KMS_DATA_ACTIONS, Resource: [s.dataKeyArn] },
        {
            Sid: "CommitToTheTable",
            Effect: "Allow",
            Action: ["glue:GetTable", "glue:UpdateTable"],
            Resource: [glue("catalog"), pulumi.interpolate`${glue("database")}/${s.databaseName}`, pulumi.interpolate`${glue("table")}/${s.databaseName}/${s.tableName}`],
        },
        {
            Sid: "WriteOptimizerLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: Object.values(OPTIMIZER_LOG_GROUPS).map((group) => pulumi.interpolate`arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:${group}:*`),
        },
    ];
}
