/**
 * `POST /redshift/setup`, kept for the clients of the guidance. The guidance's route created the
 * streaming materialized view and the 11 views through the Data API and waited for them, which
 * timed out at API Gateway's 29 s. Here the deployment creates them (`aws.redshiftdata.Statement`s,
 * components/aws/warehouse-tier.ts), so the route only REPORTS what exists: one catalog listing
 * (the Data API's synchronous `ListTables`, a metadata call answered in well under a second, no
 * SQL statement to start and poll), compared with the objects the deployment creates.
 *
 * Why it creates nothing: every object is already created, in order, by `pulumi up`; a second
 * writer would need the admin secret (the views belong to the admin user who owns the schema) in
 * an API-facing function, and would race the deployment. A missing object is repaired by the
 * deployment (replace its Statement), which the answer says.
 *
 * Idempotent and read-only: calling it twice answers the same. Outside REDSHIFT it is a 400 naming
 * `dataStack`. A catalog that does not answer (workgroup paused by a usage limit, throttling) is a
 * 503 with the reason, never a 500.
 */
import type { HttpResponse } from "./contracts";
import { badRequest, errorResponse, jsonResponse } from "./http";

/** One relation of the warehouse catalog (table, view or materialized view). */
export interface WarehouseRelation {
    name: string;
    /** As the catalog spells it, e.g. "TABLE", "VIEW", "MATERIALIZED VIEW". */
    type: string;
}

/** Port: the warehouse's catalog (Redshift Data API `ListTables` in AWS, pglite locally). */
export interface WarehouseCatalog {
    /** Every relation of `schema` (all pages). */
    listRelations(schema: string): Promise<WarehouseRelation[]>;
}

/** Thrown by a catalog that cannot answer now (the route answers 503). */
export class WarehouseUnavailableError extends Error {
    constructor(detail: string) {
        super(detail);
        this.name = "WarehouseUnavailableError";
    }
}

/**
 * The objects the deployment creates in the schema (analytics/query-definitions names them; the
 * components and the local mode pass them in, so this module imports nothing outside functions/).
 */
export interface ExpectedWarehouseObjects {
    schema: string;
    /** The streaming materialized view, e.g. "kinesis_events". */
    materializedView: string;
    /** The view with the data-lake columns, e.g. "events". */
    eventsView: string;
    /** The 11 sample views, named as the Athena named queries. */
    views: readonly string[];
}

/** What the route needs. */
export interface RedshiftSetupDeps {
    /** The stack's data stack; the route only reports in REDSHIFT. */
    dataStack: "DATA_LAKE" | "REDSHIFT";
    /** The warehouse catalog (REDSHIFT only). */
    catalog?: WarehouseCatalog;
    /** What the deployment creates (REDSHIFT only). */
    expected?: ExpectedWarehouseObjects;
}

/** One object the deployment creates, and whether the catalog lists it. */
export interface ObjectStatus {
    name: string;
    exists: boolean;
    /** The catalog's type when it exists. */
    type?: string;
}

/** The 200 answer. */
export interface RedshiftSetupReport {
    dataStack: "REDSHIFT";
    schema: string;
    /** The streaming materialized view (one row per Kinesis record). */
    materializedView: ObjectStatus;
    /** The view with the data-lake columns. */
    eventsView: ObjectStatus;
    /** The 11 sample views, named as the Athena named queries. */
    views: ObjectStatus[];
    /** True when every object exists. */
    complete: boolean;
    note: string;
}

/** The report from a catalog listing (pure). Names compare case-sensitively, as the workgroup does. */
export function setupReport(expected: ExpectedWarehouseObjects, relations: readonly WarehouseRelation[]): RedshiftSetupReport {
    const schema = expected.schema;
    const byName = new Map(relations.map((r) => [r.name, r.type]));
    const status = (name: string): ObjectStatus => {
        const type = byName.get(name);
        return type === undefined ? { name, exists: false } : { name, exists: true, type };
    };
    const materializedView = status(expected.materializedView);
    const eventsView = status(expected.eventsView);
    const views = expected.views.map(status);
    const missing = [materializedView, eventsView, ...views].filter((o) => !o.exists).map((o) => o.name);
    return {
        dataStack: "REDSHIFT",
        schema,
        materializedView,
        eventsView,
        views,
        complete: missing.length === 0,
        note: missing.length === 0
            ? "Every object exists; the deployment (pulumi up) created them, this route changes nothing."
            : `Missing: ${missing.join(", ")}. The deployment creates them in order (pulumi up); to re-create one, ` +
                "replace its aws.redshiftdata.Statement (pulumi up --replace <urn>). This route changes nothing.",
    };
}

/** Answers `POST /redshift/setup`. */
export async function handleRedshiftSetup(deps: RedshiftSetupDeps | undefined): Promise<HttpResponse> {
    const dataStack = deps?.dataStack ?? "DATA_LAKE";
    if (dataStack !== "REDSHIFT") {
        return badRequest(`dataStack: POST /redshift/setup applies to dataStack REDSHIFT only; this stack's dataStack is ${dataStack} (there is no warehouse; nothing was changed)`);
    }
    if (deps?.catalog === undefined || deps.expected === undefined) throw new Error("dataStack REDSHIFT without a warehouse catalog or its expected objects (a wiring mistake)");
    let relations: WarehouseRelation[];
    try {
        relations = await deps.catalog.listRelations(deps.expected.schema);
    } catch (error) {
        if (error instanceof WarehouseUnavailableError) {
            return errorResponse(503, "WarehouseUnavailable", `the warehouse catalog did not answer: ${error.message}; retry later`, { "Retry-After": "30" });
        }
        throw error;
    }
    return jsonResponse(200, setupReport(deps.expected, relations));
}
