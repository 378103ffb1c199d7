import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NAMED_QUERIES, findNamedQuery } from "../../analytics/named-queries";
import { AthenaEmulation, openAthenaEmulation } from "../../analytics/duckdb-athena";
import { runQuery, PlainValue } from "../../analytics/query-results";
import { FixtureEvent, writeLake } from "./lake-fixture";

const DATABASE = "game_events";
const TABLE = "raw_events";
const PREFIX = "raw_events";
const APP_A = "aaaaaaaa-0000-4000-8000-000000000001";
const APP_B = "bbbbbbbb-0000-4000-8000-000000000002";

/** Epoch seconds of day `day` at 12:00 UTC, `monthsAgo` calendar months before the current one. */
function secondsInMonth(monthsAgo: number, day: number, hour = 12): number {
    const now = new Date();
    return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, day, hour) / 1000;
}

let counter = 0;
function ev(applicationId: string, eventType: string, timestamp: number, eventData?: Record<string, unknown>): FixtureEvent {
    counter += 1;
    const id = `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`;
    return { eventId: id, applicationId, eventType, timestamp, eventData };
}

const thisMonth = secondsInMonth(0, 1);
const lastMonth = secondsInMonth(1, 15);
const lastMonthDay16 = secondsInMonth(1, 16);
const twoMonthsAgo = secondsInMonth(2, 10);
const thirteenMonthsAgo = secondsInMonth(13, 5);

/** The known data set. Comments give what each query must count. */
function dataSet(): { events: FixtureEvent[]; redelivered: FixtureEvent[] } {
    counter = 0;
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
    // A redelivered copy of two rows (same event_id) in another file: each must count once.
    const redelivered = [events[1], events[10]];
    return { events, redelivered };
}

/**
 * Whether every WHERE clause of `sql` (the outer query's and each subquery's) compares a partition
 * column (`year`, first of year/month/day) with `=` or `>=`.
 */
function hasPartitionPredicate(sql: string): boolean {
    const clauses = [...sql.matchAll(/\bWHERE\b([\s\S]*?)(?=\bGROUP BY\b|\bORDER BY\b|\bLIMIT\b|\)\s*AS\b|$)/g)].map((m) => m[1]!);
    return clauses.length > 0 && clauses.every((clause) => /\byear\s*(=|>=)/.test(clause));
}

async function rowsOf(db: AthenaEmulation, name: string): Promise<Record<string, PlainValue>[]> {
    const query = findNamedQuery(name);
    assert.ok(query, `named query ${name} exists`);
    return (await runQuery(db.connection, query.sql(DATABASE, TABLE))).rows;
}

describe("named queries over a known data set (DuckDB with the Athena emulation)", function () {
    let dir: string;
    let db: AthenaEmulation;
    const { events, redelivered } = dataSet();

    before(async function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "gap-queries-"));
        await writeLake(dir, PREFIX, events, "part-0");
        await writeLake(dir, PREFIX, redelivered, "part-1");
        db = await openAthenaEmulation({ lakeDir: dir, rawEventsPrefix: PREFIX, database: DATABASE, table: TABLE });
    });

    after(function () {
        db?.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("defines the eleven sample queries of the guidance, each with a description", function () {
        assert.deepEqual(NAMED_QUERIES.map((q) => q.name), [
            "LatestEvents", "TotalEvents", "TotalEventsMonth", "TotalIapTransactionsLastMonth", "NewUsersLastMonth",
            "TotalPlaysByLevel", "TotalFailuresByLevel", "TotalCompletionsByLevel", "LevelCompletionRate",
            "AverageUserSentimentPerDay", "UserReportedReasonsCount",
        ]);
        assert.ok(NAMED_QUERIES.every((q) => q.description.length > 20));
    });

    it("LatestEvents returns the 10 newest events, newest first, with their UTC time", async function () {
        const rows = await rowsOf(db, "LatestEvents");
        const expected = [...events].sort((a, b) => b.timestamp - a.timestamp || a.eventId.localeCompare(b.eventId)).slice(0, 10);
        assert.deepEqual(rows.map((r) => r.event_id), expected.map((e) => e.eventId));
        assert.equal(rows[0].event_time_utc, new Date(expected[0].timestamp * 1000).toISOString().replace("T", " ").replace(".000Z", ""));
    });

    it("TotalEvents counts distinct events per application over twelve months, a redelivered row once", async function () {
        assert.deepEqual(await rowsOf(db, "TotalEvents"), [
            { application_id: APP_A, event_count: 24 },
            { application_id: APP_B, event_count: 5 },
        ]);
    });

    it("TotalEventsMonth counts only the current calendar month", async function () {
        const rows = await rowsOf(db, "TotalEventsMonth");
        const now = new Date();
        const year = String(now.getUTCFullYear());
        const month = String(now.getUTCMonth() + 1).padStart(2, "0");
        assert.deepEqual(rows, [
            { application_id: APP_A, year, month, event_count: 8 },
            { application_id: APP_B, year, month, event_count: 3 },
        ]);
    });

    it("TotalIapTransactionsLastMonth counts distinct transaction ids of the previous month only", async function () {
        assert.deepEqual(await rowsOf(db, "TotalIapTransactionsLastMonth"), [
            { application_id: APP_A, transaction_count: 2 },
            { application_id: APP_B, transaction_count: 1 },
        ]);
    });

    it("NewUsersLastMonth counts user registrations of the previous month only", async function () {
        assert.deepEqual(await rowsOf(db, "NewUsersLastMonth"), [
            { application_id: APP_A, new_user_count: 2 },
            { application_id: APP_B, new_user_count: 1 },
        ]);
    });

    it("TotalPlaysByLevel counts level_started per level in the current and previous months", async function () {
        assert.deepEqual(await rowsOf(db, "TotalPlaysByLevel"), [
            { application_id: APP_A, level_id: "L1", play_count: 2 },
            { application_id: APP_A, level_id: "L2", play_count: 2 },
            { application_id: APP_B, level_id: "L1", play_count: 1 },
        ]);
    });

    it("TotalFailuresByLevel counts level_failed per level", async function () {
        assert.deepEqual(await rowsOf(db, "TotalFailuresByLevel"), [
            { application_id: APP_A, level_id: "L1", failure_count: 1 },
            { application_id: APP_A, level_id: "L2", failure_count: 2 },
        ]);
    });

    it("TotalCompletionsByLevel counts level_completed per level", async function () {
        assert.deepEqual(await rowsOf(db, "TotalCompletionsByLevel"), [
            { application_id: APP_A, level_id: "L1", completion_count: 2 },
            { application_id: APP_B, level_id: "L1", completion_count: 1 },
        ]);
    });

    it("LevelCompletionRate divides completions by plays per level", async function () {
        assert.deepEqual(await rowsOf(db, "LevelCompletionRate"), [
            { application_id: APP_A, level_id: "L1", play_count: 2, completion_count: 2, completion_rate: 1 },
            { application_id: APP_A, level_id: "L2", play_count: 2, completion_count: 0, completion_rate: 0 },
            { application_id: APP_B, level_id: "L1", play_count: 1, completion_count: 1, completion_rate: 1 },
        ]);
    });

    it("AverageUserSentimentPerDay averages user_rating per UTC day", async function () {
        const day = (s: number): string => new Date(s * 1000).toISOString().slice(0, 10);
        assert.deepEqual(await rowsOf(db, "AverageUserSentimentPerDay"), [
            { application_id: APP_A, event_day: day(lastMonth), average_user_rating: 4.5, rating_count: 2 },
            { application_id: APP_A, event_day: day(lastMonthDay16), average_user_rating: 3, rating_count: 1 },
        ]);
    });

    it("UserReportedReasonsCount counts reports per reason, most frequent first", async function () {
        assert.deepEqual(await rowsOf(db, "UserReportedReasonsCount"), [
            { application_id: APP_A, report_reason: "cheating", report_count: 2 },
            { application_id: APP_A, report_reason: "spam", report_count: 1 },
        ]);
    });

    it("every named query runs on an empty lake and returns no rows", async function () {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "gap-empty-"));
        const emptyDb = await openAthenaEmulation({ lakeDir: empty, rawEventsPrefix: PREFIX, database: DATABASE, table: TABLE });
        try {
            assert.equal(emptyDb.parquetFileCount, 0);
            for (const q of NAMED_QUERIES) {
                assert.deepEqual((await runQuery(emptyDb.connection, q.sql(DATABASE, TABLE))).rows, [], q.name);
            }
        } finally {
            emptyDb.close();
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });

    it("every named query has a predicate on the partition columns in its WHERE clause", function () {
        const missing = NAMED_QUERIES.filter((q) => !hasPartitionPredicate(q.sql(DATABASE, TABLE))).map((q) => q.name);
        assert.deepEqual(missing, [], "queries Athena would answer by listing every projected partition");
        // The check itself: a query without one fails it.
        assert.equal(hasPartitionPredicate(`SELECT count(*) FROM t WHERE event_type = 'x' GROUP BY 1`), false);
        assert.equal(hasPartitionPredicate(`SELECT year FROM t ORDER BY year`), false);
    });

    it("the month queries prune partitions with year/month predicates", function () {
        for (const name of ["TotalEventsMonth", "TotalIapTransactionsLastMonth", "NewUsersLastMonth"]) {
            const sql = findNamedQuery(name)!.sql(DATABASE, TABLE);
            assert.match(sql, /WHERE year = cast\(year\(.+\) AS varchar\)\s+AND month = lpad/, name);
        }
    });
});
