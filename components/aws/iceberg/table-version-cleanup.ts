/**
 * `TableVersionCleanup`: keeps the Glue table versions of the Iceberg table under Glue's quota.
 * Every Iceberg commit (each Firehose flush, each optimizer run) points the table at a new
 * metadata.json through UpdateTable, and Glue archives the previous table definition as a table
 * version; Glue allows 100,000 versions per table and 1,000,000 per account ("Number of
 * TABLE_VERSION resources exceeds the limit 100000 per TABLE", AWS re:Post knowledge center
 * glue-table-version-errors and glue-manage-iceberg-table-versions), after which every commit
 * fails. Production's 96 commits a day reach it in under three years, development's 1,440 in 70
 * days; Firehose offers no SkipArchive.
 *
 * A daily EventBridge Scheduler schedule starts a Step Functions state machine (AWS SDK service
 * integrations, no Lambda): it reads the first page of GetTableVersions (the versions kept), then
 * deletes the next page with BatchDeleteTableVersion (at most 100 per call), and repeats until
 * there is no second page, at most {@link MAX_ROUNDS} rounds per run. The state machine's role may
 * read and delete versions of this one table only.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext } from "../aws-context";
import { assumeRolePolicy, KMS_DATA_ACTIONS, policyDocument, PolicyStatement } from "../iam";
import { NAME_LIMITS, physicalName } from "../names";

/** Versions per GetTableVersions page and per BatchDeleteTableVersion call (Glue's maximum for the delete). */
export const VERSIONS_PER_PAGE = 100;
/** Rounds (pages deleted) per run: 500 x 100 versions, far above a day of commits. */
export const MAX_ROUNDS = 500;

export interface TableVersionCleanupArgs {
    /**
     * Prefix of every physical name.
     * @example "game-analytics"
     */
    workloadName: string;
    /**
     * Glue database of the table.
     * @example "game_analytics_events"
     */
    databaseName: pulumi.Input<string>;
    /**
     * The table whose old versions are deleted.
     * @example "raw_events_iceberg"
     */
    tableName: pulumi.Input<string>;
    /**
     * Customer-managed key encrypting the state machine's data and the schedule's input.
     * @example "arn:aws:kms:us-east-1:111122223333:key/..."
     */
    dataKeyArn: pulumi.Input<string>;
    /**
     * When the cleanup runs (EventBridge Scheduler expression, UTC).
     * @default "cron(45 2 * * ? *)"
     * @example "rate(12 hours)"
     */
    scheduleExpression?: string;
}

/** The state machine (JSONata): keep the first page of versions, delete the next, repeat. */
export function cleanupDefinition(databaseName: string, tableName: string): string {
    const table = { DatabaseName: databaseName, TableName: tableName };
    return JSON.stringify({
        Comment: `Deletes the Glue table versions of ${databaseName}.${tableName} beyond the newest page of ${VERSIONS_PER_PAGE}`,
        QueryLanguage: "JSONata",
        StartAt: "Start",
        States: {
            Start: { Type: "Pass", Assign: { rounds: 0 }, Next: "ReadKeptPage" },
            ReadKeptPage: {
                Type: "Task",
                Resource: "arn:aws:states:::aws-sdk:glue:getTableVersions",
                Arguments: { ...table, MaxResults: VERSIONS_PER_PAGE },
                Assign: { next: "{% $states.result.NextToken %}" },
                Next: "MoreThanOnePage",
            },
            MoreThanOnePage: {
                Type: "Choice",
                Choices: [{ Condition: `{% $exists($next) and $next != null and $rounds < ${MAX_ROUNDS} %}`, Next: "ReadOlderPage" }],
                Default: "Done",
            },
            ReadOlderPage: {
                Type: "Task",
                Resource: "arn:aws:states:::aws-sdk:glue:getTableVersions",
                Arguments: { ...table, MaxResults: VERSIONS_PER_PAGE, NextToken: "{% $next %}" },
                Assign: { ids: "{% [$states.result.TableVersions.VersionId] %}" },
                Next: "DeleteOlderPage",
            },
            DeleteOlderPage: {
                Type: "Task",
                Resource: "arn:aws:states:::aws-sdk:glue:batchDeleteTableVersion",
                Arguments: { ...table, VersionIds: "{% $ids %}" },
                Assign: { rounds: "{% $rounds + 1 %}" },
                Next: "ReadKeptPage",
            },
            Done: { Type: "Succeed" },
        },
    });
}

/** Least privilege of the state machine: read and delete versions of this one table. */
export function cleanupStatements(s: {
    databaseName: pulumi.Input<string>; tableName: pulumi.Input<string>; dataKeyArn: pulumi.Input<string>;
    accountId: pulumi.Input<string>; region: pulumi.Input<string>; partition: pulumi.Input<string>;
}): PolicyStatement[] {
    const glue = (resource: pulumi.Input<string>) => pulumi.interpolate`arn:${s.partition}:glue:${s.region}:${s.accountId}:${resource}`;
    return [
        {
            Sid: "ReadAndDeleteOldTableVersions",
            Effect: "Allow",
            Action: ["glue:GetTableVersions", "glue:BatchDeleteTableVersion"],
            Resource: [glue("catalog"), pulumi.interpolate`${glue("database")}/${s.databaseName}`, pulumi.interpolate`${glue("table")}/${s.databaseName}/${s.tableName}`],
        },
        { Sid: "UseTheLakeKey", Effect: "Allow", Action: KMS_DATA_ACTIONS, Resource: [s.dataKeyArn] },
    ];
}

/** The daily cleanup of the table's old Glue versions. */
export class TableVersionCleanup extends pulumi.ComponentResource {
    readonly stateMachine: aws.sfn.StateMachine;
    readonly schedule: aws.scheduler.Schedule;

    constructor(name: string, args: TableVersionCleanupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:TableVersionCleanup", name, {}, opts);
        const a = { scheduleExpression: "cron(45 2 * * ? *)", ...args };
        const ctx = awsContext(this);
        const machineName = physicalName(a.workloadName, "table-versions", 80);

        const machineRole = new aws.iam.Role(`${name}-machine-role`, {
            name: physicalName(a.workloadName, "table-versions-sfn", NAME_LIMITS.iamRole),
            description: "Step Functions: deletes old Glue table versions of the Iceberg events table",
            assumeRolePolicy: assumeRolePolicy("states.amazonaws.com", { sourceAccount: ctx.accountId }),
        }, { parent: this });
        const machinePolicy = new aws.iam.RolePolicy(`${name}-machine-policy`, {
            role: machineRole.name,
            name: "least-privilege",
            policy: policyDocument(cleanupStatements({ ...a, ...ctx })),
        }, { parent: this });
        this.stateMachine = new aws.sfn.StateMachine(`${name}-machine`, {
            name: machineName,
            roleArn: machineRole.arn,
            definition: pulumi.all([a.databaseName, a.tableName]).apply(([database, table]) => cleanupDefinition(database, table)),
            encryptionConfiguration: { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: a.dataKeyArn, kmsDataKeyReusePeriodSeconds: 300 },
        }, { parent: this, dependsOn: [machinePolicy] });

        const scheduleRole = new aws.iam.Role(`${name}-schedule-role`, {
            name: physicalName(a.workloadName, "table-versions-run", NAME_LIMITS.iamRole),
            description: "EventBridge Scheduler: starts the Glue table-version cleanup",
            assumeRolePolicy: assumeRolePolicy("scheduler.amazonaws.com", { sourceAccount: ctx.accountId }),
        }, { parent: this });
        const schedulePolicy = new aws.iam.RolePolicy(`${name}-schedule-policy`, {
            role: scheduleRole.name,
            name: "least-privilege",
            policy: policyDocument([
                { Sid: "StartTheCleanup", Effect: "Allow", Action: ["states:StartExecution"], Resource: [this.stateMachine.arn] },
                { Sid: "UseTheLakeKey", Effect: "Allow", Action: KMS_DATA_ACTIONS, Resource: [a.dataKeyArn] },
            ]),
        }, { parent: this });
        this.schedule = new aws.scheduler.Schedule(`${name}-schedule`, {
            name: physicalName(a.workloadName, "table-versions", 64),
            description: "Deletes the Iceberg table's old Glue table versions (quota: 100,000 per table)",
            scheduleExpression: a.scheduleExpression,
            scheduleExpressionTimezone: "UTC",
            flexibleTimeWindow: { mode: "FLEXIBLE", maximumWindowInMinutes: 60 },
            kmsKeyArn: a.dataKeyArn,
            target: { arn: this.stateMachine.arn, roleArn: scheduleRole.arn, input: "{}", retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 } },
        }, { parent: this, dependsOn: [schedulePolicy] });
        this.registerOutputs({ stateMachineArn: this.stateMachine.arn });
    }
}
