import { strict as assert } from "node:assert";
import { validateSettings } from "../../components/contracts/settings";
import { authorizerInvocations } from "../../cost/context";
import { cronRunsPerMonth } from "../../cost/cron-runs";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { KinesisEventSink } from "../../functions/aws/adapters/kinesis-sink";
import { estimate } from "../../cost/estimate";
import { restApiUsd } from "../../cost/lines/ingest";
import { firstMonthAverageBytes } from "../../cost/lines/lake";
import { eventOfSize, ingestLine, recordsOfRequest, unpackedEventRecords } from "../../cost/record-sizes";
import { roundUpTo } from "../../cost/units";
import { DEFAULT_WORKLOAD, eventsPerMonth, requestsPerMonth } from "../../cost/workload";

const directBatch = validateSettings({ workloadName: "cost", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false });
const kds = validateSettings({ workloadName: "cost", ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: false });

describe("cost model arithmetic", () => {
    it("turns 100 events/s over a 30-day month into 259.2 M events and 2.592 M requests of 100", () => {
        assert.equal(eventsPerMonth(DEFAULT_WORKLOAD), 259_200_000);
        assert.equal(requestsPerMonth(DEFAULT_WORKLOAD), 2_592_000);
    });

    it("bills an unpacked 1 KB event as 5 KB in Firehose", () => {
        const r = unpackedEventRecords(1024, 100);
        assert.equal(r.billedBytes(5 * 1024), 100 * 5 * 1024);
    });

    it("builds sample events of exactly the requested JSON size", () => {
        for (const size of [261, 1024, 4096, 50_000]) assert.equal(Buffer.byteLength(JSON.stringify(eventOfSize(size))), size);
    });

    it("packs 100 events of 1 KB into one Firehose record whose 5 KB rounding adds under 5 KB", () => {
        const r = recordsOfRequest(1024, 100, "firehose", true);
        const lineBytes = Buffer.byteLength(ingestLine(eventOfSize(1024))) + 1;
        assert.equal(r.records, 1);
        assert.equal(r.bytes, 100 * lineBytes);
        assert.equal(r.billedBytes(5120), roundUpTo(100 * lineBytes, 5120));
        assert.ok(r.billedBytes(5120) - r.bytes < 5120);
    });

    it("splits packed records at the Firehose sink's 1,000 KiB record limit", () => {
        const r = recordsOfRequest(10_000, 500, "firehose", true);
        const lineBytes = Buffer.byteLength(ingestLine(eventOfSize(10_000))) + 1;
        const perRecord = Math.floor(1000 * 1024 / lineBytes);
        assert.equal(r.records, Math.ceil(500 / perRecord));
    });

    it("writes one Kinesis record per event (data + partition key) when the sink does not pack", () => {
        const r = recordsOfRequest(1024, 100, "kinesis", false);
        const lineBytes = Buffer.byteLength(ingestLine(eventOfSize(1024))) + 1;
        assert.equal(r.records, 100);
        assert.equal(r.bytes, 100 * (lineBytes + 36));
        assert.equal(r.billedBytes(1024), 100 * 2048, "1.2 KB records are billed as 2 KB by on-demand Kinesis");
    });

    it("packs 100 events of 1 KB into one Kinesis record (data + the first event id as key) billed within 1 KB of its size", () => {
        const r = recordsOfRequest(1024, 100, "kinesis", true);
        const lineBytes = Buffer.byteLength(ingestLine(eventOfSize(1024))) + 1;
        assert.equal(r.records, 1);
        assert.equal(r.bytes, 100 * lineBytes + 36);
        assert.ok(r.billedBytes(1024) - r.bytes < 1024);
    });

    it("prices our KDS mode with the packing the real Kinesis sink does, and the guidance's unpacked", () => {
        const sink = new KinesisEventSink(new KinesisClient({ region: "us-east-1" }), "stream");
        assert.equal(estimate(kds, { ...DEFAULT_WORKLOAD }).design.kinesisPacking, sink.packsEvents);
        assert.equal(estimate(kds, { ...DEFAULT_WORKLOAD }, { design: "guidance" }).design.kinesisPacking, false);
    });

    it("with packing, Kinesis and Firehose see one record per request of the reference workload in KDS mode", () => {
        const e = estimate(kds, { ...DEFAULT_WORKLOAD });
        const dataIn = e.lineItems.find((l) => l.service === "Kinesis Data Streams" && l.item === "on-demand data in")!;
        assert.match(dataIn.note, /^2\.592 M records \(events packed per record\)/);
        assert.match(e.lineItems.find((l) => l.item === "ingestion")!.note, /2\.592 M records of ~115\.\d KB \(events packed/);
    });

    it("prices REST API requests by tier: 333 M at 3.50, the next 667 M at 2.80", () => {
        assert.equal(restApiUsd(2_592_000).toFixed(3), "9.072");
        assert.equal(restApiUsd(1e9).toFixed(2), (333 * 3.5 + 667 * 2.8).toFixed(2));
        assert.equal(restApiUsd(1.5e9).toFixed(2), (333 * 3.5 + 667 * 2.8 + 500 * 2.38).toFixed(2));
    });

    it("invokes the authorizer once per API key per cache TTL, never more than once per request", () => {
        assert.equal(authorizerInvocations(2_592_000, 10, 60, 2_592_000), 432_000);
        assert.equal(authorizerInvocations(1000, 10, 60, 2_592_000), 1000);
        assert.equal(authorizerInvocations(2_592_000, 10, 0, 2_592_000), 2_592_000);
    });

    it("averages linearly growing storage to half the month's volume, capped by retention", () => {
        assert.equal(firstMonthAverageBytes(10, 30, 0), 150);
        // retention 10 days: grows to 100 by day 10, then flat: (50 + 100 * 20) / 30
        assert.equal(firstMonthAverageBytes(10, 30, 10), (10 * (50 + 10 * 20)) / 30);
    });

    it("counts runs of cron schedules: hourly, every 15 minutes, weekdays only", () => {
        assert.equal(cronRunsPerMonth("cron(0 * * * ? *)", 30), 720);
        assert.equal(cronRunsPerMonth("cron(0/15 * * * ? *)", 30), 2880);
        assert.equal(cronRunsPerMonth("cron(30 2 ? * MON-FRI *)", 28), 20);
        assert.throws(() => cronRunsPerMonth("rate(1 hour)", 30), /etlSchedule/);
    });

    it("packing cuts the Firehose bill of the reference workload by more than 60%", () => {
        const ours = estimate(directBatch, { ...DEFAULT_WORKLOAD });
        const firehose = (e: typeof ours) => e.lineItems.filter((l) => l.service === "Data Firehose").reduce((s, l) => s + l.usdPerMonth, 0);
        const unpacked = estimate(directBatch, { ...DEFAULT_WORKLOAD }, { design: "guidance" });
        assert.ok(firehose(ours) < 0.4 * firehose(unpacked), `${firehose(ours)} vs ${firehose(unpacked)}`);
    });

    it("keeps the total equal to the sum of its line items, in cents", () => {
        const e = estimate(directBatch, { ...DEFAULT_WORKLOAD });
        const sum = e.lineItems.reduce((s, l) => s + l.usdPerMonth, 0);
        assert.equal(e.totalUsdPerMonth, Math.round(sum * 100) / 100);
        for (const l of e.lineItems) assert.ok(Math.abs(l.quantity * l.unitPriceUsd - l.usdPerMonth) < 1e-6 * Math.max(1, l.usdPerMonth), `${l.service} ${l.item}`);
    });
});
