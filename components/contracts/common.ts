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
 * A recurring schedule in neutral words; each cloud renders it in its own syntax.
 * @example { every: 1, unit: "hours" }
 */
export interface ScheduleInterval {
    every: number;
    unit: "minutes" | "hours" | "days";
}

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
