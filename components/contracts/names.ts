/**
 * Physical names: every name starts with the workload name and fits a length limit. A workload
 * name too long for a limit is shortened and made unique again with a short hash of the full
 * name, so two long workload names never collide. The limits are each cloud's own
 * (components/aws/names.ts NAME_LIMITS).
 */
import { createHash } from "node:crypto";

/**
 * `${workloadName}-${suffix}`, at most `maxLength` characters.
 *
 * @example physicalName("Game1", "events", 64) // "Game1-events"
 */
export function physicalName(workloadName: string, suffix: string, maxLength: number, lowercase = false): string {
    const full = `${workloadName}-${suffix}`;
    const cased = (s: string): string => (lowercase ? s.toLowerCase() : s);
    if (full.length <= maxLength) return cased(full);
    const hash = createHash("sha256").update(workloadName).digest("hex").slice(0, 8);
    const room = maxLength - suffix.length - hash.length - 2;
    if (room < 1) {
        throw new Error(`name suffix "${suffix}" is too long for a limit of ${maxLength} characters`);
    }
    return cased(`${workloadName.slice(0, room)}-${hash}-${suffix}`);
}
