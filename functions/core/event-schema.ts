/**
 * Validation of a game event against its JSON Schema 2020-12 (game-event-schema.ts), with
 * messages that name the field and the rule. The validator is ajv's standalone code generated from
 * the schema (generated/game-event-validator.ts), so no schema is compiled at run time.
 */
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import type { GameEvent } from "./contracts";
import { MAX_EVENT_TIMESTAMP, MIN_EVENT_TIMESTAMP, NAME_PATTERN } from "./game-event-schema";
import { acceptGameEventSchema } from "./generated/game-event-accept-validator";
import { validateGameEventSchema } from "./generated/game-event-validator";

export {
    EVENT_ID_PATTERN,
    GAME_EVENT_SCHEMA,
    MAX_EVENT_TIMESTAMP,
    MAX_NAME_LENGTH,
    MAX_VERSION_LENGTH,
    MIN_EVENT_TIMESTAMP,
    NAME_PATTERN,
} from "./game-event-schema";

/** ajv's standalone validator of GAME_EVENT_SCHEMA, generated from it (see generated/generate-event-validator.ts). */
const validateCompiled = validateGameEventSchema as ValidateFunction;

/** Result of {@link validateGameEvent}. */
export type GameEventValidation = { valid: true; event: GameEvent } | { valid: false; errors: string[] };

/**
 * Validates one game event against {@link GAME_EVENT_SCHEMA}.
 * @returns the typed event, or every violation as `field: rule` messages.
 * @example validateGameEvent({ event_id: "x" }) // { valid: false, errors: ["event_id: must be a lowercase UUID (versions 1-5)", "event_type: required", ...] }
 */
export function validateGameEvent(value: unknown): GameEventValidation {
    // The accept validator (same decisions, property-tested) settles the common case cheaply; the
    // full validator, the reference, has the last word on what it rejects and explains why.
    if (acceptGameEventSchema(value)) return { valid: true, event: value as unknown as GameEvent };
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
