/**
 * Validation of admin request bodies and listing parameters. Each failure is one message naming
 * the field and the rule.
 */
import { isJsonObject } from "./http";
import { isWellFormedText } from "./json-limits";
import { type AuthMode, validateAuthModes } from "./player-auth/player-authorizer";

/** Longest Name of an application or key. */
export const MAX_NAME_CHARS = 64;
/** Longest Description. */
export const MAX_DESCRIPTION_CHARS = 256;
/** Default and largest `limit` of a listing. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** Result of a validation: the value, or a message for a 400. */
export type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

/** Body of POST /applications and POST /applications/{id}/authorizations. */
export interface NameAndDescription {
    Name: string;
    Description: string;
}

const CONTROL = /\p{Cc}/u;
const CONTROL_EXCEPT_TAB_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function unknownFields(body: Record<string, unknown>, allowed: readonly string[]): string | undefined {
    const extra = Object.keys(body).filter((k) => !allowed.includes(k));
    if (extra.length === 0) return undefined;
    return `${extra.join(", ")}: unknown field${extra.length > 1 ? "s" : ""} (allowed: ${allowed.join(", ")})`;
}

/** Body of POST /applications: a name, a description and the credentials the application accepts. */
export interface ApplicationInput extends NameAndDescription {
    AuthModes: AuthMode[];
}

/** Validates POST /applications: `{"Name", "Description"?, "AuthModes"?: ["API_KEY" | "JWT", ...]}` (AuthModes default ["API_KEY"]). */
export function validateApplicationInput(body: unknown): Validated<ApplicationInput> {
    if (!isJsonObject(body)) return { ok: false, message: "body: must be a JSON object" };
    const unknown = unknownFields(body, ["Name", "Description", "AuthModes"]);
    if (unknown) return { ok: false, message: unknown };
    const { AuthModes, ...rest } = body;
    const named = validateNameAndDescription(rest);
    if (!named.ok) return named;
    const modes = validateAuthModes(AuthModes === null ? undefined : AuthModes);
    if (!modes.ok) return { ok: false, message: modes.detail };
    return { ok: true, value: { ...named.value, AuthModes: modes.modes } };
}

/** Body of PUT /applications/{applicationId}: what changes (at least one field). */
export interface ApplicationUpdate {
    Name?: string;
    Description?: string;
    AuthModes?: AuthMode[];
}

/** Validates PUT /applications/{applicationId}: `{"Name"?, "Description"?, "AuthModes"?}`, at least one of them. */
export function validateApplicationUpdate(body: unknown): Validated<ApplicationUpdate> {
    if (!isJsonObject(body)) return { ok: false, message: "body: must be a JSON object" };
    const allowed = ["Name", "Description", "AuthModes"];
    const unknown = unknownFields(body, allowed);
    if (unknown) return { ok: false, message: unknown };
    if (allowed.every((k) => body[k] === undefined)) return { ok: false, message: `body: set at least one of ${allowed.join(", ")}` };
    const update: ApplicationUpdate = {};
    if (body.Name !== undefined) {
        const named = validateNameAndDescription({ Name: body.Name });
        if (!named.ok) return named;
        update.Name = named.value.Name;
    }
    if (body.Description !== undefined) {
        const described = validateNameAndDescription({ Name: "x", Description: body.Description });
        if (!described.ok) return described;
        update.Description = described.value.Description;
    }
    if (body.AuthModes !== undefined) {
        const modes = validateAuthModes(body.AuthModes);
        if (!modes.ok) return { ok: false, message: modes.detail };
        update.AuthModes = modes.modes;
    }
    return { ok: true, value: update };
}

/** Validates `{"Name": 1-64 printable chars, "Description"?: <=256 chars}`. */
export function validateNameAndDescription(body: unknown): Validated<NameAndDescription> {
    if (!isJsonObject(body)) return { ok: false, message: "body: must be a JSON object" };
    const unknown = unknownFields(body, ["Name", "Description"]);
    if (unknown) return { ok: false, message: unknown };
    const { Name, Description } = body;
    if (Name === undefined || Name === null) return { ok: false, message: "Name: required" };
    if (typeof Name !== "string") return { ok: false, message: "Name: must be a string" };
    if (Name.trim() === "") return { ok: false, message: "Name: must not be empty" };
    if ([...Name].length > MAX_NAME_CHARS) return { ok: false, message: `Name: must be at most ${MAX_NAME_CHARS} characters` };
    if (!isWellFormedText(Name)) return { ok: false, message: "Name: must be well-formed Unicode (it contains a lone surrogate, e.g. \\ud800)" };
    if (CONTROL.test(Name)) return { ok: false, message: "Name: must contain printable characters only (no control characters)" };
    if (Description === undefined || Description === null) return { ok: true, value: { Name, Description: "" } };
    if (typeof Description !== "string") return { ok: false, message: "Description: must be a string" };
    if (!isWellFormedText(Description)) {
        return { ok: false, message: "Description: must be well-formed Unicode (it contains a lone surrogate, e.g. \\ud800)" };
    }
    if ([...Description].length > MAX_DESCRIPTION_CHARS) {
        return { ok: false, message: `Description: must be at most ${MAX_DESCRIPTION_CHARS} characters` };
    }
    if (CONTROL_EXCEPT_TAB_NEWLINE.test(Description)) {
        return { ok: false, message: "Description: must not contain control characters other than tab and newline" };
    }
    return { ok: true, value: { Name, Description } };
}

/** Validates `{"Enabled": boolean}`. */
export function validateEnabled(body: unknown): Validated<boolean> {
    if (!isJsonObject(body)) return { ok: false, message: "body: must be a JSON object" };
    const unknown = unknownFields(body, ["Enabled"]);
    if (unknown) return { ok: false, message: unknown };
    if (body.Enabled === undefined) return { ok: false, message: "Enabled: required" };
    if (typeof body.Enabled !== "boolean") return { ok: false, message: "Enabled: must be a boolean (true or false)" };
    return { ok: true, value: body.Enabled };
}

/** Listing parameters from the query string. */
export interface PageRequest {
    limit: number;
    nextToken?: string;
}

/** Validates `limit` (1..1000, default 100) and `nextToken` (non-empty when present). */
export function validatePageRequest(query: Record<string, string | undefined> | null | undefined): Validated<PageRequest> {
    const rawLimit = query?.limit;
    let limit = DEFAULT_PAGE_SIZE;
    if (rawLimit !== undefined) {
        if (!/^[0-9]+$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MAX_PAGE_SIZE) {
            return { ok: false, message: `limit: must be an integer from 1 to ${MAX_PAGE_SIZE}` };
        }
        limit = Number(rawLimit);
    }
    const nextToken = query?.nextToken;
    if (nextToken !== undefined && nextToken === "") return { ok: false, message: "nextToken: must not be empty" };
    return { ok: true, value: nextToken === undefined ? { limit } : { limit, nextToken } };
}
