/**
 * POST /put-record: the seeds' contract (exact answers), the mapping to our game event, and
 * property / fuzz tests (client input never a 5xx or a throw; every accepted body stored once,
 * mapped to a valid event; the UUID of a non-UUID id stable).
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { HttpRequest } from "../../../functions/core/contracts";
import { EVENT_ID_PATTERN, validateGameEvent } from "../../../functions/core/event-schema";
import type { EventResult } from "../../../functions/core/ingest";
import {
    handlePutRecordRequest,
    mapPutRecord,
    parsePutRecordBody,
    parseUpdatedAt,
    PUT_RECORD,
    type PlayerIngestRecord,
    stableEventId,
    uuidV5,
} from "../../../functions/core/player-auth/put-record";
import { APP, OTHER_APP } from "./support/issuers";

const CALLER = { applicationId: APP, playerId: "player-1" };
const SEED_BODY = { event_id: "00006", event_type: "Login", updated_at: "2024-02-22 03:03:02", event_data: "The only thing we have to fear is fear itself." };

function request(body: unknown): HttpRequest {
    return {
        method: "POST",
        resource: PUT_RECORD,
        pathParameters: {},
        headers: {},
        body: typeof body === "string" || body === null ? (body as string | null) : JSON.stringify(body),
        requestId: "req-9",
        requestTimeEpoch: 1_767_614_400_123,
    };
}

function store(result: EventResult = { Result: "Ok" }) {
    const stored: PlayerIngestRecord[] = [];
    return { stored, deps: { store: async (r: PlayerIngestRecord) => (stored.push(r), result) } };
}

describe("POST /put-record", () => {
    it("answers the seeds' body with 200 \"Successfully added event\" and stores the mapped record", async () => {
        const { stored, deps } = store();
        const response = await handlePutRecordRequest(request(SEED_BODY), CALLER, deps);
        assert.equal(response.statusCode, 200);
        assert.equal(response.body, '"Successfully added event"');
        assert.equal(stored.length, 1);
        const record = stored[0]!;
        assert.deepEqual(record, {
            application_id: APP,
            event: {
                event_id: stableEventId(APP, "player-1", "00006"),
                event_type: "Login",
                event_name: "Login",
                event_timestamp: Date.UTC(2024, 1, 22, 3, 3, 2) / 1000,
                event_data: { value: "The only thing we have to fear is fear itself." },
            },
            request_id: "req-9",
            request_time_epoch: 1_767_614_400_123,
            player_id: "player-1",
            source_event_id: "00006",
        });
        assert.match(record.event.event_id, new RegExp(EVENT_ID_PATTERN));
        assert.equal(record.event.event_id[14], "5", "a UUID version 5");
    });

    it("answers 401 \"Unauthorized\" without a caller, and 500 \"Failed\" (retryable) when the sink failed", async () => {
        const { stored, deps } = store();
        const unauthorized = await handlePutRecordRequest(request(SEED_BODY), undefined, deps);
        assert.deepEqual([unauthorized.statusCode, unauthorized.body], [401, '"Unauthorized"']);
        assert.equal(stored.length, 0);
        const failing = store({ Result: "Error", ErrorCode: "ProvisionedThroughputExceededException" });
        const failed = await handlePutRecordRequest(request(SEED_BODY), CALLER, failing.deps);
        assert.deepEqual([failed.statusCode, failed.body, failed.headers["Retry-After"]], [500, '"Failed"', "1"]);
        const tooLarge = store({ Result: "Error", ErrorCode: "RecordTooLarge", ErrorMessage: "2000000 bytes once wrapped, over the 1048576-byte record limit" });
        const large = await handlePutRecordRequest(request(SEED_BODY), CALLER, tooLarge.deps);
        assert.equal(large.statusCode, 413);
        assert.match(JSON.parse(large.body).error_detail, /^event_data: 2000000 bytes/);
    });

    const badBodies: Array<[string, unknown, RegExp]> = [
        ["no body", null, /^body: required/],
        ["invalid JSON", "{nope", /^body: not valid JSON/],
        ["an array", [SEED_BODY], /^body: must be a JSON object/],
        ["no event_id", { ...SEED_BODY, event_id: undefined }, /^event_id: required$/],
        ["an object event_id", { ...SEED_BODY, event_id: { a: 1 } }, /^event_id: must be a string of 1-128 characters/],
        ["a negative event_id", { ...SEED_BODY, event_id: -1 }, /^event_id: must be a string/],
        ["an empty event_id", { ...SEED_BODY, event_id: "" }, /^event_id: must be a string/],
        ["a long event_id", { ...SEED_BODY, event_id: "x".repeat(129) }, /^event_id: must be a string of 1-128/],
        ["no event_type", { ...SEED_BODY, event_type: undefined }, /^event_type: required$/],
        ["a blank event_type", { ...SEED_BODY, event_type: "   " }, /^event_type: must be a non-blank string of at most 128/],
        ["an event_type with a newline", { ...SEED_BODY, event_type: "a\nb" }, /^event_type: must be a non-blank string/],
        ["no updated_at", { ...SEED_BODY, updated_at: undefined }, /^updated_at: required$/],
        ["a date only", { ...SEED_BODY, updated_at: "2024-02-22" }, /^updated_at: must be a date and time "YYYY-MM-DD hh:mm:ss"/],
        ["February 30th", { ...SEED_BODY, updated_at: "2024-02-30 00:00:00" }, /^updated_at: must be/],
        ["25 o'clock", { ...SEED_BODY, updated_at: "2024-02-22 25:00:00" }, /^updated_at: must be/],
        ["1999", { ...SEED_BODY, updated_at: "1999-12-31 23:59:59" }, /^updated_at: must be/],
        ["epoch seconds", { ...SEED_BODY, updated_at: 1708570982 }, /^updated_at: must be/],
        ["an extra field", { ...SEED_BODY, player: "me" }, /^player: not allowed \(put-record accepts event_id, event_type, updated_at, event_data\)$/],
    ];
    for (const [name, body, detail] of badBodies) {
        it(`answers 400 naming the field for ${name}, and stores nothing`, async () => {
            const { stored, deps } = store();
            const response = await handlePutRecordRequest(request(body), CALLER, deps);
            assert.equal(response.statusCode, 400, response.body);
            const parsed = JSON.parse(response.body);
            assert.equal(parsed.error, "BadRequest");
            assert.match(parsed.error_detail, detail);
            assert.equal(stored.length, 0);
        });
    }

    it("quotes a field name that is not a plain name (fuzz finding: a key \":\" made the message ambiguous)", async () => {
        const { deps } = store();
        for (const [key, shown] of [[":", '":"'], ["a b", '"a b"'], ["", '""'], ['x"y', '"x\\"y"']]) {
            const response = await handlePutRecordRequest(request({ ...SEED_BODY, [key]: 1 }), CALLER, deps);
            assert.equal(JSON.parse(response.body).error_detail, `${shown}: not allowed (put-record accepts event_id, event_type, updated_at, event_data)`);
        }
    });

    it("names every broken field at once", () => {
        const result = parsePutRecordBody(JSON.stringify({ event_type: 3, extra: 1 }));
        assert.deepEqual(result.ok ? [] : result.errors.map((e) => e.split(":")[0]), ["extra", "event_id", "event_type", "updated_at"]);
    });
});

describe("put-record mapping", () => {
    const map = (body: Record<string, unknown>, caller = CALLER) => {
        const parsed = parsePutRecordBody(JSON.stringify({ ...SEED_BODY, ...body }));
        assert.ok(parsed.ok, JSON.stringify(parsed));
        return mapPutRecord(parsed.body, caller);
    };

    it("keeps a UUID event_id (lowercased, the original kept only when it changed)", () => {
        const id = "0e4f9c51-6a7b-4c8d-9e0f-1a2b3c4d5e6f";
        assert.deepEqual([map({ event_id: id }).event.event_id, map({ event_id: id }).sourceEventId], [id, undefined]);
        const upper = map({ event_id: id.toUpperCase() });
        assert.deepEqual([upper.event.event_id, upper.sourceEventId], [id, id.toUpperCase()]);
    });

    it("maps a non-UUID event_id to a UUID v5 of (application, player, id): stable, distinct per player and application", () => {
        const a = map({ event_id: "00006" }).event.event_id;
        assert.equal(map({ event_id: "00006" }).event.event_id, a, "the retry of the same event gets the same id");
        assert.notEqual(map({ event_id: "00006" }, { ...CALLER, playerId: "player-2" }).event.event_id, a);
        assert.notEqual(map({ event_id: "00006" }, { ...CALLER, applicationId: OTHER_APP }).event.event_id, a);
        assert.notEqual(map({ event_id: "6" }).event.event_id, a);
        assert.equal(map({ event_id: 6 }).event.event_id, map({ event_id: "6" }).event.event_id, "an integer id is read as its decimal text");
    });

    it("computes RFC 4122 UUID v5 (published test vectors)", () => {
        const dns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
        assert.equal(uuidV5(dns, "www.example.com"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
        assert.equal(uuidV5(dns, "python.org"), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    });

    it("replaces characters outside the name pattern in event_type, keeping the original", () => {
        const m = map({ event_type: "New Game" });
        assert.deepEqual([m.event.event_type, m.event.event_name, m.sourceEventType], ["New_Game", "New_Game", "New Game"]);
        assert.equal(map({ event_type: "Login" }).sourceEventType, undefined);
        assert.equal(map({ event_type: "Niveau réussi 🎉" }).event.event_type, "Niveau_r_ussi__");
    });

    it("reads updated_at as UTC, with ISO 8601 variants", () => {
        assert.equal(parseUpdatedAt("2024-02-22 03:03:02"), 1_708_570_982);
        assert.equal(parseUpdatedAt("2024-02-22T03:03:02Z"), 1_708_570_982);
        assert.equal(parseUpdatedAt("2024-02-22T03:03:02.999Z"), 1_708_570_982, "a fraction is truncated");
        assert.equal(map({ updated_at: "2024-02-22T03:03:02.999Z" }).event.event_timestamp, 1_708_570_982);
        assert.equal(parseUpdatedAt("2024-02-22T05:03:02+02:00"), 1_708_570_982);
        assert.equal(parseUpdatedAt("2024-02-21T22:03:02-0500"), 1_708_570_982);
        assert.equal(parseUpdatedAt("2024-02-29 00:00:00"), Date.UTC(2024, 1, 29) / 1000, "leap day");
        for (const bad of ["2023-02-29 00:00:00", "2024-13-01 00:00:00", "2024-02-22 03:03:60", "2024-02-22 03:03", "2024-02-22T03:03:02+24:00", " 2024-02-22 03:03:02"]) {
            assert.equal(parseUpdatedAt(bad), undefined, bad);
        }
    });

    it("keeps an object event_data, wraps any other value as {value}, omits null", () => {
        assert.deepEqual(map({ event_data: { level: 3 } }).event.event_data, { level: 3 });
        assert.deepEqual(map({ event_data: "text" }).event.event_data, { value: "text" });
        assert.deepEqual(map({ event_data: [1, 2] }).event.event_data, { value: [1, 2] });
        assert.deepEqual(map({ event_data: 0 }).event.event_data, { value: 0 });
        assert.equal("event_data" in map({ event_data: null }).event, false);
        assert.equal("event_data" in map({ event_data: undefined }).event, false);
    });
});

// ---------- properties and fuzzing ----------

const RUNS = { numRuns: 300 };
const dateTime = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 19).replace("T", " "));
const seedEventId = fc.oneof(
    fc.stringMatching(/^[0-9]{1,8}$/),
    fc.uuid(),
    fc.string({ minLength: 1, maxLength: 128 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)),
    fc.nat(),
);
const seedEventType = fc.string({ minLength: 1, maxLength: 40, unit: "grapheme" }).filter((s) => s.trim() !== "" && !/[\u0000-\u001f\u007f]/.test(s));
const validSeedBody = fc.record({
    event_id: seedEventId,
    event_type: fc.oneof(fc.constantFrom("Login", "Logout", "New Game", "End Game", "Resume Game"), seedEventType),
    updated_at: dateTime,
    event_data: fc.option(fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 3 })), { nil: undefined }),
}, { requiredKeys: ["event_id", "event_type", "updated_at"] });
const caller = fc.record({ applicationId: fc.uuid({ version: 4 }), playerId: fc.string({ minLength: 1, maxLength: 64 }) });

describe("put-record properties", () => {
    it("maps every valid seed body to a valid game event, stored once, with the player and the original id kept", async () => {
        await fc.assert(fc.asyncProperty(validSeedBody, caller, async (body, who) => {
            const { stored, deps } = store();
            const response = await handlePutRecordRequest(request(body), who, deps);
            assert.equal(response.statusCode, 200, response.body);
            assert.equal(stored.length, 1);
            const record = stored[0]!;
            assert.ok(validateGameEvent(record.event).valid);
            assert.equal(record.player_id, who.playerId);
            assert.equal(record.application_id, who.applicationId);
            const sentId = typeof body.event_id === "number" ? String(body.event_id) : body.event_id;
            assert.equal(record.source_event_id ?? record.event.event_id, sentId, "the id as sent is recoverable");
            assert.equal(record.source_event_type ?? record.event.event_type, body.event_type, "the type as sent is recoverable");
            assert.equal(record.event.event_timestamp, Date.parse(`${body.updated_at.replace(" ", "T")}Z`) / 1000);
            const again = store();
            await handlePutRecordRequest(request(body), who, again.deps);
            assert.equal(again.stored[0]!.event.event_id, record.event.event_id, "the same body maps to the same event_id");
        }), RUNS);
    });

    it("never throws nor answers 5xx for any body (fuzz), and stores exactly the bodies answered 200", async () => {
        const anyBody = fc.oneof(
            { weight: 3, arbitrary: validSeedBody.map((b) => JSON.stringify(b)) },
            { weight: 3, arbitrary: fc.tuple(validSeedBody, fc.constantFrom("event_id", "event_type", "updated_at", "event_data", "extra"), fc.anything()).map(([b, k, v]) => JSON.stringify({ ...b, [k]: v })) },
            { weight: 1, arbitrary: fc.string() },
            { weight: 1, arbitrary: fc.json() },
            { weight: 1, arbitrary: fc.constant(null) },
        );
        await fc.assert(fc.asyncProperty(anyBody, caller, async (body, who) => {
            const { stored, deps } = store();
            const response = await handlePutRecordRequest(request(body), who, deps);
            assert.ok(response.statusCode === 200 || response.statusCode === 400, `${response.statusCode} ${response.body}`);
            assert.equal(stored.length, response.statusCode === 200 ? 1 : 0);
            if (response.statusCode === 400) assert.match(JSON.parse(response.body).error_detail, /^("(?:[^"\\]|\\.)*"|[^:\s"]+): /, "names the field");
        }), RUNS);
    });

    it("gives distinct non-UUID ids distinct UUIDs (no collision within a player)", () => {
        fc.assert(fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 2, maxLength: 50 }), (ids) => {
            const uuids = new Set(ids.map((id) => stableEventId(APP, "p", id)));
            assert.equal(uuids.size, ids.length);
        }), RUNS);
    });
});
