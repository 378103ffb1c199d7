/**
 * A real `RedshiftDataClient` whose requests never leave the process: a middleware at the
 * `initialize` step answers each command from a script (or throws the script's error, for fault
 * injection) and records the command name and input. The client's own command classes, input
 * handling and error types are the real ones; only the network is replaced.
 */
import { RedshiftDataClient } from "@aws-sdk/client-redshift-data";

export interface RecordedCall {
    /** e.g. "ListTables". */
    action: string;
    input: Record<string, unknown>;
}

/** Answers one call: return the output, or throw. */
export type Script = (action: string, input: Record<string, unknown>, callIndex: number) => Record<string, unknown> | Promise<Record<string, unknown>>;

export function scriptedRedshiftData(script: Script): { client: RedshiftDataClient; calls: RecordedCall[] } {
    const client = new RedshiftDataClient({ region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" }, maxAttempts: 1 });
    const calls: RecordedCall[] = [];
    const answer = (_next: unknown, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
            const action = (context.commandName ?? "").replace(/Command$/, "");
            calls.push({ action, input: args.input });
            const output = await script(action, args.input, calls.length - 1);
            return { output: { $metadata: {}, ...output }, response: {} };
        };
    // The middleware returns before any later step: nothing is serialized, signed or sent.
    (client.middlewareStack as unknown as { add(mw: unknown, options: { step: string; name: string }): void }).add(answer, { step: "initialize", name: "scriptedRedshiftData" });
    return { client, calls };
}
