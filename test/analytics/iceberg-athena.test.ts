/**
 * The Athena side of the Iceberg table, run for real in DuckDB (the Athena emulation): a table
 * shaped like the Iceberg one (event_timestamp a timestamptz, no year/month/day), the compatibility
 * view over it, and every named query, Hive text and Iceberg text, against the Hive lake's answers.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compatibilityViewSql, EVENT_TIME_COLUMN, icebergCtasSql, icebergQuerySql, ICEBERG_TABLE_SUFFIX, viewColumns } from "../../analytics/iceberg-athena";
import { AthenaEmulation, openAthenaEmulation } from "../../analytics/duckdb-athena";
import { NAMED_QUERIES, qualifiedTable } from "../../analytics/named-queries";
import { athenaPartitionPredicate } from "../../analytics/query-definitions/athena";
import { runQuery } from "../../analytics/query-results";
import { EVENT_COLUMNS } from "../../functions/core/contracts";
import { knownDataSet } from "./known-data-set";
import { writeLake } from "./lake-fixture";

const HIVE_DB = "hive_events";
const ICE_DB = "ice_events";
const TABLE = "raw_events";

describe("Athena over the Iceberg events table (DuckDB emulation)", function () {
    let dir: string;
    let db: AthenaEmulation;

    before(async function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "gap-iceberg-athena-"));
        const { events, redelivered } = knownDataSet();
        await writeLake(dir, "raw_events", events, "part-0");
        await writeLake(dir, "raw_events", redelivered, "part-1");
        db = await openAthenaEmulation({ lakeDir: dir, rawEventsPrefix: "raw_events", database: HIVE_DB, table: TABLE });
        // The Iceberg table's shape: the stored columns, event_timestamp a timestamptz (microseconds).
        const columns = EVENT_COLUMNS.map((c) => c.name === "event_timestamp"
            ? "make_timestamptz(event_timestamp * 1000000) AS event_timestamp" : c.name);
        await db.connection.run(`CREATE SCHEMA ${ICE_DB}`);
        await db.connection.run(`CREATE TABLE ${qualifiedTable(ICE_DB, TABLE + ICEBERG_TABLE_SUFFIX)} AS SELECT ${columns.join(", ")} FROM ${qualifiedTable(HIVE_DB, TABLE)}`);
        await db.connection.run(`CREATE VIEW ${qualifiedTable(ICE_DB, TABLE)} AS ${compatibilityViewSql(ICE_DB, TABLE + ICEBERG_TABLE_SUFFIX)}`);
    });

    after(function () {
        db?.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("exposes the Hive table's columns with the same values (epoch seconds, year/month/day strings), plus event_time", async function () {
        const hive = (await runQuery(db.connection, `SELECT * FROM ${qualifiedTable(HIVE_DB, TABLE)} ORDER BY event_id, metadata`)).rows;
        const view = (await runQuery(db.connection, `SELECT * FROM ${qualifiedTable(ICE_DB, TABLE)} ORDER BY event_id, metadata`)).rows;
        assert.ok(hive.length > 20);
        assert.deepEqual(view.map((r) => { const { [EVENT_TIME_COLUMN]: _time, ...rest } = r; return rest; }), hive);
        assert.deepEqual(Object.keys(view[0]!), viewColumns().map((c) => c.name));
    });

    for (const query of NAMED_QUERIES) {
        it(`${query.name}: the Hive text and its Iceberg variant give the Hive lake's answer`, async function () {
            const expected = (await runQuery(db.connection, query.sql(HIVE_DB, TABLE))).rows;
            const hiveTextOnView = (await runQuery(db.connection, query.sql(ICE_DB, TABLE))).rows;
            const icebergText = icebergQuerySql(query.sql(ICE_DB, TABLE));
            assert.notEqual(icebergText, query.sql(ICE_DB, TABLE), "the window predicates were rewritten");
            assert.match(icebergText, new RegExp(`${EVENT_TIME_COLUMN} >=`));
            const iceberg = (await runQuery(db.connection, icebergText)).rows;
            assert.deepEqual(hiveTextOnView, expected);
            assert.deepEqual(iceberg, expected);
        });
    }

    it("rewrites the query definitions' windows too (calendar month, last n days)", async function () {
        for (const window of [{ kind: "calendarMonth", monthsAgo: 1 }, { kind: "lastDays", days: 40 }] as const) {
            const hive = `SELECT count(DISTINCT event_id) AS n FROM ${qualifiedTable(ICE_DB, TABLE)} WHERE ${athenaPartitionPredicate(window)}`;
            const expected = (await runQuery(db.connection, hive.replace(ICE_DB, HIVE_DB))).rows;
            assert.deepEqual((await runQuery(db.connection, icebergQuerySql(hive))).rows, expected);
        }
    });

    it("refuses a query that would still filter on a Hive partition column (a full scan on Iceberg)", function () {
        assert.throws(() => icebergQuerySql(`SELECT 1 FROM t WHERE year = '2026'`), /still filters on the Hive partition column "year"/);
    });

    it("keeps the guidance's CTAS sample: an Iceberg table partitioned at creation, from the last 30 days", async function () {
        const sql = icebergCtasSql(ICE_DB, TABLE, "daily_summary", "s3://lake/iceberg/daily_summary/");
        assert.match(sql, /table_type = 'ICEBERG'/);
        assert.match(sql, /partitioning = ARRAY\['event_date'\]/);
        // The SELECT runs on the view (DuckDB has no CTAS WITH clause, so only the query part is run).
        const select = sql.slice(sql.indexOf("SELECT"));
        const rows = (await runQuery(db.connection, select)).rows;
        assert.ok(rows.length > 0);
    });
});
