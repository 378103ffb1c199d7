/**
 * The rows of valid events are written as text directly (functions/core/rows.ts), with
 * per-application and per-request parts reused: byte for byte, they must be what serializing the
 * row object gives (EVENT_COLUMNS order), for any valid event and any request metadata.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { Application } from "../../functions/core/ports";
import { type FirehoseTransformInput, transformRecords } from "../../functions/aws/firehose-transform";
import { ManualClock } from "./support/fixtures";

const APP = "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968";
const UNKNOWN_APP = "5d7a2c1e-1111-4c6f-9f0e-1d2c3b4a5968";
const NOW = 1_767_700_000_000;
const application: Application = { ApplicationId: APP, ApplicationName: 'Space "Game" \u00e9\u{1F680}\\', Description: "", CreatedAt: "x", UpdatedAt: "x" };

const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/);
const validEvent = fc.record(
    {
        event_id: fc.uuid({ version: [1, 2, 3, 4, 5] }),
        event_type: name,
        event_name: name,
        event_timestamp: fc.oneof(fc.integer({ min: 946_684_800, max: 4_102_444_800 }), fc.double({ min: 946_684_800, max: 4_102_444_800, noNaN: true })),
        event_version: name,
        app_version: name,
        event_data: fc.dictionary(fc.string({ unit: "binary" }), fc.jsonValue()),
    },
    { requiredKeys: ["event_id", "event_type", "event_name", "event_timestamp"] },
);
const requestValue = fc.oneof(fc.string({ unit: "binary" }), fc.double(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.boolean());
// A valid player / source event id: any text without control characters (JSON escapes quotes, backslashes, astral characters).
const validId = (max: number) => fc.string({ unit: "binary", minLength: 1, maxLength: max }).filter((s) => s.length <= max && !/[\u0000-\u001f\u007f]/.test(s));
const line = fc.record({
    application_id: fc.constantFrom(APP, UNKNOWN_APP),
    event: validEvent,
    request_id: requestValue,
    request_time_epoch: requestValue,
    player_id: fc.oneof(validId(256), fc.constant(null), fc.constant(undefined)),
    source_event_id: fc.oneof(validId(128), fc.constant(null), fc.constant(undefined)),
}, { requiredKeys: ["application_id", "event", "request_id", "request_time_epoch"] });

/** The row as the columns say (docs/api.md "Records between stages"), serialized by JSON.stringify. */
function expectedRow(l: { application_id: string; event: Record<string, unknown>; request_id: unknown; request_time_epoch: unknown; player_id?: string | null; source_event_id?: string | null }, ingestionId: string): string {
    const e = l.event;
    const timestamp = e.event_timestamp as number;
    const scalar = (v: unknown) => (typeof v === "string" || (typeof v === "number" && Number.isFinite(v)) ? v : null);
    const metadata: Record<string, unknown> = {
        ingestion_id: ingestionId,
        processing_timestamp: NOW,
        processing_status: l.application_id === APP ? "ok" : "unregistered",
    };
    if (Math.floor(timestamp) !== timestamp) metadata.event_timestamp_exact = timestamp;
    metadata.api = { request_id: scalar(l.request_id), request_time_epoch: scalar(l.request_time_epoch) };
    return JSON.stringify({
        event_id: e.event_id,
        event_type: e.event_type,
        event_name: e.event_name,
        event_version: e.event_version ?? null,
        event_timestamp: Math.floor(timestamp),
        app_version: e.app_version ?? null,
        application_id: l.application_id,
        application_name: l.application_id === APP ? application.ApplicationName : null,
        event_data: e.event_data === undefined ? null : JSON.stringify(e.event_data),
        metadata: JSON.stringify(metadata),
        player_id: l.player_id ?? null,
        source_event_id: l.source_event_id ?? null,
    });
}

describe("transformRecords rows of valid events", () => {
    it("are byte for byte the serialized row, for any valid event, application and request metadata", async () => {
        await fc.assert(
            fc.asyncProperty(fc.array(fc.array(line, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }), async (records) => {
                let n = 0;
                const ids = ["plain-id", 'odd "id" \\ \u00e9'];
                const newId = () => `${ids[n % 2]}-${n++}`;
                const input: FirehoseTransformInput[] = records.map((lines, r) => ({
                    recordId: `r${r}`,
                    data: Buffer.from(lines.map((l) => JSON.stringify(l) + "\n").join("")).toString("base64"),
                }));
                const out = await transformRecords(input, {
                    lookupApplication: async (id) => (id === APP ? application : undefined),
                    clock: new ManualClock(NOW),
                    newId,
                });
                let expectedN = 0;
                const expected = records.map((lines) => lines.map((l) => expectedRow(l, `${ids[expectedN % 2]}-${expectedN++}`)).join("\n") + "\n");
                assert.deepEqual(
                    out.map((o) => Buffer.from(o.data, "base64").toString("utf8")),
                    expected,
                );
            }),
            { numRuns: 300 },
        );
    });
});
