/**
 * `npm run query`: runs SQL over the local lake with the Athena emulation (analytics/duckdb-athena.ts).
 *
 *     npm run query -- "SELECT count(*) AS n FROM game_events.raw_events"
 *     npm run query -- --named TotalEvents [--json]
 *     npm run query -- --list
 *
 * Options: --stack (default dev), --data-dir (default .gap), --config-dir (default .), --json.
 * The database and table names are the stack's eventsDatabase / rawEventsTable settings.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { NAMED_QUERIES, findNamedQuery } from "../analytics/named-queries";
import { openAthenaEmulation } from "../analytics/duckdb-athena";
import { runQuery } from "../analytics/query-results";
import { dataFolder } from "../local/data-folder";
import { loadStackSettings } from "../local/stack-settings";
import { CliError, runCli } from "./cli-common";
import { formatTable } from "./table-format";

const USAGE = `Usage: npm run query -- "<SQL>" | --named <QueryName> | --list  [--json] [--stack dev] [--data-dir .gap] [--config-dir .]`;

async function main(): Promise<void> {
    const { values, positionals } = parseArgs({
        options: {
            named: { type: "string" },
            list: { type: "boolean" },
            json: { type: "boolean" },
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

    const folder = dataFolder(values["data-dir"] ?? path.join(configDir, ".gap"), stack);
    const db = await openAthenaEmulation({
        lakeDir: folder.lakeDir,
        rawEventsPrefix: settings.rawEventsPrefix,
        database: settings.eventsDatabase,
        table: settings.rawEventsTable,
    });
    try {
        if (db.parquetFileCount === 0) {
            throw new CliError(`the lake of stack "${stack}" is empty (no Parquet files under ${path.join(folder.lakeDir, settings.rawEventsPrefix)}).\n` +
                "Start the local pipeline (npm start), send events (npm run send-events) and wait for the delivery buffer " +
                "(2 s by default) before querying.");
        }
        let result;
        try {
            result = await runQuery(db.connection, sql);
        } catch (error) {
            throw new CliError(`the query failed: ${(error as Error).message}`);
        }
        if (values.json) console.log(JSON.stringify(result.rows, null, 2));
        else console.log(formatTable(result.columns, result.rows));
    } finally {
        db.close();
    }
}

runCli(main);
