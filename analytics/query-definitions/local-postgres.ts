/**
 * Local rendering of the warehouse (PostgreSQL, run embedded by pglite in local/warehouse/): the
 * same events view and sample views as Redshift (warehouse-sql.ts), with these documented shims:
 *
 * | Redshift                                   | local PostgreSQL                                   |
 * | ------------------------------------------ | -------------------------------------------------- |
 * | streaming materialized view over `FROM KINESIS` | a table of the same columns, filled by the local stream reader |
 * | `JSON_PARSE(kinesis_data)` (SUPER)          | `jsonb` parsed by the reader before the insert      |
 * | `k.payload.event.event_id::VARCHAR`         | `(k.payload #>> '{event,event_id}')::VARCHAR`       |
 * | `k.payload.event.event_data` (SUPER)        | `(k.payload #> '{event,event_data}')` (jsonb)       |
 * | `JSON_TYPEOF(v) = 'number'`                 | `jsonb_typeof(v) = 'number'`                        |
 * | `OBJECT('k', v, ...)`                       | `jsonb_build_object('k', v, ...)`                   |
 * | `JSON_SERIALIZE(v)`                         | `CAST(v AS TEXT)`                                   |
 * | `ROUND(double, 4)`                          | `CAST(ROUND(CAST(x AS NUMERIC), 4) AS DOUBLE PRECISION)` |
 * | `DATEADD(month, -1, CURRENT_DATE)`          | `CURRENT_DATE - INTERVAL '1 month'`                 |
 * | `WITH NO SCHEMA BINDING`                    | (nothing: PostgreSQL views bind at creation)        |
 *
 * Everything else (TO_CHAR, `TIMESTAMP 'epoch' + n * INTERVAL '1 second'`, count(DISTINCT ...),
 * CASE, GROUP BY ordinals) is the same text in both engines.
 * Not reproduced: SUPER's lax semantics beyond what the views use, `AUTO REFRESH` timing.
 */
import { QUERY_DEFINITIONS } from "./definitions";
import { sqlIdentifier, sqlLiteral } from "./dialect";
import { qualified, viewStatements, WarehouseDialect, WarehouseNames } from "./warehouse-sql";

/** A jsonb path literal `'{a,b}'` (path elements are plain identifiers). */
function jsonPath(path: readonly string[]): string {
    for (const element of path) {
        if (!/^[a-z_][a-z0-9_]*$/.test(element)) throw new Error(`path element ${JSON.stringify(element)}: must be a plain identifier`);
    }
    return sqlLiteral(`{${path.join(",")}}`);
}

export const LOCAL_POSTGRES_DIALECT: WarehouseDialect = {
    name: "local-postgres",
    navigate: (base, path, cast) => (cast === undefined ? `(${base} #> ${jsonPath(path)})` : `(${base} #>> ${jsonPath(path)})::${cast}`),
    navigateNumber: (base, path) =>
        `CASE WHEN jsonb_typeof(${base} #> ${jsonPath(path)}) = 'number' THEN CAST(${base} #>> ${jsonPath(path)} AS DOUBLE PRECISION) END`,
    object: (pairs) => `jsonb_build_object(${pairs.map(([key, value]) => `${sqlLiteral(key)}, ${value}`).join(", ")})`,
    serialize: (expression) => `CAST(${expression} AS TEXT)`,
    round4: (expression) => `CAST(ROUND(CAST(${expression} AS NUMERIC), 4) AS DOUBLE PRECISION)`,
    beforeToday: (count, unit) => `CURRENT_DATE - INTERVAL '${count} ${unit}'`,
    viewSuffix: "",
};

/** The local stand-in of the streaming materialized view, and the batches already inserted. */
export function localSchemaStatements(names: WarehouseNames): string[] {
    return [
        `CREATE SCHEMA IF NOT EXISTS ${sqlIdentifier(names.schema)}`,
        `CREATE TABLE IF NOT EXISTS ${qualified(names, names.recordsRelation)} (
  approximate_arrival_timestamp TIMESTAMP NOT NULL,
  partition_key VARCHAR(256) NOT NULL,
  shard_id VARCHAR(128) NOT NULL,
  sequence_number VARCHAR(128) NOT NULL,
  payload JSONB,
  unparsed_data BYTEA
)`,
        `CREATE TABLE IF NOT EXISTS ${qualified(names, "delivered_batches")} (
  batch_id VARCHAR(128) PRIMARY KEY,
  row_count INTEGER NOT NULL,
  delivered_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
)`,
    ];
}

/**
 * Every statement the local warehouse runs at open: schema and tables (kept), then the views,
 * dropped and created again (they hold no data, and PostgreSQL's CREATE OR REPLACE VIEW cannot
 * rename or retype a column, so a changed definition would otherwise fail on an old warehouse).
 */
export function localSetupStatements(names: WarehouseNames): string[] {
    return [
        ...localSchemaStatements(names),
        ...QUERY_DEFINITIONS.map((q) => `DROP VIEW IF EXISTS ${qualified(names, q.name)}`),
        `DROP VIEW IF EXISTS ${qualified(names, names.eventsView)} CASCADE`,
        ...viewStatements(LOCAL_POSTGRES_DIALECT, names),
    ];
}
