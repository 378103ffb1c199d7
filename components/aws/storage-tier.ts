/**
 * `StorageTier`: the data lake. A KMS key, the analytics bucket (private, TLS-only, SSE-KMS),
 * the Glue database and raw-events table (Parquet, partition projection so no crawler or
 * MSCK REPAIR is needed for new days), the Athena workgroup and the sample named queries.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NAMED_QUERIES } from "../../analytics/named-queries";
import { EVENT_COLUMNS, PARTITION_COLUMNS } from "../../functions/core/contracts";
import { awsContext } from "./aws-context";
import { cloudWatchLogsKeyStatement, keyPolicy } from "./iam";
import type { ResourceAccess } from "../contracts/access";
import { stripUndefined } from "../contracts/common";
import type { StorageTierArgs as StorageContractArgs, StorageTierOutputs } from "../contracts/storage";
import type { AwsLakeWiring } from "./wiring";
import { awsAccess } from "./access";
import { ATHENA_RESULTS_PREFIX, FIREHOSE_ERRORS_PREFIX, RAW_BACKUP_PREFIX } from "./layout";
import { NAME_LIMITS, physicalName } from "./names";
import { IcebergEventsTable } from "./iceberg/iceberg-table";
import { IcebergRowRetention } from "./iceberg/iceberg-retention";
import { icebergCtasSql, icebergQuerySql } from "../../analytics/iceberg-athena";
import type { TableFormat } from "../contracts/settings";

export { ATHENA_RESULTS_PREFIX, FIREHOSE_ERRORS_PREFIX, RAW_BACKUP_PREFIX } from "./layout";

/** The AWS part of the storage tier's arguments, beside the contract's. */
export interface AwsStorageWiring {
    /**
     * Largest number of bytes one Athena query of the workgroup may scan before it is cancelled.
     * @default 10737418240 (10 GiB)
     * @example 1073741824
     */
    athenaBytesScannedCutoff?: pulumi.Input<number>;
    /**
     * ICEBERG: create the Glue table optimizers' log groups (`/aws-glue/iceberg-<optimizer>/logs`, names
     * shared by every stack of the account and region) with `logRetentionDays` and the lake key;
     * false in the second ICEBERG stack of an account and region.
     * @default true
     * @example false
     */
    icebergOptimizerLogGroups?: boolean;
    /**
     * Retention of the log groups this tier creates (ICEBERG: the optimizers'), in days.
     * @default 30
     * @example 90
     */
    logRetentionDays?: number;
}

/**
 * The storage tier's arguments on AWS: the contract's and AWS's own part. On AWS the events
 * database is a Glue database whose default is derived from the workload name
 * (defaultEventsDatabase), so two stacks in one account and region never share one; the events
 * table is a Parquet table (HIVE) or an Iceberg v2 table `<rawEventsTable>_iceberg` with its
 * optimizers and a Hive-compatible view `<rawEventsTable>` (ICEBERG); devMode destroys the bucket
 * and its objects with the stack, without versioning.
 */
export interface StorageTierArgs extends StorageContractArgs, AwsStorageWiring {}

const DEFAULTS = {
    rawEventsTable: "raw_events",
    rawEventsPrefix: "raw_events",
    glueTmpPrefix: "glueetl-tmp",
    devMode: false,
    dataRetentionDays: 0,
    athenaBytesScannedCutoff: (10 * 1024 ** 3) as pulumi.Input<number>,
    tableFormat: "HIVE" as TableFormat,
};

type Resolved = typeof DEFAULTS & StorageTierArgs & { eventsDatabase: string };

/**
 * Default Glue database of a workload: `<workload>_events`, lower case, hyphens as underscores
 * (Glue database names are lower case letters, digits and underscores), at most 255 characters.
 * @example defaultEventsDatabase("Game-Analytics") === "game_analytics_events"
 */
export function defaultEventsDatabase(workloadName: string): string {
    return `${workloadName.toLowerCase().replace(/-/g, "_")}_events`.slice(-255);
}

/** The data lake: key, bucket, catalog and query engine. */
export class StorageTier extends pulumi.ComponentResource implements StorageTierOutputs {
    readonly key: aws.kms.Key;
    readonly bucket: aws.s3.Bucket;
    readonly database: aws.glue.CatalogDatabase;
    /** The Hive raw-events table (HIVE only). */
    readonly rawEventsTable?: aws.glue.CatalogTable;
    /** The Iceberg events table, its optimizers and view (ICEBERG only). */
    readonly icebergTable?: IcebergEventsTable;
    /** ICEBERG with dataRetentionDays > 0: the daily DELETE of expired rows. */
    readonly icebergRetention?: IcebergRowRetention;
    readonly workgroup: aws.athena.Workgroup;
    readonly namedQueries: aws.athena.NamedQuery[];

    readonly keyArn: pulumi.Output<string>;
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly databaseName: pulumi.Output<string>;
    readonly rawEventsTableName: pulumi.Output<string>;
    readonly workgroupName: pulumi.Output<string>;
    /** Folder of the raw events, as configured. */
    readonly rawEventsPrefix: string;
    /** Name of the lake (the analytics bucket). */
    readonly lakeName: pulumi.Output<string>;
    /** Access handle of the lake (bucket ARN, encrypted with the data key). */
    readonly lake: ResourceAccess;
    /** Access handle of the data key. */
    readonly dataKey: ResourceAccess;
    /** Where queries run: the Athena workgroup. */
    readonly queryWorkgroupName: pulumi.Output<string>;
    /** Table format of the events table. */
    readonly tableFormat: TableFormat;
    /** What the AWS processing tier needs of the lake beyond the contract outputs. */
    readonly lakeWiring: AwsLakeWiring;

    constructor(name: string, args: StorageTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:StorageTier", name, {}, opts);
        const a: Resolved = { ...DEFAULTS, eventsDatabase: defaultEventsDatabase(args.workloadName), ...stripUndefined(args) };
        const ctx = awsContext(this);
        this.rawEventsPrefix = a.rawEventsPrefix;

        this.key = this.createKey(name, a.workloadName, ctx);
        this.bucket = this.createBucket(name, a);
        this.database = this.createDatabase(name, a);
        if (a.tableFormat === "ICEBERG") {
            this.icebergTable = new IcebergEventsTable(`${name}-iceberg`, {
                workloadName: a.workloadName,
                databaseName: this.database.name,
                tableName: a.rawEventsTable,
                bucketName: this.bucket.bucket,
                bucketArn: this.bucket.arn,
                dataKeyArn: this.key.arn,
                ...stripUndefined({ ...a.icebergMaintenance, optimizerLogGroups: a.icebergOptimizerLogGroups, logRetentionDays: a.logRetentionDays }),
            }, { parent: this });
        } else {
            this.rawEventsTable = this.createRawEventsTable(name, a);
        }
        this.workgroup = this.createWorkgroup(name, a);
        // ICEBERG: dataRetentionDays as a daily Athena DELETE (S3 lifecycle would break the table).
        this.icebergRetention = this.icebergTable && a.dataRetentionDays > 0 ? new IcebergRowRetention(`${name}-iceberg-retention`, {
            workloadName: a.workloadName, retentionDays: a.dataRetentionDays, databaseName: this.database.name,
            tableName: this.icebergTable.icebergTableName, tablePrefix: this.icebergTable.tablePrefix, bucketArn: this.bucket.arn,
            workgroupName: this.workgroup.name, workgroupArn: this.workgroup.arn, resultsPrefix: ATHENA_RESULTS_PREFIX, dataKeyArn: this.key.arn,
        }, { parent: this }) : undefined;
        this.namedQueries = this.createNamedQueries(name, a);

        this.keyArn = this.key.arn;
        this.bucketName = this.bucket.bucket;
        this.bucketArn = this.bucket.arn;
        this.databaseName = this.database.name;
        // ICEBERG: the Iceberg table (Firehose's destination); queries read the view of the configured name.
        this.rawEventsTableName = this.icebergTable ? this.icebergTable.icebergTableName : this.rawEventsTable!.name;
        this.workgroupName = this.workgroup.name;
        this.lakeName = this.bucketName;
        this.lake = awsAccess(this.bucketArn, this.keyArn);
        this.dataKey = awsAccess(this.keyArn);
        this.queryWorkgroupName = this.workgroupName;
        this.tableFormat = a.tableFormat;
        this.lakeWiring = { glueTmpPrefix: a.glueTmpPrefix, icebergTablePrefix: this.icebergTable?.tablePrefix };
        this.registerOutputs({
            keyArn: this.keyArn,
            bucketName: this.bucketName,
            databaseName: this.databaseName,
            rawEventsTableName: this.rawEventsTableName,
            workgroupName: this.workgroupName,
        });
    }

    /** Customer-managed key of the lake; CloudWatch Logs may use it for the Glue job's logs. */
    private createKey(name: string, workloadName: string, ctx: ReturnType<typeof awsContext>): aws.kms.Key {
        const logsStatement = cloudWatchLogsKeyStatement(ctx, "CloudWatchLogsEncryptsThisAccountsLogGroups", "*");
        const key = new aws.kms.Key(`${name}-key`, {
            description: `Encrypts the ${workloadName} game analytics data lake`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: keyPolicy(ctx.accountId, ctx.partition, [logsStatement]),
        }, { parent: this });
        new aws.kms.Alias(`${name}-key-alias`, {
            name: `alias/${physicalName(workloadName, "data-lake", 250)}`,
            targetKeyId: key.keyId,
        }, { parent: this });
        return key;
    }

    private createBucket(name: string, a: Resolved): aws.s3.Bucket {
        const bucket = new aws.s3.Bucket(`${name}-bucket`, {
            bucketPrefix: `${physicalName(a.workloadName, "lake", NAME_LIMITS.bucketPrefix - 1, true)}-`,
            forceDestroy: a.devMode,
        }, { parent: this });
        const forBucket = { parent: this };

        const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-bucket-public-access`, {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, forBucket);
        new aws.s3.BucketOwnershipControls(`${name}-bucket-ownership`, {
            bucket: bucket.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, forBucket);
        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-bucket-encryption`, {
            bucket: bucket.id,
            rules: [{
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn },
                bucketKeyEnabled: true,
            }],
        }, forBucket);
        new aws.s3.BucketPolicy(`${name}-bucket-tls-only`, {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                }],
            }),
        }, { parent: this, dependsOn: [publicAccess] });
        if (!a.devMode) {
            new aws.s3.BucketVersioning(`${name}-bucket-versioning`, {
                bucket: bucket.id,
                versioningConfiguration: { status: "Enabled" },
            }, forBucket);
        }
        new aws.s3.BucketLifecycleConfiguration(`${name}-bucket-lifecycle`, {
            bucket: bucket.id,
            rules: lifecycleRules(a),
        }, forBucket);
        return bucket;
    }

    private createDatabase(name: string, a: Resolved): aws.glue.CatalogDatabase {
        return new aws.glue.CatalogDatabase(`${name}-database`, {
            name: a.eventsDatabase,
            description: "Game analytics events",
        }, { parent: this });
    }

    /** Parquet table over `<rawEventsPrefix>/year=/month=/day=/`, partitions found by projection. */
    private createRawEventsTable(name: string, a: Resolved): aws.glue.CatalogTable {
        const location = pulumi.interpolate`s3://${this.bucket.bucket}/${a.rawEventsPrefix}/`;
        return new aws.glue.CatalogTable(`${name}-raw-events-table`, {
            name: a.rawEventsTable,
            databaseName: this.database.name,
            description: "Raw game events written by Firehose (Parquet, partitioned by event date, UTC)",
            tableType: "EXTERNAL_TABLE",
            parameters: {
                classification: "parquet",
                EXTERNAL: "TRUE",
                "parquet.compression": "SNAPPY",
                ...partitionProjection(pulumi.interpolate`s3://${this.bucket.bucket}/${a.rawEventsPrefix}`, projectionYears(a.dataRetentionDays)),
            },
            partitionKeys: PARTITION_COLUMNS.map((column) => ({ name: column, type: "string" })),
            storageDescriptor: {
                location,
                inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                serDeInfo: {
                    name: "parquet",
                    serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                    parameters: { "serialization.format": "1" },
                },
                columns: EVENT_COLUMNS.map((column) => ({ name: column.name, type: column.glueType })),
            },
        }, { parent: this });
    }

    private createWorkgroup(name: string, a: Resolved): aws.athena.Workgroup {
        return new aws.athena.Workgroup(`${name}-workgroup`, {
            name: physicalName(a.workloadName, "workgroup", NAME_LIMITS.athenaWorkgroup),
            description: "Queries over the game analytics data lake",
            forceDestroy: a.devMode,
            configuration: {
                enforceWorkgroupConfiguration: true,
                publishCloudwatchMetricsEnabled: true,
                bytesScannedCutoffPerQuery: a.athenaBytesScannedCutoff,
                engineVersion: { selectedEngineVersion: "Athena engine version 3" },
                resultConfiguration: {
                    outputLocation: pulumi.interpolate`s3://${this.bucket.bucket}/${ATHENA_RESULTS_PREFIX}/`,
                    encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: this.key.arn },
                },
            },
        }, { parent: this });
    }

    private createNamedQueries(name: string, a: Resolved): aws.athena.NamedQuery[] {
        const iceberg = a.tableFormat === "ICEBERG";
        const queries = NAMED_QUERIES.map((query) => new aws.athena.NamedQuery(`${name}-query-${query.name}`, {
            name: query.name,
            description: query.description,
            database: this.database.name,
            workgroup: this.workgroup.name,
            query: iceberg ? icebergQuerySql(query.sql(a.eventsDatabase, a.rawEventsTable)) : query.sql(a.eventsDatabase, a.rawEventsTable),
        }, { parent: this }));
        if (iceberg) {
            queries.push(new aws.athena.NamedQuery(`${name}-query-iceberg-ctas`, {
                name: "iceberg_ctas",
                description: "Per-application daily summary of the events as a new Iceberg table (CTAS)",
                database: this.database.name,
                workgroup: this.workgroup.name,
                query: this.bucket.bucket.apply((bucket) => icebergCtasSql(a.eventsDatabase, a.rawEventsTable,
                    `${a.rawEventsTable}_daily_summary`, `s3://${bucket}/iceberg/${a.rawEventsTable}_daily_summary/`)),
            }, { parent: this }));
        }
        return queries;
    }
}

/** Years of data the projection covers when raw events are kept forever. */
export const PROJECTION_YEARS_WITHOUT_RETENTION = 10;

/** Years back the projection reaches: the data retention rounded up, or 10 years without one. */
export function projectionYears(dataRetentionDays: number): number {
    return dataRetentionDays > 0 ? Math.ceil(dataRetentionDays / 365) : PROJECTION_YEARS_WITHOUT_RETENTION;
}

/**
 * Athena partition projection: year/month/day computed from the query's predicates instead of
 * being registered, so new days are queryable the moment Firehose writes them.
 *
 * Athena enumerates every projected partition a query's predicates do not exclude (an S3 LIST
 * each), so the range must match the data "as closely as possible"
 * (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-kinesis-firehose-example-using-the-date-type.html).
 * The year is a `date` projection relative to the query's time (`NOW-<years>YEARS` to
 * `NOW+1YEARS`, the year after for clients whose clock runs ahead,
 * https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html): it moves
 * with time, needs no redeploy, and at most (years + 2) x 12 x 31 partitions exist (4,464 for 10
 * years, against 37,572 for 2000-2100). Every named query also bounds its window (analytics/named-queries.ts).
 */
export function partitionProjection(tableLocation: pulumi.Input<string>, years = PROJECTION_YEARS_WITHOUT_RETENTION): Record<string, pulumi.Input<string>> {
    return {
        "projection.enabled": "true",
        "projection.year.type": "date",
        "projection.year.format": "yyyy",
        "projection.year.range": `NOW-${years}YEARS,NOW+1YEARS`,
        "projection.year.interval": "1",
        "projection.year.interval.unit": "YEARS",
        "projection.month.type": "integer",
        "projection.month.range": "1,12",
        "projection.month.digits": "2",
        "projection.day.type": "integer",
        "projection.day.range": "1,31",
        "projection.day.digits": "2",
        "storage.location.template": pulumi.interpolate`${tableLocation}/year=\${year}/month=\${month}/day=\${day}/`,
    };
}

/** Days a non-current object version is kept before it expires (versioned production bucket). */
export const NONCURRENT_VERSION_DAYS = 30;

/**
 * Lifecycle of the lake: temporary folders expire, raw data only when a retention is set.
 * Bucket-wide rules use an explicit empty prefix (`filter: { prefix: "" }`): the provider
 * deprecates the empty `filter: {}`. The versioned bucket also expires non-current versions after
 * 30 days and removes expired delete markers everywhere, not only under the expiring folders.
 */
export function lifecycleRules(a: { glueTmpPrefix: string; rawEventsPrefix: string; dataRetentionDays: number; devMode?: boolean }): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
    const expire = (id: string, prefix: string, days: number): aws.types.input.s3.BucketLifecycleConfigurationRule => ({
        id, status: "Enabled", filter: { prefix: `${prefix}/` }, expiration: { days },
        noncurrentVersionExpiration: { noncurrentDays: 1 },
    });
    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
        { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: { prefix: "" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
        expire("expire-athena-query-results", ATHENA_RESULTS_PREFIX, 30),
        expire("expire-glue-temporary-files", a.glueTmpPrefix, 7),
    ];
    if (a.dataRetentionDays > 0) {
        rules.push(
            expire("expire-raw-events", a.rawEventsPrefix, a.dataRetentionDays),
            expire("expire-raw-backup", RAW_BACKUP_PREFIX, a.dataRetentionDays),
            expire("expire-firehose-errors", FIREHOSE_ERRORS_PREFIX, a.dataRetentionDays),
        );
    }
    if (!a.devMode) {
        // A rule may not combine expiredObjectDeleteMarker with days-based expiration of current
        // versions; this one expires nothing current.
        rules.push({
            id: "expire-noncurrent-versions", status: "Enabled", filter: { prefix: "" },
            noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
            expiration: { expiredObjectDeleteMarker: true },
        });
    }
    return rules;
}
