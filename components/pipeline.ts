/**
 * `GameAnalyticsPipeline`: the whole pipeline from validated settings, on the cloud the `cloud`
 * setting names. It validates the neutral settings and the chosen cloud's own part (one
 * SettingsError listing every problem), asks that cloud's implementation to build the tiers, and
 * exposes their outputs in the contracts' words (plus the stack outputs under their historical
 * names). The clouds are registered in CLOUDS below: a new cloud adds its folder and one entry.
 */
import * as pulumi from "@pulumi/pulumi";
import { buildAwsPipeline, type AwsPipeline } from "./aws/pipeline";
import { replacementPolicy } from "./aws/replacement";
import { AWS_NAMESPACE, AWS_OPTION_KEYS, AWS_WAREHOUSE_KEYS, awsOptionProblems, awsSettingsProblems, readAwsSettings, type AwsDeploymentOptions, type AwsSettings, type AwsWarehouseConfig } from "./aws/settings";
import { renderBigQueryViews } from "../analytics/query-definitions/bigquery";
import { buildGcpPipeline } from "./gcp/pipeline";
import { GCP_NAMESPACE, readGcpSettings, validateGcpSettings, type GcpSettings } from "./gcp/settings";
import { QUERY_DEFINITIONS } from "../analytics/query-definitions/definitions";
import type { BatchSchedule, LogLevel } from "./contracts/common";
import type { PipelineTiers } from "./contracts/pipeline";
import { playerAuthProblems } from "./player-auth-settings";
import { checkSettings, type CloudName, type PipelineSettings, SettingsError, type SettingsProblem } from "./contracts/settings";

/** Log levels of the functions (every cloud). */
const LOG_LEVELS: readonly LogLevel[] = ["DEBUG", "INFO", "WARN", "ERROR"];

/** Options of a deployment that are not pipeline settings of the guidance. */
export interface DeploymentOptions extends AwsDeploymentOptions, AwsWarehouseConfig {
    /**
     * The AWS-only options, namespaced (components/aws/settings.ts AwsSettings); the top-level
     * apiAccessLogging, apiGatewayAccountRole, tracing and redshift* keys are their aliases. An
     * object, or its JSON text as Pulumi config gives it.
     * @default {}
     * @example { apiAccessLogging: false, redshift: { baseCapacityRpu: 8 } }
     */
    aws?: AwsSettings | string;
    /**
     * The Google Cloud-only options, namespaced (components/gcp/settings.ts GcpSettings).
     * @default {}
     * @example { region: "europe-west1" }
     */
    gcp?: GcpSettings | string;
    /**
     * Log level of every function.
     * @default "INFO"
     * @example "DEBUG"
     */
    logLevel?: LogLevel;
    /**
     * Config namespace named in settings errors (the stack program passes its project name).
     * @default undefined
     * @example "game-analytics"
     */
    configNamespace?: string;
}

/**
 * Settings of the pipeline (see components/contracts/settings.ts and README.md "Configuration" for
 * each key, default and rule); only `workloadName` is required. Validated with `validatePipelineArgs`.
 * @example { workloadName: "mygame", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, devMode: true }
 */
export type GameAnalyticsPipelineArgs = Partial<Omit<PipelineSettings, "etlSchedule">> & {
    workloadName: string;
    /**
     * See PipelineSettings.etlSchedule: an interval (object or words such as "every 1 hours"), or
     * the cloud's own expression (`cron(...)` on AWS, as before).
     * @default undefined (on demand)
     * @example "every 1 days at 02:00"
     */
    etlSchedule?: BatchSchedule | string;
} & DeploymentOptions;

/**
 * One cloud's implementation of the pipeline, as the neutral component sees it. Its own options
 * live under its namespace, the setting named like the cloud (`aws`, `gcp`).
 */
interface CloudImplementation {
    /** Config keys of the cloud's own deployment options: its namespace, and top-level aliases. */
    readonly optionKeys: readonly string[];
    /** The cloud's problems with settings the neutral rules accepted, and with its own options. */
    problems(raw: Record<string, unknown>, s: PipelineSettings): SettingsProblem[];
    /** Builds every tier as children of `parent`. */
    build(name: string, s: PipelineSettings, raw: Record<string, unknown>, parent: pulumi.ComponentResource): PipelineTiers;
    /** Transformations the cloud applies to every descendant (replacement options). */
    transformations(s: PipelineSettings): pulumi.ResourceTransformation[];
}

/**
 * Settings this version validates but cannot deploy on AWS, with what to set instead. Every
 * validated combination deploys today (REDSHIFT and ICEBERG included); the function stays part of
 * the package's API so that a setting added ahead of its implementation is refused in one place.
 */
export function unsupportedSettings(_s: PipelineSettings): SettingsProblem[] {
    return [];
}

/** The clouds this version deploys to (the `cloud` setting's AVAILABLE_CLOUDS). */
const CLOUDS: Partial<Record<CloudName, CloudImplementation>> = {
    aws: {
        optionKeys: [AWS_NAMESPACE, ...AWS_OPTION_KEYS, ...Object.values(AWS_WAREHOUSE_KEYS)],
        problems: (raw, s) => [...awsSettingsProblems(s), ...awsOptionProblems(raw, s)],
        build: (name, s, raw, parent) => buildAwsPipeline(name, s, parent, {
            ...readAwsSettings(raw, []).options,
            logLevel: logLevelOf(raw),
            warehouse: readAwsSettings(raw, []).warehouse,
            // Unset: derived from workloadName (defaultEventsDatabase), so stacks of one account differ.
            eventsDatabase: raw.eventsDatabase === undefined || raw.eventsDatabase === "" ? undefined : s.eventsDatabase,
        }),
        // Replacement options of every descendant (components/aws/replacement.ts): fixed-name
        // stateless resources are deleted before being replaced; stateful ones are protected in production.
        transformations: (s) => [replacementPolicy(!s.devMode)],
    },
    gcp: {
        // Its namespace only (gcp.region overrides the gcp provider's region); project is the provider's config.
        optionKeys: [GCP_NAMESPACE],
        problems: (raw, s) => {
            // `raw` still holds the deployment options, so AWS-only ones are refused by name.
            const problems = validateGcpSettings(raw, s);
            readGcpSettings(raw, problems);
            if (raw.apiGatewayAccountRole !== undefined && raw.apiGatewayAccountRole !== "") {
                problems.push({ key: "apiGatewayAccountRole", value: raw.apiGatewayAccountRole,
                    rule: "is the API Gateway CloudWatch role of the AWS account (AWS only); gcp has no such account setting: remove it" });
            }
            return problems;
        },
        build: (name, s, raw, parent) => buildGcpPipeline(name, s, parent, {
            ...readGcpSettings(raw, []),
            logLevel: logLevelOf(raw),
            views: (p, d, t) => renderBigQueryViews(QUERY_DEFINITIONS, p, d, t),
        }),
        // Stateful GCP resources carry their own deletion protection in production (components/gcp).
        transformations: () => [],
    },
};

/** Config keys of every cloud's deployment options and of `logLevel`, beside the pipeline settings. */
export const DEPLOYMENT_OPTION_KEYS: readonly string[] = [
    ...new Set([...Object.values(CLOUDS).flatMap((c) => c?.optionKeys ?? []), "logLevel"]),
];

function logLevelOf(raw: Record<string, unknown>): LogLevel {
    const v = raw.logLevel;
    return typeof v === "string" && (LOG_LEVELS as readonly string[]).includes(v) ? (v as LogLevel) : "INFO";
}

/**
 * Validates settings and deployment options together: the neutral rules, then those of the cloud
 * `cloud` names, then (with `deployable`) what that cloud cannot deploy yet. Throws one
 * SettingsError listing every problem (`<namespace>:<key> = <value>: <rule>`).
 * @param raw settings and deployment options by key (config strings or typed values).
 * @param deployable also refuse what this version validates but cannot deploy (unsupportedSettings);
 *   the cost model and the local mode read such settings without deploying them.
 * @example validatePipelineArgs({ workloadName: "game", cloud: "aws", tracing: "true" }, "game-analytics")
 */
export function validatePipelineArgs(raw: Record<string, unknown>, namespace?: string, deployable = true): PipelineSettings {
    const optionKeys = new Set<string>(DEPLOYMENT_OPTION_KEYS);
    const settingsRaw = Object.fromEntries(Object.entries(raw).filter(([k]) => !optionKeys.has(k)));
    const { settings, problems } = checkSettings(settingsRaw);
    const cloud = CLOUDS[settings.cloud];
    if (cloud === undefined) {
        problems.push({ key: "cloud", value: settings.cloud, rule: `${settings.cloud} is not available in this version of the package` });
    } else {
        problems.push(...cloud.problems(raw, settings));
    }
    // Another cloud's namespace means the stack was written for that cloud.
    for (const other of Object.keys(CLOUDS).filter((c) => c !== settings.cloud)) {
        if (raw[other] !== undefined && raw[other] !== "") {
            problems.push({ key: other, value: raw[other], rule: `holds the options of cloud ${other}; this stack deploys to ${settings.cloud}: remove it` });
        }
    }
    const level = raw.logLevel;
    if (level !== undefined && level !== "" && !(LOG_LEVELS as readonly unknown[]).includes(level)) {
        problems.push({ key: "logLevel", value: level, rule: `must be one of ${LOG_LEVELS.join(", ")}` });
    }
    // Player auth (issue 16): the oidc* rules of the functions' core; `dev` and loopback http are local only.
    problems.push(...playerAuthProblems(settings, { local: !deployable }));
    if (deployable && problems.length === 0) problems.push(...unsupportedSettings(settings));
    if (problems.length > 0) throw new SettingsError(problems, namespace);
    return settings;
}

/** The game analytics pipeline, on the cloud of its `cloud` setting (AWS by default). */
export class GameAnalyticsPipeline extends pulumi.ComponentResource {
    readonly settings: PipelineSettings;
    /** Every tier's outputs, in the contracts' words. */
    readonly tiers: PipelineTiers;
    /** The AWS tiers themselves (AWS types), when `cloud` is "aws". */
    readonly aws?: AwsPipeline;

    /** Invoke URL of the API stage. */
    readonly apiUrl: pulumi.Output<string>;
    /** `<apiUrl>/applications/{applicationId}/events` */
    readonly eventsEndpoint: pulumi.Output<string>;
    /** Cloud id (an ARN on AWS) of what studio admins are given to call the admin routes. */
    readonly adminPolicyArn: pulumi.Output<string>;
    readonly adminPolicyName: pulumi.Output<string>;
    readonly analyticsBucketName: pulumi.Output<string>;
    readonly eventsDatabase: pulumi.Output<string>;
    readonly rawEventsTable: pulumi.Output<string>;
    /** Where queries run (the Athena workgroup on AWS). */
    readonly athenaWorkgroup: pulumi.Output<string>;
    /** Stream name; undefined in DIRECT_BATCH mode. */
    readonly streamName?: pulumi.Output<string>;
    readonly deliveryStreamName: pulumi.Output<string>;
    readonly applicationsTableName: pulumi.Output<string>;
    readonly authorizationsTableName: pulumi.Output<string>;
    /** Cloud id of the alarm topic (an SNS topic ARN on AWS). */
    readonly alarmTopicArn: pulumi.Output<string>;
    readonly dashboardUrl: pulumi.Output<string>;
    /** Name of the batch workflow (the Glue workflow on AWS). */
    readonly glueWorkflowName: pulumi.Output<string>;
    /** Windowed real-time metrics; present when `realTimeAnalytics` is true. */
    readonly realTime?: PipelineTiers["realTime"];
    /** The Redshift Serverless warehouse's host, database, admin secret and query editor; present when `dataStack` is REDSHIFT (AWS). */
    readonly warehouse?: { endpoint: pulumi.Output<string>; database: pulumi.Output<string>; secretArn: pulumi.Output<string>; queryEditorUrl: pulumi.Output<string> };

    constructor(name: string, args: GameAnalyticsPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        const { configNamespace: namespace, ...raw } = args;
        const s = validatePipelineArgs(raw, namespace);
        const cloud = CLOUDS[s.cloud]!;
        super("game-analytics:index:GameAnalyticsPipeline", name, {}, {
            ...opts,
            // First, so the caller's own transformations see (and may override) these options.
            transformations: [...cloud.transformations(s), ...(opts?.transformations ?? [])],
        });
        this.settings = s;
        const tiers = cloud.build(name, s, raw, this);
        this.tiers = tiers;
        if (s.cloud === "aws") this.aws = tiers as AwsPipeline;
        this.realTime = tiers.realTime;
        const warehouse = this.aws?.warehouse;
        if (warehouse) {
            this.warehouse = { endpoint: warehouse.endpointAddress, database: warehouse.databaseName, secretArn: warehouse.adminSecretArn, queryEditorUrl: warehouse.queryEditorUrl };
        }

        this.apiUrl = tiers.ingest.apiUrl;
        this.eventsEndpoint = tiers.ingest.eventsEndpoint;
        this.adminPolicyArn = tiers.ingest.adminAccessId;
        this.adminPolicyName = tiers.ingest.adminAccessName;
        this.analyticsBucketName = tiers.storage.lakeName;
        this.eventsDatabase = tiers.storage.databaseName;
        this.rawEventsTable = tiers.storage.rawEventsTableName;
        this.athenaWorkgroup = tiers.storage.queryWorkgroupName;
        this.streamName = tiers.stream?.streamName;
        this.deliveryStreamName = tiers.processing.deliveryName;
        this.applicationsTableName = tiers.registry.applicationsTableName;
        this.authorizationsTableName = tiers.registry.authorizationsTableName;
        this.alarmTopicArn = tiers.operations.alarmTopicId;
        this.dashboardUrl = tiers.operations.dashboardUrl;
        this.glueWorkflowName = tiers.processing.batchWorkflowName;
        this.registerOutputs(this.outputs());
    }

    /** Every stack output of the pipeline, by name (streamName only in KINESIS_DATA_STREAMS mode, real-time names only with real-time analytics). */
    outputs(): Record<string, pulumi.Output<string>> {
        return {
            apiUrl: this.apiUrl,
            eventsEndpoint: this.eventsEndpoint,
            adminPolicyArn: this.adminPolicyArn,
            adminPolicyName: this.adminPolicyName,
            analyticsBucketName: this.analyticsBucketName,
            eventsDatabase: this.eventsDatabase,
            rawEventsTable: this.rawEventsTable,
            athenaWorkgroup: this.athenaWorkgroup,
            ...(this.streamName ? { streamName: this.streamName } : {}),
            deliveryStreamName: this.deliveryStreamName,
            applicationsTableName: this.applicationsTableName,
            authorizationsTableName: this.authorizationsTableName,
            alarmTopicArn: this.alarmTopicArn,
            dashboardUrl: this.dashboardUrl,
            glueWorkflowName: this.glueWorkflowName,
            ...(this.realTime ? {
                realTimeMetricsNamespace: pulumi.output(this.realTime.metricsNamespace),
                ...(this.realTime.dashboardName ? { realTimeDashboardName: this.realTime.dashboardName } : {}),
                ...(this.realTime.searchEndpoint ? { realTimeSearchEndpoint: this.realTime.searchEndpoint } : {}),
                ...(this.realTime.searchUiUrl ? { realTimeSearchUiUrl: this.realTime.searchUiUrl } : {}),
            } : {}),
            ...(this.warehouse ? {
                warehouseEndpoint: this.warehouse.endpoint,
                warehouseDatabase: this.warehouse.database,
                warehouseSecretArn: this.warehouse.secretArn,
                warehouseQueryEditorUrl: this.warehouse.queryEditorUrl,
            } : {}),
        };
    }
}
