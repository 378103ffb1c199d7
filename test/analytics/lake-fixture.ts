/**
 * Builds a small, known data lake for query tests: EventRows written as Hive-partitioned Parquet by
 * the same writer the local mode uses.
 */
import * as path from "node:path";
import { EventRow } from "../../functions/core/contracts";
import { ParquetLakeWriter } from "../../local/lake-writer";

/** A row of the events table; only what a test cares about is given. */
export interface FixtureEvent {
    eventId: string;
    applicationId: string;
    eventType: string;
    /** Epoch seconds. */
    timestamp: number;
    eventData?: Record<string, unknown>;
    /** The JWT's player id; absent for API-key traffic. */
    playerId?: string;
}

export function toEventRow(e: FixtureEvent): EventRow {
    return {
        event_id: e.eventId,
        event_type: e.eventType,
        event_name: e.eventType,
        event_version: "1.0.0",
        event_timestamp: e.timestamp,
        app_version: "1.0.0",
        application_id: e.applicationId,
        application_name: `game ${e.applicationId}`,
        event_data: e.eventData === undefined ? null : JSON.stringify(e.eventData),
        metadata: JSON.stringify({ ingestion_id: `ing-${e.eventId}`, processing_status: "ok" }),
        player_id: e.playerId ?? null,
        source_event_id: null,
    };
}

/** "year=YYYY/month=MM/day=DD" of an epoch-seconds timestamp, UTC. */
export function partitionPath(epochSeconds: number): string {
    const d = new Date(epochSeconds * 1000);
    const pad = (n: number): string => String(n).padStart(2, "0");
    return `year=${d.getUTCFullYear()}/month=${pad(d.getUTCMonth() + 1)}/day=${pad(d.getUTCDate())}`;
}

/** Writes the events as Parquet under `<lakeDir>/<prefix>/year=/month=/day=/<fileName>.parquet`. */
export async function writeLake(lakeDir: string, prefix: string, events: readonly FixtureEvent[], fileName = "part-0"): Promise<void> {
    const byPartition = new Map<string, EventRow[]>();
    for (const e of events) {
        const key = partitionPath(e.timestamp);
        const rows = byPartition.get(key) ?? [];
        rows.push(toEventRow(e));
        byPartition.set(key, rows);
    }
    const writer = await ParquetLakeWriter.open();
    try {
        for (const [partition, rows] of byPartition) {
            await writer.writeParquet(rows, path.join(lakeDir, prefix, partition, `${fileName}.parquet`));
        }
    } finally {
        await writer.close();
    }
}
