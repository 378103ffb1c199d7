/**
 * The real-time handler wired to in-memory stdout and logger, and a driver that plays one
 * tumbling window through it as Lambda does (state through JSON between invocations, then a final
 * invocation).
 */
import { DEFAULT_WINDOW_LIMITS, EventTimeSettings, WindowLimits } from "../../../functions/core/realtime-event-time";
import { createRealtimeHandler, RealtimeWindowEvent, RealtimeWindowResponse } from "../../../functions/aws/handlers/realtime-metrics";
import { throughLambda } from "./records";

export interface LogEntry {
    level: "info" | "warn";
    message: string;
    attributes: Record<string, unknown>;
}

export interface Harness {
    handler: (event: RealtimeWindowEvent) => Promise<RealtimeWindowResponse>;
    /** Lines written to stdout (EMF documents). */
    stdout: string[];
    logs: LogEntry[];
}

export function harness(namespace = "GameAnalytics/test", topN = 20, limits: WindowLimits = DEFAULT_WINDOW_LIMITS, timing?: EventTimeSettings): Harness {
    const stdout: string[] = [];
    const logs: LogEntry[] = [];
    const handler = createRealtimeHandler({
        namespace,
        topN,
        limits,
        timing,
        writeLine: (line) => stdout.push(line),
        logger: {
            info: (message, attributes) => logs.push({ level: "info", message, attributes }),
            warn: (message, attributes) => logs.push({ level: "warn", message, attributes }),
        },
        now: () => Date.UTC(2026, 0, 5, 12, 5),
    });
    return { handler, stdout, logs };
}

/**
 * Invokes the handler once per event of `invocations` (records only; window fields are taken from
 * them), carrying the returned state into the next one, and returns every response.
 */
export async function playWindow(h: Harness, invocations: RealtimeWindowEvent[]): Promise<RealtimeWindowResponse[]> {
    const responses: RealtimeWindowResponse[] = [];
    let state: unknown = {};
    for (const invocation of invocations) {
        const response = throughLambda(await h.handler({ ...invocation, state: state as Record<string, unknown> }));
        responses.push(response);
        state = response.state;
    }
    return responses;
}
