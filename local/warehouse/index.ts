/**
 * The local warehouse of `dataStack: REDSHIFT` (pglite), its data folder and its delivery step.
 *
 *     .gap/<stack>/warehouse/   the PostgreSQL data directory (pglite)
 */
import * as path from "node:path";
import type { PipelineSettings } from "../../components/contracts/settings";
import type { WarehouseNames } from "../../analytics/query-definitions/warehouse-sql";
import { DEFAULT_WAREHOUSE_NAMES } from "../../analytics/query-definitions/warehouse-sql";

export * from "./pglite-warehouse";
export * from "./records";
export * from "./delivery";

/** The warehouse folder of a stack's data folder root (`.gap/<stack>`). */
export function warehouseDir(dataFolderRoot: string): string {
    return path.join(dataFolderRoot, "warehouse");
}

/** The warehouse schema is the stack's eventsDatabase (the Glue database name in DATA_LAKE). */
export function warehouseNamesOf(settings: Pick<PipelineSettings, "eventsDatabase">): WarehouseNames {
    return { ...DEFAULT_WAREHOUSE_NAMES, schema: settings.eventsDatabase };
}
export * from "./catalog";
