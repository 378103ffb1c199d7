/**
 * API key material: generation, hashing and the human hint. Only the hash and the hint are
 * stored; the value is shown once, in the create response.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";

/** Random bytes in a key value (like the guidance): base64 of 64 bytes is 88 characters. */
export const API_KEY_BYTES = 64;
/** Length of a key value. */
export const API_KEY_VALUE_LENGTH = 88;

/** A freshly generated key: the value (return once), its hash (store) and its hint (show). */
export interface GeneratedApiKey {
    value: string;
    hash: string;
    hint: string;
}

/** Hex SHA-256 of a key value, the lookup key of the authorizations table. */
export function hashApiKey(value: string): string {
    return createHash("sha256").update(value, "utf8").digest("hex");
}

/** First 4 and last 4 characters of a key value, e.g. `AbCd...wXyZ`. */
export function apiKeyHint(value: string): string {
    return `${value.slice(0, 4)}...${value.slice(-4)}`;
}

/** Generates a new key value with its hash and hint. */
export function generateApiKey(): GeneratedApiKey {
    const value = randomBytes(API_KEY_BYTES).toString("base64");
    return { value, hash: hashApiKey(value), hint: apiKeyHint(value) };
}

/** A new application or key id: UUID v4. */
export function newUuid(): string {
    return randomUUID();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Whether `id` is a lowercase UUID (the only shape of application and key ids). */
export function isWellFormedId(id: string | undefined): id is string {
    return id !== undefined && UUID.test(id);
}
