/**
 * Test helpers: a controllable clock, sample events and requests.
 */
import { randomUUID } from "node:crypto";
import type { GameEvent, HttpRequest } from "../../../functions/core/contracts";
import type { Clock } from "../../../functions/core/ports";

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
    constructor(public time = Date.UTC(2026, 0, 5, 12, 0, 0)) {}
    now(): number {
        return this.time;
    }
    advance(ms: number): void {
        this.time += ms;
    }
}

/** A valid login event at `timestamp` (epoch seconds). */
export function sampleEvent(timestamp = 1_767_614_400, overrides: Partial<GameEvent> = {}): GameEvent {
    return {
        event_id: randomUUID(),
        event_type: "login",
        event_name: "login",
        event_timestamp: timestamp,
        event_version: "1.0.0",
        app_version: "1.2.0",
        event_data: { platform: "pc", last_login_time: timestamp - 3600 },
        ...overrides,
    };
}

/** A request on `resource` with defaults for everything else. */
export function request(method: string, resource: string, init: Partial<HttpRequest> = {}): HttpRequest {
    return {
        method,
        resource,
        pathParameters: {},
        headers: {},
        body: null,
        requestId: "req-1",
        requestTimeEpoch: 1_767_614_400_000,
        ...init,
    };
}
