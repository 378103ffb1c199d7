/**
 * Words every tier contract shares: who the workload is, how long logs are kept, how the
 * functions log and trace.
 */

/** Log levels of the pipeline's functions. */
export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";

/** Arguments every tier takes. */
export interface TierBaseArgs {
    /**
     * Prefix of every physical name.
     * @example "game-analytics"
     */
    workloadName: string;
}

/** Arguments of a tier that runs functions. */
export interface FunctionTierArgs extends TierBaseArgs {
    /**
     * Retention of every log the tier writes, in days.
     * @default 30
     * @example 90
     */
    logRetentionDays?: number;
    /**
     * Log level of the tier's functions.
     * @default "INFO"
     * @example "DEBUG"
     */
    logLevel?: LogLevel;
    /**
     * Distributed tracing of the tier's functions.
     * @default false
     * @example true
     */
    tracing?: boolean;
}

/**
 * A recurring schedule in neutral words; each cloud renders it in its own syntax (Glue's
 * `cron(...)` on AWS). Runs are aligned on the clock (UTC): every 15 minutes means :00, :15, :30
 * and :45, so `every` divides the hour (minutes) or the day (hours); days run once a day.
 * Validated and parsed from config words by components/contracts/schedule.ts.
 * @example { every: 1, unit: "hours", atMinute: 30 }
 */
export interface ScheduleInterval {
    /** Length of the interval, in `unit`s. */
    every: number;
    unit: "minutes" | "hours" | "days";
    /**
     * Minute past the hour of every run (hours and days only).
     * @default 0
     * @example 15
     */
    atMinute?: number;
    /**
     * Hour of the day (UTC) of the run (days only).
     * @default 0
     * @example 2
     */
    atHour?: number;
}

/**
 * A schedule in one cloud's own syntax, kept verbatim for stacks that set one before the neutral
 * interval existed (e.g. `cron(0 * * * ? *)` on AWS). Only the cloud whose syntax it is accepts it.
 * @example { expression: "cron(0 12 ? * MON-FRI *)" }
 */
export interface ScheduleExpression {
    expression: string;
}

/** When a recurring job runs: a neutral interval, or an expression of the cloud's own syntax. */
export type BatchSchedule = ScheduleInterval | ScheduleExpression;

/** A function of a tier that operations should watch (errors, throttles), by a short label. */
export type WatchedFunctions = Record<string, import("@pulumi/pulumi").Output<string>>;

/**
 * `value` without its `undefined` properties, so that spreading it over defaults keeps the
 * defaults of what the caller left out.
 * @example stripUndefined({ a: 1, b: undefined }) // { a: 1 }
 */
export function stripUndefined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
