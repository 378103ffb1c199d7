/**
 * Opaque listing tokens: base64url of DynamoDB's LastEvaluatedKey (string attributes only),
 * checked on the way back so a forged or foreign token is a clear 400, not a DynamoDB error.
 */
import { InvalidPageTokenError } from "../../core/ports";

/** Encodes a LastEvaluatedKey; undefined when there is no next page. */
export function encodePageToken(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
    if (!lastEvaluatedKey) return undefined;
    return Buffer.from(JSON.stringify(lastEvaluatedKey), "utf8").toString("base64url");
}

/**
 * Decodes a token into an ExclusiveStartKey having exactly `attributes` (string values), with
 * `expected` attributes equal to the given values (e.g. the application being listed).
 */
export function decodePageToken(
    token: string | undefined,
    attributes: readonly string[],
    expected: Record<string, string> = {},
): Record<string, string> | undefined {
    if (token === undefined) return undefined;
    let parsed: unknown;
    try {
        if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error("not base64url");
        parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    } catch {
        throw new InvalidPageTokenError("not a token issued by this listing");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new InvalidPageTokenError("not a token issued by this listing");
    }
    const key = parsed as Record<string, unknown>;
    const names = Object.keys(key);
    if (names.length !== attributes.length || !attributes.every((a) => typeof key[a] === "string")) {
        throw new InvalidPageTokenError("not a token issued by this listing");
    }
    for (const [name, value] of Object.entries(expected)) {
        if (key[name] !== value) throw new InvalidPageTokenError("issued for another listing");
    }
    return key as Record<string, string>;
}
