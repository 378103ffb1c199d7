/**
 * Runs per month of an EventBridge/Glue cron expression `cron(min hour day-of-month month day-of-week year)`,
 * enough to price a scheduled Glue ETL workflow. Supports `*`, `?`, numbers, lists `a,b`, ranges
 * `a-b` and steps `x/n`; month and year are assumed to match.
 */

/** Values of one field within [min, max]. */
function fieldCount(field: string, min: number, max: number, name: string): number {
    if (field === "*" || field === "?") return max - min + 1;
    let total = 0;
    for (const part of field.split(",")) {
        const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
        if (!m) throw new RangeError(`etlSchedule: cannot read ${name} field "${field}"`);
        const start = m[1] === "*" ? min : Number(m[1]);
        const end = m[2] !== undefined ? Number(m[2]) : m[3] !== undefined || m[1] === "*" ? max : start;
        const step = m[3] !== undefined ? Number(m[3]) : 1;
        if (start < min || end > max || start > end || step < 1) throw new RangeError(`etlSchedule: ${name} field "${field}" is out of range ${min}-${max}`);
        total += Math.floor((end - start) / step) + 1;
    }
    return total;
}

/** Estimated runs in a month of `days` days. */
export function cronRunsPerMonth(expression: string, days: number): number {
    const m = /^cron\((.+)\)$/.exec(expression.trim());
    if (!m) throw new RangeError(`etlSchedule: "${expression}" is not a cron(...) expression`);
    const f = m[1].trim().split(/\s+/);
    if (f.length !== 6) throw new RangeError(`etlSchedule: "${expression}" must have 6 fields (minutes hours day-of-month month day-of-week year)`);
    const perDay = fieldCount(f[0], 0, 59, "minutes") * fieldCount(f[1], 0, 23, "hours");
    const domAll = f[2] === "*" || f[2] === "?";
    const dowAll = f[4] === "*" || f[4] === "?";
    let runDays = days;
    if (!domAll) runDays = Math.min(days, fieldCount(f[2], 1, 31, "day-of-month"));
    else if (!dowAll) runDays = (days * fieldCount(f[4].replace(/[A-Z]{3}/gi, (d) => String(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"].indexOf(d.toUpperCase()) + 1)), 1, 7, "day-of-week")) / 7;
    return perDay * runDays;
}
