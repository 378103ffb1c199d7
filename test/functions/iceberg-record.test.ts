import * as assert from "node:assert/strict";
import { MICROS_PER_SECOND, toIcebergRow } from "../../functions/aws/iceberg-record";
import type { EventRow } from "../../functions/core/contracts";

const row: EventRow = {
    event_id: "e1", event_type: "login", event_name: "login", event_version: "1.0.0", event_timestamp: 1764547200,
    app_version: "1.0.0", application_id: "app", application_name: "Game", event_data: "{}", metadata: "{}",
    player_id: "player-1", source_event_id: "00006",
};

describe("toIcebergRow", () => {
    it("sends event_timestamp in microseconds (Firehose reads a timestamp number as microseconds) and keeps every other column", () => {
        const iceberg = toIcebergRow(row);
        assert.equal(iceberg.event_timestamp, 1764547200 * MICROS_PER_SECOND);
        assert.equal(new Date(iceberg.event_timestamp / 1000).toISOString(), "2025-12-01T00:00:00.000Z");
        assert.deepEqual({ ...iceberg, event_timestamp: row.event_timestamp }, row);
    });

    it("refuses a timestamp whose microseconds are not an exact integer", () => {
        assert.throws(() => toIcebergRow({ ...row, event_timestamp: 1e13 }), /event_timestamp: 10000000000000 seconds is out of the range/);
    });
});
