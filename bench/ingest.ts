/**
 * ingest: `handleIngestRequest` (the events Lambda's logic) answering requests of 100 events of
 * ~1 KB into an in-memory sink, for both sink shapes (Firehose packs events, Kinesis does not),
 * next to a floor timed in the same rounds that only parses the body and writes one JSON line per
 * event.
 */
import type { HttpRequest } from "../functions/core/contracts";
import { FIREHOSE_SINK_LIMITS } from "../functions/aws/adapters/firehose-sink";
import { KINESIS_SINK_LIMITS } from "../functions/aws/adapters/kinesis-sink";
import { handleIngestRequest } from "../functions/core/ingest";
import { CountingSink, eventsRequest, FIXTURE_APPLICATION_ID, fixedClock, padEvent, syntheticEvents } from "./fixtures";
import { check, compareRates, median, type Benchmark, type Figure, type TargetCheck } from "./harness";

export const EVENTS_PER_REQUEST = 100;
export const EVENT_BYTES = 1024;
export const TARGET_EVENTS_PER_SECOND = 50_000;

/** The floor: parse the body, wrap and stringify each event. No validation, packing or sink. */
function floorIngest(req: HttpRequest): number {
    const body = JSON.parse(req.body!) as { events: unknown[] };
    let bytes = 0;
    for (const event of body.events) {
        bytes += JSON.stringify({ application_id: FIXTURE_APPLICATION_ID, event, request_id: req.requestId, request_time_epoch: req.requestTimeEpoch }).length;
    }
    return bytes;
}

export const ingestBenchmark: Benchmark = {
    name: "ingest",
    title: "Events API handler (ingest Lambda logic), one core",
    async run(options) {
        const eventsPerRequest = options.tiny ? 5 : EVENTS_PER_REQUEST;
        const distinct = options.tiny ? 2 : 20;
        const events = syntheticEvents(eventsPerRequest * distinct, 7).map((e) => padEvent(e, EVENT_BYTES));
        const requests = Array.from({ length: distinct }, (_, i) => eventsRequest(events.slice(i * eventsPerRequest, (i + 1) * eventsPerRequest), i));
        const meanEventBytes = events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) / events.length;
        const sinks = { firehose: new CountingSink(FIREHOSE_SINK_LIMITS), kinesis: new CountingSink(KINESIS_SINK_LIMITS) };
        // Every request must be answered 200 with every event Ok, or the figure would be meaningless.
        for (const sink of Object.values(sinks)) {
            for (const req of requests) {
                const res = await handleIngestRequest(req, FIXTURE_APPLICATION_ID, { sink, clock: fixedClock });
                const body = JSON.parse(res.body) as { FailedRecordCount: number };
                if (res.statusCode !== 200 || body.FailedRecordCount !== 0) throw new Error(`ingest benchmark request failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
            }
        }
        let next = 0;
        const handle = (sink: CountingSink) => () => handleIngestRequest(requests[next++ % distinct]!, FIXTURE_APPLICATION_ID, { sink, clock: fixedClock });
        const rounds = options.tiny ? 1 : options.quick ? 3 : 9;
        const minRoundMs = options.tiny ? 1 : options.quick ? 150 : 400;
        const comparison = await compareRates(
            [
                { label: "floor", units: eventsPerRequest, run: () => floorIngest(requests[next++ % distinct]!) },
                { label: "firehose", units: eventsPerRequest, run: handle(sinks.firehose) },
                { label: "kinesis", units: eventsPerRequest, run: handle(sinks.kinesis) },
            ],
            { rounds, minRoundMs, warmupRounds: options.tiny ? 0 : 2 },
        );
        const figures: Figure[] = [];
        const targets: TargetCheck[] = [];
        for (const label of ["firehose", "kinesis"] as const) {
            const rate = median(comparison.rates[label]!);
            const name = label === "firehose" ? "DIRECT_BATCH (Firehose sink, packed)" : `KINESIS_DATA_STREAMS (Kinesis sink, ${KINESIS_SINK_LIMITS.packsEvents ? "packed" : "1 event/record"})`;
            figures.push(
                { name: `${name}: events/s`, value: rate, unit: "events/s", samples: comparison.rates[label] },
                { name: `${name}: requests/s`, value: rate / eventsPerRequest, unit: "requests/s" },
                { name: `${name}: / floor`, value: median(comparison.ratios[label]!), unit: "x", samples: comparison.ratios[label] },
            );
            targets.push(check(`${name}: events/s`, rate, "events/s", ">=", TARGET_EVENTS_PER_SECOND));
        }
        figures.push({ name: "floor (parse body + stringify lines): events/s", value: median(comparison.rates.floor!), unit: "events/s", samples: comparison.rates.floor });
        return {
            figures,
            targets,
            notes: [
                `${eventsPerRequest} events per request, ${meanEventBytes.toFixed(0)} bytes per event on average (synthetic events padded to ~${EVENT_BYTES} B), ${distinct} distinct requests cycled`,
                "sink: in memory, accepts everything (Firehose limits 500 records / 4 MiB per call); validation, packing, chunking and the response are the handler's real code",
                `median of ${rounds} interleaved rounds (>= ${minRoundMs} ms each)`,
            ],
        };
    },
};
