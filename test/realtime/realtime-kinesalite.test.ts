import { PutRecordCommand } from "@aws-sdk/client-kinesis";
import * as assert from "node:assert/strict";
import { KinesisEventSink } from "../../functions/aws/adapters/kinesis-sink";
import type { GameEvent, HttpRequest } from "../../functions/core/contracts";
import { handleIngestRequest } from "../../functions/core/ingest";
import { systemClock } from "../../functions/core/ports";
import { parseEmfLines, valueOf } from "./support/emf";
import { harness, playWindow } from "./support/handler-harness";
import { startKinesisStream, KinesisStreamFixture } from "./support/kinesalite";
import { APP_A, APP_B, gameEvent, windowEvent } from "./support/records";

function eventsRequest(applicationId: string, events: GameEvent[], requestId: string): HttpRequest {
    return {
        method: "POST",
        resource: "/applications/{applicationId}/events",
        pathParameters: { applicationId },
        headers: {},
        body: JSON.stringify({ events }),
        requestId,
        requestTimeEpoch: Date.now(),
    };
}

describe("real-time handler on records read from Kinesis (kinesalite)", () => {
    let kinesis: KinesisStreamFixture;

    before(async () => {
        kinesis = await startKinesisStream();
    });
    after(async () => {
        await kinesis.stop();
    });

    it("publishes de-duplicated totals, logins, knockouts by spell, purchases by item and malformed records of what the events API wrote", async () => {
        const sink = new KinesisEventSink(kinesis.client, kinesis.streamName);
        // All events in one event-time minute (the previous one), whatever the clock says now.
        const minuteMs = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
        const now = minuteMs / 1000 + 20;
        const batchA: GameEvent[] = [
            gameEvent("login", { platform: "pc" }, now - 10),
            gameEvent("login", { platform: "ps5" }, now - 10),
            gameEvent("user_knockout", { match_id: "m1", map_id: "map1", spell_id: "fireball", exp_gained: 10 }, now - 10),
            gameEvent("user_knockout", { match_id: "m1", map_id: "map1", spell_id: "fireball", exp_gained: 10 }, now - 10),
            gameEvent("user_knockout", { match_id: "m1", map_id: "map1", spell_id: "frost", exp_gained: 10 }, now - 10),
            gameEvent("iap_transaction", { item_id: "sword", item_version: "1", item_amount: 1, currency_type: "USD", country_id: "US", currency_amount: 4.99, transaction_id: "t1" }, now - 10),
        ];
        const batchB: GameEvent[] = [gameEvent("login", {}, now - 5), gameEvent("level_started", { level_id: "1", level_version: "1" }, now - 5)];
        for (const [applicationId, events, requestId] of [[APP_A, batchA, "r1"], [APP_B, batchB, "r2"], [APP_A, batchA.slice(0, 2), "r3-client-retry"]] as const) {
            const response = await handleIngestRequest(eventsRequest(applicationId, [...events], requestId), applicationId, { sink, clock: systemClock });
            assert.equal(response.statusCode, 200, response.body);
        }
        await kinesis.client.send(new PutRecordCommand({ StreamName: kinesis.streamName, PartitionKey: "x", Data: Buffer.from("not an ingest record") }));

        const records = await kinesis.readAll();
        assert.equal(records.length, 3 + 1, "one packed Kinesis record per request (its events share a UTC day), plus the malformed one");
        const h = harness("GameAnalytics/kinesalite");
        const half = Math.floor(records.length / 2);
        await playWindow(h, [windowEvent(records.slice(0, half), {}, false), windowEvent(records.slice(half), {}, false), windowEvent([], {}, true)]);

        const points = parseEmfLines(h.stdout);
        const lag = valueOf(points, "EventLagSeconds");
        assert.deepEqual(
            {
                eventsA: valueOf(points, "TotalEvents", { ApplicationId: APP_A }),
                loginsA: valueOf(points, "TotalLogins", { ApplicationId: APP_A }),
                eventsB: valueOf(points, "TotalEvents", { ApplicationId: APP_B }),
                loginsB: valueOf(points, "TotalLogins", { ApplicationId: APP_B }),
                fireball: valueOf(points, "KnockoutsBySpell", { ApplicationId: APP_A, SpellId: "fireball" }),
                frost: valueOf(points, "KnockoutsBySpell", { ApplicationId: APP_A, SpellId: "frost" }),
                sword: valueOf(points, "Purchases", { ApplicationId: APP_A, ItemId: "sword" }),
                malformed: valueOf(points, "MalformedRecords"),
                duplicates: valueOf(points, "DuplicateEvents"),
                saturated: valueOf(points, "DedupSaturated"),
                lagCoversTheOldestEvent: lag >= Date.now() / 1000 - (now - 10) - 30 && lag <= Date.now() / 1000 - (now - 10),
                stampedWithEventMinute: points.filter((p) => p.name !== "MalformedRecords" && p.name !== "FutureEvents").every((p) => p.timestamp === minuteMs),
            },
            {
                eventsA: 6, loginsA: 2, eventsB: 2, loginsB: 1, fireball: 2, frost: 1, sword: 1,
                malformed: 1, duplicates: 2, saturated: 0, lagCoversTheOldestEvent: true, stampedWithEventMinute: true,
            },
        );
        assert.ok(h.logs.some((l) => l.level === "warn" && JSON.stringify(l.attributes).includes(records.at(-1)!.sequenceNumber)), "the malformed record is logged by sequence number");
    });
});
