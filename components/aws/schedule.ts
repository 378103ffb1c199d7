/**
 * Neutral schedules in Glue's trigger syntax. Glue triggers take `cron(Minutes Hours Day-of-month
 * Month Day-of-week Year)` in UTC only (no `rate(...)`), and refuse schedules more frequent than
 * every 5 minutes ("Time-based schedules for jobs and crawlers",
 * https://docs.aws.amazon.com/glue/latest/dg/monitor-data-warehouse-schedule.html).
 */
import type { BatchSchedule } from "../contracts/common";
import { isScheduleExpression } from "../contracts/schedule";

/** Shortest interval of a Glue trigger, in minutes. */
export const GLUE_MIN_INTERVAL_MINUTES = 5;

/** Glue trigger schedules: `cron(minutes hours day-of-month month day-of-week year)`. */
const GLUE_SCHEDULE_PATTERN = /^cron\(.+\)$/;

/**
 * The rule a schedule breaks on AWS (Glue), or undefined.
 * @example glueScheduleProblem({ every: 1, unit: "minutes" }) // "... at most every 5 minutes ..."
 */
export function glueScheduleProblem(s: BatchSchedule): string | undefined {
    if (isScheduleExpression(s)) {
        return GLUE_SCHEDULE_PATTERN.test(s.expression) ? undefined : "must be a schedule expression like cron(0 * * * ? *)";
    }
    if (s.unit === "minutes" && s.every < GLUE_MIN_INTERVAL_MINUTES) {
        return `every ${s.every} minutes: Glue triggers run at most every ${GLUE_MIN_INTERVAL_MINUTES} minutes`;
    }
    return undefined;
}

/**
 * The Glue `cron(...)` expression of a schedule (an expression is kept verbatim).
 * @example glueSchedule({ every: 1, unit: "hours" }) // "cron(0 * * * ? *)"
 * @example glueSchedule({ every: 1, unit: "days", atHour: 2, atMinute: 30 }) // "cron(30 2 * * ? *)"
 */
export function glueSchedule(s: BatchSchedule): string {
    if (isScheduleExpression(s)) return s.expression;
    const minute = s.atMinute ?? 0;
    switch (s.unit) {
        case "minutes": return `cron(0/${s.every} * * * ? *)`;
        case "hours": return s.every === 1 ? `cron(${minute} * * * ? *)` : `cron(${minute} 0/${s.every} * * ? *)`;
        case "days": return `cron(${minute} ${s.atHour ?? 0} * * ? *)`;
    }
}
