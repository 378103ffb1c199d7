/**
 * Realistic synthetic game events (REFERENCE section 3): every event type of the guidance's
 * generator, weighted like a live game (many logins and level events, few purchases and reports),
 * with sensible event_data. Seedable, so tests and benchmarks get the same events every run.
 * Optionally mixes in invalid events (each breaking one rule of the event schema).
 */

/** A game event as a client sends it. */
export interface SyntheticEvent {
    event_id: string;
    event_type: string;
    event_name: string;
    event_timestamp: number;
    event_version: string;
    app_version: string;
    event_data: Record<string, unknown>;
}

/** One generated element of an `events` array, and whether the API should accept it. */
export interface GeneratedEvent {
    event: Record<string, unknown>;
    valid: boolean;
}

export interface SyntheticEventOptions {
    /** Seed of the pseudo-random generator. @default a random seed */
    seed?: number;
    /** Share of invalid events, 0-1. @default 0 */
    invalidRatio?: number;
    /** Epoch seconds of "now"; events are spread over the minute before it. @default the clock */
    now?: () => number;
    /** Events are timestamped up to this many seconds before now. @default 60 */
    spreadSeconds?: number;
}

const APP_VERSIONS = ["1.0.0", "1.1.0", "1.2.0"];
const PLATFORMS = ["pc", "ps5", "xbox", "switch", "ios", "android"];
const COUNTRIES = ["US", "FR", "DE", "JP", "BR", "KR", "GB", "CA", "IN", "MX"];
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "sa-east-1"];
const SCREENS = ["main_menu", "shop", "inventory", "match_lobby", "settings", "leaderboard"];
const MAPS = ["frozen_peaks", "desert_ruins", "sunken_city", "volcano_core"];
const SPELLS = ["fireball", "ice_lance", "lightning", "heal", "shadow_step"];
const MATCH_TYPES = ["ranked", "casual", "tournament", "co-op"];
const ITEMS = ["sword_01", "shield_02", "potion_hp", "skin_dragon", "emote_wave", "gem_pack_100"];
const CURRENCIES = ["USD", "EUR", "JPY", "BRL", "gems"];
const RARITIES = ["common", "rare", "epic", "legendary"];
const REPORT_REASONS = ["cheating", "harassment", "spam", "griefing", "inappropriate_name"];
const RESULTS = ["win", "loss", "draw"];
const LEVELS = Array.from({ length: 10 }, (_, i) => `level_${String(i + 1).padStart(2, "0")}`);

/** A small, fast, seedable PRNG (mulberry32). */
export class Random {
    private state: number;

    constructor(seed: number) {
        this.state = seed >>> 0;
    }

    /** Uniform in [0, 1). */
    next(): number {
        this.state = (this.state + 0x6d2b79f5) >>> 0;
        let t = this.state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }

    int(min: number, max: number): number {
        return min + Math.floor(this.next() * (max - min + 1));
    }

    pick<T>(items: readonly T[]): T {
        return items[Math.floor(this.next() * items.length)];
    }

    /** A lowercase UUID v4. */
    uuid(): string {
        const hex: string[] = [];
        for (let i = 0; i < 32; i++) hex.push(Math.floor(this.next() * 16).toString(16));
        hex[12] = "4";
        hex[16] = "89ab"[Math.floor(this.next() * 4)];
        const s = hex.join("");
        return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    }
}

type DataMaker = (r: Random, now: number) => Record<string, unknown>;

/** Event types, their weight (relative frequency) and event_data. */
export const EVENT_TYPES: ReadonlyArray<{ type: string; weight: number; data: DataMaker }> = [
    { type: "login", weight: 10, data: (r, now) => ({ platform: r.pick(PLATFORMS), last_login_time: now - r.int(3600, 7 * 86400) }) },
    { type: "logout", weight: 6, data: (r) => ({ last_screen_seen: r.pick(SCREENS) }) },
    { type: "client_latency", weight: 8, data: (r) => ({ latency: r.int(8, 250), connected_server_id: `srv-${r.int(1, 40)}`, region: r.pick(REGIONS) }) },
    { type: "user_registration", weight: 3, data: (r) => ({ country_id: r.pick(COUNTRIES), platform: r.pick(PLATFORMS) }) },
    { type: "user_knockout", weight: 8, data: (r) => ({ match_id: r.uuid(), map_id: r.pick(MAPS), spell_id: r.pick(SPELLS), exp_gained: r.int(10, 200) }) },
    { type: "item_viewed", weight: 8, data: (r) => ({ item_id: r.pick(ITEMS), item_version: r.int(1, 3) }) },
    { type: "iap_transaction", weight: 3, data: (r) => ({
        item_id: r.pick(ITEMS), item_version: r.int(1, 3), item_amount: r.int(1, 5), currency_type: r.pick(CURRENCIES),
        country_id: r.pick(COUNTRIES), currency_amount: Math.round(r.next() * 5000) / 100, transaction_id: r.uuid(),
    }) },
    { type: "tutorial_progression", weight: 5, data: (r) => ({ tutorial_screen_id: `tutorial_${r.int(1, 8)}`, tutorial_screen_version: r.int(1, 2) }) },
    { type: "user_rank_up", weight: 2, data: (r) => ({ user_rank_reached: r.int(2, 50) }) },
    { type: "matchmaking_start", weight: 6, data: (r) => ({ match_id: r.uuid(), match_type: r.pick(MATCH_TYPES) }) },
    { type: "matchmaking_complete", weight: 5, data: (r) => ({ match_id: r.uuid(), match_type: r.pick(MATCH_TYPES), matched_slots: r.int(2, 10) }) },
    { type: "matchmaking_failed", weight: 1, data: (r) => ({
        match_id: r.uuid(), match_type: r.pick(MATCH_TYPES), matched_slots: r.int(0, 9), matching_failed_msg: r.pick(["timeout", "region_unavailable", "party_mismatch"]),
    }) },
    { type: "match_start", weight: 5, data: (r) => ({ match_id: r.uuid(), map_id: r.pick(MAPS) }) },
    { type: "match_end", weight: 5, data: (r) => ({
        match_id: r.uuid(), map_id: r.pick(MAPS), match_result_type: r.pick(RESULTS), exp_gained: r.int(50, 1000), most_used_spell: r.pick(SPELLS),
    }) },
    { type: "level_started", weight: 8, data: (r) => ({ level_id: r.pick(LEVELS), level_version: r.int(1, 2) }) },
    { type: "level_completed", weight: 5, data: (r) => ({ level_id: r.pick(LEVELS), level_version: r.int(1, 2) }) },
    { type: "level_failed", weight: 3, data: (r) => ({ level_id: r.pick(LEVELS), level_version: r.int(1, 2) }) },
    { type: "lootbox_opened", weight: 3, data: (r) => ({
        lootbox_id: r.uuid(), lootbox_cost: r.int(1, 10) * 100, item_rarity: r.pick(RARITIES), item_id: r.pick(ITEMS), item_version: r.int(1, 3), item_cost: r.int(1, 50) * 10,
    }) },
    { type: "user_report", weight: 1, data: (r) => ({ report_id: r.uuid(), report_reason: r.pick(REPORT_REASONS) }) },
    { type: "user_sentiment", weight: 2, data: (r) => ({ user_rating: r.int(1, 5) }) },
];

const TOTAL_WEIGHT = EVENT_TYPES.reduce((sum, t) => sum + t.weight, 0);

/** Ways to break the event schema, one rule each. */
const BREAKERS: ReadonlyArray<(event: Record<string, unknown>) => void> = [
    (e) => { delete e.event_id; },
    (e) => { e.event_id = "not-a-uuid"; },
    (e) => { e.event_type = "level started!"; },
    (e) => { e.event_timestamp = "yesterday"; },
    (e) => { e.unexpected_field = true; },
    (e) => { e.event_data = "not an object"; },
];

export class SyntheticEventGenerator {
    private readonly random: Random;
    private readonly invalidRatio: number;
    private readonly now: () => number;
    private readonly spreadSeconds: number;

    constructor(options: SyntheticEventOptions = {}) {
        this.random = new Random(options.seed ?? Math.floor(Math.random() * 2 ** 32));
        this.invalidRatio = options.invalidRatio ?? 0;
        if (!(this.invalidRatio >= 0 && this.invalidRatio <= 1)) throw new RangeError("invalidRatio: must be from 0 to 1");
        this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
        this.spreadSeconds = options.spreadSeconds ?? 60;
    }

    /** One valid event of a weighted random type. */
    validEvent(): SyntheticEvent {
        const r = this.random;
        let pick = r.next() * TOTAL_WEIGHT;
        let kind = EVENT_TYPES[EVENT_TYPES.length - 1];
        for (const t of EVENT_TYPES) {
            pick -= t.weight;
            if (pick < 0) {
                kind = t;
                break;
            }
        }
        const now = this.now();
        return {
            event_id: r.uuid(),
            event_type: kind.type,
            event_name: kind.type,
            event_timestamp: now - r.int(0, this.spreadSeconds),
            event_version: "1.0.0",
            app_version: r.pick(APP_VERSIONS),
            event_data: kind.data(r, now),
        };
    }

    /** One event, invalid with probability `invalidRatio`. */
    next(): GeneratedEvent {
        const event = this.validEvent() as unknown as Record<string, unknown>;
        if (this.invalidRatio > 0 && this.random.next() < this.invalidRatio) {
            this.random.pick(BREAKERS)(event);
            return { event, valid: false };
        }
        return { event, valid: true };
    }

    /** `count` events. */
    batch(count: number): GeneratedEvent[] {
        return Array.from({ length: count }, () => this.next());
    }
}
