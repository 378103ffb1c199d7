/**
 * Shared bits of the command-line tools: a failure type that prints as a plain message (no stack
 * trace) with a non-zero exit, and number parsing with clear messages.
 */

/** An error the user can fix; printed as its message alone. */
export class CliError extends Error {}

/** Runs a tool's main function: CliError and argument errors print their message, others too, exit 1. */
export function runCli(main: () => Promise<void>): void {
    main().catch((error: unknown) => {
        const e = error as { code?: string; message?: string };
        const message = e?.message ?? String(error);
        process.stderr.write(`${e?.code?.startsWith("ERR_PARSE_ARGS") ? "Invalid arguments: " : "Error: "}${message}\n`);
        process.exit(1);
    });
}

/** Parses a number option, or the fallback when absent. */
export function numberOption(name: string, value: string | undefined, fallback: number, rule: { min: number; max?: number; integer?: boolean }): number {
    if (value === undefined) return fallback;
    const n = Number(value);
    const ok = value.trim() !== "" && Number.isFinite(n) && n >= rule.min && (rule.max === undefined || n <= rule.max) && (!rule.integer || Number.isInteger(n));
    if (!ok) {
        throw new CliError(`${name}: must be a ${rule.integer ? "whole " : ""}number from ${rule.min}${rule.max === undefined ? " up" : ` to ${rule.max}`} (got "${value}")`);
    }
    return n;
}
