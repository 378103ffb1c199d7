/**
 * Glue trigger schedules: Glue takes `cron(Minutes Hours Day-of-month Month Day-of-week Year)` in
 * UTC only (no `rate(...)`), and "does not support cron expressions that produce rates faster than
 * 5 minutes" ("Time-based schedules for jobs and crawlers",
 * https://docs.aws.amazon.com/glue/latest/dg/monitor-data-warehouse-schedule.html). A trigger that
 * breaks either fails at deploy time; the pipeline renders its neutral `etlSchedule` accordingly
 * (components/aws/schedule.ts), and this rule holds any trigger to it.
 */
import { ResourceRule } from "./types";

/** Shortest interval Glue accepts between two runs, in minutes. */
export const GLUE_MIN_SCHEDULE_MINUTES = 5;

const GLUE_TRIGGER = "aws:glue/trigger:Trigger";

/** Minutes of the hour a cron minutes field selects, or undefined when it cannot be read. */
function minutesOf(field: string): number[] | undefined {
    const minutes = new Set<number>();
    for (const part of field.split(",")) {
        const m = /^(\*|\d{1,2})(?:-(\d{1,2}))?(?:\/(\d{1,2}))?$/.exec(part);
        if (!m) return undefined;
        const start = m[1] === "*" ? 0 : Number(m[1]);
        const end = m[2] !== undefined ? Number(m[2]) : m[1] === "*" || m[3] !== undefined ? 59 : start;
        const step = m[3] !== undefined ? Number(m[3]) : 1;
        if (start > 59 || end > 59 || start > end || step < 1) return undefined;
        for (let v = start; v <= end; v += step) minutes.add(v);
    }
    return [...minutes].sort((a, b) => a - b);
}

/**
 * The shortest gap between two runs of a cron minutes field within and across hours, in minutes
 * (60 when it selects one minute an hour, which other fields may make rarer still).
 * @example shortestGapMinutes("0/15") // 15
 */
export function shortestGapMinutes(field: string): number | undefined {
    const minutes = minutesOf(field);
    if (minutes === undefined || minutes.length === 0) return undefined;
    let gap = 60 - minutes[minutes.length - 1]! + minutes[0]!;
    for (let i = 1; i < minutes.length; i++) gap = Math.min(gap, minutes[i]! - minutes[i - 1]!);
    return gap;
}

export const glueScheduleSupported: ResourceRule = {
    name: "glue-schedule-supported",
    description: `A scheduled Glue trigger's schedule is a cron(...) expression of 6 fields, no more frequent than every ${GLUE_MIN_SCHEDULE_MINUTES} minutes.`,
    types: [GLUE_TRIGGER],
    check: ({ props }) => {
        if (props.type !== "SCHEDULED") return [];
        const schedule = String(props.schedule ?? "");
        const m = /^cron\((.+)\)$/.exec(schedule);
        const fields = m ? m[1]!.trim().split(/\s+/) : [];
        if (fields.length !== 6) return [`schedule ${JSON.stringify(schedule)} is not a Glue cron(...) expression of 6 fields (Glue takes no rate(...))`];
        const gap = shortestGapMinutes(fields[0]!);
        if (gap === undefined) return [`schedule ${JSON.stringify(schedule)}: minutes field "${fields[0]}" is not readable`];
        if (gap < GLUE_MIN_SCHEDULE_MINUTES) return [`schedule ${JSON.stringify(schedule)} runs every ${gap} minute(s); Glue refuses schedules faster than every ${GLUE_MIN_SCHEDULE_MINUTES} minutes`];
        return [];
    },
};
