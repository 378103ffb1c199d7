/**
 * A TTL cache in front of an {@link ApplicationAuthModes} lookup (the authorizer's one store read
 * per uncached decision). Unregistered applications are cached too; lookup errors are not.
 */
import { TtlCache } from "../cache";
import type { Clock } from "../ports";
import type { ApplicationAuthModes, AuthMode } from "./player-authorizer";

export class CachedApplicationAuthModes implements ApplicationAuthModes {
    private readonly cache: TtlCache<string, readonly AuthMode[] | undefined>;

    /**
     * @param inner the store lookup
     * @param clock time of the cache
     * @param ttlMs lifetime of an answer, milliseconds (0 disables); a change of AuthModes takes effect within it
     * @param maxEntries most applications kept; default 10,000
     */
    constructor(
        private readonly inner: ApplicationAuthModes,
        private readonly clock: Clock,
        ttlMs: number,
        maxEntries?: number,
    ) {
        this.cache = new TtlCache(ttlMs, maxEntries);
    }

    async authModesOf(applicationId: string): Promise<readonly AuthMode[] | undefined> {
        const hit = this.cache.get(applicationId, this.clock.now());
        if (hit !== undefined) return hit.value;
        const modes = await this.inner.authModesOf(applicationId);
        this.cache.set(applicationId, modes, this.clock.now());
        return modes;
    }
}
