/**
 * Formats query rows as an aligned text table: numbers right-aligned, long cells shortened
 * (use --json for full values).
 */
import type { PlainValue } from "../analytics/query-results";

/** Longest cell shown in a table, in characters. */
export const MAX_CELL_CHARS = 60;

function cellText(value: PlainValue): string {
    if (value === null) return "NULL";
    const text = typeof value === "object" ? JSON.stringify(value) : String(value);
    const oneLine = text.replace(/\s+/g, " ");
    return oneLine.length > MAX_CELL_CHARS ? `${oneLine.slice(0, MAX_CELL_CHARS - 1)}…` : oneLine;
}

export function formatTable(columns: readonly string[], rows: readonly Record<string, PlainValue>[]): string {
    const cells = rows.map((row) => columns.map((c) => cellText(row[c])));
    const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => r[c] === null || typeof r[c] === "number"));
    const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
    const line = (values: string[]): string =>
        values.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join(" | ").trimEnd();
    const out = [line([...columns]), widths.map((w) => "-".repeat(w)).join("-+-"), ...cells.map(line)];
    out.push(`(${rows.length} row${rows.length === 1 ? "" : "s"})`);
    return out.join("\n");
}
