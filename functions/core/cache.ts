/**
 * A small time-to-live cache with a bound on entries, for the authorizer's decisions and the
 * transform's application lookups. Time is passed in (epoch ms), so callers inject their clock.
 */

/** A cached entry; `value` may itself be `undefined` (cached "not found"). */
export interface CacheHit<V> {
    readonly value: V;
}

interface Entry<V> extends CacheHit<V> {
    readonly expiresAt: number;
}

/** TTL cache; when full, the oldest inserted entry is evicted. A TTL of 0 disables caching. */
export class TtlCache<K, V> {
    private readonly entries = new Map<K, Entry<V>>();

    /**
     * @param ttlMs how long an entry lives, milliseconds (0 = never cache)
     * @param maxEntries most entries kept; default 10,000
     */
    constructor(
        readonly ttlMs: number,
        readonly maxEntries = 10_000,
    ) {
        if (!(ttlMs >= 0)) throw new RangeError(`ttlMs: must be >= 0 (got ${ttlMs})`);
        if (!(maxEntries >= 1)) throw new RangeError(`maxEntries: must be >= 1 (got ${maxEntries})`);
    }

    /** The live entry for `key` at time `now`, or undefined when absent or expired. */
    get(key: K, now: number): CacheHit<V> | undefined {
        const entry = this.entries.get(key);
        if (entry === undefined) return undefined;
        if (entry.expiresAt <= now) {
            this.entries.delete(key);
            return undefined;
        }
        return entry;
    }

    /** Stores `value` for `key` until `now + ttlMs`. */
    set(key: K, value: V, now: number): void {
        if (this.ttlMs === 0) return;
        this.entries.delete(key);
        if (this.entries.size >= this.maxEntries) {
            const oldest = this.entries.keys().next();
            if (!oldest.done) this.entries.delete(oldest.value);
        }
        this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    }

    /** Number of entries held (expired ones included until touched). */
    get size(): number {
        return this.entries.size;
    }
}
