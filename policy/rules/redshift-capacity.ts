/**
 * Redshift Serverless capacity and usage-limit rules, as AWS documents them
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-capacity.html and the
 * CreateUsageLimit API reference). Shared by the policy pack and the component's argument checks
 * (components import the policy rules, never the reverse: the pack stays self-contained).
 */

/** Usage-limit periods (CreateUsageLimit `period`). */
export const USAGE_LIMIT_PERIODS = ["daily", "weekly", "monthly"] as const;
/** What Redshift Serverless does when a usage limit is reached (CreateUsageLimit `breachAction`). */
export const USAGE_LIMIT_BREACH_ACTIONS = ["log", "emit-metric", "deactivate"] as const;
export type UsageLimitBreachAction = (typeof USAGE_LIMIT_BREACH_ACTIONS)[number];
/** The usage type that limits compute, `amount` in RPU-hours. */
export const COMPUTE_USAGE_TYPE = "serverless-compute";

/**
 * Why a base capacity is refused, or undefined when valid: 4 RPU, a multiple of 8 from 8 to 512,
 * or a multiple of 32 from 512 to 1024 (1024 only in some regions).
 */
export function baseCapacityProblem(rpu: number): string | undefined {
    if (!Number.isInteger(rpu)) return `must be a whole number of RPUs (got ${rpu})`;
    if (rpu === 4) return undefined;
    if (rpu >= 8 && rpu <= 512 && rpu % 8 === 0) return undefined;
    if (rpu > 512 && rpu <= 1024 && rpu % 32 === 0) return undefined;
    return `must be 4, a multiple of 8 from 8 to 512, or a multiple of 32 from 512 to 1024 RPUs (got ${rpu})`;
}

/** Why a usage-limit amount (RPU-hours) is refused, or undefined when valid (a positive whole number). */
export function usageLimitAmountProblem(rpuHours: number): string | undefined {
    return Number.isInteger(rpuHours) && rpuHours > 0 ? undefined : `must be a positive whole number of RPU-hours (got ${rpuHours})`;
}
