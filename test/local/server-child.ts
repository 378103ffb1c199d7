/**
 * The local server (`local/main.ts`) as a child process, for the tests that kill it (crash
 * recovery, fault injection): spawned on a free port with a stack's config folder and a data folder,
 * awaited until it prints its URL, awaited until it exits.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/** A started server. */
export interface ServerChild {
    child: ChildProcess;
    /** The API's URL, stage included, as printed. */
    url: string;
    /** Milliseconds from the start of `startLocalPipeline` to listening (the banner's "started in"; module loading excluded); NaN when not printed. */
    listenMs: number;
    /** Everything the server printed on stdout so far. */
    stdout(): string;
}

/**
 * Spawns the server of `stack` (config in `configDir`, data in `dataDir`) on a free port.
 * @example spawnLocalServer("faults", dir, path.join(dir, "ro"), ["--quiet"])
 */
export function spawnLocalServer(stack: string, configDir: string, dataDir: string, args: readonly string[]): ChildProcess {
    return spawn(process.execPath, [
        "--require", "tsx/cjs", path.join(ROOT, "local/main.ts"),
        "--port", "0", "--stack", stack, "--config-dir", configDir, "--data-dir", dataDir, ...args,
    ], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } });
}

/**
 * Starts the server of `stack` with its data under `<configDir>/.gap` and resolves once it prints
 * its URL; rejects (with the end of its stderr) when it exits before, or kills it and rejects when
 * it is not listening within `timeoutMs`.
 * @example const { url, child } = await startLocalServer("crash", dir, ["--buffer-seconds", "0.2"], 90_000)
 */
export function startLocalServer(stack: string, configDir: string, args: readonly string[], timeoutMs: number): Promise<ServerChild> {
    const child = spawnLocalServer(stack, configDir, path.join(configDir, ".gap"), args);
    let out = "";
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`not listening within ${timeoutMs} ms; stderr: ${err.slice(-2000)}`));
        }, timeoutMs);
        child.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            const match = /Listening on (http:\/\/127\.0\.0\.1:\d+\/\w+)/.exec(out);
            if (match) {
                clearTimeout(timer);
                const seconds = Number(/started in (\d+(?:\.\d+)?) s/.exec(out)?.[1] ?? NaN);
                resolve({ child, url: match[1]!, listenMs: Math.round(seconds * 1000), stdout: () => out });
            }
        });
        child.once("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`exited with ${code} before listening; stderr: ${err.slice(-2000)}`));
        });
    });
}

/** The child's exit code once it has exited (null when a signal ended it). */
export function exitOf(child: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
        else child.once("exit", (code) => resolve(code));
    });
}
