/**
 * Cost model of the pipeline on Google Cloud (`npm run cost -- --cloud gcp`, once wired): the same
 * settings and workload as the AWS model, priced with GCP list prices. Sizes come from the real
 * shapes and the real packing code (cost/record-sizes.ts, functions/core/packing.ts) with the
 * Pub/Sub sink's limits.
 */
import type { PipelineSettings } from "../../components/contracts/settings";
import { packLines, type PendingLine } from "../../functions/core/packing";
import { PUBSUB_MAX_BYTES_PER_CALL, PUBSUB_MAX_MESSAGES_PER_CALL, PUBSUB_MAX_RECORD_BYTES } from "../../functions/gcp/pubsub-sink";
import { count, line, type LineItem } from "../line-item";
import { eventOfSize, ingestLine, rowLine } from "../record-sizes";
import { GIB, MIB } from "../units";
import { daysPerMonth, eventsPerMonth, requestsPerMonth, secondsPerMonth, type Workload } from "../workload";
import { GCP_PRICES as P } from "./gcp-prices";

const TIB = 1024 * GIB;

/** Assumptions of the GCP model (no measurement on Google Cloud was possible here). */
export const GCP_ASSUMPTIONS = Object.freeze({
    /** Billed duration of one events request (Cloud Run bills in 100 ms steps). */
    eventsRequestSeconds: 0.1,
    /** Billed duration of one push to the processing function. */
    processingPushSeconds: 0.1,
    /** Billed duration of one real-time run (pull, count, write). */
    realtimeRunSeconds: 2,
    /** vCPU and GiB of a 256 MB function (Cloud Functions 2nd gen maps 256M to 0.167 vCPU). */
    vcpu: 0.167,
    memoryGib: 0.25,
    /** Bytes of the request log entry Cloud Run writes per request, plus the function's own line. */
    logBytesPerRequest: 1200,
    /** Instances serving the events route at once, for the authorizer and application caches. */
    minInstances: 1,
});

export interface GcpEstimate {
    cloud: "gcp";
    totalUsdPerMonth: number;
    lineItems: LineItem[];
    workload: Workload;
}

/** Messages of one request on the events topic (records mode, packed) and their bytes. */
function packedMessages(eventSizeBytes: number, eventsPerRequest: number): { messages: number; bytes: number } {
    const line = ingestLine(eventOfSize(eventSizeBytes));
    const lines: PendingLine[] = Array.from({ length: eventsPerRequest }, (_, index) => ({ index, line, partitionKey: "k", day: 0 }));
    const { records } = packLines(lines, { maxRecordsPerCall: PUBSUB_MAX_MESSAGES_PER_CALL, maxBytesPerCall: PUBSUB_MAX_BYTES_PER_CALL, maxRecordBytes: PUBSUB_MAX_RECORD_BYTES, packsEvents: true });
    return { messages: records.length, bytes: records.reduce((n, r) => n + r.record.data.length, 0) };
}

function functionLines(label: string, invocations: number, seconds: number): LineItem[] {
    const a = GCP_ASSUMPTIONS;
    return [
        line("Cloud Run functions", `${label} requests`, invocations / 1e6, P.cloudRun.requests, `${count(invocations)} requests`),
        line("Cloud Run functions", `${label} CPU`, invocations * seconds * a.vcpu, P.cloudRun.cpu, `${a.vcpu} vCPU x ${seconds} s billed per request`),
        line("Cloud Run functions", `${label} memory`, invocations * seconds * a.memoryGib, P.cloudRun.memory, `${a.memoryGib} GiB x ${seconds} s`),
    ];
}

/** Prices one month of `workload` on the GCP pipeline with `settings`. */
export function estimateGcp(s: PipelineSettings, w: Workload): GcpEstimate {
    const a = GCP_ASSUMPTIONS;
    const events = eventsPerMonth(w);
    const requests = requestsPerMonth(w);
    const seconds = secondsPerMonth(w);
    const rowBytes = events * (Buffer.byteLength(rowLine(eventOfSize(w.eventSizeBytes))) + 24); // + `,"event_day":"YYYY-MM-DD"`
    const kds = s.ingestMode === "KINESIS_DATA_STREAMS";
    const items: LineItem[] = [];
    const instances = Math.max(a.minInstances, Math.ceil((requests / seconds) * a.eventsRequestSeconds * 2));

    items.push(...functionLines("events", requests, a.eventsRequestSeconds));
    const authReads = Math.min(requests, w.apiKeys * instances * (seconds / Math.max(1, s.authorizerCacheTtlSeconds)));
    items.push(line("Firestore", "API key reads (cache misses)", authReads / 1e5, P.firestore.reads, `${w.apiKeys} keys x ${instances} instance(s), one read per ${s.authorizerCacheTtlSeconds} s`));
    const appReads = Math.min(requests, w.applications * instances * (seconds / Math.max(1, s.applicationCacheTtlSeconds)));
    items.push(line("Firestore", "application reads (row core cache misses)", appReads / 1e5, P.firestore.reads, `${w.applications} application(s), one read per ${s.applicationCacheTtlSeconds} s per instance`));

    if (kds) {
        const packed = packedMessages(w.eventSizeBytes, w.eventsPerRequest);
        const messages = requests * packed.messages;
        const bytes = requests * packed.bytes;
        const readers = 1 + (s.realTimeAnalytics ? 1 : 0);
        items.push(line("Pub/Sub", "events topic publish", bytes / TIB, P.pubsub.throughput, `${count(messages)} messages (events packed per UTC day, up to 1 MiB)`));
        items.push(line("Pub/Sub", "events topic deliveries", (bytes * readers) / TIB, P.pubsub.throughput, `${readers} subscription(s): processing push${s.realTimeAnalytics ? " + real-time pull" : ""}`));
        if (s.streamRetentionHours > 0) {
            items.push(line("Pub/Sub", "events topic retention", ((bytes / w.hoursPerMonth) * s.streamRetentionHours) / GIB, P.pubsub.retainedStorage, `${s.streamRetentionHours} h of messages kept at steady state`));
        }
        items.push(...functionLines("processing", messages, a.processingPushSeconds));
        if (s.s3BackupMode) items.push(line("Pub/Sub", "raw backup subscription", bytes / TIB, P.pubsub.exportThroughput, "Cloud Storage subscription of the events topic"));
    } else if (s.s3BackupMode) {
        items.push(line("Pub/Sub", "raw backup subscription", rowBytes / TIB, P.pubsub.exportThroughput, "Cloud Storage subscription of the rows topic"));
    }
    items.push(line("Pub/Sub", "rows topic publish", rowBytes / TIB, P.pubsub.throughput, `${count(events)} rows (one message per row)`));
    items.push(line("Pub/Sub", "BigQuery subscription", rowBytes / TIB, P.pubsub.exportThroughput, "rows written into raw_events, no code"));

    items.push(line("BigQuery", "active storage (one month of rows)", rowBytes / GIB, P.bigquery.activeStorage, "logical bytes of the month's rows"));
    const perDayBytes = rowBytes / daysPerMonth(w);
    const scanned = Math.max(10 * MIB, perDayBytes * w.athenaQueryDays);
    const queries = w.athenaQueriesPerDay * daysPerMonth(w);
    items.push(line("BigQuery", "on-demand queries", (queries * scanned) / TIB, P.bigquery.onDemandQuery, `${count(queries)} queries of ${w.athenaQueryDays} day(s) (partition pruning on event_day)`));

    if (s.realTimeAnalytics && kds) {
        const runs = seconds / 60;
        items.push(...functionLines("real-time", runs, a.realtimeRunSeconds));
        items.push(line("Cloud Scheduler", "real-time job", 1, P.scheduler.job, "one job, every minute"));
        const seriesPerRun = 4 + w.applications * (2 + 2 * 21);
        items.push(line("Cloud Monitoring", "custom metrics", (runs * seriesPerRun * 8) / MIB, P.monitoring.customMetrics, `${seriesPerRun} series per window, 8 bytes a point`));
    }
    const loggedRequests = requests + (kds ? requests * packedMessages(w.eventSizeBytes, w.eventsPerRequest).messages : 0);
    items.push(line("Cloud Logging", "function and request logs", (loggedRequests * a.logBytesPerRequest) / GIB, P.logging.ingestion, `${count(loggedRequests)} requests logged`));
    items.push(line("Cloud KMS", "data key", 1, P.kms.keyVersion, "one key; each 90-day rotation adds a billed version"));
    const total = Math.round(items.reduce((sum, l) => sum + l.usdPerMonth, 0) * 100) / 100;
    return { cloud: "gcp", totalUsdPerMonth: total, lineItems: items, workload: w };
}
