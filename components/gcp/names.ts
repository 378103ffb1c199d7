/**
 * Physical names of Google Cloud resources. Google Cloud names are lowercase (buckets, service
 * accounts, functions), short (a service account id is 6-30 characters) and, for BigQuery and
 * custom roles, without hyphens. A workload name too long for a limit is cut and made unique again
 * with a short hash of the full name, so two long workload names never collide.
 */
import { createHash } from "node:crypto";

/** Length limits of the names this package sets on Google Cloud. */
export const GCP_NAME_LIMITS = {
    /** Service account id (the part before `@`): 6-30 characters. */
    serviceAccountId: 30,
    /** Cloud Functions (2nd gen) name, also the Cloud Run service name. */
    function: 63,
    topic: 255,
    subscription: 255,
    /** A bucket name of 3-63 characters without dots. */
    bucket: 63,
    keyRing: 63,
    cryptoKey: 63,
    logBucket: 100,
    /** Custom role id: letters, digits, underscores and periods, 3-64 characters. */
    customRole: 64,
    alertPolicy: 100,
    schedulerJob: 500,
} as const;

function hashOf(value: string): string {
    return createHash("sha256").update(value).digest("hex").slice(0, 8);
}

/**
 * `${workload}-${suffix}`, lowercased, with every character outside `[a-z0-9-]` turned into `-`,
 * at most `maxLength` characters.
 *
 * @example gcpName("Game1", "events", 63) // "game1-events"
 */
export function gcpName(workloadName: string, suffix: string, maxLength: number): string {
    const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]/g, "-");
    const workload = clean(workloadName);
    const full = `${workload}-${clean(suffix)}`;
    if (full.length <= maxLength) return full;
    const hash = hashOf(workloadName);
    const room = maxLength - suffix.length - hash.length - 2;
    if (room < 1) throw new Error(`name suffix "${suffix}" is too long for a limit of ${maxLength} characters`);
    return `${workload.slice(0, room).replace(/-+$/, "")}-${hash}-${clean(suffix)}`;
}

/**
 * A name with underscores instead of hyphens (custom roles, BigQuery ids), starting with a letter.
 *
 * @example gcpUnderscoreName("Game-1", "admin", 64) // "game_1_admin"
 */
export function gcpUnderscoreName(workloadName: string, suffix: string, maxLength: number): string {
    const name = gcpName(workloadName, suffix, maxLength).replace(/-/g, "_");
    return /^[a-z]/.test(name) ? name : `w${name.slice(0, maxLength - 1)}`;
}

/**
 * A bucket name unique across Google Cloud: `${workload}-${suffix}-${8 hex of the project id}`.
 *
 * @example uniqueBucketName("mygame", "lake", projectId) // "mygame-lake-1a2b3c4d"
 */
export function uniqueBucketName(workloadName: string, suffix: string, projectId: string): string {
    return gcpName(workloadName, `${suffix}-${hashOf(projectId)}`, GCP_NAME_LIMITS.bucket);
}
