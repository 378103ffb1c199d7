/**
 * The game event schema (REFERENCE section 3) as data, JSON Schema 2020-12, and the ajv options it
 * is compiled with. The validator is generated from both into generated/game-event-validator.ts
 * (ajv standalone code, see generated/generate-event-validator.ts).
 */

/** Lowercase UUID, versions 1 to 5, RFC 4122 variant. */
export const EVENT_ID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$";
/** Pattern of event_type, event_name, event_version and app_version. */
export const NAME_PATTERN = "^[A-Za-z0-9-_.]+$";
/** 2000-01-01T00:00:00Z in epoch seconds: the earliest accepted event_timestamp. */
export const MIN_EVENT_TIMESTAMP = 946_684_800;
/** 2100-01-01T00:00:00Z in epoch seconds: the latest accepted event_timestamp. */
export const MAX_EVENT_TIMESTAMP = 4_102_444_800;
/** Longest event_type / event_name. */
export const MAX_NAME_LENGTH = 128;
/** Longest event_version / app_version. */
export const MAX_VERSION_LENGTH = 64;

const name = (maxLength: number) => ({ type: "string", minLength: 1, maxLength, pattern: NAME_PATTERN });

/** The game event schema, JSON Schema 2020-12. */
export const GAME_EVENT_SCHEMA = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://game-analytics.example/schemas/game-event.json",
    title: "Game event",
    type: "object",
    required: ["event_id", "event_type", "event_name", "event_timestamp"],
    additionalProperties: false,
    properties: {
        event_id: { type: "string", pattern: EVENT_ID_PATTERN },
        event_type: name(MAX_NAME_LENGTH),
        event_name: name(MAX_NAME_LENGTH),
        event_timestamp: { type: "number", minimum: MIN_EVENT_TIMESTAMP, maximum: MAX_EVENT_TIMESTAMP },
        event_version: name(MAX_VERSION_LENGTH),
        app_version: name(MAX_VERSION_LENGTH),
        event_data: { type: "object" },
    },
} as const;

/**
 * Options of the ajv 2020 instance generating the validator of {@link GAME_EVENT_SCHEMA}: every
 * violation reported, strict mode (unknown keywords rejected), finite numbers only.
 * `unicodeRegExp: false` (patterns compiled without the `u` flag, which V8 runs slower): both
 * patterns are anchored ASCII character classes, which match exactly the same strings with or
 * without the flag (a character outside the classes fails either way, as one code point or as
 * two surrogates); test/functions/event-schema.test.ts checks the generated validator against
 * ajv's default (`u`) compilation on arbitrary Unicode input.
 */
export const GAME_EVENT_AJV_OPTIONS = { allErrors: true, strict: true, strictNumbers: true, unicodeRegExp: false } as const;

/** Pattern of a name of at most `maxLength` characters: {@link NAME_PATTERN} with the length bounds folded in. */
function boundedNamePattern(maxLength: number): string {
    return `^[A-Za-z0-9-_.]{1,${maxLength}}$`;
}

const boundedName = (maxLength: number) => ({ type: "string", pattern: boundedNamePattern(maxLength) });

/**
 * The accept-or-not form of {@link GAME_EVENT_SCHEMA}: it accepts exactly the same values, with the
 * names' `minLength`/`maxLength` folded into their pattern (the pattern admits only ASCII, whose
 * characters ajv's code-point count and the pattern's repetition count alike). Compiled without
 * `allErrors`, it stops at the first violation and never counts code points, so validating a valid
 * event costs less; the full schema then explains a rejection. test/functions/event-schema.test.ts
 * checks that both decide alike on arbitrary values.
 */
export const GAME_EVENT_ACCEPT_SCHEMA = {
    ...GAME_EVENT_SCHEMA,
    $id: "https://game-analytics.example/schemas/game-event-accept.json",
    title: "Game event (accept or not)",
    properties: {
        ...GAME_EVENT_SCHEMA.properties,
        event_type: boundedName(MAX_NAME_LENGTH),
        event_name: boundedName(MAX_NAME_LENGTH),
        event_version: boundedName(MAX_VERSION_LENGTH),
        app_version: boundedName(MAX_VERSION_LENGTH),
    },
} as const;

/** Options of the accept validator: those of {@link GAME_EVENT_AJV_OPTIONS}, stopping at the first violation. */
export const GAME_EVENT_ACCEPT_AJV_OPTIONS = { ...GAME_EVENT_AJV_OPTIONS, allErrors: false } as const;
