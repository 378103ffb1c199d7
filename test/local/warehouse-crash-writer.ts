/**
 * Child process of warehouse-crash.test.ts: inserts numbered batches of `EVENTS_PER_BATCH` events
 * into the warehouse at `argv[2]` and prints "committed <batchId>" once each insert has returned,
 * until it is killed.
 */
import { PgliteWarehouse } from "../../local/warehouse/pglite-warehouse";
import { rowsOfRecord } from "../../local/warehouse/records";

export const EVENTS_PER_BATCH = 50;

/** Epoch seconds of the start of the current UTC month: inside TotalEvents' twelve-month window. */
function monthStartSeconds(): number {
    const now = new Date();
    return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) / 1000;
}

/** The rows of batch `n`: one packed record of EVENTS_PER_BATCH ingest lines. */
export function batchRows(n: number) {
    const lines: string[] = [];
    for (let j = 0; j < EVENTS_PER_BATCH; j++) {
        const id = `00000000-0000-4000-8000-${String(n * EVENTS_PER_BATCH + j).padStart(12, "0")}`;
        lines.push(JSON.stringify({
            application_id: "aaaaaaaa-0000-4000-8000-000000000001",
            event: { event_id: id, event_type: "login", event_name: "login", event_timestamp: monthStartSeconds() + n, event_data: { platform: "pc" } },
            request_id: `req-${n}`, request_time_epoch: monthStartSeconds() * 1000 + n,
        }) + "\n");
    }
    return rowsOfRecord({ data: Buffer.from(lines.join("")), arrivalMs: Date.now(), partitionKey: `p${n}`, sequenceNumber: String(n) });
}

export function batchId(n: number): string {
    return String(n).padStart(16, "0");
}

async function main(): Promise<void> {
    const warehouse = await PgliteWarehouse.open({ dataDir: process.argv[2] });
    process.stdout.write("open\n");
    for (let n = 0; n < 100_000; n++) {
        await warehouse.insertEvents(batchId(n), batchRows(n));
        process.stdout.write(`committed ${batchId(n)}\n`);
    }
}

if (require.main === module) {
    main().catch((error) => {
        process.stderr.write(`${(error as Error).stack}\n`);
        process.exit(1);
    });
}
