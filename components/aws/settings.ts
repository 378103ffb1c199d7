/**
 * AWS's own part of the settings: the rules only AWS imposes on the neutral settings
 * (CloudWatch Logs' retention periods, Glue's `cron(...)` schedules) and the AWS deployment
 * options (API Gateway access logging and its account role, X-Ray tracing). Problems are
 * reported as SettingsProblems, so the pipeline throws one SettingsError listing the neutral and
 * the AWS problems together.
 */
import { namespaceObject } from "../contracts/namespace";
import type { PipelineSettings, SettingsProblem } from "../contracts/settings";
import { USAGE_LIMIT_BREACH_ACTIONS, type UsageLimitBreachAction } from "../../policy/rules/redshift-capacity";
import { glueScheduleProblem } from "./schedule";
import { warehouseArgsProblems } from "./warehouse-tier";

/** Retention values CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Options of an AWS deployment that are not pipeline settings of the guidance. */
export interface AwsDeploymentOptions {
    /**
     * API Gateway access and error logs. Needs the account-wide API Gateway CloudWatch role
     * (see docs/deploy.md); set false in an account without it.
     * @default true
     * @example false
     */
    apiAccessLogging?: boolean;
    /**
     * Create API Gateway's CloudWatch role and set it as the ACCOUNT-WIDE API Gateway setting of
     * this account and region (one per account and region, shared by every API there; retained
     * on destroy). Needed once per account and region for `apiAccessLogging`; set false when the
     * account already has it or another stack manages it.
     * @default true
     * @example false
     */
    apiGatewayAccountRole?: boolean;
    /**
     * X-Ray tracing of the API stage and the ingest and processing Lambdas (not the real-time one).
     * @default false
     * @example true
     */
    tracing?: boolean;
    /**
     * tableFormat ICEBERG: create the Glue table optimizers' CloudWatch log groups
     * (`/aws-glue/iceberg-compaction/logs` and the two others: names fixed by Glue, so ONE per
     * account and region) with the stack's retention and the lake key. Set false in the second
     * ICEBERG stack of an account and region: creating an existing log group fails the deployment.
     * @default true
     * @example false
     */
    icebergOptimizerLogGroups?: boolean;
}

/** Config keys of the AWS deployment options (`game-analytics:<key>`). */
export const AWS_OPTION_KEYS = ["apiAccessLogging", "apiGatewayAccountRole", "tracing", "icebergOptimizerLogGroups"] as const;

/** AWS deployment options with their defaults applied. */
export const AWS_OPTION_DEFAULTS: Required<AwsDeploymentOptions> = { apiAccessLogging: true, apiGatewayAccountRole: true, tracing: false, icebergOptimizerLogGroups: true };

/**
 * The problems AWS finds in neutral settings that passed the neutral validation.
 * @example awsSettingsProblems(validateSettings({ workloadName: "g", cloudWatchRetentionDays: 10 })) // one problem
 */
export function awsSettingsProblems(s: PipelineSettings): SettingsProblem[] {
    const problems: SettingsProblem[] = [];
    if (!LOG_RETENTION_DAYS.includes(s.cloudWatchRetentionDays)) {
        problems.push({ key: "cloudWatchRetentionDays", value: s.cloudWatchRetentionDays,
            rule: `must be one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}` });
    }
    const schedule = s.etlSchedule === undefined ? undefined : glueScheduleProblem(s.etlSchedule);
    if (schedule !== undefined) {
        problems.push({ key: "etlSchedule", value: "expression" in s.etlSchedule! ? s.etlSchedule!.expression : s.etlSchedule, rule: schedule });
    }
    return problems;
}

/**
 * Reads the AWS deployment options from config strings (or typed values), recording problems.
 * @example readAwsOptions((key) => ({ tracing: "true" })[key], problems) // { apiAccessLogging: true, apiGatewayAccountRole: true, tracing: true }
 */
export function readAwsOptions(get: (key: string) => unknown, problems: SettingsProblem[]): Required<AwsDeploymentOptions> {
    const bool = (key: (typeof AWS_OPTION_KEYS)[number]): boolean => {
        const v = get(key);
        if (v === undefined || v === "") return AWS_OPTION_DEFAULTS[key];
        if (v === true || v === "true") return true;
        if (v === false || v === "false") return false;
        problems.push({ key, value: v, rule: "must be true or false" });
        return AWS_OPTION_DEFAULTS[key];
    };
    return { apiAccessLogging: bool("apiAccessLogging"), apiGatewayAccountRole: bool("apiGatewayAccountRole"), tracing: bool("tracing"),
        icebergOptimizerLogGroups: bool("icebergOptimizerLogGroups") };
}

/** The API types the ingest tier deploys: an API Gateway REST API, or an HTTP API (docs/api.md "HTTP API"). */
export const API_TYPES = ["REST", "HTTP"] as const;
export type ApiType = (typeof API_TYPES)[number];

/** AWS options that live in the `aws` namespace only (no top-level alias). */
export interface AwsNamespaceOptions {
    /**
     * The API game clients and admins call: REST (API Gateway REST API: WAF-able, per-method
     * throttling, the seeds' 401/403 bodies) or HTTP (API Gateway HTTP API: 1.00 instead of 3.50
     * USD per million requests, no WAF, stage-wide throttling, AWS's own 401/403 bodies; docs/api.md).
     * @default "REST"
     * @example "HTTP"
     */
    apiType?: ApiType;
}

/** Keys of the namespace-only options (`game-analytics:aws: { apiType: HTTP }`). */
export const AWS_NAMESPACE_ONLY_KEYS = ["apiType"] as const;

/** The namespace-only options with their defaults applied. */
export const AWS_NAMESPACE_DEFAULTS: Required<AwsNamespaceOptions> = { apiType: "REST" };

/**
 * Reads the namespace-only options from the namespace's object, recording problems under `aws.<key>`.
 * @example readNamespaceOnlyOptions({ apiType: "HTTP" }, problems) // { apiType: "HTTP" }
 */
export function readNamespaceOnlyOptions(ns: Record<string, unknown>, problems: SettingsProblem[]): Required<AwsNamespaceOptions> {
    const v = ns.apiType;
    if (v === undefined || v === "") return { ...AWS_NAMESPACE_DEFAULTS };
    if (typeof v === "string" && (API_TYPES as readonly string[]).includes(v)) return { apiType: v as ApiType };
    problems.push({ key: `${AWS_NAMESPACE}.apiType`, value: v,
        rule: `must be ${API_TYPES.join(" or ")} (REST: API Gateway REST API, the default; HTTP: API Gateway HTTP API, see docs/api.md)` });
    return { ...AWS_NAMESPACE_DEFAULTS };
}

/** Warehouse options of the REDSHIFT data stack (see WarehouseTierArgs for each rule). */
export interface AwsWarehouseOptions {
    /**
     * Base capacity in RPUs: 4, a multiple of 8 up to 512, or of 32 up to 1024.
     * @default 4
     * @example 8
     */
    baseCapacityRpu?: number;
    /**
     * Compute usage limit per day, in RPU-hours.
     * @default 8
     * @example 24
     */
    usageLimitRpuHoursPerDay?: number;
    /**
     * Compute usage limit per week, in RPU-hours.
     * @default 40
     * @example 120
     */
    usageLimitRpuHoursPerWeek?: number;
    /**
     * What Redshift does at a limit: log, emit-metric or deactivate.
     * @default "deactivate"
     * @example "emit-metric"
     */
    usageLimitBreachAction?: UsageLimitBreachAction;
    /**
     * The studio's own VPC (with `subnetIds`); a VPC without NAT gateway is created when unset.
     * @default undefined
     * @example "vpc-0abc1234def567890"
     */
    vpcId?: string;
    /**
     * Subnets of the studio's VPC (3, in 3 Availability Zones).
     * @default undefined
     * @example ["subnet-0a", "subnet-0b", "subnet-0c"]
     */
    subnetIds?: string[];
    /**
     * Create the audit log groups the namespace exports to (`/aws/redshift/serverless/connectionlog`,
     * `userlog`, `useractivitylog`), with the stack's log retention and encrypted with the
     * warehouse's KMS key, before the namespace exists. AWS names them per account and region, not
     * per namespace: the second REDSHIFT stack of an account and region sets false (the first one
     * owns them; the groups already exist). With false and no such groups, Redshift creates them
     * itself, never expiring and without the customer-managed key.
     * @default true
     * @example false
     */
    manageAuditLogGroups?: boolean;
}

/** Config keys of the warehouse options (`game-analytics:<key>`), by option. */
export const AWS_WAREHOUSE_KEYS = {
    baseCapacityRpu: "redshiftBaseCapacityRpu",
    usageLimitRpuHoursPerDay: "redshiftUsageLimitRpuHoursPerDay",
    usageLimitRpuHoursPerWeek: "redshiftUsageLimitRpuHoursPerWeek",
    usageLimitBreachAction: "redshiftUsageLimitBreachAction",
    vpcId: "redshiftVpcId",
    subnetIds: "redshiftSubnetIds",
    manageAuditLogGroups: "redshiftManageAuditLogGroups",
} as const satisfies Record<keyof AwsWarehouseOptions, string>;

/**
 * Reads the warehouse options from config strings (or typed values), recording type problems.
 * Subnet ids are a comma-separated list in config. Empty strings mean unset.
 * @example readWarehouseOptions((key) => ({ redshiftBaseCapacityRpu: "8" })[key], problems) // { baseCapacityRpu: 8 }
 */
export function readWarehouseOptions(get: (key: string) => unknown, problems: SettingsProblem[]): AwsWarehouseOptions {
    const options: AwsWarehouseOptions = {};
    const number = (option: "baseCapacityRpu" | "usageLimitRpuHoursPerDay" | "usageLimitRpuHoursPerWeek"): void => {
        const key = AWS_WAREHOUSE_KEYS[option];
        const v = get(key);
        if (v === undefined || v === "") return;
        const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
        if (!Number.isInteger(n)) problems.push({ key, value: v, rule: "must be a whole number" });
        else options[option] = n;
    };
    number("baseCapacityRpu");
    number("usageLimitRpuHoursPerDay");
    number("usageLimitRpuHoursPerWeek");
    const action = get(AWS_WAREHOUSE_KEYS.usageLimitBreachAction);
    if (action !== undefined && action !== "") {
        if (typeof action === "string" && (USAGE_LIMIT_BREACH_ACTIONS as readonly string[]).includes(action)) options.usageLimitBreachAction = action as UsageLimitBreachAction;
        else problems.push({ key: AWS_WAREHOUSE_KEYS.usageLimitBreachAction, value: action, rule: `must be one of ${USAGE_LIMIT_BREACH_ACTIONS.join(", ")}` });
    }
    const vpcId = get(AWS_WAREHOUSE_KEYS.vpcId);
    if (vpcId !== undefined && vpcId !== "") {
        if (typeof vpcId === "string") options.vpcId = vpcId.trim();
        else problems.push({ key: AWS_WAREHOUSE_KEYS.vpcId, value: vpcId, rule: "must be a VPC id like vpc-0abc1234" });
    }
    const subnets = get(AWS_WAREHOUSE_KEYS.subnetIds);
    if (subnets !== undefined && subnets !== "") {
        if (Array.isArray(subnets) && subnets.every((x) => typeof x === "string")) options.subnetIds = subnets;
        else if (typeof subnets === "string") options.subnetIds = subnets.split(",").map((x) => x.trim()).filter((x) => x !== "");
        else problems.push({ key: AWS_WAREHOUSE_KEYS.subnetIds, value: subnets, rule: "must be a comma-separated list of subnet ids" });
    }
    const manage = get(AWS_WAREHOUSE_KEYS.manageAuditLogGroups);
    if (manage !== undefined && manage !== "") {
        if (typeof manage === "boolean") options.manageAuditLogGroups = manage;
        else if (manage === "true" || manage === "false") options.manageAuditLogGroups = manage === "true";
        else problems.push({ key: AWS_WAREHOUSE_KEYS.manageAuditLogGroups, value: manage, rule: "must be true or false" });
    }
    return options;
}

/**
 * The problems of the warehouse options of a REDSHIFT stack (none for the other data stacks),
 * with the rules of the warehouse tier (capacity, limits, the studio's VPC).
 * @example warehouseOptionProblems(settings, { baseCapacityRpu: 5 }) // one problem, redshiftBaseCapacityRpu
 */
export function warehouseOptionProblems(s: PipelineSettings, options: AwsWarehouseOptions): SettingsProblem[] {
    if (s.dataStack !== "REDSHIFT") return [];
    const valueOf = (key: string): unknown => {
        const option = (Object.keys(AWS_WAREHOUSE_KEYS) as (keyof AwsWarehouseOptions)[]).find((k) => AWS_WAREHOUSE_KEYS[k] === key);
        return option ? options[option] : undefined;
    };
    return warehouseArgsProblems({ ...options }).map((problem) => {
        const at = problem.indexOf(": ");
        const key = at > 0 ? problem.slice(0, at) : "dataStack";
        return { key, value: valueOf(key), rule: at > 0 ? problem.slice(at + 2) : problem };
    });
}

/** The warehouse options as the pipeline's arguments name them (config keys; see AwsWarehouseOptions). */
export interface AwsWarehouseConfig {
    /**
     * See AwsWarehouseOptions.baseCapacityRpu.
     * @default 4
     * @example "8"
     */
    redshiftBaseCapacityRpu?: number | string;
    /**
     * See AwsWarehouseOptions.usageLimitRpuHoursPerDay.
     * @default 8
     * @example "24"
     */
    redshiftUsageLimitRpuHoursPerDay?: number | string;
    /**
     * See AwsWarehouseOptions.usageLimitRpuHoursPerWeek.
     * @default 40
     * @example "120"
     */
    redshiftUsageLimitRpuHoursPerWeek?: number | string;
    /**
     * See AwsWarehouseOptions.usageLimitBreachAction.
     * @default "deactivate"
     * @example "emit-metric"
     */
    redshiftUsageLimitBreachAction?: string;
    /**
     * See AwsWarehouseOptions.vpcId.
     * @default undefined
     * @example "vpc-0abc1234def567890"
     */
    redshiftVpcId?: string;
    /**
     * See AwsWarehouseOptions.subnetIds (comma-separated in config).
     * @default undefined
     * @example "subnet-0a,subnet-0b,subnet-0c"
     */
    redshiftSubnetIds?: string | string[];
    /**
     * See AwsWarehouseOptions.manageAuditLogGroups.
     * @default true
     * @example "false"
     */
    redshiftManageAuditLogGroups?: boolean | string;
}

/**
 * The warehouse config keys a stack sets, as strings (unset keys left out).
 * @example warehouseConfig((key) => ({ redshiftBaseCapacityRpu: "8" })[key]) // { redshiftBaseCapacityRpu: "8" }
 */
export function warehouseConfig(get: (key: string) => string | undefined): AwsWarehouseConfig {
    return Object.fromEntries(Object.values(AWS_WAREHOUSE_KEYS).map((key) => [key, get(key)]).filter(([, v]) => v !== undefined && v !== ""));
}

/**
 * The AWS-only options as one namespaced object, `game-analytics:aws` in a stack file (Pulumi
 * structured config) or `aws` in the pipeline's arguments:
 *
 *     game-analytics:aws:
 *       apiAccessLogging: true
 *       tracing: false
 *       redshift: { baseCapacityRpu: 8, subnetIds: [subnet-0a, subnet-0b, subnet-0c] }
 *
 * The top-level keys of before (apiAccessLogging, apiGatewayAccountRole, tracing, redshift*) stay
 * valid as aliases; a stack that sets one option both ways with different values is refused.
 */
export interface AwsSettings {
    /**
     * See AwsDeploymentOptions.apiAccessLogging (alias: top-level `apiAccessLogging`).
     * @default true
     * @example false
     */
    apiAccessLogging?: boolean | string;
    /**
     * See AwsDeploymentOptions.apiGatewayAccountRole (alias: top-level `apiGatewayAccountRole`).
     * @default true
     * @example false
     */
    apiGatewayAccountRole?: boolean | string;
    /**
     * See AwsDeploymentOptions.tracing (alias: top-level `tracing`).
     * @default false
     * @example true
     */
    tracing?: boolean | string;
    /**
     * See AwsDeploymentOptions.icebergOptimizerLogGroups (alias: top-level `icebergOptimizerLogGroups`).
     * @default true
     * @example false
     */
    icebergOptimizerLogGroups?: boolean | string;
    /**
     * See AwsNamespaceOptions.apiType (namespace only, no top-level alias).
     * @default "REST"
     * @example "HTTP"
     */
    apiType?: ApiType | string;
    /**
     * Warehouse options of the REDSHIFT data stack by AwsWarehouseOptions name (aliases: the
     * top-level `redshift<Option>` keys of AWS_WAREHOUSE_KEYS).
     * @default {}
     * @example { baseCapacityRpu: 8, usageLimitRpuHoursPerDay: 24 }
     */
    redshift?: { [K in keyof AwsWarehouseOptions]?: AwsWarehouseOptions[K] | string };
}

/** Name of the AWS namespace among the settings (the cloud's name). */
export const AWS_NAMESPACE = "aws";

/** Path inside the namespace of each top-level (alias) key. */
const NAMESPACED_PATHS: Readonly<Record<string, readonly string[]>> = {
    ...Object.fromEntries(AWS_OPTION_KEYS.map((key) => [key, [key]])),
    ...Object.fromEntries(Object.entries(AWS_WAREHOUSE_KEYS).map(([option, key]) => [key, ["redshift", option]])),
};

/** `aws.<path>`, the namespaced name of a top-level AWS key. */
export function namespacedName(key: string): string {
    const path = NAMESPACED_PATHS[key];
    return path ? `${AWS_NAMESPACE}.${path.join(".")}` : key;
}

const given = (v: unknown): boolean => v !== undefined && v !== "";
/** A value as compared between the two forms: lists (and comma-separated strings) item by item. */
const comparable = (v: unknown): string => (Array.isArray(v) ? v : String(v).split(",")).map((x) => String(x).trim()).join(",");

/** The namespace's object, with a problem for each key AWS does not know. */
function awsNamespace(raw: Record<string, unknown>, problems: SettingsProblem[]): Record<string, unknown> {
    const ns = namespaceObject(AWS_NAMESPACE, raw[AWS_NAMESPACE], problems, "{ apiAccessLogging: true }");
    const known = [...AWS_OPTION_KEYS, ...AWS_NAMESPACE_ONLY_KEYS, "redshift"];
    for (const key of Object.keys(ns).filter((k) => !known.includes(k))) {
        problems.push({ key: `${AWS_NAMESPACE}.${key}`, value: ns[key], rule: `unknown AWS option; known ones are ${known.join(", ")}` });
    }
    if (ns.redshift !== undefined) {
        const redshift = namespaceObject(`${AWS_NAMESPACE}.redshift`, ns.redshift, problems, "{ baseCapacityRpu: 8 }");
        const options = Object.keys(AWS_WAREHOUSE_KEYS);
        for (const key of Object.keys(redshift).filter((k) => !options.includes(k))) {
            problems.push({ key: `${AWS_NAMESPACE}.redshift.${key}`, value: redshift[key], rule: `unknown warehouse option; known ones are ${options.join(", ")}` });
        }
        return { ...ns, redshift };
    }
    return ns;
}

/**
 * Reads the AWS options from both forms (the `aws` namespace and the top-level aliases),
 * recording problems under the name the stack used (`aws.tracing` or `tracing`).
 * @example readAwsSettings({ aws: { tracing: true } }, problems).options.tracing // true
 */
export function readAwsSettings(raw: Record<string, unknown>, problems: SettingsProblem[]): { options: Required<AwsDeploymentOptions> & Required<AwsNamespaceOptions>; warehouse: AwsWarehouseOptions; nameOf: (key: string) => string } {
    const ns = awsNamespace(raw, problems);
    const fromNamespace = new Set<string>();
    const get = (key: string): unknown => {
        const path = NAMESPACED_PATHS[key];
        const nested = path?.reduce<unknown>((o, p) => (o !== null && typeof o === "object" ? (o as Record<string, unknown>)[p] : undefined), ns);
        if (!given(nested)) return raw[key];
        if (given(raw[key]) && comparable(raw[key]) !== comparable(nested)) {
            problems.push({ key: namespacedName(key), value: nested,
                rule: `differs from ${key} = ${JSON.stringify(raw[key])}; ${key} is the old name of ${namespacedName(key)}: set one of them` });
        }
        fromNamespace.add(key);
        return nested;
    };
    const read: SettingsProblem[] = [];
    const options = readAwsOptions(get, read);
    const warehouse = readWarehouseOptions(get, read);
    const nameOf = (key: string): string => (fromNamespace.has(key) ? namespacedName(key) : key);
    problems.push(...read.map((p) => ({ ...p, key: nameOf(p.key) })));
    // Namespace-only options (no alias): their problems are named aws.<key> already.
    return { options: { ...options, ...readNamespaceOnlyOptions(ns, problems) }, warehouse, nameOf };
}

/**
 * Every problem of the AWS options of a stack (both forms), the warehouse rules included.
 * @example awsOptionProblems({ aws: { tracing: "yes" } }, settings) // [{ key: "aws.tracing", ... }]
 */
export function awsOptionProblems(raw: Record<string, unknown>, s: PipelineSettings): SettingsProblem[] {
    const problems: SettingsProblem[] = [];
    const { warehouse, nameOf } = readAwsSettings(raw, problems);
    problems.push(...warehouseOptionProblems(s, warehouse).map((p) => ({ ...p, key: nameOf(p.key) })));
    return problems;
}
