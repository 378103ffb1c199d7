/**
 * A TTL cache in front of an {@link ApplicationAuthModes} lookup (the authorizer's one store read
 * per uncached decision). Unregistered applications are cached too; lookup errors are not.
 */
import { TtlCache } from "../cache";
import type { ApplicationRegistry, Clock } from "../ports";
import { type ApplicationAuthModes, type AuthMode, DEFAULT_AUTH_MODES, validateAuthModes } from "./player-authorizer";

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

/**
 * The AuthModes of an {@link ApplicationRegistry}'s applications (the local mode; an application
 * stored without AuthModes accepts API keys only).
 */
export class RegistryAuthModes implements ApplicationAuthModes {
    constructor(private readonly registry: ApplicationRegistry) {}

    async authModesOf(applicationId: string): Promise<readonly AuthMode[] | undefined> {
        const app = await this.registry.getApplication(applicationId);
        if (app === undefined) return undefined;
        const modes = validateAuthModes(app.AuthModes);
        return modes.ok ? modes.modes : DEFAULT_AUTH_MODES;
    }
}
