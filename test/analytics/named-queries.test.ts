import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NAMED_QUERIES, findNamedQuery } from "../../analytics/named-queries";
import { AthenaEmulation, openAthenaEmulation } from "../../analytics/duckdb-athena";
import { runQuery, PlainValue } from "../../analytics/query-results";
import { useKnownLake } from "./known-lake";
import { expectedRows, latestEventIds, utcTimestamp } from "./known-data-set";

const DATABASE = "game_events";
const TABLE = "raw_events";
const PREFIX = "raw_events";

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
    const lake = useKnownLake("gap-queries-");
    const { events } = lake;
    const expected = expectedRows();

    it("defines the eleven sample queries of the guidance, each with a description", function () {
        assert.deepEqual(NAMED_QUERIES.map((q) => q.name), [
            "LatestEvents", "TotalEvents", "TotalEventsMonth", "TotalIapTransactionsLastMonth", "NewUsersLastMonth",
            "TotalPlaysByLevel", "TotalFailuresByLevel", "TotalCompletionsByLevel", "LevelCompletionRate",
            "AverageUserSentimentPerDay", "UserReportedReasonsCount",
        ]);
        assert.ok(NAMED_QUERIES.every((q) => q.description.length > 20));
    });

    it("LatestEvents returns the 10 newest events, newest first, with their UTC time", async function () {
        const rows = await rowsOf(lake.db(), "LatestEvents");
        assert.deepEqual(rows.map((r) => r.event_id), latestEventIds(events));
        assert.equal(rows[0].event_time_utc, utcTimestamp(Math.max(...events.map((e) => e.timestamp))));
    });

    it("TotalEvents counts distinct events per application over twelve months, a redelivered row once", async function () {
        assert.deepEqual(await rowsOf(lake.db(), "TotalEvents"), expected.TotalEvents);
    });

    it("TotalEventsMonth counts only the current calendar month", async function () {
        assert.deepEqual(await rowsOf(lake.db(), "TotalEventsMonth"), expected.TotalEventsMonth);
    });

    it("TotalIapTransactionsLastMonth counts distinct transaction ids of the previous month only", async function () {
        assert.deepEqual(await rowsOf(lake.db(), "TotalIapTransactionsLastMonth"), expected.TotalIapTransactionsLastMonth);
    });

    it("NewUsersLastMonth counts user registrations of the previous month only", async function () {
        assert.deepEqual(await rowsOf(lake.db(), "NewUsersLastMonth"), expected.NewUsersLastMonth);
    });

    it("TotalPlaysByLevel counts level_started per level in the current and previous months", async function () {
        assert.deepEqual(await rowsOf(lake.db(), "TotalPlaysByLevel"), expected.TotalPlaysByLevel);
    });

    it("TotalFailuresByLevel counts level_failed per level", async function () {
        assert.deepEqual(await rowsOf(lake.db(), "TotalFailuresByLevel"), expected.TotalFailuresByLevel);
    });

    it("TotalCompletionsByLevel counts level_completed per level", async function () {
        assert.deepEqual(await rowsOf(lake.db(), "TotalCompletionsByLevel"), expected.TotalCompletionsByLevel);
    });

    it("LevelCompletionRate divides completions by plays per level", async function () {
        assert.deepEqual(await rowsOf(lake.db(), "LevelCompletionRate"), expected.LevelCompletionRate);
    });

    it("AverageUserSentimentPerDay averages user_rating per UTC day", async function () {
        assert.deepEqual(await rowsOf(lake.db(), "AverageUserSentimentPerDay"), expected.AverageUserSentimentPerDay);
    });

    it("UserReportedReasonsCount counts reports per reason, most frequent first", async function () {
        assert.deepEqual(await rowsOf(lake.db(), "UserReportedReasonsCount"), expected.UserReportedReasonsCount);
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
