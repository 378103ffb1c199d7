/**
 * The AWS handler modules build their clients once per module from the environment, so a suite
 * that sets the environment loads them afresh, and puts the environment back when it is done.
 */
import * as path from "node:path";

const HANDLERS_DIR = path.resolve(__dirname, "../../../functions/aws/handlers");

/** Forgets every loaded module of functions/aws/handlers, so the next `require` reads the environment again. */
export function forgetHandlerModules(): void {
    for (const id of Object.keys(require.cache)) if (id.startsWith(HANDLERS_DIR)) delete require.cache[id];
}

/** Puts `process.env` back to `saved`: keys added since are removed, changed ones restored. */
export function restoreEnvironment(saved: NodeJS.ProcessEnv): void {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
}
