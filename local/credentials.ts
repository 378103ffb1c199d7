/**
 * The local mode's default application and API key, kept in `.gap/<stack>/credentials.json`
 * (mode 0600) so every start, `send-events` and the docs' curl line can use them.
 */
import * as fs from "node:fs";
import { writeFileDurably } from "./durable-files";

export interface LocalCredentials {
    applicationId: string;
    applicationName: string;
    apiKeyId: string;
    /** The API key value: shown once by the API, kept here for local convenience only. */
    apiKeyValue: string;
    /** Base URL of the API (with the stage) at the last start. */
    endpoint: string;
}

export function readCredentials(file: string): LocalCredentials | undefined {
    if (!fs.existsSync(file)) return undefined;
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LocalCredentials>;
    for (const field of ["applicationId", "apiKeyId", "apiKeyValue"] as const) {
        if (typeof parsed[field] !== "string" || parsed[field] === "") {
            throw new Error(`${file}: field ${field} is missing; delete the file to create a new default application`);
        }
    }
    return parsed as LocalCredentials;
}

/** Writes the credentials readable by the owner only. */
export function writeCredentials(file: string, credentials: LocalCredentials): void {
    writeFileDurably(file, JSON.stringify(credentials, null, 2) + "\n", 0o600);
}
