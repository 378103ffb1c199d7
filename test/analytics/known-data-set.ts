/**
 * The known data set of the sample-query tests and the exact rows every rendering of the 11 queries
 * must return over it, windows included: the Athena named queries over the lake
 * (named-queries.test.ts, query-definitions.test.ts) and the local warehouse (test/local/warehouse.test.ts).
 * Timestamps are relative to the current month (UTC), so every window holds the same events
 * whenever the tests run; some events lie outside the windows (two months and thirteen months ago).
 */
import type { PlainValue } from "../../analytics/query-results";
import type { FixtureEvent } from "./lake-fixture";

export const APP_A = "aaaaaaaa-0000-4000-8000-000000000001";
export const APP_B = "bbbbbbbb-0000-4000-8000-000000000002";

/** Epoch seconds of day `day` at 12:00 UTC, `monthsAgo` calendar months before the current one. */
export function secondsInMonth(monthsAgo: number, day: number, hour = 12): number {
    const now = new Date();
    return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, day, hour) / 1000;
}

export const thisMonth = secondsInMonth(0, 1);
export const lastMonth = secondsInMonth(1, 15);
export const lastMonthDay16 = secondsInMonth(1, 16);
export const twoMonthsAgo = secondsInMonth(2, 10);
export const thirteenMonthsAgo = secondsInMonth(13, 5);

/** The events, and two of them delivered a second time (same event_id). */
export function knownDataSet(): { events: FixtureEvent[]; redelivered: FixtureEvent[] } {
    let counter = 0;
    const ev = (applicationId: string, eventType: string, timestamp: number, eventData?: Record<string, unknown>): FixtureEvent => {
        counter += 1;
        return { eventId: `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`, applicationId, eventType, timestamp, eventData };
    };
    const events: FixtureEvent[] = [
        // Levels, app A: started L1 x3 (one two months ago, outside the level queries' window), L2 x2;
        // completed L1 x2; failed L1 x1, L2 x2.
        ev(APP_A, "level_started", twoMonthsAgo, { level_id: "L1", level_version: "1" }),
        ev(APP_A, "level_started", lastMonth, { level_id: "L1", level_version: "1" }),
        ev(APP_A, "level_started", thisMonth, { level_id: "L1", level_version: "1" }),
        ev(APP_A, "level_started", lastMonth, { level_id: "L2", level_version: "1" }),
        ev(APP_A, "level_started", thisMonth, { level_id: "L2", level_version: "1" }),
        ev(APP_A, "level_completed", lastMonth, { level_id: "L1", level_version: "1" }),
        ev(APP_A, "level_completed", thisMonth, { level_id: "L1", level_version: "1" }),
        ev(APP_A, "level_failed", lastMonth, { level_id: "L1", level_version: "1" }),
        ev(APP_A, "level_failed", lastMonth, { level_id: "L2", level_version: "1" }),
        ev(APP_A, "level_failed", thisMonth, { level_id: "L2", level_version: "1" }),
        // IAP, app A: last month transactions t1 (twice) and t2 -> 2; t3 two months ago and t4 this month excluded.
        ev(APP_A, "iap_transaction", lastMonth, { transaction_id: "t1", item_id: "sword" }),
        ev(APP_A, "iap_transaction", lastMonthDay16, { transaction_id: "t1", item_id: "sword" }),
        ev(APP_A, "iap_transaction", lastMonth, { transaction_id: "t2", item_id: "shield" }),
        ev(APP_A, "iap_transaction", twoMonthsAgo, { transaction_id: "t3", item_id: "shield" }),
        ev(APP_A, "iap_transaction", thisMonth, { transaction_id: "t4", item_id: "shield" }),
        // Registrations, app A: 2 last month, 1 this month.
        ev(APP_A, "user_registration", lastMonth, { country_id: "FR", platform: "pc" }),
        ev(APP_A, "user_registration", lastMonthDay16, { country_id: "US", platform: "ps5" }),
        ev(APP_A, "user_registration", thisMonth, { country_id: "JP", platform: "switch" }),
        // Sentiment, app A: last month day 15: 4 and 5 -> 4.5; day 16: 3 -> 3.
        ev(APP_A, "user_sentiment", lastMonth, { user_rating: 4 }),
        ev(APP_A, "user_sentiment", lastMonth + 60, { user_rating: 5 }),
        ev(APP_A, "user_sentiment", lastMonthDay16, { user_rating: 3 }),
        // Reports, app A: cheating x2, spam x1.
        ev(APP_A, "user_report", lastMonth, { report_id: "r1", report_reason: "cheating" }),
        ev(APP_A, "user_report", thisMonth, { report_id: "r2", report_reason: "cheating" }),
        ev(APP_A, "user_report", thisMonth, { report_id: "r3", report_reason: "spam" }),
        // App B: one of a few kinds.
        ev(APP_B, "iap_transaction", lastMonth, { transaction_id: "b1", item_id: "gem" }),
        ev(APP_B, "user_registration", lastMonth, { country_id: "DE", platform: "ios" }),
        ev(APP_B, "level_started", thisMonth, { level_id: "L1", level_version: "1" }),
        ev(APP_B, "level_completed", thisMonth + 30, { level_id: "L1", level_version: "1" }),
        ev(APP_B, "login", thisMonth + 3600, { platform: "ios", last_login_time: thisMonth }),
        // Outside every window (thirteen months ago): counted by no query.
        ev(APP_A, "level_started", thirteenMonthsAgo, { level_id: "L9", level_version: "1" }),
        ev(APP_A, "user_report", thirteenMonthsAgo, { report_id: "r9", report_reason: "spam" }),
    ];
    return { events, redelivered: [events[1], events[10]] };
}

/** "YYYY-MM-DD" (UTC) of epoch seconds. */
export function utcDay(seconds: number): string {
    return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** "YYYY-MM-DD hh:mm:ss" (UTC) of epoch seconds, as the query tools print timestamps. */
export function utcTimestamp(seconds: number): string {
    return new Date(seconds * 1000).toISOString().replace("T", " ").replace(".000Z", "");
}

/** Epoch seconds of the first day of the previous calendar month (UTC): where LatestEvents' window starts. */
export function previousMonthStart(): number {
    return secondsInMonth(1, 1, 0);
}

/** The 10 newest events of the current and previous months, newest first (ties by event id): what LatestEvents lists. */
export function latestEventIds(events: readonly FixtureEvent[]): string[] {
    return events.filter((e) => e.timestamp >= previousMonthStart()).sort((a, b) => b.timestamp - a.timestamp || a.eventId.localeCompare(b.eventId)).slice(0, 10).map((e) => e.eventId);
}

/**
 * Exact rows of every query except LatestEvents (checked by `latestEventIds` and its time column),
 * over each query's window: the current and previous months for the level, sentiment and report
 * queries, twelve months for TotalEvents, one month for the Month / LastMonth queries.
 * LevelCompletionRate is completions / plays.
 */
export function expectedRows(): Record<string, Record<string, PlainValue>[]> {
    const now = new Date();
    const year = String(now.getUTCFullYear());
    const month = String(now.getUTCMonth() + 1).padStart(2, "0");
    return {
        TotalEvents: [
            { application_id: APP_A, event_count: 24 },
            { application_id: APP_B, event_count: 5 },
        ],
        TotalEventsMonth: [
            { application_id: APP_A, year, month, event_count: 8 },
            { application_id: APP_B, year, month, event_count: 3 },
        ],
        TotalIapTransactionsLastMonth: [
            { application_id: APP_A, transaction_count: 2 },
            { application_id: APP_B, transaction_count: 1 },
        ],
        NewUsersLastMonth: [
            { application_id: APP_A, new_user_count: 2 },
            { application_id: APP_B, new_user_count: 1 },
        ],
        TotalPlaysByLevel: [
            { application_id: APP_A, level_id: "L1", play_count: 2 },
            { application_id: APP_A, level_id: "L2", play_count: 2 },
            { application_id: APP_B, level_id: "L1", play_count: 1 },
        ],
        TotalFailuresByLevel: [
            { application_id: APP_A, level_id: "L1", failure_count: 1 },
            { application_id: APP_A, level_id: "L2", failure_count: 2 },
        ],
        TotalCompletionsByLevel: [
            { application_id: APP_A, level_id: "L1", completion_count: 2 },
            { application_id: APP_B, level_id: "L1", completion_count: 1 },
        ],
        LevelCompletionRate: [
            { application_id: APP_A, level_id: "L1", play_count: 2, completion_count: 2, completion_rate: 1 },
            { application_id: APP_A, level_id: "L2", play_count: 2, completion_count: 0, completion_rate: 0 },
            { application_id: APP_B, level_id: "L1", play_count: 1, completion_count: 1, completion_rate: 1 },
        ],
        AverageUserSentimentPerDay: [
            { application_id: APP_A, event_day: utcDay(lastMonth), average_user_rating: 4.5, rating_count: 2 },
            { application_id: APP_A, event_day: utcDay(lastMonthDay16), average_user_rating: 3, rating_count: 1 },
        ],
        UserReportedReasonsCount: [
            { application_id: APP_A, report_reason: "cheating", report_count: 2 },
            { application_id: APP_A, report_reason: "spam", report_count: 1 },
        ],
    };
}
