/**
 * What a JSON value from a client must satisfy beyond its schema, so that every layer after the
 * edge (JSON.stringify in the ingest core, the stream, DuckDB and Parquet in delivery) can carry it
 * unchanged:
 * - nesting at most {@link MAX_JSON_DEPTH} levels: deeper values overflow the stack of the
 *   recursive serializers (JSON.stringify fails near 4,000 levels);
 * - strings (and object keys) well-formed Unicode: a lone surrogate such as "\ud800" is valid JSON
 *   text but no UTF-8 string, which DuckDB refuses ("no low surrogate in string");
 * - numbers JSON carries exactly: a literal beyond the double range (1e309) parses as Infinity and
 *   would be stored as null; an integer beyond 2^53 - 1 is rounded (2^64 becomes 18446744073709552000).
 *   Fractions are kept as the nearest double (its shortest decimal form), as every JSON parser does.
 * The walk is iterative, so no input can overflow the stack here either.
 */

/** Deepest nesting of objects and arrays inside a checked value (the value itself is level 1). */
export const MAX_JSON_DEPTH = 32;

/** At most this many violations are reported per value (the walk stops after them). */
const MAX_REPORTED = 5;

/** Whether `text` is well-formed Unicode (no lone surrogate). */
export function isWellFormedText(text: string): boolean {
    return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** A field name for messages: `event_data.a.b[2]`, keys cut to 40 characters, lone surrogates shown escaped. */
function childPath(parent: string, key: string | number): string {
    if (typeof key === "number") return `${parent}[${key}]`;
    const shown = key.length > 40 ? `${key.slice(0, 40)}...` : key;
    return `${parent}.${isWellFormedText(shown) ? shown : JSON.stringify(shown).slice(1, -1)}`;
}

/**
 * Every violation of the rules above in `value`, as `field: rule` messages (empty when none).
 * @param field name of `value` in messages, e.g. "event_data"
 * @example checkJsonValue({ a: "\ud800" }, "event_data") // ["event_data.a: must be well-formed Unicode (it contains a lone surrogate, e.g. \\ud800)"]
 */
export function checkJsonValue(value: unknown, field: string): string[] {
    const errors: string[] = [];
    const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: field, depth: 1 }];
    while (stack.length > 0 && errors.length < MAX_REPORTED) {
        const { value: current, path, depth } = stack.pop()!;
        if (typeof current === "string") {
            if (!isWellFormedText(current)) errors.push(`${path}: must be well-formed Unicode (it contains a lone surrogate, e.g. \\ud800)`);
        } else if (typeof current === "number") {
            const problem = numberProblem(current);
            if (problem) errors.push(`${path}: ${problem}`);
        } else if (typeof current === "object" && current !== null) {
            if (depth > MAX_JSON_DEPTH) {
                errors.push(`${path}: nested too deep (at most ${MAX_JSON_DEPTH} levels of objects and arrays in ${field})`);
                continue;
            }
            if (Array.isArray(current)) {
                for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: childPath(path, i), depth: depth + 1 });
            } else {
                const keys = Object.keys(current);
                for (let i = keys.length - 1; i >= 0; i--) {
                    const key = keys[i]!;
                    const keyPath = childPath(path, key);
                    if (!isWellFormedText(key)) errors.push(`${keyPath}: key must be well-formed Unicode (it contains a lone surrogate)`);
                    stack.push({ value: (current as Record<string, unknown>)[key], path: keyPath, depth: depth + 1 });
                }
            }
        }
    }
    return errors;
}

function numberProblem(n: number): string | undefined {
    if (!Number.isFinite(n)) return "number out of range (beyond ±1.8e308, a JSON parser reads it as infinity; send it as a string)";
    if (Number.isInteger(n) && !Number.isSafeInteger(n)) {
        return "integer beyond ±9007199254740991 (2^53 - 1) cannot be kept exactly (it would be rounded); send it as a string";
    }
    return undefined;
}
