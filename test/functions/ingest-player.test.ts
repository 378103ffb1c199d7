/**
 * The events route's records carry the player of a JWT (issue 16): `player_id` in every record of
 * a JWT request, absent (null downstream) for API-key traffic; storeIngestRecord (put-record's
 * store) packs, limits and retries like the route.
 */
import { strict as assert } from "node:assert";
import type { HttpRequest } from "../../functions/core/contracts";
import { handleIngestRequest, storeIngestRecord } from "../../functions/core/ingest";
import type { EventSink, SinkRecord, SinkRecordResult } from "../../functions/core/ports";
import { ManualClock, sampleEvent } from "./support/fixtures";

const APP = "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968";

class RecordingSink implements EventSink {
    readonly maxRecordsPerCall = 500;
    readonly maxBytesPerCall = 5 * 1024 * 1024;
    readonly maxRecordBytes = 1024 * 1024;
    readonly packsEvents = true;
    readonly lines: Record<string, unknown>[] = [];
    failures = 0;
    async putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]> {
        return records.map((r) => {
            if (this.failures > 0) {
                this.failures--;
                return { ok: false, errorCode: "ProvisionedThroughputExceededException" };
            }
            for (const line of r.data.toString("utf8").split("\n").filter((l) => l !== "")) this.lines.push(JSON.parse(line));
            return { ok: true };
        });
    }
}

function eventsRequest(count: number): HttpRequest {
    return {
        method: "POST", resource: "/applications/{applicationId}/events", pathParameters: { applicationId: APP }, headers: {},
        body: JSON.stringify({ events: Array.from({ length: count }, () => sampleEvent()) }), requestId: "r", requestTimeEpoch: 1,
    };
}

describe("ingest: player_id of JWT traffic", () => {
    it("puts the token's player into every record of a JWT request", async () => {
        const sink = new RecordingSink();
        const res = await handleIngestRequest(eventsRequest(3), APP, { sink, clock: new ManualClock() }, { playerId: "player-7" });
        assert.equal(res.statusCode, 200);
        assert.equal(sink.lines.length, 3);
        for (const line of sink.lines) assert.equal(line.player_id, "player-7");
    });

    it("leaves player_id absent for API-key traffic (the records are byte-identical to before)", async () => {
        const sink = new RecordingSink();
        await handleIngestRequest(eventsRequest(2), APP, { sink, clock: new ManualClock() });
        for (const line of sink.lines) assert.ok(!("player_id" in line));
    });

    it("storeIngestRecord retries a throttled record, and reports a record over the limit", async () => {
        const sink = new RecordingSink();
        sink.failures = 1;
        const record = { application_id: APP, event: sampleEvent(), request_id: "r", request_time_epoch: 1, player_id: "p" };
        assert.deepEqual(await storeIngestRecord(record, { sink, clock: new ManualClock(), sleep: async () => undefined }), { Result: "Ok" });
        assert.equal(sink.lines.length, 1);
        assert.equal(sink.lines[0]!.player_id, "p");
        const huge = { ...record, event: sampleEvent(undefined, { event_data: { blob: "x".repeat(1024 * 1024) } }) };
        const tooLarge = await storeIngestRecord(huge, { sink, clock: new ManualClock() });
        assert.equal(tooLarge.Result === "Error" && tooLarge.ErrorCode, "RecordTooLarge");
        sink.failures = 100;
        const failed = await storeIngestRecord(record, { sink, clock: new ManualClock(), sleep: async () => undefined });
        assert.equal(failed.Result === "Error" && failed.ErrorCode, "ProvisionedThroughputExceededException");
    });
});
