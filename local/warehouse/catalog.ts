/**
 * The local warehouse's catalog for `POST /redshift/setup` (functions/core/redshift-setup.ts):
 * the relations of a schema as PostgreSQL's catalog lists them, typed as Redshift's `ListTables`
 * spells them ("TABLE", "VIEW", "MATERIALIZED VIEW"). Locally the records relation is a table
 * shaped like the streaming materialized view.
 */
import { sqlLiteral } from "../../analytics/query-definitions/dialect";
import { QUERY_DEFINITIONS } from "../../analytics/query-definitions/definitions";
import type { WarehouseNames } from "../../analytics/query-definitions/warehouse-sql";
import type { ExpectedWarehouseObjects, WarehouseCatalog, WarehouseRelation } from "../../functions/core/redshift-setup";
import type { PgliteWarehouse } from "./pglite-warehouse";

const TYPES: Readonly<Record<string, string>> = { r: "TABLE", p: "TABLE", v: "VIEW", m: "MATERIALIZED VIEW" };

/** The catalog of `warehouse`. */
export function pgliteCatalog(warehouse: Pick<PgliteWarehouse, "query">): WarehouseCatalog {
    return {
        async listRelations(schema: string): Promise<WarehouseRelation[]> {
            const result = await warehouse.query(`SELECT c.relname AS name, c.relkind AS kind
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ${sqlLiteral(schema)} AND c.relkind IN ('r', 'p', 'v', 'm')
ORDER BY c.relname`);
            return result.rows.map((row) => ({ name: String(row.name), type: TYPES[String(row.kind)] ?? String(row.kind) }));
        },
    };
}

/** What the local warehouse creates (the same objects as the Redshift deployment). */
export function expectedObjectsOf(names: WarehouseNames): ExpectedWarehouseObjects {
    return { schema: names.schema, materializedView: names.recordsRelation, eventsView: names.eventsView, views: QUERY_DEFINITIONS.map((q) => q.name) };
}
