/**
 * Reading a function's environment, on any cloud: the names live in
 * functions/core/environment-names.ts (AWS and shared) and functions/gcp/environment.ts (Google
 * Cloud only); a missing or malformed value is a deployment error, found at cold start.
 */

/** A required variable; throws naming it when absent (a deployment error, found at cold start). */
export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
    const value = env[name];
    if (value === undefined || value === "") throw new Error(`environment variable ${name} is required`);
    return value;
}

/** A non-negative number variable, or `fallback` when absent. */
export function numberEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`environment variable ${name} must be a non-negative number (got ${raw})`);
    return value;
}
