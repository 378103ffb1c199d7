/**
 * Structured logs for Cloud Logging: one JSON line per entry on stdout, with `severity` (Cloud
 * Logging reads it) and the function name. Never log key values or request bodies.
 */
export type Severity = "DEBUG" | "INFO" | "WARNING" | "ERROR";
const ORDER: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };

/** A logger writing JSON lines at or above `level`. */
export function jsonLogger(service: string, level: string | undefined, write: (line: string) => void = (l) => process.stdout.write(l + "\n")) {
    const min = ORDER[(level === "WARN" ? "WARNING" : level) as Severity] ?? ORDER.INFO;
    const log = (severity: Severity, message: string, fields: Record<string, unknown> = {}) => {
        if (ORDER[severity] < min) return;
        write(JSON.stringify({ severity, message, service, ...fields }));
    };
    return {
        info: (m: string, f?: Record<string, unknown>) => log("INFO", m, f),
        warn: (m: string, f?: Record<string, unknown>) => log("WARNING", m, f),
        error: (m: string, f?: Record<string, unknown>) => log("ERROR", m, f),
    };
}
