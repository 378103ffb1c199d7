/**
 * `WarehouseTier`: the REDSHIFT data stack. A Redshift Serverless namespace (customer-managed KMS
 * key, admin password managed in Secrets Manager under that key, audit logs exported to CloudWatch
 * with retention) and workgroup (base capacity, private, enhanced VPC routing, TLS required) in a
 * VPC without NAT gateway, compute usage limits, the streaming-ingestion role, and the warehouse
 * objects created at deploy time by `aws.redshiftdata.Statement`s run in order (schema, external
 * schema FROM KINESIS, streaming materialized view, the events view and the 11 sample views).
 *
 * Every statement is idempotent (`IF NOT EXISTS`, `CREATE OR REPLACE`, a procedure creating the
 * materialized view only when missing), so a replaced Statement (any change of its SQL) runs again
 * without harm. Known provider issue: the Data API does not return the `IAM_ROLE` ARN in the
 * statement's text (pulumi/pulumi-aws#5076, hashicorp/terraform-provider-aws#25775), so after a
 * `pulumi refresh` the external-schema statement shows a diff and is run again, harmlessly.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { redshiftSetupStatements } from "../../analytics/query-definitions/redshift";
import type { WarehouseTierArgs as WarehouseContractArgs, WarehouseTierOutputs } from "../contracts/warehouse";
import { arnOf } from "./access";
import { awsContext } from "./aws-context";
import { cloudWatchLogsKeyStatement, keyPolicy } from "./iam";
import { physicalName } from "./names";
import { baseCapacityProblem, COMPUTE_USAGE_TYPE, usageLimitAmountProblem, USAGE_LIMIT_BREACH_ACTIONS, UsageLimitBreachAction } from "../../policy/rules/redshift-capacity";
import { networkProblems, REDSHIFT_PORT, WarehouseNetwork } from "./warehouse/network";
import { StreamingIngestionRole } from "./warehouse/streaming-role";
import type { WarehouseWatch } from "./warehouse/monitoring";
import { RefreshMonitor } from "./warehouse/refresh-monitor";
import { warehouseStatements } from "./warehouse/warehouse-access";
import { DEFAULT_WAREHOUSE_NAMES } from "../../analytics/query-definitions/warehouse-sql";
import { DATA_STACK, REDSHIFT_DATABASE, REDSHIFT_EVENTS_VIEW, REDSHIFT_RECORDS_VIEW, REDSHIFT_SCHEMA, REDSHIFT_VIEW_NAMES, REDSHIFT_WORKGROUP_NAME } from "../../functions/core/environment-names";
import { QUERY_DEFINITIONS } from "../../analytics/query-definitions/definitions";
import type { LogLevel } from "./lambda-environment";

/** Audit logs the namespace exports to CloudWatch. `useractivitylog` needs `enable_user_activity_logging`. */
export const REDSHIFT_LOG_EXPORTS = ["connectionlog", "userlog", "useractivitylog"] as const;
/** Longest namespace and workgroup name (lower case letters, digits, hyphens; 3 to 64). */
export const REDSHIFT_NAME_LIMIT = 64;

/**
 * Workgroup parameters: the guidance's case-sensitive identifiers (the views are PascalCase),
 * TLS only, user-activity logging on. The other documented keys are given at their defaults so the
 * set sent equals the set AWS returns (no perpetual diff on a partial set).
 */
export const WORKGROUP_CONFIG_PARAMETERS: Readonly<Record<string, string>> = Object.freeze({
    enable_case_sensitive_identifier: "true",
    require_ssl: "true",
    enable_user_activity_logging: "true",
    auto_mv: "true",
    datestyle: "ISO, MDY",
    query_group: "default",
    search_path: "$user, public",
    max_query_execution_time: "14400",
    use_fips_ssl: "false",
});

/**
 * CloudWatch log group of one exported log type. AWS names them per account and region, not per
 * namespace, so two stacks in one account and region share them (see `manageAuditLogGroups`).
 */
export const auditLogGroupName = (logType: string): string => `/aws/redshift/serverless/${logType}`;

/** The query editor v2 of a region. */
export const queryEditorUrl = (region: string): string => `https://${region}.console.aws.amazon.com/sqlworkbench/home?region=${region}#/client`;

/**
 * The AWS part of the warehouse tier's arguments, beside the contract's (the stream's outputs,
 * one event per record in REDSHIFT mode; the streaming role may decrypt with the stream's
 * customer-managed key; audit log retention).
 */
export interface AwsWarehouseTierOptions {
    /**
     * Customer-managed KMS key of the namespace and of its admin secret; a key is created when unset.
     * @default undefined (a new key with rotation)
     * @example storage.keyArn
     */
    kmsKeyArn?: pulumi.Input<string>;
    /**
     * First database of the namespace (where the views live).
     * @default "analytics"
     * @example "game_events"
     */
    databaseName?: string;
    /**
     * Admin user of the namespace; its password is generated and kept in Secrets Manager.
     * @default "gap_admin"
     * @example "admin"
     */
    adminUsername?: string;
    /**
     * Base capacity in RPUs: 4, a multiple of 8 up to 512, or of 32 up to 1024.
     * @default 4 (the guidance's value)
     * @example 8
     */
    baseCapacityRpu?: number;
    /**
     * Compute usage limit per day, in RPU-hours (a 4 RPU workgroup busy 1 h uses 4 RPU-hours).
     * @default 8
     * @example 24
     */
    usageLimitRpuHoursPerDay?: number;
    /**
     * Compute usage limit per week (weeks start on Sunday), in RPU-hours.
     * @default 40
     * @example 120
     */
    usageLimitRpuHoursPerWeek?: number;
    /**
     * What Redshift does at a limit: "log", "emit-metric" or "deactivate" (queries refused until the
     * period ends; the raw copy of the stream in the data lake keeps every event meanwhile).
     * @default "deactivate"
     * @example "emit-metric"
     */
    usageLimitBreachAction?: UsageLimitBreachAction;
    /**
    /**
     * Create the account-and-region-wide audit log groups (with retention, encrypted with the
     * namespace's key: a key passed in `kmsKeyArn` must let CloudWatch Logs use it) before the
     * namespace exports to them. Set false in the second stack of an account and region: the first
     * stack owns them (config `redshiftManageAuditLogGroups`).
     * @default true
     * @example false
     */
    manageAuditLogGroups?: boolean;
    /**
     * The studio's own VPC (with `subnetIds`); a VPC without NAT gateway is created when unset.
     * @default undefined
     * @example "vpc-0abc1234def567890"
     */
    vpcId?: pulumi.Input<string>;
    /**
     * Subnets of the studio's VPC: at least 3, in 3 Availability Zones.
     * @default undefined
     * @example ["subnet-0a...", "subnet-0b...", "subnet-0c..."]
     */
    subnetIds?: pulumi.Input<string>[];
    /**
     * Availability Zones of the Kinesis interface endpoint (one endpoint-hour each).
     * @default 1
     * @example 3
     */
    kinesisEndpointAzs?: number;
    /**
     * Role name of the admin API function: it gets `redshift-data:ListTables` and
     * `redshift-serverless:GetCredentials` on this workgroup for `POST /redshift/setup`.
     * @default undefined (no statement attached)
     * @example ingest.adminFunction.role.name
     */
    adminRoleName?: pulumi.Input<string>;
    /**
     * Log level of the refresh monitor function.
     * @default "INFO"
     * @example "DEBUG"
     */
    logLevel?: LogLevel;
}

/** Physical name of a workload's namespace and workgroup (known before deployment). */
export function warehousePhysicalName(workloadName: string): string {
    return physicalName(workloadName, "warehouse", REDSHIFT_NAME_LIMIT, true);
}

/**
 * Environment of the admin function in a REDSHIFT stack (`POST /redshift/setup` reads the catalog).
 * @example warehouseAdminEnvironment("game", "analytics") // the data stack, the workgroup "game-warehouse", the database and the schema
 */
export function warehouseAdminEnvironment(workloadName: string, databaseName = "analytics"): Record<string, string> {
    return {
        [DATA_STACK]: "REDSHIFT",
        [REDSHIFT_WORKGROUP_NAME]: warehousePhysicalName(workloadName),
        [REDSHIFT_DATABASE]: databaseName,
        [REDSHIFT_SCHEMA]: DEFAULT_WAREHOUSE_NAMES.schema,
        [REDSHIFT_RECORDS_VIEW]: DEFAULT_WAREHOUSE_NAMES.recordsRelation,
        [REDSHIFT_EVENTS_VIEW]: DEFAULT_WAREHOUSE_NAMES.eventsView,
        [REDSHIFT_VIEW_NAMES]: QUERY_DEFINITIONS.map((q) => q.name).join(","),
    };
}

/** The warehouse tier's arguments on AWS: the contract's (the stream's outputs) and AWS's own part. */
export interface WarehouseTierArgs extends WarehouseContractArgs, AwsWarehouseTierOptions {}

const DEFAULTS = {
    databaseName: "analytics",
    adminUsername: "gap_admin",
    baseCapacityRpu: 4,
    usageLimitRpuHoursPerDay: 8,
    usageLimitRpuHoursPerWeek: 40,
    usageLimitBreachAction: "deactivate" as UsageLimitBreachAction,
    logRetentionDays: 365,
    manageAuditLogGroups: true,
};

/** Problems with the arguments, each naming the setting and the rule (empty when valid). */
export function warehouseArgsProblems(args: AwsWarehouseTierOptions): string[] {
    const a = { ...DEFAULTS, ...stripUndefined(args) };
    const problems: string[] = [];
    const capacity = baseCapacityProblem(a.baseCapacityRpu);
    if (capacity) problems.push(`redshiftBaseCapacityRpu: ${capacity}`);
    for (const [key, value] of [["redshiftUsageLimitRpuHoursPerDay", a.usageLimitRpuHoursPerDay], ["redshiftUsageLimitRpuHoursPerWeek", a.usageLimitRpuHoursPerWeek]] as const) {
        const problem = usageLimitAmountProblem(value);
        if (problem) problems.push(`${key}: ${problem}`);
    }
    if (a.usageLimitRpuHoursPerWeek < a.usageLimitRpuHoursPerDay) {
        problems.push(`redshiftUsageLimitRpuHoursPerWeek: must be at least the daily limit (${a.usageLimitRpuHoursPerDay}), got ${a.usageLimitRpuHoursPerWeek}`);
    }
    if (a.baseCapacityRpu > a.usageLimitRpuHoursPerDay) {
        problems.push(`redshiftUsageLimitRpuHoursPerDay: must allow at least one hour at the base capacity (${a.baseCapacityRpu} RPU-hours), got ${a.usageLimitRpuHoursPerDay}`);
    }
    if (!USAGE_LIMIT_BREACH_ACTIONS.includes(a.usageLimitBreachAction)) {
        problems.push(`redshiftUsageLimitBreachAction: must be one of ${USAGE_LIMIT_BREACH_ACTIONS.join(", ")} (got ${JSON.stringify(a.usageLimitBreachAction)})`);
    }
    if (!/^[a-z_][a-z0-9_]{0,126}$/.test(a.databaseName)) problems.push(`redshiftDatabaseName: lower case letters, digits and underscores, starting with a letter or underscore, at most 127 (got ${JSON.stringify(a.databaseName)})`);
    if (!/^[a-z][a-z0-9_]{0,126}$/.test(a.adminUsername)) problems.push(`redshiftAdminUsername: lower case letters, digits and underscores, starting with a letter (got ${JSON.stringify(a.adminUsername)})`);
    problems.push(...networkProblems({ vpcId: args.vpcId, subnetIds: args.subnetIds, kinesisEndpointAzs: args.kinesisEndpointAzs }));
    return problems;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Names of the setup statements, in order (they do not depend on the stream or role). */
export function setupStatementNames(): string[] {
    return redshiftSetupStatements({ streamName: "s", streamingRoleArn: "arn:aws:iam::000000000000:role/r" }).map((s) => s.name);
}

/** The Redshift Serverless warehouse fed by Kinesis streaming ingestion. */
export class WarehouseTier extends pulumi.ComponentResource implements WarehouseTierOutputs {
    readonly key?: aws.kms.Key;
    readonly network: WarehouseNetwork;
    readonly streamingRole: StreamingIngestionRole;
    readonly auditLogGroups: aws.cloudwatch.LogGroup[];
    readonly namespace: aws.redshiftserverless.Namespace;
    readonly workgroup: aws.redshiftserverless.Workgroup;
    readonly usageLimits: aws.redshiftserverless.UsageLimit[];
    /** The setup statements, in the order they run. */
    readonly statements: aws.redshiftdata.Statement[];
    /** The scheduled materialized-view refresh monitor (metrics for the operations tier's alarms). */
    readonly refreshMonitor: RefreshMonitor;
    /** The admin function's Data API statements (when `adminRoleName` is given). */
    readonly adminPolicy?: aws.iam.RolePolicy;

    readonly namespaceName: pulumi.Output<string>;
    readonly workgroupName: pulumi.Output<string>;
    readonly workgroupArn: pulumi.Output<string>;
    /** Host name clients connect to (inside the VPC), port 5439. */
    readonly endpointAddress: pulumi.Output<string>;
    readonly port: number;
    readonly databaseName: pulumi.Output<string>;
    /** Secrets Manager secret of the admin credentials (managed by Redshift). */
    readonly adminSecretArn: pulumi.Output<string>;
    /** The same, as the contract names it. */
    readonly adminSecretId: pulumi.Output<string>;
    readonly queryEditorUrl: pulumi.Output<string>;
    /** What the operations tier watches (plain names: the workgroup and namespace names are fixed). */
    readonly watch: Omit<WarehouseWatch, "region" | "streamName" | "streamRetentionHours">;

    constructor(name: string, args: WarehouseTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:WarehouseTier", name, {}, opts);
        const problems = warehouseArgsProblems(args);
        if (problems.length > 0) throw new Error(problems.join("; "));
        const a = { ...DEFAULTS, ...stripUndefined(args) };
        const ctx = awsContext(this);
        const physical = warehousePhysicalName(args.workloadName);
        const stream = { streamName: args.stream.streamName, streamArn: arnOf(args.stream.stream), streamKeyArn: args.stream.stream.encryptionKey };

        if (args.kmsKeyArn === undefined) {
            this.key = new aws.kms.Key(`${name}-key`, {
                description: `${args.workloadName}: Redshift Serverless namespace and its admin secret`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                // CloudWatch Logs encrypts the audit log groups with it (those groups only).
                policy: keyPolicy(ctx.accountId, ctx.partition, [cloudWatchLogsKeyStatement(ctx, "CloudWatchLogsEncryptsTheAuditLogGroups", auditLogGroupName("*"))]),
            }, { parent: this });
        }
        const keyArn = args.kmsKeyArn ?? this.key!.arn;

        this.network = new WarehouseNetwork(`${name}-network`, { vpcId: args.vpcId, subnetIds: args.subnetIds, kinesisEndpointAzs: args.kinesisEndpointAzs }, { parent: this });
        this.streamingRole = new StreamingIngestionRole(`${name}-streaming`, {
            workloadName: args.workloadName, streamArn: stream.streamArn, streamKeyArn: stream.streamKeyArn,
        }, { parent: this });

        this.auditLogGroups = a.manageAuditLogGroups ? REDSHIFT_LOG_EXPORTS.map((logType) => new aws.cloudwatch.LogGroup(`${name}-${logType}`, {
            name: auditLogGroupName(logType),
            retentionInDays: a.logRetentionDays,
            kmsKeyId: keyArn,
        }, { parent: this })) : [];

        this.namespace = new aws.redshiftserverless.Namespace(`${name}-namespace`, {
            namespaceName: physical,
            dbName: a.databaseName,
            adminUsername: a.adminUsername,
            manageAdminPassword: true,
            adminPasswordSecretKmsKeyId: keyArn,
            kmsKeyId: keyArn,
            iamRoles: [this.streamingRole.roleArn],
            logExports: [...REDSHIFT_LOG_EXPORTS],
        }, { parent: this, dependsOn: [...this.auditLogGroups, this.streamingRole.policy] });

        this.workgroup = new aws.redshiftserverless.Workgroup(`${name}-workgroup`, {
            workgroupName: physical,
            namespaceName: this.namespace.namespaceName,
            baseCapacity: a.baseCapacityRpu,
            publiclyAccessible: false,
            enhancedVpcRouting: true,
            port: REDSHIFT_PORT,
            subnetIds: this.network.subnetIds,
            securityGroupIds: [this.network.securityGroup.id],
            configParameters: Object.entries(WORKGROUP_CONFIG_PARAMETERS).map(([parameterKey, parameterValue]) => ({ parameterKey, parameterValue })),
        }, { parent: this, dependsOn: [this.network] });

        this.usageLimits = ([["daily", a.usageLimitRpuHoursPerDay], ["weekly", a.usageLimitRpuHoursPerWeek]] as const).map(([period, amount]) =>
            new aws.redshiftserverless.UsageLimit(`${name}-${period}-limit`, {
                resourceArn: this.workgroup.arn,
                usageType: COMPUTE_USAGE_TYPE,
                period,
                amount,
                breachAction: a.usageLimitBreachAction,
            }, { parent: this }));

        // One Statement per setup statement, each after the previous one: the SQL depends on the
        // stream name and the role ARN (outputs), the names and the order do not.
        const setup = pulumi.all([stream.streamName, this.streamingRole.roleArn]).apply(([streamName, streamingRoleArn]) =>
            redshiftSetupStatements({ streamName, streamingRoleArn }));
        this.statements = [];
        let previous: pulumi.Resource = this.workgroup;
        setupStatementNames().forEach((statementName, i) => {
            const statement: aws.redshiftdata.Statement = new aws.redshiftdata.Statement(`${name}-sql-${statementName}`, {
                workgroupName: this.workgroup.workgroupName,
                database: this.namespace.dbName,
                secretArn: this.namespace.adminPasswordSecretArn,
                sql: setup.apply((statements) => statements[i]!.sql),
                statementName: `${physical}-${statementName}`.slice(0, 500),
            }, { parent: this, dependsOn: [previous, ...(i === 0 ? this.usageLimits : [])] });
            this.statements.push(statement);
            previous = statement;
        });

        this.refreshMonitor = new RefreshMonitor(`${name}-refresh-monitor`, {
            workloadName: args.workloadName,
            workgroupName: physical,
            workgroupArn: this.workgroup.arn,
            databaseName: this.namespace.dbName,
            schemaName: DEFAULT_WAREHOUSE_NAMES.schema,
            recordsViewName: DEFAULT_WAREHOUSE_NAMES.recordsRelation,
            adminSecretArn: this.namespace.adminPasswordSecretArn,
            adminSecretKeyArn: keyArn,
            logRetentionDays: a.logRetentionDays,
            logLevel: args.logLevel,
        }, { parent: this });
        if (args.adminRoleName !== undefined) {
            this.adminPolicy = new aws.iam.RolePolicy(`${name}-admin-setup-report`, {
                role: args.adminRoleName,
                name: "redshift-setup-report",
                policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: warehouseStatements("admin", { workgroupArn: this.workgroup.arn, region: ctx.region }) }),
            }, { parent: this });
        }

        this.namespaceName = this.namespace.namespaceName;
        this.workgroupName = this.workgroup.workgroupName;
        this.workgroupArn = this.workgroup.arn;
        this.endpointAddress = this.workgroup.endpoints.apply((endpoints) => endpoints?.[0]?.address ?? "");
        this.port = REDSHIFT_PORT;
        this.databaseName = this.namespace.dbName;
        this.adminSecretArn = this.namespace.adminPasswordSecretArn;
        this.adminSecretId = this.adminSecretArn;
        this.queryEditorUrl = ctx.region.apply(queryEditorUrl);
        this.watch = { workgroupName: physical, namespaceName: physical, databaseName: a.databaseName, usageLimitRpuHoursPerDay: a.usageLimitRpuHoursPerDay };
        this.registerOutputs({
            namespaceName: this.namespaceName, workgroupName: this.workgroupName, endpointAddress: this.endpointAddress,
            databaseName: this.databaseName, adminSecretArn: this.adminSecretArn, queryEditorUrl: this.queryEditorUrl,
        });
    }
}
