/**
 * AWS's own part of the settings: the rules only AWS imposes on the neutral settings
 * (CloudWatch Logs' retention periods, Glue's `cron(...)` schedules) and the AWS deployment
 * options (API Gateway access logging and its account role, X-Ray tracing). Problems are
 * reported as SettingsProblems, so the pipeline throws one SettingsError listing the neutral and
 * the AWS problems together.
 */
import type { PipelineSettings, SettingsProblem } from "../contracts/settings";

/** Retention values CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Glue trigger schedules: `cron(minutes hours day-of-month month day-of-week year)`. */
const GLUE_SCHEDULE_PATTERN = /^cron\(.+\)$/;

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
     * X-Ray tracing of the API stage and every Lambda.
     * @default false
     * @example true
     */
    tracing?: boolean;
}

/** Config keys of the AWS deployment options (`game-analytics:<key>`). */
export const AWS_OPTION_KEYS = ["apiAccessLogging", "apiGatewayAccountRole", "tracing"] as const;

/** AWS deployment options with their defaults applied. */
export const AWS_OPTION_DEFAULTS: Required<AwsDeploymentOptions> = { apiAccessLogging: true, apiGatewayAccountRole: true, tracing: false };

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
    if (s.etlSchedule !== undefined && !GLUE_SCHEDULE_PATTERN.test(s.etlSchedule)) {
        problems.push({ key: "etlSchedule", value: s.etlSchedule, rule: "must be a schedule expression like cron(0 * * * ? *)" });
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
    return { apiAccessLogging: bool("apiAccessLogging"), apiGatewayAccountRole: bool("apiGatewayAccountRole"), tracing: bool("tracing") };
}
