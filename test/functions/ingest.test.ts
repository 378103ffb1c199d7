import { strict as assert } from "node:assert";
import type { HttpResponse } from "../../functions/core/contracts";
import { handleIngestRequest, type IngestDeps, type IngestResponse } from "../../functions/core/ingest";
import { EVENTS } from "../../functions/core/routes";
import { FakeSink, FIREHOSE_LIKE, KINESIS_LIKE, ONE_EVENT_PER_RECORD } from "./support/fake-sink";
import { ManualClock, request, sampleEvent } from "./support/fixtures";

const APP = "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968";
const DAY = 86_400;

function post(body: unknown, applicationId = APP) {
    return request("POST", EVENTS, {
        pathParameters: { applicationId },
        body: typeof body === "string" ? body : JSON.stringify(body),
        requestId: "req-42",
        requestTimeEpoch: 1_767_614_400_123,
    });
}

function deps(sink: FakeSink, extra: Partial<IngestDeps> = {}): IngestDeps & { sleeps: number[] } {
    const sleeps: number[] = [];
    return { sink, clock: new ManualClock(), sleep: async (ms) => void sleeps.push(ms), sleeps, ...extra };
}

function parse(response: HttpResponse): IngestResponse & { error?: string; error_detail?: string } {
    return JSON.parse(response.body);
}

describe("handleIngestRequest", () => {
    describe("client errors", () => {
        const sink = new FakeSink(FIREHOSE_LIKE);
        const cases: Array<[string, unknown, number, RegExp]> = [
            ["invalid JSON", "{nope", 400, /^body: not valid JSON/],
            ["no events array", { event: [] }, 400, /^events: required, must be an array/],
            ["an empty array", { events: [] }, 400, /^events: must contain at least 1 event$/],
            ["more than 10,000 events", { events: new Array(10_001).fill(0) }, 400, /^events: at most 10000 events per request \(got 10001\)/],
        ];
        for (const [name, body, status, detail] of cases) {
            it(`answers ${status} with a precise message for ${name}`, async () => {
                const response = await handleIngestRequest(post(body), APP, deps(sink));
                assert.equal(response.statusCode, status);
                assert.match(parse(response).error_detail!, detail);
            });
        }

        it("answers 403 when the path application is not the authorized one", async () => {
            const response = await handleIngestRequest(post({ events: [sampleEvent()] }, "other-app"), APP, deps(sink));
            assert.equal(response.statusCode, 403);
            assert.equal(parse(response).error, "AccessDenied");
            assert.equal(sink.calls.length, 0);
        });
    });

    it("answers each invalid event in place and stores the valid ones with request metadata", async () => {
        const sink = new FakeSink(FIREHOSE_LIKE);
        const good = [sampleEvent(), sampleEvent()];
        const response = await handleIngestRequest(post({ events: [good[0], { ...sampleEvent(), event_id: "bad" }, good[1]] }), APP, deps(sink));
        assert.equal(response.statusCode, 200);
        assert.deepEqual(parse(response), {
            Total: 3,
            FailedRecordCount: 1,
            Events: [
                { Result: "Ok" },
                { Result: "Error", ErrorCode: "InvalidEvent", ErrorMessage: "event_id: must be a lowercase UUID (versions 1-5)" },
                { Result: "Ok" },
            ],
        });
        assert.deepEqual(sink.acceptedLines(), good.map((event) => ({ application_id: APP, event, request_id: "req-42", request_time_epoch: 1_767_614_400_123 })));
    });

    it("chunks more than 500 events of a sink that does not pack into calls of at most 500 records and answers all of them", async () => {
        const sink = new FakeSink(ONE_EVENT_PER_RECORD);
        const events = Array.from({ length: 1234 }, () => sampleEvent());
        const body = parse(await handleIngestRequest(post({ events }), APP, deps(sink)));
        assert.deepEqual(sink.calls.map((c) => c.length), [500, 500, 234]);
        assert.equal(body.Events.length, 1234);
        assert.equal(body.FailedRecordCount, 0);
        assert.deepEqual(new Set(sink.acceptedLines().map((l) => (l.event as { event_id: string }).event_id)), new Set(events.map((e) => e.event_id)));
        assert.deepEqual(sink.accepted.map((r) => r.partitionKey).sort(), events.map((e) => e.event_id).sort(), "an unpacked record's partition key is its event id");
    });

    it("packs events of the same UTC day into one Firehose record and never mixes days", async () => {
        const sink = new FakeSink(FIREHOSE_LIKE);
        const base = 1_767_571_200; // 2026-01-05T00:00:00Z
        const events = [sampleEvent(base + 10), sampleEvent(base - 1), sampleEvent(base + DAY - 1), sampleEvent(base + DAY), sampleEvent(base + 20)];
        await handleIngestRequest(post({ events }), APP, deps(sink));
        const days = sink.accepted.map((r) => {
            const lines = r.data.toString().split("\n").filter(Boolean);
            return [...new Set(lines.map((l) => Math.floor((JSON.parse(l).event.event_timestamp as number) / DAY)))];
        });
        assert.equal(sink.accepted.length, 3);
        assert.ok(days.every((d) => d.length === 1), "a record never spans two days");
    });

    it("retries only the failed records with growing backoff, then succeeds", async () => {
        const events = Array.from({ length: 200 }, () => sampleEvent());
        const flaky = new Set(events.filter((_, i) => i % 3 === 0).map((e) => e.event_id));
        const sink = new FakeSink(ONE_EVENT_PER_RECORD, (record, call) =>
            call < 2 && flaky.has(record.partitionKey) ? { errorCode: "ProvisionedThroughputExceededException" } : undefined,
        );
        const d = deps(sink, { random: () => 0.999 });
        const body = parse(await handleIngestRequest(post({ events }), APP, d));
        assert.equal(body.FailedRecordCount, 0);
        assert.equal(sink.accepted.length, 200);
        assert.deepEqual(sink.calls.map((c) => c.length), [200, flaky.size, flaky.size]);
        assert.deepEqual(d.sleeps, [49, 99], "full-jitter backoff under a 50 ms, then 100 ms ceiling");
    });

    it("after the last attempt answers every event of a failed record with the service error code", async () => {
        const poisoned = sampleEvent();
        const sink = new FakeSink(FIREHOSE_LIKE, (record) =>
            record.data.includes(poisoned.event_id) ? { errorCode: "ServiceUnavailableException" } : undefined,
        );
        const other = sampleEvent(poisoned.event_timestamp + 2 * DAY);
        const d = deps(sink);
        const body = parse(await handleIngestRequest(post({ events: [poisoned, sampleEvent(poisoned.event_timestamp + 1), other] }), APP, d));
        assert.equal(sink.calls.length, 4, "first attempt + 3 retries");
        assert.deepEqual(body.Events.map((e) => (e.Result === "Error" ? e.ErrorCode : "Ok")), [
            "ServiceUnavailableException",
            "ServiceUnavailableException",
            "Ok",
        ]);
        assert.equal(body.FailedRecordCount, 2);
    });

    it("answers 503 with every event's outcome when the sink is down, never 200", async () => {
        const sink = new FakeSink(FIREHOSE_LIKE, () => "throw");
        const response = await handleIngestRequest(post({ events: [sampleEvent(), { bad: true }] }), APP, deps(sink, { maxAttempts: 2 }));
        assert.equal(response.statusCode, 503);
        const body = parse(response);
        assert.equal(body.error, "ServiceUnavailable");
        assert.deepEqual(body.Events.map((e) => (e.Result === "Error" ? e.ErrorCode : "Ok")), ["ServiceUnavailableException", "InvalidEvent"]);
    });

    it("answers RecordTooLarge for a single event over the sink's record limit", async () => {
        const sink = new FakeSink({ ...KINESIS_LIKE, maxRecordBytes: 2048 });
        const big = sampleEvent(undefined, { event_data: { blob: "x".repeat(4096) } });
        const body = parse(await handleIngestRequest(post({ events: [big, sampleEvent()] }), APP, deps(sink)));
        assert.equal(body.Events[0]!.Result === "Error" && body.Events[0]!.ErrorCode, "RecordTooLarge");
        assert.deepEqual(body.Events[1], { Result: "Ok" });
    });
});
