/**
 * openTrinoDatabase (analytics/duckdb-athena.ts), which both Athena emulations open through (the
 * Hive lake's and local/iceberg/reader.ts's): the Trino macros and the Glue database's schema
 * exist before the views are built, what the builder resolves to is handed back with the
 * connection, and a failing builder leaves nothing open.
 */
import { strict as assert } from "node:assert";
import type { DuckDBConnection } from "@duckdb/node-api";
import { openTrinoDatabase } from "../../analytics/duckdb-athena";
import { runQuery } from "../../analytics/query-results";

describe("openTrinoDatabase", function () {
    this.timeout(60_000);

    it("gives the builder a UTC session with the Trino macros and the schema, and returns what it built", async () => {
        const db = await openTrinoDatabase('studio "events"', async (connection) => {
            await connection.run(`CREATE VIEW "studio ""events""".v AS SELECT json_extract_scalar('{"a":{"b":"x"}}', '$.a.b') AS b, date_format(from_unixtime(0), '%Y-%m-%d %H:%i') AS t`);
            return { built: 1 };
        });
        try {
            assert.equal(db.built, 1);
            assert.deepEqual((await runQuery(db.connection, `SELECT b, t FROM "studio ""events""".v`)).rows, [{ b: "x", t: "1970-01-01 00:00" }]);
        } finally {
            db.close();
        }
    });

    it("closes the connection and rethrows when the builder fails", async () => {
        let seen: DuckDBConnection | undefined;
        await assert.rejects(openTrinoDatabase("game_events", async (connection) => {
            seen = connection;
            await connection.run("SELECT * FROM missing_table");
            return {};
        }), /missing_table/);
        assert.ok(seen);
        await assert.rejects(seen.run("SELECT 1"));
    });
});
