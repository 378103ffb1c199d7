/**
 * Neutral schedules (the `etlSchedule` setting, a tier's `batchSchedule`) read from config:
 *
 * - words: `every <n> <minutes|hours|days>`, optionally `at :MM` (hours) or `at HH:MM` (days, UTC);
 * - an object, from typed arguments or Pulumi structured config: `{ every, unit, atMinute?, atHour? }`
 *   (a JSON string of one is read the same way);
 * - any other one-line string: a ScheduleExpression in the cloud's own syntax, kept verbatim so
 *   that stack files written before the interval (`cron(0 * * * ? *)` on AWS) keep working. The
 *   neutral rules do not read it; only the cloud whose syntax it is accepts it.
 */
import type { BatchSchedule, ScheduleExpression, ScheduleInterval } from "./common";

/** Units of a ScheduleInterval. */
export const SCHEDULE_UNITS: readonly ScheduleInterval["unit"][] = ["minutes", "hours", "days"];
/** Intervals in minutes that divide the hour, so runs fall on the same minutes every hour. */
export const MINUTE_STEPS: readonly number[] = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30];
/** Intervals in hours that divide the day, so runs fall on the same hours every day. */
export const HOUR_STEPS: readonly number[] = [1, 2, 3, 4, 6, 8, 12];

/** A one-line printable string: what a cloud's schedule expression may be (the cloud checks its syntax). */
const EXPRESSION_PATTERN = /^[\x21-\x7e][\x20-\x7e]{0,255}$/;
const WORDS_PATTERN = /^every\s+(\d+)\s+(minutes?|hours?|days?)(?:\s+at\s+(\d{1,2})?:(\d{2}))?$/i;
const FORMS = 'an interval like "every 15 minutes", "every 1 hours at :30" or "every 1 days at 02:00" '
    + "(UTC), an object { every, unit, atMinute, atHour }, or a schedule expression of the cloud (cron(...) on AWS)";

/** True when the schedule is an expression of a cloud's own syntax, not a neutral interval. */
export function isScheduleExpression(s: BatchSchedule): s is ScheduleExpression {
    return "expression" in s;
}

/**
 * The rule a neutral interval breaks, or undefined when it is valid.
 * @example intervalProblem({ every: 7, unit: "minutes" }) // "every 7 minutes: ..."
 */
export function intervalProblem(i: ScheduleInterval): string | undefined {
    const { every, unit, atMinute, atHour } = i;
    if (!Number.isInteger(every) || every < 1) return `every must be a whole number of ${unit} from 1`;
    if (atMinute !== undefined && (!Number.isInteger(atMinute) || atMinute < 0 || atMinute > 59)) return "atMinute must be a whole number from 0 to 59";
    if (atHour !== undefined && (!Number.isInteger(atHour) || atHour < 0 || atHour > 23)) return "atHour must be a whole number from 0 to 23";
    if (unit === "minutes") {
        if (!MINUTE_STEPS.includes(every)) return `every ${every} minutes: the interval must divide the hour (${MINUTE_STEPS.join(", ")} minutes)`;
        if (atMinute !== undefined || atHour !== undefined) return "every N minutes runs from minute 0 of each hour: atMinute and atHour do not apply";
    } else if (unit === "hours") {
        if (!HOUR_STEPS.includes(every)) return `every ${every} hours: the interval must divide the day (${HOUR_STEPS.join(", ")} hours)`;
        if (atHour !== undefined) return "every N hours runs from hour 0 of each day: atHour does not apply (atMinute does)";
    } else if (unit === "days") {
        if (every !== 1) return `every ${every} days: only every 1 days (once a day) is supported; use the cloud's own expression for other calendars`;
    } else {
        return `unit must be one of ${SCHEDULE_UNITS.join(", ")}`;
    }
    return undefined;
}

/**
 * Reads a schedule from a config value or a typed argument: the schedule, or the rule it breaks
 * (undefined and undefined for an unset value).
 * @example parseSchedule("every 1 hours") // { schedule: { every: 1, unit: "hours" } }
 * @example parseSchedule("cron(0 * * * ? *)") // { schedule: { expression: "cron(0 * * * ? *)" } }
 */
export function parseSchedule(value: unknown): { schedule?: BatchSchedule; problem?: string } {
    if (value === undefined || value === "") return {};
    if (typeof value === "string") {
        const text = value.trim();
        if (text.startsWith("{")) {
            try {
                return parseSchedule(JSON.parse(text));
            } catch {
                return { problem: `must be ${FORMS}; the JSON object does not parse` };
            }
        }
        const words = WORDS_PATTERN.exec(text);
        if (words) {
            const unit = (words[2]!.toLowerCase().replace(/s?$/, "s")) as ScheduleInterval["unit"];
            const interval: ScheduleInterval = { every: Number(words[1]), unit };
            if (words[4] !== undefined) interval.atMinute = Number(words[4]);
            if (words[3] !== undefined) interval.atHour = Number(words[3]);
            if (unit === "hours" && words[3] !== undefined) return { problem: "every N hours takes `at :MM` (the minute past the hour), not an hour of the day" };
            if (unit === "days" && words[4] !== undefined && words[3] === undefined) return { problem: "every 1 days takes `at HH:MM` (UTC)" };
            return checked(interval);
        }
        if (/^every\b/i.test(text) || !EXPRESSION_PATTERN.test(value)) return { problem: `must be ${FORMS}` };
        return { schedule: { expression: value } };
    }
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        const o = value as Record<string, unknown>;
        if (typeof o.expression === "string" && Object.keys(o).length === 1) {
            const expression = o.expression;
            return EXPRESSION_PATTERN.test(expression) && !/^every\b/i.test(expression) ? { schedule: { expression } } : { problem: `must be ${FORMS}` };
        }
        const unknown = Object.keys(o).filter((k) => !["every", "unit", "atMinute", "atHour"].includes(k));
        if (unknown.length > 0) return { problem: `unknown field ${unknown.join(", ")}; must be ${FORMS}` };
        const number = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v === undefined ? undefined : NaN);
        if (typeof o.unit !== "string" || !(SCHEDULE_UNITS as readonly string[]).includes(o.unit)) return { problem: `unit must be one of ${SCHEDULE_UNITS.join(", ")}` };
        const interval: ScheduleInterval = { every: number(o.every) ?? NaN, unit: o.unit as ScheduleInterval["unit"] };
        const atMinute = number(o.atMinute);
        const atHour = number(o.atHour);
        if (atMinute !== undefined) interval.atMinute = atMinute;
        if (atHour !== undefined) interval.atHour = atHour;
        return checked(interval);
    }
    return { problem: `must be ${FORMS}` };
}

function checked(interval: ScheduleInterval): { schedule?: BatchSchedule; problem?: string } {
    const problem = intervalProblem(interval);
    return problem === undefined ? { schedule: interval } : { problem };
}

/**
 * The schedule in the pipeline's words (for messages and cost lines).
 * @example describeSchedule({ every: 1, unit: "days", atHour: 2 }) // "every 1 days at 02:00"
 */
export function describeSchedule(s: BatchSchedule): string {
    if (isScheduleExpression(s)) return s.expression;
    const two = (n: number): string => String(n).padStart(2, "0");
    if (s.unit === "days") return `every 1 days at ${two(s.atHour ?? 0)}:${two(s.atMinute ?? 0)}`;
    if (s.unit === "hours" && s.atMinute !== undefined) return `every ${s.every} hours at :${two(s.atMinute)}`;
    return `every ${s.every} ${s.unit}`;
}
