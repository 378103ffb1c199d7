import * as assert from "node:assert/strict";
import {
    POWERTOOLS_METRICS_NAMESPACE,
    REALTIME_MAX_FUTURE_SECONDS,
    REALTIME_STATE_BUDGET_BYTES,
    REALTIME_TOP_N,
    REALTIME_WATERMARK_SECONDS,
    REALTIME_WINDOW_SECONDS,
} from "../../functions/core/environment-names";
import { realtimeDepsFromEnvironment, timingFromEnvironment } from "../../functions/aws/handlers/realtime-metrics";
import { parseEmfLines, valueOf } from "./support/emf";
import { harness, playWindow } from "./support/handler-harness";
import { APP_A, gameEvent, recordsOf, streamRecord, WINDOW_START, windowEvent } from "./support/records";

describe("real-time handler", () => {
    it("returns the window state and no item failure before the final invocation, and publishes nothing yet", async () => {
        const h = harness();
        const [response] = await playWindow(h, [windowEvent(recordsOf(APP_A, [gameEvent("login")]), {}, false)]);
        assert.deepEqual(
            { failures: response!.batchItemFailures, window: (response!.state as { window?: string }).window, stdout: h.stdout },
            { failures: [], window: WINDOW_START, stdout: [] },
        );
    });

    it("publishes the whole window as EMF at the final invocation and hands back an empty state", async () => {
        const h = harness("GameAnalytics/mygame");
        const login = gameEvent("login");
        const responses = await playWindow(h, [
            windowEvent(recordsOf(APP_A, [login, gameEvent("user_knockout", { spell_id: "ice" })]), {}, false),
            windowEvent(recordsOf(APP_A, [login, gameEvent("login")]), {}, false),
            windowEvent([], {}, true),
        ]);
        const points = parseEmfLines(h.stdout);
        assert.deepEqual(
            {
                finalResponse: responses[2],
                events: valueOf(points, "TotalEvents", { ApplicationId: APP_A }),
                logins: valueOf(points, "TotalLogins", { ApplicationId: APP_A }),
                knockouts: valueOf(points, "KnockoutsBySpell", { ApplicationId: APP_A, SpellId: "ice" }),
                duplicates: valueOf(points, "DuplicateEvents"),
                namespaces: [...new Set(points.map((p) => p.namespace))],
            },
            { finalResponse: { state: {}, batchItemFailures: [] }, events: 3, logins: 2, knockouts: 1, duplicates: 1, namespaces: ["GameAnalytics/mygame"] },
        );
    });

    it("counts records that arrive with the final invocation too", async () => {
        const h = harness();
        await playWindow(h, [windowEvent(recordsOf(APP_A, [gameEvent("login")]), {}, false), windowEvent(recordsOf(APP_A, [gameEvent("login")]), {}, true)]);
        assert.equal(valueOf(parseEmfLines(h.stdout), "TotalEvents", { ApplicationId: APP_A }), 2);
    });

    it("logs malformed records by sequence number without their content, and does not fail the batch", async () => {
        const h = harness();
        const bad = streamRecord(["secret-looking garbage"]);
        const [response] = await playWindow(h, [windowEvent([bad], {}, false)]);
        const warning = h.logs.find((l) => l.level === "warn")!;
        assert.deepEqual(
            { failures: response!.batchItemFailures, lines: warning.attributes.lines, leaks: JSON.stringify(h.logs).includes("garbage") },
            { failures: [], lines: [{ sequenceNumber: bad.sequenceNumber, line: 0, reason: "not a JSON document" }], leaks: false },
        );
    });

    it("says so in the log when Lambda ended the window early, and still publishes it", async () => {
        const h = harness();
        const final = { ...windowEvent(recordsOf(APP_A, [gameEvent("login")]), {}, true), isWindowTerminatedEarly: true };
        await playWindow(h, [final]);
        assert.deepEqual(
            [h.logs.some((l) => l.level === "warn" && /terminated early/.test(l.message)), valueOf(parseEmfLines(h.stdout), "TotalEvents", { ApplicationId: APP_A })],
            [true, 1],
        );
    });

    it("reads namespace, top N and state budget from the environment the component sets", () => {
        const deps = realtimeDepsFromEnvironment({ [POWERTOOLS_METRICS_NAMESPACE]: "GameAnalytics/g1", [REALTIME_TOP_N]: "7", [REALTIME_STATE_BUDGET_BYTES]: "500000" });
        assert.deepEqual([deps.namespace, deps.topN, deps.limits.stateBudgetBytes], ["GameAnalytics/g1", 7, 500_000]);
    });

    it("reads the event-time window, watermark and future tolerance from the environment, 60 s / 5 s / 300 s by default", () => {
        assert.deepEqual(
            [timingFromEnvironment({}), timingFromEnvironment({ [REALTIME_WINDOW_SECONDS]: "30", [REALTIME_WATERMARK_SECONDS]: "0", [REALTIME_MAX_FUTURE_SECONDS]: "60" })],
            [{ windowMs: 60_000, watermarkMs: 5_000, maxFutureMs: 300_000 }, { windowMs: 30_000, watermarkMs: 0, maxFutureMs: 60_000 }],
        );
        assert.throws(() => timingFromEnvironment({ [REALTIME_WATERMARK_SECONDS]: "2.5" }), /REALTIME_WATERMARK_SECONDS: must be a whole number of seconds from 0 to 3600 \(got 2.5\)/);
        assert.throws(() => timingFromEnvironment({ [REALTIME_WINDOW_SECONDS]: "0" }), /REALTIME_WINDOW_SECONDS: must be a whole number of seconds from 1 to 3600/);
    });

    it("refuses to start without a metrics namespace, naming the variable", () => {
        assert.throws(() => realtimeDepsFromEnvironment({}), /POWERTOOLS_METRICS_NAMESPACE is required/);
    });
});
