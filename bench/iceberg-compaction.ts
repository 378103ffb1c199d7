/**
 * iceberg-compaction: named-query time over the local Iceberg events table before and after
 * compaction. A table is filled by many small flushes (one snapshot each, one data file per
 * partition, as the delivery stage makes them), then the view is opened (manifest list and
 * manifests read) and every named query run, in rounds; then the table is compacted and the same
 * is timed again. Figures are medians of the rounds.
 *
 *     npx tsx bench/iceberg-compaction.ts [--quick]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NAMED_QUERIES } from "../analytics/named-queries";
import { runQuery } from "../analytics/query-results";
import type { EventRow } from "../functions/core/contracts";
import { compactTable } from "../local/iceberg/maintenance";
import { openIcebergAthenaEmulation, scanTable } from "../local/iceberg/reader";
import { IcebergTableWriter } from "../local/iceberg/writer";
import { median, nowMs, type Benchmark, type BenchOptions, type Figure } from "./harness";

const NAMES = { database: "game_events", table: "raw_events" };
const TYPES = ["level_started", "level_completed", "level_failed", "user_sentiment", "user_report", "login", "iap_transaction", "user_registration"];

/** Rows of one flush: spread over `days` UTC days ending now and `apps` applications. */
function flushRows(flush: number, count: number, days: number, apps: number): EventRow[] {
    const now = Math.floor(Date.now() / 1000);
    return Array.from({ length: count }, (_, i) => {
        const type = TYPES[(flush + i) % TYPES.length];
        return {
            event_id: `f${flush}-${i}`,
            event_type: type,
            event_name: type,
            event_version: "1.0.0",
            event_timestamp: now - (i % days) * 86_400 - (i % 3600),
            app_version: "1.1.0",
            application_id: `app-${Math.floor(i / days) % apps}`,
            application_name: "Game",
            event_data: JSON.stringify({ level_id: `L${i % 20}`, user_rating: (i % 5) + 1, report_reason: ["cheat", "spam", "afk"][i % 3], transaction_id: `t${flush}-${i}` }),
            metadata: JSON.stringify({ ingestion_id: `i${flush}-${i}`, processing_status: "ok" }),
            player_id: i % 2 === 0 ? `player-${i % 97}` : null,
            source_event_id: null,
        };
    });
}

/** Opens the view and runs every named query once; returns [open ms, queries ms]. */
async function timeQueries(tableDir: string): Promise<[number, number]> {
    const start = nowMs();
    const db = await openIcebergAthenaEmulation({ tableDir, ...NAMES });
    const opened = nowMs();
    try {
        for (const query of NAMED_QUERIES) await runQuery(db.connection, query.sql(NAMES.database, NAMES.table));
    } finally {
        db.close();
    }
    return [opened - start, nowMs() - opened];
}

async function measure(tableDir: string, rounds: number): Promise<{ open: number[]; queries: number[] }> {
    await timeQueries(tableDir); // warm-up (file cache, DuckDB start)
    const open: number[] = [];
    const queries: number[] = [];
    for (let r = 0; r < rounds; r++) {
        const [o, q] = await timeQueries(tableDir);
        open.push(o);
        queries.push(q);
    }
    return { open, queries };
}

export const icebergCompactionBenchmark: Benchmark = {
    name: "iceberg-compaction",
    title: "Local Iceberg table: named-query time before and after compaction",
    async run(options: BenchOptions) {
        const flushes = options.tiny ? 4 : options.quick ? 60 : 240;
        const rowsPerFlush = options.tiny ? 20 : 250;
        const rounds = options.tiny ? 1 : options.quick ? 3 : 5;
        const days = 3;
        const apps = 2;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gap-bench-iceberg-"));
        const tableDir = path.join(dir, "raw_events");
        try {
            const writer = await IcebergTableWriter.open(tableDir);
            const fillStart = nowMs();
            for (let f = 0; f < flushes; f++) {
                await writer.appendRows(flushRows(f, rowsPerFlush, days, apps), `bench-${String(f).padStart(16, "0")}`);
                if (f % 50 === 49) options.log?.(`  ${f + 1}/${flushes} flushes`);
            }
            const fillMs = nowMs() - fillStart;
            await writer.close();
            const filesBefore = (await scanTable(tableDir)).files.length;
            const before = await measure(tableDir, rounds);
            const compactStart = nowMs();
            const compaction = await compactTable(tableDir);
            const compactMs = nowMs() - compactStart;
            const filesAfter = (await scanTable(tableDir)).files.length;
            const after = await measure(tableDir, rounds);
            const figures: Figure[] = [
                { name: "data files before compaction", value: filesBefore, unit: "files" },
                { name: "data files after compaction", value: filesAfter, unit: "files" },
                { name: "open view before compaction (read manifests)", value: median(before.open), unit: "ms", samples: before.open },
                { name: "open view after compaction", value: median(after.open), unit: "ms", samples: after.open },
                { name: `all ${NAMED_QUERIES.length} named queries before compaction`, value: median(before.queries), unit: "ms", samples: before.queries },
                { name: `all ${NAMED_QUERIES.length} named queries after compaction`, value: median(after.queries), unit: "ms", samples: after.queries },
                { name: "speed-up of the named queries", value: median(before.queries) / median(after.queries), unit: "x" },
                { name: "compaction", value: compactMs, unit: "ms" },
                { name: "append (one flush, one snapshot)", value: fillMs / flushes, unit: "ms" },
            ];
            return {
                figures,
                targets: [],
                notes: [
                    `${flushes} flushes of ${rowsPerFlush} rows over ${days} days x ${apps} applications (${flushes * rowsPerFlush} rows, ${compaction.manifestsBefore} manifests before compaction, ${compaction.manifestsAfter} after)`,
                    `medians of ${rounds} rounds after one warm-up; each round opens a fresh DuckDB (reads metadata, manifest list, manifests) and runs every named query once`,
                ],
            };
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    },
};

if (require.main === module) {
    const quick = process.argv.includes("--quick");
    icebergCompactionBenchmark.run({ quick, log: (m) => console.error(m) })
        .then((result) => {
            for (const f of result.figures) console.log(`${f.name.padEnd(50)} ${Number(f.value.toFixed(2))} ${f.unit}`);
            for (const n of result.notes) console.log(`note: ${n}`);
        })
        .catch((error) => {
            console.error(error);
            process.exit(1);
        });
}
