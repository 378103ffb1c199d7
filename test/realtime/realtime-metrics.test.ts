import * as assert from "node:assert/strict";
import fc from "fast-check";
import {
    accumulateWindow,
    ClosedWindow,
    emptyWindowState,
    finalizeWindow,
    flushWindows,
    restoreWindowState,
    WindowLimits,
    WindowState,
    windowStateBytes,
} from "../../functions/core/realtime-event-time";
import { arrivalEmfDocuments, ArrivalCount, dimensionValue, OTHER_DIMENSION_VALUE, StreamRecord, toEmfDocuments, topWithOther } from "../../functions/core/realtime-metrics";
import { parseEmfLines, valueOf } from "./support/emf";
import { APP_A, APP_B, gameEvent, ingestLine, recordsOf, streamRecord, throughLambda, WINDOW_START, WINDOW_START_SECONDS } from "./support/records";

const NAMESPACE = "GameAnalytics/test";

/** The one event-time window the test events fall in (11:59, the minute before WINDOW_START). */
const EVENT_WINDOW_MS = Date.parse(WINDOW_START) - 60_000;

/** Runs batches through one carrier as Lambda would (state through JSON between invocations); the state before the flush. */
function runCarrier(batches: StreamRecord[][], limits?: WindowLimits): { state: WindowState; closed: ClosedWindow[]; arrivals: ArrivalCount[] } {
    let state: unknown = {};
    const closed: ClosedWindow[] = [];
    const arrivals: ArrivalCount[] = [];
    for (const batch of batches) {
        const result = accumulateWindow(restoreWindowState(state, WINDOW_START), batch, limits);
        closed.push(...result.closed);
        arrivals.push(...result.arrivals);
        state = throughLambda(result.state);
    }
    return { state: restoreWindowState(state, WINDOW_START), closed, arrivals };
}

/** The test events' window, after the carrier's flush. */
function runWindow(batches: StreamRecord[][], limits?: WindowLimits): ClosedWindow {
    const { state, closed } = runCarrier(batches, limits);
    const all = [...closed, ...flushWindows(state)];
    assert.deepEqual(all.map((w) => w.startMs), [EVENT_WINDOW_MS]);
    return all[0]!;
}

describe("real-time metrics: counting a window", () => {
    it("counts events and logins per application, an event id seen again in a later invocation only once", () => {
        const login = gameEvent("login", { platform: "pc" });
        const other = gameEvent("level_started", { level_id: "1" });
        const state = runWindow([
            recordsOf(APP_A, [login, other]),
            recordsOf(APP_A, [login, gameEvent("login")]),
            recordsOf(APP_B, [gameEvent("logout")]),
        ]);
        const metrics = finalizeWindow(state);
        assert.deepEqual(
            metrics.applications.map((a) => [a.applicationId, a.totalEvents, a.totalLogins]),
            [[APP_B, 1, 0], [APP_A, 3, 2]].sort(),
        );
        assert.equal(metrics.duplicateEvents, 1);
    });

    it("counts the same event id under two applications separately", () => {
        const event = gameEvent("login");
        const metrics = finalizeWindow(runWindow([[...recordsOf(APP_A, [event]), ...recordsOf(APP_B, [event])]]));
        assert.deepEqual(metrics.applications.map((a) => a.totalEvents), [1, 1]);
    });

    it("skips a duplicate knockout or purchase too, so a replayed record never counts twice", () => {
        const knockout = gameEvent("user_knockout", { spell_id: "fireball" });
        const purchase = gameEvent("iap_transaction", { item_id: "sword" });
        const metrics = finalizeWindow(runWindow([recordsOf(APP_A, [knockout, purchase]), recordsOf(APP_A, [knockout, purchase])]));
        const app = metrics.applications[0]!;
        assert.deepEqual([app.knockoutsBySpell, app.purchases], [[{ value: "fireball", count: 1 }], [{ value: "sword", count: 1 }]]);
    });

    it("counts every line of a record holding several newline-delimited ingest records", () => {
        const events = [gameEvent("login"), gameEvent("login"), gameEvent("logout")];
        const metrics = finalizeWindow(runWindow([[streamRecord(events.map((e) => ingestLine(APP_A, e)))]]));
        assert.deepEqual([metrics.applications[0]!.totalEvents, metrics.applications[0]!.totalLogins], [3, 2]);
    });

    it("counts knockouts by spell and purchases by item, absent ids under \"unknown\"", () => {
        const events = [
            gameEvent("user_knockout", { spell_id: "fireball" }),
            gameEvent("user_knockout", { spell_id: "fireball" }),
            gameEvent("user_knockout", { spell_id: 7 }),
            gameEvent("user_knockout", {}),
            gameEvent("iap_transaction", { item_id: "sword", currency_amount: 4.99 }),
        ];
        const app = finalizeWindow(runWindow([recordsOf(APP_A, events)])).applications[0]!;
        assert.deepEqual(
            { knockouts: app.knockoutsBySpell, purchases: app.purchases },
            { knockouts: [{ value: "fireball", count: 2 }, { value: "7", count: 1 }, { value: "unknown", count: 1 }], purchases: [{ value: "sword", count: 1 }] },
        );
    });

    it("reports the largest arrival-minus-event-time lag of the window in seconds", () => {
        // The oldest event comes first: a later one would find its window behind the watermark.
        const records = [
            ...recordsOf(APP_A, [gameEvent("login", {}, WINDOW_START_SECONDS - 58)], WINDOW_START_SECONDS + 34.5),
            ...recordsOf(APP_A, [gameEvent("login", {}, WINDOW_START_SECONDS - 5)], WINDOW_START_SECONDS + 1),
            ...recordsOf(APP_A, [gameEvent("login", {}, WINDOW_START_SECONDS - 1)], WINDOW_START_SECONDS + 3),
        ];
        assert.equal(finalizeWindow(runWindow([records])).eventLagSeconds, 92.5);
    });

    it("counts applications and spells named like object properties (__proto__, constructor, toString) as any other", () => {
        const names = ["__proto__", "constructor", "toString"];
        const events = names.flatMap((name) => [ingestLine(name, gameEvent("user_knockout", { spell_id: name })), ingestLine(APP_A, gameEvent("user_knockout", { spell_id: name }))]);
        const metrics = finalizeWindow(runWindow([[streamRecord(events)]]));
        assert.deepEqual(
            metrics.applications.map((a) => [a.applicationId, a.totalEvents, a.knockoutsBySpell.map((k) => `${k.value}=${k.count}`).join(",")]),
            [[APP_A, 3, "__proto__=1,constructor=1,toString=1"], ["__proto__", 1, "__proto__=1"], ["constructor", 1, "constructor=1"], ["toString", 1, "toString=1"]],
        );
    });

    it("does not modify the state it is given", () => {
        const before = throughLambda(accumulateWindow(emptyWindowState(WINDOW_START), recordsOf(APP_A, [gameEvent("login")])).state);
        const copy = throughLambda(before);
        accumulateWindow(before, recordsOf(APP_A, [gameEvent("user_knockout", { spell_id: "x" })]));
        assert.deepEqual(before, copy);
    });
});

describe("real-time metrics: malformed records", () => {
    it("counts unreadable lines, names them by sequence number and line, and still counts the good lines of the same record", () => {
        const good = ingestLine(APP_A, gameEvent("login"));
        const mixed = streamRecord([good, "{not json", JSON.stringify({ application_id: APP_A })]);
        const garbage = streamRecord(["\u0000\u0001binary"]);
        const { state, malformed, arrivals } = accumulateWindow(emptyWindowState(WINDOW_START), [mixed, garbage]);
        assert.deepEqual(
            { counted: finalizeWindow(flushWindows(state)[0]!).applications[0]!.totalEvents, arrivals, malformed },
            {
                counted: 1,
                arrivals: [{ windowStartMs: Date.parse(WINDOW_START), malformed: 3, future: 0 }],
                malformed: [
                    { sequenceNumber: mixed.sequenceNumber, line: 1, reason: "not a JSON document" },
                    { sequenceNumber: mixed.sequenceNumber, line: 2, reason: "event: required, must be an object" },
                    { sequenceNumber: garbage.sequenceNumber, line: 0, reason: "not a JSON document" },
                ],
            },
        );
    });

    it("never throws, and accounts for every non-blank line as counted, duplicate or malformed, whatever the bytes", () => {
        const line = fc.oneof(
            fc.string(),
            fc.constant(ingestLine(APP_A, gameEvent("login"))),
            fc.jsonValue().map((v) => JSON.stringify(v)),
            fc.record({
                application_id: fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "toString")),
                event: fc.record({ event_id: fc.string(), event_type: fc.constantFrom("login", "user_knockout", "iap_transaction", ""), event_data: fc.record({ spell_id: fc.constantFrom("__proto__", "valueOf", "a") }) }),
            }).map((v) => JSON.stringify(v)),
        );
        fc.assert(fc.property(fc.array(fc.array(line, { maxLength: 5 }), { maxLength: 20 }), (texts) => {
            const records = texts.map((lines) => streamRecord(lines));
            const { state, arrivals, late } = accumulateWindow(emptyWindowState(WINDOW_START), records);
            const nonBlank = texts.flat().flatMap((l) => l.split("\n")).filter((l) => l.trim() !== "").length;
            const windows = flushWindows(state).map((w) => w.window);
            const counted = windows.reduce((sum, w) => sum + Object.values(w.apps).reduce((s, app) => s + app.events, 0) + w.duplicates, 0);
            const other = arrivals.reduce((sum, a) => sum + a.malformed + a.future, 0) + late.reduce((sum, l) => sum + l.count, 0);
            assert.equal(counted + other, nonBlank);
        }), { numRuns: 200 });
    });
});

describe("real-time metrics: dimension cardinality", () => {
    it("keeps the top 20 spells of the window and sums the rest under \"other\"", () => {
        const events = Array.from({ length: 25 }, (_, spell) =>
            Array.from({ length: 30 - spell }, () => gameEvent("user_knockout", { spell_id: `spell-${String(spell).padStart(2, "0")}` }))).flat();
        const knockouts = finalizeWindow(runWindow([recordsOf(APP_A, events)]), 20).applications[0]!.knockoutsBySpell;
        assert.deepEqual(
            { kept: knockouts.slice(0, 20).map((k) => k.value), other: knockouts[20], length: knockouts.length },
            { kept: Array.from({ length: 20 }, (_, i) => `spell-${String(i).padStart(2, "0")}`), other: { value: OTHER_DIMENSION_VALUE, count: 10 + 9 + 8 + 7 + 6 }, length: 21 },
        );
    });

    it("loses no count when capping: kept values plus \"other\" sum to the input", () => {
        fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 1000 })), fc.integer({ min: 1, max: 30 }), (counts, topN) => {
            const capped = topWithOther(counts, topN);
            const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
            assert.equal(sum(capped.map((c) => c.count)), sum(Object.values(counts)));
            assert.ok(capped.length <= topN + 1);
        }), { numRuns: 300 });
    });

    it("counts new spell ids under \"other\" once an application tracks maxKeysPerDimension of them in the window", () => {
        const events = ["a", "b", "c", "d", "a"].map((spell) => gameEvent("user_knockout", { spell_id: spell }));
        const state = runWindow([recordsOf(APP_A, events)], { stateBudgetBytes: 800_000, maxKeysPerDimension: 2 }).window;
        assert.deepEqual(state.apps[APP_A]!.knockouts, { a: 2, b: 1, [OTHER_DIMENSION_VALUE]: 2 });
    });

    it("turns ids into CloudWatch dimension values: printable ASCII, at most 128 characters, never blank", () => {
        assert.deepEqual(
            [dimensionValue("épée"), dimensionValue("x".repeat(200)).length, dimensionValue("  "), dimensionValue(null), dimensionValue(12.5)],
            ["_p_e", 128, "unknown", "unknown", "12.5"],
        );
    });
});

describe("real-time metrics: state budget", () => {
    const limits: WindowLimits = { stateBudgetBytes: 16_000, maxKeysPerDimension: 500 };

    it("stays under the byte budget, stops de-duplicating when full, reports DedupSaturated and still counts every event", () => {
        const events = Array.from({ length: 3000 }, () => gameEvent("login"));
        const batches = [0, 1, 2].map((i) => recordsOf(APP_A, events.slice(i * 1000, (i + 1) * 1000)));
        const { state } = runCarrier(batches, limits);
        const metrics = finalizeWindow(flushWindows(state)[0]!);
        assert.deepEqual(
            { withinBudget: windowStateBytes(state) <= limits.stateBudgetBytes, saturated: metrics.dedupSaturated, events: metrics.applications[0]!.totalEvents },
            { withinBudget: true, saturated: 1, events: 3000 },
        );
    });

    it("still recognises a duplicate of an event whose id was stored before saturation", () => {
        const first = gameEvent("login");
        const filler = Array.from({ length: 3000 }, () => gameEvent("login"));
        const state = runWindow([recordsOf(APP_A, [first, ...filler]), recordsOf(APP_A, [first])], limits).window;
        assert.deepEqual([state.saturated, state.duplicates, state.apps[APP_A]!.events], [true, 1, 3001]);
    });

    it("never lets the state outgrow the budget, whatever mix of applications, spells and items arrives near the limit", () => {
        const event = fc.record({
            app: fc.constantFrom(APP_A, APP_B, "c".repeat(36), "d".repeat(36)),
            type: fc.constantFrom("login", "user_knockout", "iap_transaction"),
            key: fc.string({ minLength: 1, maxLength: 200 }),
        });
        const small: WindowLimits = { stateBudgetBytes: 8_000, maxKeysPerDimension: 5 };
        const toRecords = (batch: Array<{ app: string; type: string; key: string }>) =>
            batch.map((e) => streamRecord([ingestLine(e.app, gameEvent(e.type, { spell_id: e.key, item_id: e.key }))]));
        // Filling logins bring the ids close to the budget; the random events then cross it.
        fc.assert(fc.property(fc.integer({ min: 700, max: 1000 }), fc.array(fc.array(event, { minLength: 1, maxLength: 60 }), { minLength: 1, maxLength: 4 }), (fill, batches) => {
            const logins = recordsOf(APP_A, Array.from({ length: fill }, () => gameEvent("login")));
            const { state } = runCarrier([logins, ...batches.map(toRecords)], small);
            assert.ok(windowStateBytes(state) <= small.stateBudgetBytes, `state is ${windowStateBytes(state)} bytes`);
        }), { numRuns: 40 });
    });

    it("starts afresh when the state handed in belongs to another window or is not ours", () => {
        const state = accumulateWindow(emptyWindowState(WINDOW_START), recordsOf(APP_A, [gameEvent("login")])).state;
        assert.equal(restoreWindowState(throughLambda(state), WINDOW_START).open[String(EVENT_WINDOW_MS)]!.apps[APP_A]!.events, 1);
        assert.deepEqual(
            [restoreWindowState(state, "2026-01-05T12:01:00Z"), restoreWindowState({ some: "thing" }, WINDOW_START)],
            [emptyWindowState("2026-01-05T12:01:00Z"), emptyWindowState(WINDOW_START)],
        );
    });
});

describe("real-time metrics: Embedded Metric Format", () => {
    it("publishes the window as valid EMF documents stamped with the window start, each metric with its dimensions", () => {
        const events = [
            gameEvent("login"), gameEvent("login"), gameEvent("user_knockout", { spell_id: "fireball" }),
            gameEvent("iap_transaction", { item_id: "sword", currency_type: "USD", currency_amount: 4.99, user_id: "p1" }),
            gameEvent("iap_transaction", { item_id: "sword", currency_type: "USD", currency_amount: 0.1, user_id: "p2" }),
            gameEvent("match_start", { match_id: "m1", map_id: "dunes", user_id: "p1" }),
        ];
        const records = [...recordsOf(APP_A, events, WINDOW_START_SECONDS + 4), streamRecord(["oops"])];
        const { state, arrivals } = runCarrier([records]);
        const metrics = finalizeWindow(flushWindows(state)[0]!);
        const points = parseEmfLines([...toEmfDocuments(metrics, NAMESPACE), ...arrivalEmfDocuments(arrivals, NAMESPACE)].map((d) => JSON.stringify(d)));
        const app = { ApplicationId: APP_A };
        assert.deepEqual(
            {
                namespaces: [...new Set(points.map((p) => p.namespace))],
                timestamps: [...new Set(points.map((p) => p.timestamp))],
                totalEvents: valueOf(points, "TotalEvents", app),
                totalLogins: valueOf(points, "TotalLogins", app),
                knockouts: valueOf(points, "KnockoutsBySpell", { ...app, SpellId: "fireball" }),
                purchases: valueOf(points, "Purchases", { ...app, ItemId: "sword" }),
                revenue: valueOf(points, "Revenue", { ...app, Currency: "USD" }),
                matchStarts: valueOf(points, "MatchStarts", { ...app, MapId: "dunes" }),
                players: valueOf(points, "ActivePlayers", app),
                future: valueOf(points, "FutureEvents"),
                malformed: valueOf(points, "MalformedRecords"),
                saturated: valueOf(points, "DedupSaturated"),
                duplicates: valueOf(points, "DuplicateEvents"),
                lag: valueOf(points, "EventLagSeconds"),
                lagUnit: points.find((p) => p.name === "EventLagSeconds")!.unit,
            },
            {
                namespaces: [NAMESPACE], timestamps: [EVENT_WINDOW_MS, Date.parse(WINDOW_START)], totalEvents: 6, totalLogins: 2, knockouts: 1, purchases: 2,
                revenue: 5.09, matchStarts: 1, players: 2, future: 0, malformed: 1, saturated: 0, duplicates: 0, lag: 6, lagUnit: "Seconds",
            },
        );
    });

    it("publishes at most 3 + 4 x (topN + 1) application metrics per window, however many spells, items, currencies and maps", () => {
        const types = ["user_knockout", "iap_transaction", "match_start"];
        const events = Array.from({ length: 300 }, (_, i) => gameEvent(types[i % 3]!, { spell_id: `s${i}`, item_id: `i${i}`, map_id: `m${i}`, currency_type: `c${i}`, currency_amount: 1 }));
        const points = parseEmfLines(toEmfDocuments(finalizeWindow(runWindow([recordsOf(APP_A, events)]), 5), NAMESPACE).map((d) => JSON.stringify(d)));
        assert.equal(points.filter((p) => p.dimensions.ApplicationId === APP_A).length, 3 + 4 * 6);
    });
});
