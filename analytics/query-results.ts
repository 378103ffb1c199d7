/**
 * Runs SQL on a DuckDB connection and returns plain rows: JSON-safe values that print and compare
 * simply (integers as numbers when exact, decimals as numbers, timestamps and dates as text).
 */
import { DuckDBConnection } from "@duckdb/node-api";

/** A result value as tools and tests see it. */
export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

export interface QueryResult {
    columns: string[];
    rows: Record<string, PlainValue>[];
}

/** Converts one DuckDB JS value to a plain value. */
export function toPlainValue(value: unknown): PlainValue {
    if (value === null || value === undefined) return null;
    if (typeof value === "bigint") {
        return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    }
    if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
    if (Array.isArray(value)) return value.map(toPlainValue);
    if (typeof value === "object") {
        const text = String(value);
        // Decimals print as numbers; other DuckDB values (timestamps, dates, intervals) as their text.
        const asNumber = Number(text);
        if (value.constructor?.name === "DuckDBDecimalValue" && Number.isFinite(asNumber)) return asNumber;
        if (text !== "[object Object]") return text;
        const out: Record<string, PlainValue> = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toPlainValue(v);
        return out;
    }
    return String(value);
}

/** Runs `sql` and reads every row. */
export async function runQuery(connection: DuckDBConnection, sql: string): Promise<QueryResult> {
    const reader = await connection.runAndReadAll(sql);
    const columns = reader.columnNames();
    const rows = reader.getRows().map((values) => {
        const row: Record<string, PlainValue> = {};
        columns.forEach((name, i) => {
            row[name] = toPlainValue(values[i]);
        });
        return row;
    });
    return { columns, rows };
}
