import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PgliteWarehouse } from "../../local/warehouse/pglite-warehouse";
import { batchId, batchRows, EVENTS_PER_BATCH } from "./warehouse-crash-writer";

const ROOT = path.resolve(__dirname, "../..");

describe("local warehouse after a SIGKILL mid-insert: every acknowledged batch, exactly once, persisted", function () {
    // Generous: a new pglite data directory (initdb in WebAssembly) takes ~30 s on a loaded 2-core machine.
    this.timeout(360_000);
    let dir: string;

    before(function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "gap-warehouse-crash-"));
    });

    after(function () {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("keeps each acknowledged batch, no partial batch, and a replay of every batch adds each event once", async function () {
        const dataDir = path.join(dir, "warehouse");
        const child = spawn(process.execPath, ["--require", "tsx/cjs", path.join(ROOT, "test/local/warehouse-crash-writer.ts"), dataDir],
            { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
        const acknowledged = await new Promise<string[]>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`too few commits within 300 s; stderr: ${err}`)), 300_000);
            child.stdout!.on("data", (d: Buffer) => {
                out += d.toString();
                const ids = [...out.matchAll(/^committed (\d{16})$/gm)].map((m) => m[1]);
                if (ids.length >= 10) {
                    // Killed amid inserts: the writer never stops between batches.
                    child.kill("SIGKILL");
                    clearTimeout(timer);
                    resolve(ids);
                }
            });
            child.once("exit", (code, signal) => {
                if (signal !== "SIGKILL") reject(new Error(`writer exited with ${code}; stderr: ${err}`));
            });
        });
        await new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

        // The killed writer left its lock behind: a lock of a dead process is taken over.
        assert.equal(fs.readFileSync(`${dataDir}.lock`, "utf8"), String(child.pid));
        const warehouse = await PgliteWarehouse.open({ dataDir });
        try {
            for (const id of acknowledged) assert.equal(await warehouse.isDelivered(id), true, `acknowledged batch ${id}`);
            const perBatch = await warehouse.query(
                `SELECT sequence_number, count(*) AS n FROM game_events.kinesis_events GROUP BY 1 ORDER BY 1`);
            const delivered = (await warehouse.query(`SELECT count(*) AS n FROM game_events.delivered_batches`)).rows[0].n as number;
            assert.ok(delivered >= acknowledged.length, `${delivered} batches delivered, ${acknowledged.length} acknowledged`);
            assert.equal(perBatch.rows.length, delivered, "rows of delivered batches only: nothing of a batch cut short");
            assert.ok(perBatch.rows.every((r) => r.n === EVENTS_PER_BATCH), "every delivered batch complete");

            // The stream reader redoes every batch after the restart (delivered ones and the one cut short).
            const upTo = delivered + 2;
            for (let n = 0; n < upTo; n++) await warehouse.insertEvents(batchId(n), batchRows(n));
            const totals = (await warehouse.query(
                `SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM game_events.events`)).rows[0];
            assert.deepEqual(totals, { n: upTo * EVENTS_PER_BATCH, ids: upTo * EVENTS_PER_BATCH });
            assert.deepEqual((await warehouse.named("TotalEvents")).rows, [
                { application_id: "aaaaaaaa-0000-4000-8000-000000000001", event_count: upTo * EVENTS_PER_BATCH },
            ]);
            // A view left in another shape (an older definition) is replaced at the next open.
            await warehouse.query(`DROP VIEW game_events."TotalEvents"`);
            await warehouse.query(`CREATE VIEW game_events."TotalEvents" AS SELECT 1 AS old_column`);
        } finally {
            await warehouse.close();
        }
        const reopened = await PgliteWarehouse.open({ dataDir });
        try {
            assert.deepEqual((await reopened.named("TotalEvents")).rows, [
                { application_id: "aaaaaaaa-0000-4000-8000-000000000001", event_count: (await reopened.query(
                    `SELECT count(*) AS n FROM game_events.kinesis_events`)).rows[0].n as number },
            ]);
        } finally {
            await reopened.close();
        }
        assert.equal(fs.existsSync(`${dataDir}.lock`), false, "close releases the lock");
    });
});
