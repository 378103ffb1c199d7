/**
 * Child process of the Iceberg crash tests: appends a JSON-lines file to a table (or compacts it),
 * and at the commit step named by argv[5] prints "PAUSED <step>" and blocks, waiting for the
 * parent's SIGKILL.
 *
 *     node --require tsx/cjs crash-child.ts append <tableDir> <jsonl> <commitId> <step|none>
 *     node --require tsx/cjs crash-child.ts compact <tableDir> - - <step|none>
 */
import * as fs from "node:fs";
import { CommitStage } from "../../../local/iceberg/metadata";
import { compactTable } from "../../../local/iceberg/maintenance";
import { IcebergTableWriter } from "../../../local/iceberg/writer";

const [mode, tableDir, jsonlPath, commitId, pauseAt] = process.argv.slice(2);

function hook(stage: CommitStage): void {
    if (stage !== pauseAt) return;
    fs.writeSync(1, `PAUSED ${stage}\n`);
    // Block the whole process (no further I/O) until the parent kills it.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
    process.exit(3);
}

async function main(): Promise<void> {
    if (mode === "compact") {
        const result = await compactTable(tableDir, { hook });
        process.stdout.write(`DONE ${JSON.stringify(result)}\n`);
        return;
    }
    const writer = await IcebergTableWriter.open(tableDir);
    try {
        const result = await writer.appendJsonLinesFile(jsonlPath, commitId, { hook });
        process.stdout.write(`DONE ${JSON.stringify(result)}\n`);
    } finally {
        await writer.close();
    }
}

main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
});
