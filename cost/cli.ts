/**
 * `npm run cost`: estimates the monthly AWS bill of a stack's settings for a workload.
 * Exit codes: 0 printed an estimate, 2 bad flags or settings, 1 unexpected failure.
 */
import { SettingsError } from "../components/contracts/settings";
import { parseCliArgs, USAGE, UsageError } from "./cli-args";
import { estimate, NotModelledError } from "./estimate";
import { formatEstimate, formatGcpEstimate } from "./format";
import { estimateGcp } from "./lines/gcp-estimate";
import { loadSettings, StackFileError } from "./stack-settings";

export interface CliIo {
    stdout(text: string): void;
    stderr(text: string): void;
    /** Directory holding Pulumi.<stack>.yaml files. */
    cwd: string;
}

/** Runs the command; returns the exit code. */
export function runCostCli(argv: readonly string[], io: CliIo): number {
    try {
        const options = parseCliArgs(argv);
        if (options.help) {
            io.stdout(USAGE + "\n");
            return 0;
        }
        const { settings, notes, apiType: stackApiType } = loadSettings(options.stack, io.cwd, options.overrides);
        if (settings.cloud === "gcp") {
            if (options.design !== "ours" || options.apiType !== undefined) throw new UsageError(options.apiType !== undefined ? "--api-type" : "--design", "prices AWS designs only; remove it with --cloud gcp");
            const gcp = estimateGcp(settings, options.workload);
            if (options.json) io.stdout(JSON.stringify({ ...gcp, settings, notes }, null, 2) + "\n");
            else io.stdout(formatGcpEstimate(gcp, settings, notes) + "\n");
            return 0;
        }
        // The stack's aws.apiType HTTP prices the HTTP API (--api-type wins; the guidance's design is a REST API).
        const fromStack = options.apiType === undefined && stackApiType !== undefined && options.design !== "guidance";
        if (fromStack) notes.push(`aws.apiType is HTTP in the stack: priced as --api-type ${stackApiType}`);
        else if (stackApiType !== undefined && options.apiType === undefined) notes.push("aws.apiType is HTTP in the stack: not applied to --design guidance (the guidance deploys a REST API)");
        const result = estimate(settings, options.workload, { design: options.design, apiType: options.apiType ?? (fromStack ? stackApiType : undefined) });
        if (options.json) io.stdout(JSON.stringify({ ...result, notes }, null, 2) + "\n");
        else io.stdout(formatEstimate(result, notes) + "\n");
        return 0;
    } catch (e) {
        if (e instanceof UsageError || e instanceof SettingsError || e instanceof NotModelledError || e instanceof StackFileError) {
            io.stderr(`cost: ${e.message}\n`);
            return 2;
        }
        io.stderr(`cost: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
        return 1;
    }
}

if (require.main === module) {
    process.exitCode = runCostCli(process.argv.slice(2), {
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
        cwd: process.cwd(),
    });
}
