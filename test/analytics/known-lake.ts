/**
 * The known data set as a lake, for a mocha describe block: before its tests, the events and
 * their redelivered copies are written (two Parquet files) to a temporary Hive lake and the Athena
 * emulation is opened over it as game_events.raw_events; after them, closed and removed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AthenaEmulation, openAthenaEmulation } from "../../analytics/duckdb-athena";
import { knownDataSet } from "./known-data-set";
import { FixtureEvent, writeLake } from "./lake-fixture";

export const KNOWN_LAKE = { database: "game_events", table: "raw_events", rawEventsPrefix: "raw_events" } as const;

/**
 * Registers the hooks in the calling describe block.
 * @param tempPrefix prefix of the temporary folder's name
 * @returns the data set written and the open emulation (valid inside the block's tests)
 * @example const lake = useKnownLake("gap-queries-"); it("...", async () => runQuery(lake.db().connection, sql));
 */
export function useKnownLake(tempPrefix: string): { events: FixtureEvent[]; redelivered: FixtureEvent[]; db(): AthenaEmulation } {
    const { events, redelivered } = knownDataSet();
    let dir: string | undefined;
    let db: AthenaEmulation | undefined;
    before(async function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), tempPrefix));
        await writeLake(dir, KNOWN_LAKE.rawEventsPrefix, events, "part-0");
        await writeLake(dir, KNOWN_LAKE.rawEventsPrefix, redelivered, "part-1");
        db = await openAthenaEmulation({ lakeDir: dir, ...KNOWN_LAKE });
    });
    after(function () {
        db?.close();
        if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
    });
    return {
        events,
        redelivered,
        db: () => {
            if (db === undefined) throw new Error("the known lake is open inside the describe block's tests only");
            return db;
        },
    };
}
