import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import fc from "fast-check";
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { validateGameEvent } from "../../functions/core/event-schema";
import { GAME_EVENT_ACCEPT_SCHEMA, GAME_EVENT_AJV_OPTIONS, GAME_EVENT_SCHEMA } from "../../functions/core/game-event-schema";
import {
    eventAcceptValidatorSource,
    eventValidatorSource,
    GENERATED_ACCEPT_VALIDATOR_FILE,
    GENERATED_VALIDATOR_FILE,
} from "../../functions/core/generated/generate-event-validator";
import { acceptGameEventSchema } from "../../functions/core/generated/game-event-accept-validator";
import { validateGameEventSchema } from "../../functions/core/generated/game-event-validator";
import { sampleEvent } from "./support/fixtures";

function errorsOf(value: unknown): string[] {
    const result = validateGameEvent(value);
    assert.equal(result.valid, false, "expected the event to be invalid");
    return result.valid ? [] : result.errors;
}

describe("validateGameEvent", () => {
    it("accepts a complete event and an event with only the required fields", () => {
        const full = sampleEvent();
        const { event_id, event_type, event_name, event_timestamp } = full;
        assert.deepEqual(validateGameEvent(full), { valid: true, event: full });
        assert.equal(validateGameEvent({ event_id, event_type, event_name, event_timestamp }).valid, true);
    });

    it("names every missing required field", () => {
        assert.deepEqual(errorsOf({}).sort(), ["event_id: required", "event_name: required", "event_timestamp: required", "event_type: required"]);
    });

    it("rejects an uppercase or malformed event_id with the UUID rule", () => {
        const upper = sampleEvent(undefined, { event_id: "3F2504E0-4F89-41D3-9A0C-0305E82C3301" });
        assert.deepEqual(errorsOf(upper), ["event_id: must be a lowercase UUID (versions 1-5)"]);
        assert.deepEqual(errorsOf(sampleEvent(undefined, { event_id: "3f2504e0-4f89-61d3-9a0c-0305e82c3301" })), [
            "event_id: must be a lowercase UUID (versions 1-5)",
        ]);
    });

    it("rejects an additional property by name", () => {
        assert.deepEqual(errorsOf({ ...sampleEvent(), extra_field: 1 }), ["extra_field: not allowed (additional property)"]);
    });

    it("rejects names outside the allowed pattern or too long", () => {
        assert.match(errorsOf(sampleEvent(undefined, { event_type: "log in" }))[0]!, /^event_type: must match/);
        assert.deepEqual(errorsOf(sampleEvent(undefined, { app_version: "1".repeat(65) })), ["app_version: must be at most 64 characters"]);
        assert.deepEqual(errorsOf(sampleEvent(undefined, { event_name: "" })), ["event_name: must not be empty"]);
    });

    it("rejects timestamps outside 2000..2100, non-numbers and non-finite numbers", () => {
        const range = /^event_timestamp: must be epoch seconds between 946684800 \(2000-01-01\) and 4102444800 \(2100-01-01\)$/;
        assert.match(errorsOf(sampleEvent(1_767_614_400_000))[0]!, range);
        assert.match(errorsOf(sampleEvent(946_684_799))[0]!, range);
        assert.deepEqual(errorsOf({ ...sampleEvent(), event_timestamp: "1767614400" }), ["event_timestamp: must be a number (finite)"]);
        assert.equal(validateGameEvent({ ...sampleEvent(), event_timestamp: Number.NaN }).valid, false);
        assert.equal(validateGameEvent({ ...sampleEvent(), event_timestamp: Number.POSITIVE_INFINITY }).valid, false);
    });

    it("rejects event_data that is not an object, and non-object events", () => {
        assert.deepEqual(errorsOf({ ...sampleEvent(), event_data: [1] }), ["event_data: must be an object"]);
        assert.deepEqual(errorsOf([sampleEvent()]), ["event: must be a JSON object (got array)"]);
        assert.deepEqual(errorsOf(null), ["event: must be a JSON object (got null)"]);
    });

    it("reports every violation of one event at once", () => {
        assert.equal(errorsOf({ event_id: "x", event_type: "a b", extra: true }).length, 5);
    });
});

describe("game event schema and its generated validator", () => {
    it("is a valid JSON Schema 2020-12 (checked against the meta-schema)", () => {
        const ajv = new Ajv2020({ strict: true });
        assert.equal(ajv.validateSchema(GAME_EVENT_SCHEMA), true, ajv.errorsText(ajv.errors));
    });

    it("checked-in validator is exactly a fresh ajv standalone generation from the schema (no drift)", () => {
        assert.equal(
            fs.readFileSync(GENERATED_VALIDATOR_FILE, "utf8"),
            eventValidatorSource(),
            "functions/core/generated/game-event-validator.ts is stale: run `npx tsx functions/core/generated/generate-event-validator.ts`",
        );
    });

    it("checked-in accept validator is exactly a fresh generation from the accept schema (no drift)", () => {
        assert.equal(
            fs.readFileSync(GENERATED_ACCEPT_VALIDATOR_FILE, "utf8"),
            eventAcceptValidatorSource(),
            "functions/core/generated/game-event-accept-validator.ts is stale: run `npx tsx functions/core/generated/generate-event-validator.ts`",
        );
    });

    it("accept schema is a valid JSON Schema 2020-12, and accepts exactly what the full schema accepts, on arbitrary events", () => {
        const ajv = new Ajv2020({ strict: true });
        assert.equal(ajv.validateSchema(GAME_EVENT_ACCEPT_SCHEMA), true, ajv.errorsText(ajv.errors));
        const full = validateGameEventSchema as ValidateFunction;
        // Names at and around every length bound, in and out of the pattern's alphabet.
        const atBounds = fc
            .tuple(fc.constantFrom(0, 1, 2, 63, 64, 65, 127, 128, 129), fc.constantFrom("a", "Z", "9", "-", "_", ".", " ", "\u00e9", "\u{1F600}"))
            .map(([length, char]) => char.repeat(length));
        let accepted = 0;
        let boundsAccepted = 0;
        const validEvent = fc.record({
            event_id: fc.uuid({ version: [1, 2, 3, 4, 5] }),
            event_type: atBounds,
            event_name: atBounds,
            event_timestamp: fc.integer({ min: 946_684_800, max: 4_102_444_800 }),
            event_version: atBounds,
            app_version: atBounds,
        });
        fc.assert(
            fc.property(fc.oneof(eventLike(fc.oneof(nameLike, atBounds)), validEvent, fc.anything()), (value) => {
                const decision = full(value);
                assert.equal(acceptGameEventSchema(value), decision);
                if (decision) accepted++;
                if (decision && Object.values(value as object).some((v) => v === "a".repeat(128) || v === "Z".repeat(64))) boundsAccepted++;
            }),
            { numRuns: 6000 },
        );
        // Both answers were exercised, including names exactly at their length bounds.
        assert.ok(accepted > 0 && boundsAccepted > 0, `accepted ${accepted}, at bounds ${boundsAccepted}`);
    });

    it("generated validator decides and reports like ajv compiling the schema (default unicode patterns), on arbitrary events", () => {
        const compiled = new Ajv2020({ ...GAME_EVENT_AJV_OPTIONS, unicodeRegExp: true }).compile(GAME_EVENT_SCHEMA);
        const generated = validateGameEventSchema as ValidateFunction;
        fc.assert(
            fc.property(fc.oneof(eventLike(nameLike), fc.anything()), (value) => {
                const expected = compiled(value);
                assert.equal(generated(value), expected);
                assert.deepEqual(generated.errors ?? null, compiled.errors ?? null);
            }),
            { numRuns: 2000 },
        );
    });
});

/** Strings a name field might hold: valid names, empty, non-ASCII, lone surrogates, control characters, arbitrary. */
const nameLike = fc.oneof(
            fc.constantFrom("login", "level.up", "a-b_c", "", "caf\u00e9", "\u{1F600}", "a\ud800", "a\n"),
            fc.string({ maxLength: 140 }),
            fc.string({ unit: "binary", maxLength: 140 }),
            fc.stringMatching(/^[A-Za-z0-9_.-]{1,130}$/),
        );

/** Event-shaped values: every field optional, each valid or not, plus a stray extra field. */
function eventLike(name: fc.Arbitrary<string>) {
    return fc.record(
        {
            event_id: fc.oneof(fc.uuid(), fc.uuid().map((u) => u + "\u{1F600}"), fc.string({ unit: "binary" }), fc.integer()),
            event_type: name,
            event_name: name,
            event_timestamp: fc.oneof(fc.integer({ min: 900_000_000, max: 4_200_000_000 }), fc.double(), fc.string()),
            event_version: name,
            app_version: name,
            event_data: fc.oneof(fc.object(), fc.array(fc.integer()), fc.constant(null)),
            extra: fc.anything(),
        },
        { requiredKeys: [] },
    );
}
