/**
 * Athena partition projection: Athena enumerates every projected partition a query does not
 * exclude, and lists S3 for each, so the projection's ranges must match the data "as closely as
 * possible" (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-kinesis-firehose-example-using-the-date-type.html).
 */
import { ResourceRule, TYPES } from "./types";

/** Most partitions a table's projection may describe. */
export const MAX_PROJECTED_PARTITIONS = 10_000;

const UNIT_DAYS: Record<string, number> = { YEARS: 365, MONTHS: 30, WEEKS: 7, DAYS: 1, HOURS: 1 / 24, MINUTES: 1 / 1440, SECONDS: 1 / 86400 };

/** Days from now of one end of a date range: `NOW`, `NOW-3YEARS`, or a fixed date (yyyy, yyyy-MM-dd, ...). */
function endInDays(end: string): number | undefined {
    const relative = /^NOW(?:([+-])(\d+)(YEARS?|MONTHS?|WEEKS?|DAYS?|HOURS?|MINUTES?|SECONDS?))?$/i.exec(end.trim());
    if (relative) {
        if (relative[1] === undefined) return 0;
        const unit = relative[3]!.toUpperCase().replace(/S?$/, "S");
        return (relative[1] === "-" ? -1 : 1) * Number(relative[2]) * UNIT_DAYS[unit]!;
    }
    const fixed = Date.parse(/^\d{4}$/.test(end.trim()) ? `${end.trim()}-01-01` : end.trim().replace(/\//g, "-"));
    return Number.isNaN(fixed) ? undefined : (fixed - Date.now()) / 86_400_000;
}

/** How many values one projected column takes, or a reason it cannot be bounded. */
export function projectedValues(parameters: Record<string, string>, column: string): number | string {
    const type = parameters[`projection.${column}.type`]?.toLowerCase();
    const range = parameters[`projection.${column}.range`] ?? "";
    switch (type) {
        case "enum":
            return (parameters[`projection.${column}.values`] ?? "").split(",").length;
        case "injected":
            return 1;
        case "integer": {
            const [low, high] = range.split(",").map(Number);
            const interval = Number(parameters[`projection.${column}.interval`] ?? 1);
            return Number.isFinite(low) && Number.isFinite(high) ? Math.floor((high! - low!) / interval) + 1 : `integer range "${range}" is not "low,high"`;
        }
        case "date": {
            const [low, high] = range.split(",").map(endInDays);
            if (low === undefined || high === undefined) return `date range "${range}" is not two dates or NOW-relative ends`;
            const unit = (parameters[`projection.${column}.interval.unit`] ?? "DAYS").toUpperCase();
            const interval = Number(parameters[`projection.${column}.interval`] ?? 1) * (UNIT_DAYS[unit] ?? 1);
            return Math.floor((high - low) / interval) + 1;
        }
        default:
            return `projection type "${type}" is unknown`;
    }
}

export const athenaProjectionBounded: ResourceRule = {
    name: "athena-projection-bounded",
    description: `A Glue table's partition projection describes at most ${MAX_PROJECTED_PARTITIONS} partitions (narrow ranges, or NOW-relative dates): Athena enumerates and lists each one a query does not exclude.`,
    types: [TYPES.glueTable],
    check: ({ props }) => {
        const parameters: Record<string, string> = props.parameters ?? {};
        if (String(parameters["projection.enabled"]).toLowerCase() !== "true") return [];
        const columns: string[] = (props.partitionKeys ?? []).map((k: { name: string }) => k.name);
        let total = 1;
        for (const column of columns) {
            const values = projectedValues(parameters, column);
            if (typeof values === "string") return [`partition column ${column}: ${values}`];
            total *= values;
        }
        return total <= MAX_PROJECTED_PARTITIONS ? [] : [
            `projection describes ${total} partitions (${columns.map((c) => `${c}: ${projectedValues(parameters, c)}`).join(", ")}); a query without a partition predicate lists each in S3. Narrow the ranges to the data (a NOW-relative date range for the year), at most ${MAX_PROJECTED_PARTITIONS}`,
        ];
    },
};
