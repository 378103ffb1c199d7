/**
 * Monthly volumes of one design for one workload and settings: everything the line items price.
 */
import type { PipelineSettings } from "../components/contracts/settings";
import { ASSUMPTIONS } from "./assumptions";
import type { Design } from "./design";
import { FIREHOSE_BILLING_INCREMENT_BYTES, KINESIS_ON_DEMAND_INCREMENT_BYTES, KINESIS_PUT_PAYLOAD_UNIT_BYTES } from "./prices";
import { eventOfSize, recordsOfRequest, type RequestRecords, rowLine, unpackedEventRecords } from "./record-sizes";
import { daysPerMonth, eventsPerMonth, requestsPerMonth, secondsPerMonth, type Workload } from "./workload";

/** Monthly record volumes at one hop (into Kinesis, or into Firehose). */
export interface RecordVolume {
    records: number;
    /** Sum of record sizes, bytes. */
    bytes: number;
    /** Sum of record sizes rounded per record to the hop's billing increment, bytes. */
    billedBytes: number;
}

export interface CostContext {
    settings: PipelineSettings;
    workload: Workload;
    design: Design;
    seconds: number;
    days: number;
    events: number;
    requests: number;
    /** Bytes of one request body (`{"events":[...]}`). */
    requestBodyBytes: number;
    /** Kinesis data-in (KDS mode only). */
    kinesis?: RecordVolume & { putPayloadUnits: number };
    /** Firehose ingestion (Direct PUT, or read from the stream). */
    firehose: RecordVolume;
    /** JSON rows the transform emits per month (input of Parquet conversion), bytes. */
    rowBytes: number;
    /** Parquet bytes landed in the lake per month. */
    parquetBytes: number;
    /** Firehose Lambda processor invocations per month. */
    transformInvocations: number;
    /** S3 objects Firehose delivers per month (one per active partition per buffer flush). */
    deliveredObjects: number;
    /** Authorizer Lambda invocations per month (cache misses). */
    authorizerInvocations: number;
}

function perMonth(perRequest: RequestRecords, requests: number, increment: number): RecordVolume {
    return {
        records: perRequest.records * requests,
        bytes: perRequest.bytes * requests,
        billedBytes: perRequest.billedBytes(increment) * requests,
    };
}

/**
 * Authorizer invocations: API Gateway caches a REQUEST authorizer's decision per identity source
 * value (the Authorization header, i.e. the API key) for the TTL, so each key costs at most one
 * invocation per TTL period; never more than the requests themselves.
 */
export function authorizerInvocations(requests: number, apiKeys: number, ttlSeconds: number, seconds: number): number {
    if (ttlSeconds <= 0) return requests;
    return Math.min(requests, apiKeys * Math.ceil(seconds / ttlSeconds));
}

/** Builds the monthly volumes. */
export function buildContext(settings: PipelineSettings, workload: Workload, design: Design): CostContext {
    const seconds = secondsPerMonth(workload);
    const events = eventsPerMonth(workload);
    const requests = requestsPerMonth(workload);
    const perRequest = workload.eventsPerRequest;
    const event = eventOfSize(workload.eventSizeBytes);
    const requestBodyBytes = Buffer.byteLength(JSON.stringify({ events: [] })) + perRequest * (workload.eventSizeBytes + 1);

    const guidanceCounting = design.recordContent === "event-only";
    let kinesis: CostContext["kinesis"];
    let firehose: RecordVolume;
    if (settings.ingestMode === "KINESIS_DATA_STREAMS") {
        const kRequest = guidanceCounting
            ? unpackedEventRecords(workload.eventSizeBytes, perRequest)
            : recordsOfRequest(workload.eventSizeBytes, perRequest, "kinesis", design.kinesisPacking);
        const volume = perMonth(kRequest, requests, KINESIS_ON_DEMAND_INCREMENT_BYTES);
        kinesis = { ...volume, putPayloadUnits: kRequest.billedBytes(KINESIS_PUT_PAYLOAD_UNIT_BYTES) / KINESIS_PUT_PAYLOAD_UNIT_BYTES * requests };
        // Firehose reads the stream's records as they are (5 KB rounding per record).
        firehose = perMonth(kRequest, requests, FIREHOSE_BILLING_INCREMENT_BYTES);
    } else {
        const fRequest = guidanceCounting
            ? unpackedEventRecords(workload.eventSizeBytes, perRequest)
            : recordsOfRequest(workload.eventSizeBytes, perRequest, "firehose", design.firehosePacking);
        firehose = perMonth(fRequest, requests, FIREHOSE_BILLING_INCREMENT_BYTES);
    }

    const rowBytes = Buffer.byteLength(rowLine(event)) * events;
    const parquetBytes = rowBytes * ASSUMPTIONS.parquetToJsonRatio;
    const transformInvocations = Math.ceil(Math.max(seconds / ASSUMPTIONS.transformBufferSeconds, firehose.bytes / ASSUMPTIONS.transformBufferBytes));
    const bufferSeconds = settings.devMode ? 60 : 900;
    const flushes = Math.max(seconds / bufferSeconds, rowBytes / ASSUMPTIONS.firehoseS3BufferBytes);
    const deliveredObjects = Math.ceil(flushes * ASSUMPTIONS.activePartitions);

    return {
        settings,
        workload,
        design,
        seconds,
        days: daysPerMonth(workload),
        events,
        requests,
        requestBodyBytes,
        kinesis,
        firehose,
        rowBytes,
        parquetBytes,
        transformInvocations,
        deliveredObjects,
        authorizerInvocations: authorizerInvocations(requests, workload.apiKeys, design.authorizerCacheTtlSeconds, seconds),
    };
}
