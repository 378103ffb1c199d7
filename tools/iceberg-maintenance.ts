/**
 * `npm run iceberg-maintenance`: maintenance of the local Iceberg events table (stacks with
 * `tableFormat: ICEBERG`): deletes the rows older than the stack's `dataRetentionDays` (0: none),
 * compacts small data files per partition, expires old snapshots and deletes unreferenced files,
 * each committed like any writer (safe while the pipeline runs).
 *
 *     npm run iceberg-maintenance -- [--stack dev] [--data-dir .gap] [--config-dir .]
 *         [--target-mb 128] [--expire-older-than-hours 120] [--retain-last 1] [--orphan-min-age-hours 1] [--json]
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { dataFolder } from "../local/data-folder";
import { maintainTable } from "../local/iceberg/maintenance";
import { loadMetadata } from "../local/iceberg/metadata";
import { icebergTableDir } from "../local/iceberg/reader";
import { loadStackSettings } from "../local/stack-settings";
import { CliError, numberOption, runCli } from "./cli-common";

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            "data-dir": { type: "string" },
            "config-dir": { type: "string" },
            "target-mb": { type: "string" },
            "expire-older-than-hours": { type: "string" },
            "retain-last": { type: "string" },
            "orphan-min-age-hours": { type: "string" },
            json: { type: "boolean" },
        },
        strict: true,
    });
    const stack = values.stack ?? process.env.GAP_STACK ?? "dev";
    const configDir = values["config-dir"] ?? process.cwd();
    const { settings } = loadStackSettings(configDir, stack);
    if (settings.tableFormat !== "ICEBERG") throw new CliError(`stack "${stack}" has tableFormat ${settings.tableFormat}; maintenance applies to ICEBERG tables only`);
    const folder = dataFolder(values["data-dir"] ?? path.join(configDir, ".gap"), stack);
    const tableDir = icebergTableDir(folder.lakeDir, settings.rawEventsPrefix);
    if (!loadMetadata(tableDir)) throw new CliError(`no Iceberg table in ${tableDir} yet (start the pipeline and send events first)`);
    const hours = (name: string, fallback: number): number => numberOption(`--${name}`, values[name as keyof typeof values] as string | undefined, fallback, { min: 0 }) * 3_600_000;
    const result = await maintainTable(tableDir, {
        targetFileBytes: numberOption("--target-mb", values["target-mb"], 128, { min: 1 }) * 1024 * 1024,
        olderThanMs: Date.now() - hours("expire-older-than-hours", 120),
        retainLast: numberOption("--retain-last", values["retain-last"], 1, { min: 1, integer: true }),
        orphanMinAgeMs: hours("orphan-min-age-hours", 1),
        retentionDays: settings.dataRetentionDays,
    });
    if (values.json) {
        console.log(JSON.stringify(result, null, 2));
        return;
    }
    const r = result.retention;
    console.log(r.cutoffSeconds === undefined
        ? "retention: dataRetentionDays is 0, every row kept"
        : `retention: ${r.deletedRows} rows older than ${new Date(r.cutoffSeconds * 1000).toISOString()} deleted (${r.droppedFiles} files dropped, ${r.rewrittenFiles} rewritten${r.snapshotId === undefined ? ", nothing to commit" : `, snapshot ${r.snapshotId}`})`);
    const c = result.compaction;
    console.log(c.snapshotId === undefined
        ? `compaction: nothing to do (${c.filesBefore} data files)`
        : `compaction: ${c.rewrittenFiles} small files rewritten into ${c.writtenFiles}; ${c.filesBefore} -> ${c.filesAfter} data files, ${c.manifestsBefore} -> ${c.manifestsAfter} manifests (snapshot ${c.snapshotId})`);
    console.log(`expiry: ${result.expiry.expiredSnapshotIds.length} snapshots expired, ${result.expiry.deletedFiles.length} files deleted`);
    console.log(`orphans: ${result.orphansDeleted.length} unreferenced files deleted`);
}

runCli(main);
