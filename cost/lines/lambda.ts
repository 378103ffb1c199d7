/** Lambda pricing shared by every function's line items. */
import { billedMs, type LambdaProfile } from "../design";
import { count, line, type LineItem } from "../line-item";
import { PRICES } from "../prices";

/** Requests and compute lines of one function. */
export function lambdaLines(name: string, profile: LambdaProfile, invocations: number, eventsPerInvocation: number, why: string): LineItem[] {
    const ms = billedMs(profile, eventsPerInvocation);
    const gbSeconds = invocations * (ms / 1000) * (profile.memoryMb / 1024);
    const compute = profile.architecture === "arm64" ? PRICES.lambda.arm64Compute : PRICES.lambda.x86Compute;
    return [
        line("Lambda", `${name} requests`, invocations / 1e6, PRICES.lambda.requests, `${count(invocations)} invocations: ${why}`),
        line("Lambda", `${name} compute`, gbSeconds, compute,
            `${profile.architecture} ${profile.memoryMb} MB x ${ms} ms billed per invocation`),
    ];
}
