import { strict as assert } from "node:assert";
import { NAMED_QUERIES, QUERY_WINDOW_MONTHS, sinceMonthPartition } from "../../analytics/named-queries";
import { runQuery } from "../../analytics/query-results";
import {
    QUERY_DEFINITIONS, REDSHIFT_DIALECT, REDSHIFT_PACKING_DECISION, athenaPartitionPredicate, findQueryDefinition,
    localSetupStatements, redshiftSetupStatements, renderAthena, sampleViewStatement, DEFAULT_WAREHOUSE_NAMES,
    QUERY_WINDOWS, QueryWindow, LOCAL_POSTGRES_DIALECT, warehouseWindowPredicate,
} from "../../analytics/query-definitions";
import { useKnownLake } from "./known-lake";
import { APP_A, APP_B, expectedRows, latestEventIds, utcTimestamp } from "./known-data-set";

const DATABASE = "game_events";
const TABLE = "raw_events";
const STREAM = "gap-test-events";
const ROLE = "arn:aws:iam::123456789012:role/gap-test-redshift-streaming";

/**
 * The Redshift setup, pinned: every statement as it is sent to the Data API. A change here is a
 * change of what is deployed: review it against the Redshift docs before updating the snapshot.
 */
const REDSHIFT_SNAPSHOT: Record<string, string> = {
    "schema": `CREATE SCHEMA IF NOT EXISTS "game_events"`,
    "external-schema": `CREATE EXTERNAL SCHEMA IF NOT EXISTS "game_events_kinesis"
FROM KINESIS
IAM_ROLE 'arn:aws:iam::123456789012:role/gap-test-redshift-streaming'`,
    "records-view-procedure": `CREATE OR REPLACE PROCEDURE "game_events"."create_kinesis_events"()
AS $$
DECLARE
  existing INTEGER;
BEGIN
  SELECT INTO existing COUNT(*) FROM svv_mv_info WHERE schema_name = 'game_events' AND name = 'kinesis_events';
  IF existing = 0 THEN
    EXECUTE 'CREATE MATERIALIZED VIEW "game_events"."kinesis_events" AUTO REFRESH YES AS
SELECT approximate_arrival_timestamp, partition_key, shard_id, sequence_number,
  CASE WHEN CAN_JSON_PARSE(kinesis_data) THEN JSON_PARSE(kinesis_data) END AS payload,
  CASE WHEN NOT CAN_JSON_PARSE(kinesis_data) THEN kinesis_data END AS unparsed_data
FROM "game_events_kinesis"."gap-test-events"';
  END IF;
END;
$$ LANGUAGE plpgsql`,
    "records-view": `CALL "game_events"."create_kinesis_events"()`,
    "events-view": `CREATE OR REPLACE VIEW "game_events"."events" AS
SELECT k.payload.event.event_id::VARCHAR AS event_id,
  k.payload.event.event_type::VARCHAR AS event_type,
  k.payload.event.event_name::VARCHAR AS event_name,
  k.payload.event.event_version::VARCHAR AS event_version,
  k.payload.event.event_timestamp::BIGINT AS event_timestamp,
  k.payload.event.app_version::VARCHAR AS app_version,
  k.payload.application_id::VARCHAR AS application_id,
  CAST(NULL AS VARCHAR) AS application_name,
  k.payload.event.event_data AS event_data,
  OBJECT('api', OBJECT('request_id', k.payload.request_id, 'request_time_epoch', k.payload.request_time_epoch), 'kinesis', OBJECT('shard_id', k.shard_id, 'sequence_number', k.sequence_number, 'partition_key', k.partition_key)) AS metadata,
  k.payload.player_id::VARCHAR AS player_id,
  k.payload.source_event_id::VARCHAR AS source_event_id,
  TO_CHAR(TIMESTAMP 'epoch' + k.payload.event.event_timestamp::BIGINT * INTERVAL '1 second', 'YYYY') AS year,
  TO_CHAR(TIMESTAMP 'epoch' + k.payload.event.event_timestamp::BIGINT * INTERVAL '1 second', 'MM') AS month,
  TO_CHAR(TIMESTAMP 'epoch' + k.payload.event.event_timestamp::BIGINT * INTERVAL '1 second', 'DD') AS day
FROM "game_events"."kinesis_events" AS k
WHERE k.payload IS NOT NULL
WITH NO SCHEMA BINDING`,
    "view-LatestEvents": `CREATE OR REPLACE VIEW "game_events"."LatestEvents" AS
SELECT e.event_id AS event_id, e.event_type AS event_type, e.event_name AS event_name, e.event_version AS event_version, e.event_timestamp AS event_timestamp,
  TIMESTAMP 'epoch' + e.event_timestamp * INTERVAL '1 second' AS event_time_utc,
  e.app_version AS app_version, e.application_id AS application_id, e.application_name AS application_name, JSON_SERIALIZE(e.event_data) AS event_data, JSON_SERIALIZE(e.metadata) AS metadata,
  e.year AS year, e.month AS month, e.day AS day
FROM "game_events"."events" AS e
WHERE TIMESTAMP 'epoch' + e.event_timestamp * INTERVAL '1 second' >= DATE_TRUNC('month', DATEADD(month, -1, CURRENT_DATE))
ORDER BY event_timestamp DESC, event_id
LIMIT 10
WITH NO SCHEMA BINDING`,
    "view-TotalEvents": `CREATE OR REPLACE VIEW "game_events"."TotalEvents" AS
SELECT e.application_id AS application_id, count(DISTINCT e.event_id) AS event_count
FROM "game_events"."events" AS e
WHERE TIMESTAMP 'epoch' + e.event_timestamp * INTERVAL '1 second' >= DATE_TRUNC('month', DATEADD(month, -11, CURRENT_DATE))
GROUP BY e.application_id
WITH NO SCHEMA BINDING`,
    "view-TotalEventsMonth": `CREATE OR REPLACE VIEW "game_events"."TotalEventsMonth" AS
SELECT e.application_id AS application_id, e.year AS year, e.month AS month, count(DISTINCT e.event_id) AS event_count
FROM "game_events"."events" AS e
WHERE e.year = TO_CHAR(CURRENT_DATE, 'YYYY')
  AND e.month = TO_CHAR(CURRENT_DATE, 'MM')
GROUP BY e.application_id, e.year, e.month
WITH NO SCHEMA BINDING`,
    "view-TotalIapTransactionsLastMonth": `CREATE OR REPLACE VIEW "game_events"."TotalIapTransactionsLastMonth" AS
SELECT e.application_id AS application_id, count(DISTINCT e.event_data.transaction_id::VARCHAR) AS transaction_count
FROM "game_events"."events" AS e
WHERE e.year = TO_CHAR(DATEADD(month, -1, CURRENT_DATE), 'YYYY')
  AND e.month = TO_CHAR(DATEADD(month, -1, CURRENT_DATE), 'MM')
  AND e.event_type = 'iap_transaction'
GROUP BY e.application_id
WITH NO SCHEMA BINDING`,
    "view-NewUsersLastMonth": `CREATE OR REPLACE VIEW "game_events"."NewUsersLastMonth" AS
SELECT e.application_id AS application_id, count(DISTINCT e.event_id) AS new_user_count
FROM "game_events"."events" AS e
WHERE e.year = TO_CHAR(DATEADD(month, -1, CURRENT_DATE), 'YYYY')
  AND e.month = TO_CHAR(DATEADD(month, -1, CURRENT_DATE), 'MM')
  AND e.event_type = 'user_registration'
GROUP BY e.application_id
WITH NO SCHEMA BINDING`,
    "view-TotalPlaysByLevel": `CREATE OR REPLACE VIEW "game_events"."TotalPlaysByLevel" AS
SELECT e.application_id AS application_id,
  e.event_data.level_id::VARCHAR AS level_id,
  count(DISTINCT e.event_id) AS play_count
FROM "game_events"."events" AS e
WHERE TIMESTAMP 'epoch' + e.event_timestamp * INTERVAL '1 second' >= DATE_TRUNC('month', DATEADD(month, -1, CURRENT_DATE))
  AND e.event_type = 'level_started'
GROUP BY e.application_id, e.event_data.level_id::VARCHAR
WITH NO SCHEMA BINDING`,
    "view-TotalFailuresByLevel": `CREATE OR REPLACE VIEW "game_events"."TotalFailuresByLevel" AS
SELECT e.application_id AS application_id,
  e.event_data.level_id::VARCHAR AS level_id,
  count(DISTINCT e.event_id) AS failure_count
FROM "game_events"."events" AS e
WHERE TIMESTAMP 'epoch' + e.event_timestamp * INTERVAL '1 second' >= DATE_TRUNC('month', DATEADD(month, -1, CURRENT_DATE))
  AND e.event_type = 'level_failed'
GROUP BY e.application_id, e.event_data.level_id::VARCHAR
WITH NO SCHEMA BINDING`,
    "view-TotalCompletionsByLevel": `CREATE OR REPLACE VIEW "game_events"."TotalCompletionsByLevel" AS
SELECT e.application_id AS application_id,
  e.event_data.level_id::VARCHAR AS level_id,
  count(DISTINCT e.event_id) AS completion_count
FROM "game_events"."events" AS e
WHERE TIMESTAMP 'epoch' + e.event_timestamp * INTERVAL '1 second' >= DATE_TRUNC('month', DATEADD(month, -1, CURRENT_DATE))
  AND e.event_type = 'level_completed'
GROUP BY e.application_id, e.event_data.level_id::VARCHAR
WITH NO SCHEMA BINDING`,
    "view-LevelCompletionRate": `CREATE OR REPLACE VIEW "game_events"."LevelCompletionRate" AS
SELECT application_id, level_id, play_count, completion_count,
  CASE WHEN play_count = 0 THEN NULL
       ELSE ROUND(CAST(completion_count AS DOUBLE PRECISION) / CAST(play_count AS DOUBLE PRECISION), 4) END AS completion_rate
FROM (
  SELECT e.application_id AS application_id,
    e.event_data.level_id::VARCHAR AS level_id,
    count(DISTINCT CASE WHEN e.event_type = 'level_started' THEN e.event_id END) AS play_count,
    count(DISTINCT CASE WHEN e.event_type = 'level_completed' THEN e.event_id END) AS completion_count
  FROM "game_events"."events" AS e
  WHERE TIMESTAMP 'epoch' + e.event_timestamp * INTERVAL '1 second' >= DATE_TRUNC('month', DATEADD(month, -1, CURRENT_DATE))
    AND e.event_type IN ('level_started', 'level_completed')
  GROUP BY e.application_id, e.event_data.level_id::VARCHAR
) AS per_level
WITH NO SCHEMA BINDING`,
    "view-AverageUserSentimentPerDay": `CREATE OR REPLACE VIEW "game_events"."AverageUserSentimentPerDay" AS
SELECT e.application_id AS application_id, e.year || '-' || e.month || '-' || e.day AS event_day,
  ROUND(avg(CASE WHEN JSON_TYPEOF(e.event_data.user_rating) = 'number' THEN CAST(e.event_data.user_rating AS DOUBLE PRECISION) END), 4) AS average_user_rating,
  count(DISTINCT e.event_id) AS rating_count
FROM "game_events"."events" AS e
WHERE TIMESTAMP 'epoch' + e.event_timestamp * INTERVAL '1 second' >= DATE_TRUNC('month', DATEADD(month, -1, CURRENT_DATE))
  AND e.event_type = 'user_sentiment'
GROUP BY e.application_id, e.year, e.month, e.day
WITH NO SCHEMA BINDING`,
    "view-UserReportedReasonsCount": `CREATE OR REPLACE VIEW "game_events"."UserReportedReasonsCount" AS
SELECT e.application_id AS application_id,
  e.event_data.report_reason::VARCHAR AS report_reason,
  count(DISTINCT e.event_id) AS report_count
FROM "game_events"."events" AS e
WHERE TIMESTAMP 'epoch' + e.event_timestamp * INTERVAL '1 second' >= DATE_TRUNC('month', DATEADD(month, -1, CURRENT_DATE))
  AND e.event_type = 'user_report'
GROUP BY e.application_id, e.event_data.report_reason::VARCHAR
WITH NO SCHEMA BINDING`,
};

describe("sample query definitions: one definition, rendered for Athena, Redshift and the local PostgreSQL", function () {
    it("defines the 11 sample queries, with the names, order and descriptions of the Athena named queries", function () {
        assert.deepEqual(QUERY_DEFINITIONS.map((q) => q.name), NAMED_QUERIES.map((q) => q.name));
        assert.equal(QUERY_DEFINITIONS.length, 11);
        for (const q of QUERY_DEFINITIONS) {
            assert.ok(q.description.length > 20, q.name);
            assert.equal(findQueryDefinition(q.name.toUpperCase()), q);
        }
        assert.equal(findQueryDefinition("nope"), undefined);
    });

    describe("Athena rendering over the known lake (DuckDB with the Athena emulation)", function () {
        const lake = useKnownLake("gap-definitions-");
        const { events } = lake;
        const rows = async (sql: string) => (await runQuery(lake.db().connection, sql)).rows;

        it("every query returns the exact expected rows (a redelivered row counts once; completion rate = completions / plays)", async function () {
            const expected = expectedRows();
            for (const q of QUERY_DEFINITIONS) {
                const got = await rows(renderAthena(q, DATABASE, TABLE));
                if (q.name === "LatestEvents") {
                    assert.deepEqual(got.map((r) => r.event_id), latestEventIds(events));
                    assert.equal(got[0].event_time_utc, utcTimestamp(Math.max(...events.map((e) => e.timestamp))));
                    assert.deepEqual(Object.keys(got[0]), q.columns);
                } else {
                    assert.deepEqual(got, expected[q.name], q.name);
                }
            }
        });

        it("is the text of the Athena named queries of analytics/named-queries.ts (one definition)", function () {
            for (const [i, q] of QUERY_DEFINITIONS.entries()) {
                assert.equal(NAMED_QUERIES[i].sql(DATABASE, TABLE), renderAthena(q, DATABASE, TABLE), q.name);
                assert.equal(NAMED_QUERIES[i].description, q.description, q.name);
            }
        });

        it("gives every query a window, rendered as partition predicates (sinceMonth: from the first day of a past month)", async function () {
            assert.ok(QUERY_DEFINITIONS.every((q) => q.window.kind !== "all"), "no query scans every partition");
            assert.deepEqual(QUERY_DEFINITIONS.map((q) => [q.name, q.window]).filter(([, w]) => (w as QueryWindow).kind === "sinceMonth"), [
                ["LatestEvents", QUERY_WINDOWS.latest], ["TotalEvents", QUERY_WINDOWS.totals],
                ["TotalPlaysByLevel", QUERY_WINDOWS.levels], ["TotalFailuresByLevel", QUERY_WINDOWS.levels],
                ["TotalCompletionsByLevel", QUERY_WINDOWS.levels], ["LevelCompletionRate", QUERY_WINDOWS.levels],
                ["AverageUserSentimentPerDay", QUERY_WINDOWS.sentiment], ["UserReportedReasonsCount", QUERY_WINDOWS.reports],
            ]);
            assert.equal(athenaPartitionPredicate({ kind: "sinceMonth", monthsAgo: 11 }), sinceMonthPartition(QUERY_WINDOW_MONTHS.totals));
            assert.equal(athenaPartitionPredicate({ kind: "sinceMonth", monthsAgo: 2 }), `year >= cast(year((current_date - interval '2' month)) AS varchar)
  AND year || '-' || month >= cast(year((current_date - interval '2' month)) AS varchar) || '-' || lpad(cast(month((current_date - interval '2' month)) AS varchar), 2, '0')`);
            assert.throws(() => athenaPartitionPredicate({ kind: "sinceMonth", monthsAgo: 1.5 }), /window.monthsAgo: must be an integer >= 0/);
            // The same definition over another window: every level event, so L1 has 3 plays (one two
            // months ago) and L9 one (thirteen months ago), and 2 / 3 is rounded to 4 decimals.
            const all = renderAthena(findQueryDefinition("LevelCompletionRate")!, DATABASE, TABLE, { window: { kind: "all" } });
            assert.deepEqual(await rows(all), [
                { application_id: APP_A, level_id: "L1", play_count: 3, completion_count: 2, completion_rate: 0.6667 },
                { application_id: APP_A, level_id: "L2", play_count: 2, completion_count: 0, completion_rate: 0 },
                { application_id: APP_A, level_id: "L9", play_count: 1, completion_count: 0, completion_rate: 0 },
                { application_id: APP_B, level_id: "L1", play_count: 1, completion_count: 1, completion_rate: 1 },
            ]);
            // Two months: the previous window plus the month before it (L1's third play), not L9.
            const twoMonths = renderAthena(findQueryDefinition("TotalPlaysByLevel")!, DATABASE, TABLE, { window: { kind: "sinceMonth", monthsAgo: 2 } });
            assert.deepEqual(await rows(twoMonths), [
                { application_id: APP_A, level_id: "L1", play_count: 3 },
                { application_id: APP_A, level_id: "L2", play_count: 2 },
                { application_id: APP_B, level_id: "L1", play_count: 1 },
            ]);
        });

        it("turns a query window into partition predicates on year/month/day", async function () {
            const month = renderAthena(findQueryDefinition("NewUsersLastMonth")!, DATABASE, TABLE);
            assert.match(month, /WHERE year = cast\(year\(\(current_date - interval '1' month\)\) AS varchar\)\s+AND month = lpad/);
            // TotalEvents over the days of the current month up to today: the current month's events only.
            const days = new Date().getUTCDate();
            const sql = renderAthena(findQueryDefinition("TotalEvents")!, DATABASE, TABLE, { window: { kind: "lastDays", days } });
            assert.match(sql, new RegExp(`WHERE year \\|\\| '-' \\|\\| month \\|\\| '-' \\|\\| day >= cast\\(cast\\(current_date - interval '${days - 1}' day AS date\\) AS varchar\\)`));
            assert.deepEqual(await rows(sql), [
                { application_id: APP_A, event_count: 8 },
                { application_id: APP_B, event_count: 3 },
            ]);
            assert.equal(athenaPartitionPredicate({ kind: "all" }), "TRUE");
            assert.throws(() => athenaPartitionPredicate({ kind: "lastDays", days: 0 }), /window.days: must be an integer >= 1/);
            assert.throws(() => athenaPartitionPredicate({ kind: "calendarMonth", monthsAgo: -1 }), /window.monthsAgo/);
        });
    });

    describe("Redshift rendering", function () {
        const statements = redshiftSetupStatements({ streamName: STREAM, streamingRoleArn: ROLE });

        it("is the pinned, ordered list of setup statements (schema, Kinesis schema, materialized view, events view, 11 views)", function () {
            assert.deepEqual(statements.map((s) => s.name), Object.keys(REDSHIFT_SNAPSHOT));
            for (const s of statements) assert.equal(s.sql, REDSHIFT_SNAPSHOT[s.name], s.name);
        });

        it("creates each of the 11 views with the Athena query's name, late-binding, over the events view", function () {
            const views = statements.filter((s) => s.name.startsWith("view-"));
            assert.deepEqual(views.map((s) => s.name), QUERY_DEFINITIONS.map((q) => `view-${q.name}`));
            for (const [i, s] of views.entries()) {
                assert.ok(s.sql.startsWith(`CREATE OR REPLACE VIEW "game_events"."${QUERY_DEFINITIONS[i].name}" AS\n`), s.name);
                assert.ok(s.sql.endsWith("\nWITH NO SCHEMA BINDING"), s.name);
                assert.match(s.sql, /FROM "game_events"\."events" AS e/, s.name);
            }
        });

        it("renders a sinceMonth window as a predicate on the event time, from the first day of that month", function () {
            const time = `TIMESTAMP 'epoch' + e.event_timestamp * INTERVAL '1 second'`;
            assert.equal(warehouseWindowPredicate(REDSHIFT_DIALECT, { kind: "sinceMonth", monthsAgo: 11 }),
                `${time} >= DATE_TRUNC('month', DATEADD(month, -11, CURRENT_DATE))`);
            assert.equal(warehouseWindowPredicate(LOCAL_POSTGRES_DIALECT, { kind: "sinceMonth", monthsAgo: 1 }),
                `${time} >= DATE_TRUNC('month', CURRENT_DATE - INTERVAL '1 month')`);
            assert.equal(warehouseWindowPredicate(REDSHIFT_DIALECT, { kind: "sinceMonth", monthsAgo: 0 }), `${time} >= DATE_TRUNC('month', CURRENT_DATE)`);
            assert.throws(() => warehouseWindowPredicate(REDSHIFT_DIALECT, { kind: "sinceMonth", monthsAgo: -1 }), /window.monthsAgo: must be an integer >= 0/);
        });

        it("divides completions by plays (not by completions + plays, as the guidance did)", function () {
            const sql = sampleViewStatement(findQueryDefinition("LevelCompletionRate")!, REDSHIFT_DIALECT, DEFAULT_WAREHOUSE_NAMES);
            assert.match(sql, /ROUND\(CAST\(completion_count AS DOUBLE PRECISION\) \/ CAST\(play_count AS DOUBLE PRECISION\), 4\)/);
            assert.doesNotMatch(sql, /completion_count \+|\+ completion_count/);
        });

        it("parses each record with JSON_PARSE guarded by CAN_JSON_PARSE, keeps the unparsable ones, navigates SUPER outside the view", function () {
            const procedure = statements.find((s) => s.name === "records-view-procedure")!.sql;
            assert.match(procedure, /CASE WHEN CAN_JSON_PARSE\(kinesis_data\) THEN JSON_PARSE\(kinesis_data\) END AS payload/);
            assert.match(procedure, /CASE WHEN NOT CAN_JSON_PARSE\(kinesis_data\) THEN kinesis_data END AS unparsed_data/);
            assert.match(procedure, /AUTO REFRESH YES/);
            assert.doesNotMatch(procedure, /payload\./, "no navigation inside the materialized view");
            assert.match(statements.find((s) => s.name === "events-view")!.sql, /k\.payload\.event\.event_id::VARCHAR AS event_id/);
            assert.match(REDSHIFT_PACKING_DECISION, /one event per Kinesis record/);
        });

        it("takes other names, and refuses a bad role ARN or stream name, naming the field", function () {
            const other = redshiftSetupStatements({ streamName: STREAM, streamingRoleArn: ROLE, names: { schema: "analytics" }, externalSchema: "kds" });
            assert.equal(other[1].sql.split("\n")[0], `CREATE EXTERNAL SCHEMA IF NOT EXISTS "kds"`);
            assert.ok(other.slice(4).every((s) => s.sql.startsWith(`CREATE OR REPLACE VIEW "analytics".`)));
            assert.throws(() => redshiftSetupStatements({ streamName: STREAM, streamingRoleArn: "arn:aws:iam::123:role/x" }), /streamingRoleArn: must be an IAM role ARN/);
            assert.throws(() => redshiftSetupStatements({ streamName: "a b", streamingRoleArn: ROLE }), /streamName: must match/);
        });
    });

    it("renders the local PostgreSQL views from the same definitions, with the documented shims", function () {
        const local = localSetupStatements(DEFAULT_WAREHOUSE_NAMES);
        const events = local.find((s) => s.startsWith(`CREATE OR REPLACE VIEW "game_events"."events"`))!;
        assert.match(events, /\(k\.payload #>> '\{event,event_id\}'\)::VARCHAR AS event_id/);
        assert.match(events, /jsonb_build_object\('api'/);
        const rate = local.find((s) => s.startsWith(`CREATE OR REPLACE VIEW "game_events"."LevelCompletionRate"`))!;
        assert.match(rate, /CAST\(ROUND\(CAST\(CAST\(completion_count AS DOUBLE PRECISION\) \/ CAST\(play_count AS DOUBLE PRECISION\) AS NUMERIC\), 4\) AS DOUBLE PRECISION\)/);
        assert.ok(local.every((s) => !s.includes("WITH NO SCHEMA BINDING") && !s.includes("JSON_PARSE")));
        // Views are dropped and created again at each open (tables are kept).
        assert.equal(local.filter((s) => s.startsWith("DROP VIEW IF EXISTS")).length, 12);
        assert.ok(local.every((s) => !s.startsWith("DROP TABLE")));
    });
});
