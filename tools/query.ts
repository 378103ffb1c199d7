/**
 * `npm run query`: runs SQL over the local lake with the Athena emulation (analytics/duckdb-athena.ts).
 *
 *     npm run query -- "SELECT count(*) AS n FROM game_events.raw_events"
 *     npm run query -- --named TotalEvents [--json]
 *     npm run query -- --list
 *
 * Options: --stack (default dev), --data-dir (default .gap), --config-dir (default .), --json,
 * --as-of <snapshot id | ISO time> (tableFormat ICEBERG only: time travel).
 * The database and table names are the stack's eventsDatabase / rawEventsTable settings.
 *
 * By the stack's settings: `tableFormat: ICEBERG` reads the Iceberg table's current snapshot (or
 * the one `--as-of` names); `dataStack: REDSHIFT` runs the SQL (PostgreSQL dialect) or the sample
 * view `--named X` in the local warehouse, which only one process may open: stop `npm start` first.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { NAMED_QUERIES, findNamedQuery } from "../analytics/named-queries";
import { openAthenaEmulation } from "../analytics/duckdb-athena";
import { QueryResult, runQuery } from "../analytics/query-results";
import { dataFolder } from "../local/data-folder";
import { icebergTableDir, openIcebergAthenaEmulation, parseAsOf } from "../local/iceberg/reader";
import { PgliteWarehouse, warehouseDir, warehouseNamesOf } from "../local/warehouse";
import { loadStackSettings } from "../local/stack-settings";
import { CliError, runCli } from "./cli-common";
import { formatTable } from "./table-format";

const USAGE = `Usage: npm run query -- "<SQL>" | --named <QueryName> | --list  [--json] [--as-of <snapshot id | ISO time>] [--stack dev] [--data-dir .gap] [--config-dir .]`;

async function main(): Promise<void> {
    const { values, positionals } = parseArgs({
        options: {
            named: { type: "string" },
            list: { type: "boolean" },
            json: { type: "boolean" },
            "as-of": { type: "string" },
            stack: { type: "string" },
            "data-dir": { type: "string" },
            "config-dir": { type: "string" },
            help: { type: "boolean" },
        },
        allowPositionals: true,
        strict: true,
    });
    if (values.help) {
        console.log(USAGE);
        return;
    }
    const stack = values.stack ?? process.env.GAP_STACK ?? "dev";
    const configDir = values["config-dir"] ?? process.cwd();
    const { settings } = loadStackSettings(configDir, stack);
    if (values.list) {
        for (const q of NAMED_QUERIES) console.log(`${q.name.padEnd(30)} ${q.description}`);
        return;
    }
    if (values["as-of"] !== undefined && settings.tableFormat !== "ICEBERG") {
        throw new CliError(`--as-of needs tableFormat ICEBERG (stack "${stack}" has tableFormat ${settings.tableFormat}${settings.dataStack === "REDSHIFT" ? ", dataStack REDSHIFT" : ""}): a Hive table has no snapshots`);
    }
    const folder = dataFolder(values["data-dir"] ?? path.join(configDir, ".gap"), stack);
    if (settings.dataStack === "REDSHIFT") {
        if (values.named !== undefined && positionals.length > 0) throw new CliError("give either --named or SQL text, not both");
        if (values.named === undefined && positionals.length !== 1) {
            throw new CliError(positionals.length === 0 ? `nothing to run.\n${USAGE}` : `give the SQL as one quoted argument.\n${USAGE}`);
        }
        let warehouse: PgliteWarehouse;
        try {
            warehouse = await PgliteWarehouse.open({ dataDir: warehouseDir(folder.root), names: warehouseNamesOf(settings) });
        } catch (error) {
            throw new CliError(`cannot open the warehouse of stack "${stack}": ${(error as Error).message}.\n` +
                "The warehouse (pglite) takes one process at a time: stop the local pipeline (npm start) before querying.");
        }
        try {
            let result;
            try {
                result = values.named !== undefined ? await warehouse.named(values.named) : await warehouse.query(positionals[0]);
            } catch (error) {
                throw new CliError(`the query failed: ${(error as Error).message}`);
            }
            print(result, values.json === true);
        } finally {
            await warehouse.close();
        }
        return;
    }
    let sql: string;
    if (values.named !== undefined) {
        const query = findNamedQuery(values.named);
        if (!query) throw new CliError(`no named query "${values.named}"; known: ${NAMED_QUERIES.map((q) => q.name).join(", ")}`);
        if (positionals.length > 0) throw new CliError("give either --named or SQL text, not both");
        sql = query.sql(settings.eventsDatabase, settings.rawEventsTable);
    } else if (positionals.length === 1) {
        sql = positionals[0];
    } else {
        throw new CliError(positionals.length === 0 ? `nothing to run.\n${USAGE}` : `give the SQL as one quoted argument.\n${USAGE}`);
    }

    let asOf;
    try {
        asOf = values["as-of"] === undefined ? undefined : parseAsOf(values["as-of"]);
    } catch (error) {
        throw new CliError((error as Error).message);
    }
    const iceberg = settings.tableFormat === "ICEBERG";
    const names = { database: settings.eventsDatabase, table: settings.rawEventsTable };
    const db = iceberg
        ? await openIcebergAthenaEmulation({ ...names, tableDir: icebergTableDir(folder.lakeDir, settings.rawEventsPrefix), asOf })
        : await openAthenaEmulation({ ...names, lakeDir: folder.lakeDir, rawEventsPrefix: settings.rawEventsPrefix });
    try {
        if (db.parquetFileCount === 0) {
            const what = iceberg ? `the Iceberg table has no data files${asOf ? " at that --as-of" : ""}` : "no Parquet files";
            throw new CliError(`the lake of stack "${stack}" is empty (${what} under ${path.join(folder.lakeDir, settings.rawEventsPrefix)}).\n` +
                "Start the local pipeline (npm start), send events (npm run send-events) and wait for the delivery buffer " +
                "(2 s by default) before querying.");
        }
        let result;
        try {
            result = await runQuery(db.connection, sql);
        } catch (error) {
            throw new CliError(`the query failed: ${(error as Error).message}`);
        }
        print(result, values.json === true);
    } finally {
        db.close();
    }
}

function print(result: QueryResult, json: boolean): void {
    if (json) console.log(JSON.stringify(result.rows, null, 2));
    else console.log(formatTable(result.columns, result.rows));
}

runCli(main);
