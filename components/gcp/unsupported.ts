/**
 * Contract arguments a Google Cloud tier cannot honour are refused by name with the reason, never
 * silently ignored (the pipeline's settings validation refuses the matching settings earlier,
 * components/gcp/settings.ts; this guards a tier built alone).
 */

/**
 * Throws naming every argument of `rules` that `args` sets (false and undefined are unset).
 * @example refuseUnsupported("GcpStreamTier", { shardCount: 2 }, { shardCount: "Pub/Sub has no shards" })
 */
export function refuseUnsupported(tier: string, args: object, rules: Readonly<Record<string, string>>): void {
    const set = Object.entries(rules).filter(([key]) => {
        const v = (args as Record<string, unknown>)[key];
        return v !== undefined && v !== false;
    });
    if (set.length > 0) throw new Error(`${tier}: ${set.map(([key, rule]) => `${key} is not supported on gcp: ${rule}`).join("; ")}`);
}
