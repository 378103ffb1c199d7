/**
 * `IcebergRowRetention`: `dataRetentionDays` for the Iceberg events table. Glue's optimizers never
 * delete rows (snapshot retention expires snapshots, not data), and an S3 lifecycle rule under the
 * table's folder would delete files live snapshots reference and break the table (policy rule
 * iceberg-location-not-expired). So a daily EventBridge Scheduler schedule calls Athena's
 * StartQueryExecution directly (a universal target: no Lambda, no code) with
 *
 *     DELETE FROM "<db>"."<iceberg table>" WHERE event_timestamp < date_trunc('day', current_timestamp) - interval '<n>' day
 *
 * in the lake's workgroup (its results location and KMS encryption). The cutoff is a UTC day
 * boundary, so the predicate covers whole `day(event_timestamp)` partitions. The deleted rows'
 * files leave storage when snapshot retention expires the snapshots that still reference them.
 *
 * The schedule's role may start queries in that workgroup only, and holds what Athena needs to run
 * this DELETE with the caller's credentials: read and commit this one table in Glue, read, write and
 * delete objects of the table's folder, write query results, use the lake key.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext } from "../aws-context";
import { assumeRolePolicy, KMS_DATA_ACTIONS, policyDocument, PolicyStatement } from "../iam";
import { NAME_LIMITS, physicalName } from "../names";

/** The universal target of EventBridge Scheduler for Athena's StartQueryExecution. */
export const ATHENA_START_QUERY_TARGET = "arn:aws:scheduler:::aws-sdk:athena:startQueryExecution";

export interface IcebergRowRetentionArgs {
    /**
     * Prefix of every physical name.
     * @example "game-analytics"
     */
    workloadName: string;
    /**
     * Rows older than this many days are deleted (whole UTC days); must be at least 1.
     * @example 365
     */
    retentionDays: number;
    /**
     * Glue database of the Iceberg table.
     * @example "game_analytics_events"
     */
    databaseName: pulumi.Input<string>;
    /**
     * Name of the Iceberg table (not its view).
     * @example "raw_events_iceberg"
     */
    tableName: pulumi.Input<string>;
    /**
     * Folder of the table in the bucket, without slashes at either end.
     * @example "iceberg/raw_events_iceberg"
     */
    tablePrefix: string;
    /**
     * The lake bucket's ARN and name.
     * @example "arn:aws:s3:::game-lake"
     */
    bucketArn: pulumi.Input<string>;
    /**
     * Athena workgroup the DELETE runs in (its results location and encryption apply).
     * @example "game-analytics-workgroup"
     */
    workgroupName: pulumi.Input<string>;
    /**
     * ARN of that workgroup.
     * @example "arn:aws:athena:us-east-1:111122223333:workgroup/game-analytics-workgroup"
     */
    workgroupArn: pulumi.Input<string>;
    /**
     * Folder of Athena's query results in the bucket.
     * @example "athena-query-results"
     */
    resultsPrefix: string;
    /**
     * Customer-managed key of the lake (the table's objects, the results, the schedule's input).
     * @example "arn:aws:kms:us-east-1:111122223333:key/..."
     */
    dataKeyArn: pulumi.Input<string>;
    /**
     * When the DELETE runs (EventBridge Scheduler expression, UTC).
     * @default "cron(30 3 * * ? *)"
     * @example "cron(0 4 ? * SUN *)"
     */
    scheduleExpression?: string;
}

/** The DELETE statement of a retention of `days` days. */
export function retentionDeleteSql(databaseName: string, tableName: string, days: number): string {
    if (!Number.isInteger(days) || days < 1) throw new RangeError(`retentionDays: must be a whole number of days >= 1 (got ${days})`);
    return `DELETE FROM "${databaseName}"."${tableName}" WHERE event_timestamp < date_trunc('day', current_timestamp) - interval '${days}' day`;
}

/** Least privilege of the schedule's role (see the module comment). */
export function retentionStatements(s: {
    bucketArn: pulumi.Input<string>; tablePrefix: string; resultsPrefix: string; dataKeyArn: pulumi.Input<string>; workgroupArn: pulumi.Input<string>;
    databaseName: pulumi.Input<string>; tableName: pulumi.Input<string>; accountId: pulumi.Input<string>; region: pulumi.Input<string>; partition: pulumi.Input<string>;
}): PolicyStatement[] {
    const glue = (resource: pulumi.Input<string>) => pulumi.interpolate`arn:${s.partition}:glue:${s.region}:${s.accountId}:${resource}`;
    return [
        { Sid: "StartTheDeleteInTheLakeWorkgroup", Effect: "Allow", Action: ["athena:StartQueryExecution"], Resource: [s.workgroupArn] },
        {
            Sid: "ReadAndCommitTheIcebergTable",
            Effect: "Allow",
            Action: ["glue:GetDatabase", "glue:GetTable", "glue:UpdateTable"],
            Resource: [glue("catalog"), pulumi.interpolate`${glue("database")}/${s.databaseName}`, pulumi.interpolate`${glue("table")}/${s.databaseName}/${s.tableName}`],
        },
        { Sid: "LocateTheBucket", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: [s.bucketArn] },
        {
            Sid: "ListTheTableFolderAndResults",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: [s.bucketArn],
            Condition: { StringLike: { "s3:prefix": [`${s.tablePrefix}/*`, s.tablePrefix, `${s.resultsPrefix}/*`] } },
        },
        {
            Sid: "RewriteTableFiles",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: [pulumi.interpolate`${s.bucketArn}/${s.tablePrefix}/*`],
        },
        {
            Sid: "WriteQueryResults",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject"],
            Resource: [pulumi.interpolate`${s.bucketArn}/${s.resultsPrefix}/*`],
        },
        { Sid: "UseTheLakeKey", Effect: "Allow", Action: KMS_DATA_ACTIONS, Resource: [s.dataKeyArn] },
    ];
}

/** The daily DELETE of expired rows, its role and policy. */
export class IcebergRowRetention extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly policy: aws.iam.RolePolicy;
    readonly schedule: aws.scheduler.Schedule;

    constructor(name: string, args: IcebergRowRetentionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:IcebergRowRetention", name, {}, opts);
        const a = { scheduleExpression: "cron(30 3 * * ? *)", ...args };
        const ctx = awsContext(this);
        this.role = new aws.iam.Role(`${name}-role`, {
            name: physicalName(a.workloadName, "iceberg-retention", NAME_LIMITS.iamRole),
            description: "EventBridge Scheduler: the daily Athena DELETE of Iceberg rows older than dataRetentionDays",
            // Confused-deputy guard: only schedules of this account assume it.
            assumeRolePolicy: assumeRolePolicy("scheduler.amazonaws.com", { sourceAccount: ctx.accountId }),
        }, { parent: this });
        this.policy = new aws.iam.RolePolicy(`${name}-policy`, {
            role: this.role.name,
            name: "least-privilege",
            policy: policyDocument(retentionStatements({ ...a, ...ctx })),
        }, { parent: this });
        this.schedule = new aws.scheduler.Schedule(`${name}-schedule`, {
            name: physicalName(a.workloadName, "iceberg-retention", 64),
            description: `Deletes Iceberg rows older than ${a.retentionDays} days (dataRetentionDays)`,
            scheduleExpression: a.scheduleExpression,
            scheduleExpressionTimezone: "UTC",
            flexibleTimeWindow: { mode: "FLEXIBLE", maximumWindowInMinutes: 60 },
            kmsKeyArn: a.dataKeyArn,
            target: {
                arn: ATHENA_START_QUERY_TARGET,
                roleArn: this.role.arn,
                input: pulumi.all([a.databaseName, a.tableName, a.workgroupName]).apply(([database, table, workgroup]) => JSON.stringify({
                    QueryString: retentionDeleteSql(database, table, a.retentionDays),
                    WorkGroup: workgroup,
                    QueryExecutionContext: { Database: database },
                })),
                retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
            },
        }, { parent: this, dependsOn: [this.policy] });
        this.registerOutputs({ scheduleName: this.schedule.name });
    }
}
