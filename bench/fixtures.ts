/**
 * Inputs of the benchmarks, built from the synthetic event generator (realistic event types and
 * sizes, fixed seed): ingest lines as the ingest stage writes them, Firehose transformation
 * batches, events requests, and in-memory ports.
 */
import type { FirehoseTransformInput } from "../functions/aws/firehose-transform";
import type { HttpRequest, IngestRecord } from "../functions/core/contracts";
import type { SinkLimits } from "../functions/core/packing";
import { type ApplicationLookup, cachedApplicationLookup } from "../functions/core/rows";
import type { Application, ApplicationChanges, ApplicationRegistry, Clock, EventSink, Page, SinkRecord, SinkRecordResult } from "../functions/core/ports";
import { SyntheticEventGenerator, type SyntheticEvent } from "../tools/synthetic-events";

/** Fixed "now" of every fixture: 2026-01-05T12:00:00Z, so a minute of events never crosses midnight. */
export const FIXTURE_NOW_MS = Date.UTC(2026, 0, 5, 12, 0, 0);
export const FIXTURE_APPLICATION_ID = "6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b";
export const FIXTURE_APPLICATION: Application = {
    ApplicationId: FIXTURE_APPLICATION_ID,
    ApplicationName: "bench-game",
    Description: "benchmark application",
    CreatedAt: "2026-01-01T00:00:00.000Z",
    UpdatedAt: "2026-01-01T00:00:00.000Z",
};

export const fixedClock: Clock = { now: () => FIXTURE_NOW_MS };

/** `count` valid synthetic events (seeded). */
export function syntheticEvents(count: number, seed = 42): SyntheticEvent[] {
    const generator = new SyntheticEventGenerator({ seed, now: () => Math.floor(FIXTURE_NOW_MS / 1000) });
    return Array.from({ length: count }, () => generator.validEvent());
}

/** The JSON line the ingest stage writes for one event (no trailing newline). */
export function ingestLine(event: SyntheticEvent, requestIndex: number): string {
    const record: IngestRecord = {
        application_id: FIXTURE_APPLICATION_ID,
        event,
        request_id: `bench-request-${requestIndex}`,
        request_time_epoch: FIXTURE_NOW_MS,
    };
    return JSON.stringify(record);
}

/**
 * A Firehose transformation batch of `records` records holding `eventsPerRecord` ingest lines
 * each ("\n"-terminated, as the ingest stage packs them).
 */
export function transformBatch(records: number, eventsPerRecord: number, seed = 42): FirehoseTransformInput[] {
    const events = syntheticEvents(records * eventsPerRecord, seed);
    const batch: FirehoseTransformInput[] = [];
    for (let r = 0; r < records; r++) {
        let text = "";
        for (let e = 0; e < eventsPerRecord; e++) {
            const index = r * eventsPerRecord + e;
            text += ingestLine(events[index]!, Math.floor(index / 100)) + "\n";
        }
        batch.push({
            recordId: `record-${String(r).padStart(6, "0")}`,
            data: Buffer.from(text, "utf8").toString("base64"),
            approximateArrivalTimestamp: FIXTURE_NOW_MS,
        });
    }
    return batch;
}

/** Decoded bytes of a batch's records. */
export function batchBytes(batch: readonly FirehoseTransformInput[]): number {
    return batch.reduce((n, r) => n + Buffer.byteLength(r.data, "base64"), 0);
}

/**
 * Pads an event's event_data with a `padding` string until its JSON is about `bytes` long (the
 * ~1 KB events of the guidance's cost model).
 */
export function padEvent(event: SyntheticEvent, bytes: number): SyntheticEvent {
    const size = Buffer.byteLength(JSON.stringify(event));
    if (size >= bytes) return event;
    const fill = bytes - size - '"padding":"",'.length;
    return { ...event, event_data: { ...event.event_data, padding: "x".repeat(Math.max(0, fill)) } };
}

/** An events request (as API Gateway hands it to the handler) carrying `events`. */
export function eventsRequest(events: readonly unknown[], requestIndex = 0): HttpRequest {
    return {
        method: "POST",
        resource: "/applications/{applicationId}/events",
        pathParameters: { applicationId: FIXTURE_APPLICATION_ID },
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ events }),
        requestId: `bench-request-${requestIndex}`,
        requestTimeEpoch: FIXTURE_NOW_MS,
    };
}

/** A registry holding one application, answering from memory. */
export class InMemoryRegistry implements ApplicationRegistry {
    lookups = 0;
    private readonly apps = new Map<string, Application>([[FIXTURE_APPLICATION_ID, FIXTURE_APPLICATION]]);

    async createApplication(app: Application): Promise<void> {
        this.apps.set(app.ApplicationId, app);
    }
    async getApplication(applicationId: string): Promise<Application | undefined> {
        this.lookups++;
        return this.apps.get(applicationId);
    }
    async listApplications(limit: number): Promise<Page<Application>> {
        return { items: [...this.apps.values()].slice(0, limit) };
    }
    async updateApplication(applicationId: string, changes: ApplicationChanges): Promise<Application | undefined> {
        const app = this.apps.get(applicationId);
        if (app === undefined) return undefined;
        const updated = { ...app, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
        this.apps.set(applicationId, updated);
        return updated;
    }
    async deleteApplication(applicationId: string): Promise<boolean> {
        return this.apps.delete(applicationId);
    }
}

/**
 * A sink with a real sink's limits that accepts everything and keeps only counts (so the benchmark
 * measures the handler, not a growing array).
 */
export class CountingSink implements EventSink {
    readonly maxRecordsPerCall: number;
    readonly maxBytesPerCall: number;
    readonly maxRecordBytes: number;
    readonly packsEvents: boolean;
    calls = 0;
    records = 0;
    bytes = 0;

    constructor(limits: SinkLimits) {
        ({ maxRecordsPerCall: this.maxRecordsPerCall, maxBytesPerCall: this.maxBytesPerCall,
            maxRecordBytes: this.maxRecordBytes, packsEvents: this.packsEvents } = limits);
    }

    async putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]> {
        this.calls++;
        this.records += records.length;
        for (const r of records) this.bytes += r.data.length;
        return records.map(() => ({ ok: true }));
    }
}

/**
 * The row core's application lookup as a warm Lambda has it: the real cache over an in-memory
 * registry, the fixture application already looked up once.
 */
export async function warmApplicationLookup(): Promise<ApplicationLookup> {
    const lookupApplication = cachedApplicationLookup(new InMemoryRegistry(), 60_000, fixedClock);
    await lookupApplication(FIXTURE_APPLICATION_ID);
    return lookupApplication;
}
