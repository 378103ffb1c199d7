/**
 * `RefreshMonitor`: the scheduled function that makes the streaming materialized view's refresh
 * health visible. Redshift publishes no metric for it, so every 5 minutes an EventBridge rule runs
 * functions/aws/handlers/warehouse-monitor.ts, which reads SYS_MV_REFRESH_HISTORY through the Data
 * API and writes `MaterializedViewRefreshFailures` and `MaterializedViewLagSeconds` (namespace
 * `GameAnalytics/Warehouse`, dimension `Workgroup`) as Embedded Metric Format: no PutMetricData
 * permission. Its role may only run statements on this workgroup, read its own statements' results,
 * read the admin secret and decrypt it through Secrets Manager (functions/aws/sdk-usage.ts
 * WAREHOUSE_SDK_USAGE); its log group has a retention (LambdaFunction).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { REDSHIFT_DATABASE, REDSHIFT_RECORDS_VIEW, REDSHIFT_SCHEMA, REDSHIFT_SECRET_ARN, REDSHIFT_WORKGROUP_NAME } from "../../../functions/core/environment-names";
import { REFRESH_MONITOR_PERIOD_SECONDS } from "../../../functions/core/mv-refresh-metrics";
import { LambdaFunction } from "../lambda-function";
import { LogLevel, powertoolsEnvironment } from "../lambda-environment";
import { NAME_LIMITS, physicalName } from "../names";
import { warehouseStatements } from "./warehouse-access";

/** The rule's schedule (the metrics' period). */
export const REFRESH_MONITOR_SCHEDULE = `rate(${REFRESH_MONITOR_PERIOD_SECONDS / 60} minutes)`;

export interface RefreshMonitorArgs {
    /**
     * Prefix of every physical name.
     * @example "game-analytics"
     */
    workloadName: string;
    /**
     * The workgroup (plain name) and its ARN.
     * @example "game-analytics-warehouse"
     */
    workgroupName: string;
    /** @example workgroup.arn */
    workgroupArn: pulumi.Input<string>;
    /**
     * Database and schema of the streaming materialized view.
     * @example "analytics"
     */
    databaseName: pulumi.Input<string>;
    /** @example "game_events" */
    schemaName: string;
    /**
     * The streaming materialized view.
     * @example "kinesis_events"
     */
    recordsViewName: string;
    /**
     * The namespace's managed admin secret and its KMS key.
     * @example namespace.adminPasswordSecretArn
     */
    adminSecretArn: pulumi.Input<string>;
    /** @example key.arn */
    adminSecretKeyArn: pulumi.Input<string>;
    /**
     * Retention of the function's log group, days.
     * @default 30
     * @example 365
     */
    logRetentionDays?: number;
    /**
     * Log level of the function.
     * @default "INFO"
     * @example "DEBUG"
     */
    logLevel?: LogLevel;
}

/** The monitor function and its schedule. */
export class RefreshMonitor extends pulumi.ComponentResource {
    readonly function: LambdaFunction;
    readonly rule: aws.cloudwatch.EventRule;

    constructor(name: string, args: RefreshMonitorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:RefreshMonitor", name, {}, opts);
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const logLevel = args.logLevel ?? "INFO";
        this.function = new LambdaFunction(`${name}-fn`, {
            entry: "functions/aws/handlers/warehouse-monitor.ts",
            functionName: physicalName(args.workloadName, "mv-refresh-monitor", NAME_LIMITS.lambdaFunction),
            description: "Publishes the warehouse's materialized-view refresh failures and lag (SYS_MV_REFRESH_HISTORY via the Data API)",
            memorySize: 256,
            // Start + poll (at most 40 s) + result, well inside the 5-minute schedule.
            timeout: 60,
            logRetentionDays: args.logRetentionDays ?? 30,
            logLevel,
            environment: {
                [REDSHIFT_WORKGROUP_NAME]: args.workgroupName,
                [REDSHIFT_DATABASE]: args.databaseName,
                [REDSHIFT_SCHEMA]: args.schemaName,
                [REDSHIFT_RECORDS_VIEW]: args.recordsViewName,
                [REDSHIFT_SECRET_ARN]: args.adminSecretArn,
                ...powertoolsEnvironment(args.workloadName, "warehouse-monitor", logLevel),
            },
            statements: warehouseStatements("warehouseMonitor", {
                workgroupArn: args.workgroupArn, adminSecretArn: args.adminSecretArn, adminSecretKeyArn: args.adminSecretKeyArn, region,
            }),
        }, { parent: this });
        this.rule = new aws.cloudwatch.EventRule(`${name}-schedule`, {
            description: "Runs the materialized-view refresh monitor",
            scheduleExpression: REFRESH_MONITOR_SCHEDULE,
        }, { parent: this });
        new aws.cloudwatch.EventTarget(`${name}-target`, { rule: this.rule.name, arn: this.function.arn }, { parent: this });
        new aws.lambda.Permission(`${name}-invoke`, {
            function: this.function.functionName,
            action: "lambda:InvokeFunction",
            principal: "events.amazonaws.com",
            sourceArn: this.rule.arn,
        }, { parent: this });
        this.registerOutputs({ functionName: this.function.functionName });
    }
}
