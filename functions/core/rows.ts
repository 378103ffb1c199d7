/**
 * The row core: an ingest record (newline-delimited {application_id, event, ...} lines, as the
 * ingest stage writes them) becomes the stored rows of the events table (newline-delimited JSON):
 * validation, enrichment with the application and processing metadata, status, and the record's
 * partition values. Neutral: no protocol (base64, record ids, results) and no cloud; the Firehose
 * transform (functions/aws/firehose-transform.ts) and the local delivery stage both call it.
 *
 * A record with a line that cannot be read is unreadable as a whole (the caller keeps it raw), so
 * nothing is lost.
 */
import { TtlCache } from "./cache";
import { validateGameEvent } from "./event-schema";
import { MAX_EVENT_TIMESTAMP, MIN_EVENT_TIMESTAMP } from "./game-event-schema";
import type { Application, ApplicationRegistry, Clock } from "./ports";
import { ApiMetadataText, BLANK, buildRow, parseLine, type ProcessingStatus, recordIdsJson, resolvedApplication, type ResolvedApplication, serializeRow, validRowJson } from "./row-text";

export type { ProcessingStatus } from "./row-text";

/** The application lookup port: the application of an id, undefined when it is not registered. */
export type ApplicationLookup = (applicationId: string) => Promise<Application | undefined>;

/** Counters a caller may pass to learn what happened (for metrics). */
export interface RowStats {
    records: number;
    /** Records that could not be read (Firehose answers them ProcessingFailed). */
    processingFailed: number;
    rows: number;
    ok: number;
    schemaMismatch: number;
    unregistered: number;
}

/** What the row core needs. */
export interface RowDeps {
    lookupApplication: ApplicationLookup;
    clock: Clock;
    /** New ingestion id, unique per row (the processing handler uses ingestion-id.ts: a random UUID v4 per container plus a counter). */
    newId(): string;
    /** Incremented when given. */
    stats?: RowStats;
}

/** Fresh zeroed {@link RowStats}. */
export function newRowStats(): RowStats {
    return { records: 0, processingFailed: 0, rows: 0, ok: 0, schemaMismatch: 0, unregistered: 0 };
}

/** Hive-style partition values of a record's rows, zero-padded, UTC: `{year: "2026", month: "01", day: "05"}`. */
export type PartitionValues = Readonly<Record<"year" | "month" | "day", string>>;

/** The stored rows of one ingest record, or `readable: false` when a line cannot be read (or there is none). */
export type RecordRows =
    | {
        readable: true;
        /** Newline-delimited JSON rows, each line ending with "\n". */
        text: string;
        /** Number of rows (lines) in `text`. */
        rows: number;
        /** Partition of the rows: the first event's day, or the arrival day when its timestamp is absent or out of range. */
        partition: PartitionValues;
    }
    | { readable: false };

const SECONDS_PER_DAY = 86_400;

/**
 * Rows of the records of one batch. The batch shares one processing time (the clock read when the
 * batch is created), its application lookups and its partition values; create one per batch.
 *
 * @example
 * const batch = new RowBatch({ lookupApplication, clock, newId });
 * const result = await batch.rowsOf(recordText, arrivalMs);
 */
export class RowBatch {
    private readonly now: number;
    private readonly apps = new Map<string, ResolvedApplication>();
    // Batches are usually one application: the last one resolved is checked before the map.
    private lastApp: ResolvedApplication | undefined;
    private lastAppId: string | undefined;
    private readonly apiMetadata = new ApiMetadataText();
    private readonly partitions = new Map<number, PartitionValues>();

    constructor(private readonly deps: RowDeps) {
        this.now = deps.clock.now();
    }

    /**
     * The rows of one ingest record's text.
     * @param arrivalMs when the record arrived (epoch ms), the partition of rows without a usable timestamp; @default the batch's time
     */
    async rowsOf(text: string, arrivalMs?: number): Promise<RecordRows> {
        const { deps, now } = this;
        const stats = deps.stats;
        if (stats) stats.records++;
        // Lines are parsed and turned into rows one at a time, so each parsed line is garbage as
        // soon as its row is written (a packed record holds hundreds of lines). A record with an
        // unreadable line is unreadable whole, whatever rows were already written.
        let firstTimestamp: number | null = null;
        let rowsText = "";
        let rows = 0;
        let ok = 0;
        let schemaMismatch = 0;
        let unregistered = 0;
        for (let start = 0; start <= text.length; ) {
            let end = text.indexOf("\n", start);
            if (end === -1) end = text.length;
            const line = end > start ? parseLine(text, start, end) : BLANK;
            start = end + 1;
            if (line === BLANK) continue;
            if (line === undefined) {
                if (stats) stats.processingFailed++;
                return { readable: false };
            }
            let app = line.application_id === this.lastAppId ? this.lastApp : this.apps.get(line.application_id);
            if (app === undefined) {
                app = resolvedApplication(line.application_id, await deps.lookupApplication(line.application_id), now);
                this.apps.set(line.application_id, app);
            }
            this.lastApp = app;
            this.lastAppId = line.application_id;
            const validation = validateGameEvent(line.event);
            // The player and source event ids are checked like the event's fields: a bad one keeps
            // the row, with a schema_mismatch status and the rule in its validation errors.
            const ids = recordIdsJson(line);
            let row: string;
            if (validation.valid && ids.ok) {
                const timestamp = Math.floor(validation.event.event_timestamp);
                if (rows === 0) firstTimestamp = timestamp;
                row = validRowJson(validation.event, timestamp, app, this.apiMetadata.of(line), deps.newId(), ids.text, line.source_event_type);
                if (app.application === undefined) unregistered++;
                else ok++;
            } else {
                const status: ProcessingStatus = app.application === undefined ? "unregistered" : "schema_mismatch";
                const errors = [...(validation.valid ? [] : validation.errors), ...(ids.ok ? [] : ids.errors)];
                const invalidRow = buildRow(line, app.application, status, errors, now, deps.newId());
                if (rows === 0) firstTimestamp = invalidRow.event_timestamp;
                row = serializeRow(invalidRow);
                if (status === "unregistered") unregistered++;
                else schemaMismatch++;
            }
            rowsText += row + "\n";
            rows++;
        }
        if (rows === 0) {
            if (stats) stats.processingFailed++;
            return { readable: false };
        }
        if (stats) {
            stats.rows += rows;
            stats.ok += ok;
            stats.schemaMismatch += schemaMismatch;
            stats.unregistered += unregistered;
        }
        // Partition by the first event's day; an absent or out-of-range timestamp (only in schema_mismatch
        // rows) falls back to the arrival time, so no row lands in a partition like year=33658.
        const inRange = firstTimestamp !== null && firstTimestamp >= MIN_EVENT_TIMESTAMP && firstTimestamp <= MAX_EVENT_TIMESTAMP;
        const day = Math.floor((inRange ? firstTimestamp! : (arrivalMs ?? now) / 1000) / SECONDS_PER_DAY);
        let partition = this.partitions.get(day);
        if (partition === undefined) {
            partition = partitionKeysOfDay(day);
            this.partitions.set(day, partition);
        }
        return { readable: true, text: rowsText, rows, partition };
    }
}

/** `{year, month, day}` of an epoch day, zero-padded, UTC. */
export function partitionKeysOfDay(epochDay: number): PartitionValues {
    const date = new Date(epochDay * SECONDS_PER_DAY * 1000);
    if (Number.isNaN(date.getTime())) return { year: "1970", month: "01", day: "01" };
    return {
        year: String(date.getUTCFullYear()).padStart(4, "0"),
        month: String(date.getUTCMonth() + 1).padStart(2, "0"),
        day: String(date.getUTCDate()).padStart(2, "0"),
    };
}

/**
 * An application lookup cached for `ttlMs`, "not found" included; concurrent lookups of the same
 * id share one registry call. Registry errors are not cached (they propagate: the caller retries).
 */
export function cachedApplicationLookup(registry: ApplicationRegistry, ttlMs: number, clock: Clock): ApplicationLookup {
    const cache = new TtlCache<string, Application | undefined>(ttlMs);
    const inFlight = new Map<string, Promise<Application | undefined>>();
    return async (applicationId) => {
        const hit = cache.get(applicationId, clock.now());
        if (hit) return hit.value;
        const pending = inFlight.get(applicationId);
        if (pending) return pending;
        const lookup = registry
            .getApplication(applicationId)
            .then((app) => {
                cache.set(applicationId, app, clock.now());
                return app;
            })
            .finally(() => inFlight.delete(applicationId));
        inFlight.set(applicationId, lookup);
        return lookup;
    };
}
