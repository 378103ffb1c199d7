/**
 * JSON Schema (2020-12) of a game event (REFERENCE section 3) and its validator.
 * The schema is compiled once, at module load; messages name the field and the rule.
 */
import Ajv2020, { type ErrorObject } from "ajv/dist/2020";
import type { GameEvent } from "./contracts";

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

// validateSchema: false: the schema is a constant, so checking it against the 2020-12 meta-schema
// at every cold start (compiling that meta-schema: ~80 ms of Lambda init, bench/bundles) proves
// nothing new; strict mode still rejects unknown keywords. Validation of events is unchanged.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictNumbers: true, validateSchema: false });
const validateCompiled = ajv.compile(GAME_EVENT_SCHEMA);

/** Result of {@link validateGameEvent}. */
export type GameEventValidation = { valid: true; event: GameEvent } | { valid: false; errors: string[] };

/**
 * Validates one game event against {@link GAME_EVENT_SCHEMA}.
 * @returns the typed event, or every violation as `field: rule` messages.
 * @example validateGameEvent({ event_id: "x" }) // { valid: false, errors: ["event_id: must be a lowercase UUID (versions 1-5)", "event_type: required", ...] }
 */
export function validateGameEvent(value: unknown): GameEventValidation {
    if (validateCompiled(value)) return { valid: true, event: value as unknown as GameEvent };
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return { valid: false, errors: [`event: must be a JSON object (got ${describeType(value)})`] };
    }
    const raw = validateCompiled.errors ?? [];
    // An empty name breaks minLength and the pattern: report only "must not be empty".
    const empty = new Set(raw.filter((e) => e.keyword === "minLength").map((e) => e.instancePath));
    const errors = raw.filter((e) => !(e.keyword === "pattern" && empty.has(e.instancePath))).map(describeError);
    return { valid: false, errors: [...new Set(errors)] };
}

function describeType(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    return typeof value;
}

function fieldOf(error: ErrorObject): string {
    const path = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
    return path === "" ? "event" : path;
}

function describeError(error: ErrorObject): string {
    const params = error.params as Record<string, unknown>;
    const field = fieldOf(error);
    switch (error.keyword) {
        case "required":
            return `${String(params.missingProperty)}: required`;
        case "additionalProperties":
            return `${String(params.additionalProperty)}: not allowed (additional property)`;
        case "type":
            return `${field}: must be ${params.type === "object" ? "an object" : `a ${String(params.type)}`}${
                params.type === "number" ? " (finite)" : ""
            }`;
        case "pattern":
            return field === "event_id"
                ? "event_id: must be a lowercase UUID (versions 1-5)"
                : `${field}: must match ${NAME_PATTERN} (letters, digits, '-', '_', '.')`;
        case "minLength":
            return `${field}: must not be empty`;
        case "maxLength":
            return `${field}: must be at most ${String(params.limit)} characters`;
        case "minimum":
        case "maximum":
            return `${field}: must be epoch seconds between ${MIN_EVENT_TIMESTAMP} (2000-01-01) and ${MAX_EVENT_TIMESTAMP} (2100-01-01)`;
        default:
            return `${field}: ${error.message ?? error.keyword}`;
    }
}
