/**
 * Hostile input, as property tests: arbitrary bodies, headers, path ids, methods, query strings
 * and sizes against the events route, the admin routes and the authorizer. Client input never
 * produces a 5xx or a throw, key values are only ever returned by the create call, and every
 * event of a 200 response has its own result, stored when "Ok".
 */
import * as assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { handleAdminRequest } from "../../functions/core/admin";
import { hashApiKey } from "../../functions/core/api-keys";
import { authorizeApiKey, DecisionCache } from "../../functions/core/authorize";
import type { HttpRequest, HttpResponse } from "../../functions/core/contracts";
import { handleIngestRequest } from "../../functions/core/ingest";
import { isWellFormedText, MAX_JSON_DEPTH } from "../../functions/core/json-limits";
import { LAMBDA_SYNC_PAYLOAD_BYTES, MAX_REQUEST_BODY_BYTES } from "../../functions/core/request-limits";
import type { StoredApiKey } from "../../functions/core/ports";
import { ADMIN_ROUTES, AUTHORIZATIONS, EVENTS } from "../../functions/core/routes";
import { SETTING_KEYS, SettingsError, validateSettings } from "../../components/contracts/settings";
import { MemoryKeyStore, MemoryRegistry, RecordingSink } from "./support/in-memory-ports";

const clock = { now: () => Date.UTC(2026, 0, 5, 12) };
const RUNS = { numRuns: 150 };

function request(init: Partial<HttpRequest>): HttpRequest {
    return { method: "POST", resource: EVENTS, pathParameters: {}, headers: {}, body: null, requestId: "req-1", requestTimeEpoch: clock.now(), ...init };
}

// ---------- game events ----------

const token = fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/);
const validEvent = fc.record({
    event_id: fc.uuid({ version: 4 }),
    event_type: token,
    event_name: token,
    event_timestamp: fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
    event_version: fc.option(token, { nil: undefined }),
    app_version: fc.option(token, { nil: undefined }),
    event_data: fc.option(fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 })), { nil: undefined }),
}, { requiredKeys: ["event_id", "event_type", "event_name", "event_timestamp"] });
/** A valid event with one field replaced by anything (or an extra field). */
const brokenEvent = fc.tuple(validEvent, fc.constantFrom("event_id", "event_type", "event_timestamp", "event_data", "extra_field"), fc.anything())
    .map(([event, field, value]) => ({ ...event, [field]: value }));
const hugeEvent = fc.tuple(validEvent, fc.integer({ min: 1_000, max: 40_000 }))
    .map(([event, size]) => ({ ...event, event_data: { padding: "x".repeat(size) } }));
const anyEvent = fc.oneof({ weight: 4, arbitrary: validEvent }, { weight: 2, arbitrary: brokenEvent }, { weight: 1, arbitrary: hugeEvent }, { weight: 1, arbitrary: fc.anything() });

const eventsBody = fc.oneof(
    { weight: 6, arbitrary: fc.array(anyEvent, { maxLength: 60 }).map((events) => JSON.stringify({ events })) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.json() },
    { weight: 1, arbitrary: fc.anything().map((events) => JSON.stringify({ events })) },
);

describe("hostile input: events route", () => {
    it("answers every request without a throw, and a 5xx only when the sink itself failed", async () => {
        const applicationId = randomUUID();
        await fc.assert(fc.asyncProperty(
            eventsBody,
            fc.oneof(fc.constant(applicationId), fc.string(), fc.constant(undefined)),
            fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 })),
            fc.record({ maxRecords: fc.integer({ min: 1, max: 500 }), maxRecordBytes: fc.integer({ min: 300, max: 1_048_576 }), failing: fc.func(fc.boolean()) }),
            async (body, pathId, headers, limits) => {
                let sinkFailed = false;
                const sink = new RecordingSink(limits.maxRecords, 4 * 1024 * 1024, limits.maxRecordBytes, true, (call) => {
                    const fail = limits.failing(call);
                    sinkFailed ||= fail;
                    return fail;
                });
                const response = await handleIngestRequest(request({ body, headers, pathParameters: { applicationId: pathId } }), applicationId, {
                    sink, clock, sleep: async () => undefined, maxAttempts: 2, random: () => 0,
                });
                assert.ok(response.statusCode < 500 || (response.statusCode === 503 && sinkFailed), `status ${response.statusCode}: ${response.body.slice(0, 300)}`);
            },
        ), RUNS);
    });

    it("gives every event of an accepted batch a result, and stores exactly the events answered Ok", async () => {
        const applicationId = randomUUID();
        await fc.assert(fc.asyncProperty(
            fc.array(anyEvent, { minLength: 1, maxLength: 80 }),
            fc.record({ maxRecords: fc.integer({ min: 1, max: 500 }), maxRecordBytes: fc.integer({ min: 300, max: 1_048_576 }), failing: fc.func(fc.boolean()) }),
            async (events, limits) => {
                const sink = new RecordingSink(limits.maxRecords, 4 * 1024 * 1024, limits.maxRecordBytes, true, (call) => limits.failing(call));
                const response = await handleIngestRequest(request({ body: JSON.stringify({ events }), pathParameters: { applicationId } }), applicationId, {
                    sink, clock, sleep: async () => undefined, maxAttempts: 2, random: () => 0,
                });
                if (response.statusCode !== 200 && response.statusCode !== 503) return;
                const result = JSON.parse(response.body) as { Total: number; FailedRecordCount: number; Events: { Result: string; ErrorCode?: string }[] };
                assert.equal(result.Events.length, events.length);
                assert.equal(result.Total, events.length);
                assert.equal(result.FailedRecordCount, result.Events.filter((e) => e.Result === "Error").length);
                assert.ok(result.Events.every((e) => e.Result === "Ok" || (e.Result === "Error" && typeof e.ErrorCode === "string" && e.ErrorCode !== "")));
                const okIds = events.filter((_, i) => result.Events[i]!.Result === "Ok").map((e) => (e as { event_id: string }).event_id).sort();
                const storedIds = sink.lines.map((line) => (JSON.parse(line) as { event: { event_id: string } }).event.event_id).sort();
                assert.deepEqual(storedIds, okIds);
            },
        ), RUNS);
    });
});

// ---------- event_data the later stages could not carry (issue 10, points 1, 6, 10) ----------

/** A JSON text nesting `depth` objects: {"a":{"a":...{}}}. */
function nestedObjectText(depth: number): string {
    return `${'{"a":'.repeat(depth - 1)}{}${"}".repeat(depth - 1)}`;
}

/** Whether every string (and key) in `value` is well-formed Unicode and every number survives JSON. */
function carriable(value: unknown): boolean {
    if (typeof value === "string") return isWellFormedText(value);
    if (typeof value === "number") return Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value));
    if (Array.isArray(value)) return value.every(carriable);
    if (typeof value === "object" && value !== null) return Object.entries(value).every(([k, v]) => isWellFormedText(k) && carriable(v));
    return true;
}

describe("hostile input: event_data that later stages cannot carry", () => {
    const applicationId = randomUUID();
    const ingest = async (body: string) => {
        const sink = new RecordingSink(500, 4 * 1024 * 1024, 1_048_576, true, () => false);
        const response = await handleIngestRequest(request({ body, pathParameters: { applicationId } }), applicationId, { sink, clock });
        return { response, sink, result: JSON.parse(response.body) as { FailedRecordCount: number; Events: { Result: string; ErrorCode?: string; ErrorMessage?: string }[] } };
    };
    const event = (data: string) => `{"event_id":"${randomUUID()}","event_type":"t","event_name":"n","event_timestamp":1767614400,"event_data":${data}}`;

    it("refuses an event nested ~4,100 deep (an 8 KB body) alone, naming the field and the limit, and keeps the 99 others", async () => {
        const valid = Array.from({ length: 99 }, () => event('{"level":3}'));
        const { response, sink, result } = await ingest(`{"events":[${[event(nestedObjectText(4_100)), ...valid].join(",")}]}`);
        assert.equal(response.statusCode, 200, response.body);
        assert.equal(result.FailedRecordCount, 1);
        assert.equal(result.Events[0]!.ErrorCode, "InvalidEvent");
        assert.match(result.Events[0]!.ErrorMessage!, new RegExp(`^event_data(\\.a)+: nested too deep \\(at most ${MAX_JSON_DEPTH} levels`));
        assert.equal(sink.lines.length, 99);
    });

    it("accepts event_data exactly at the depth limit", async () => {
        const { result } = await ingest(`{"events":[${event(nestedObjectText(MAX_JSON_DEPTH))}]}`);
        assert.deepEqual(result.Events, [{ Result: "Ok" }]);
    });

    it("refuses lone surrogates in event_data values and keys, naming the field", async () => {
        const { result } = await ingest(`{"events":[${event('{"s":"\\ud800"}')},${event('{"\\udfff":1}')},${event('{"ok":"\\ud83d\\ude00"}')}]}`);
        assert.match(result.Events[0]!.ErrorMessage!, /^event_data\.s: must be well-formed Unicode/);
        assert.match(result.Events[1]!.ErrorMessage!, /key must be well-formed Unicode/);
        assert.deepEqual(result.Events[2], { Result: "Ok" }, "a surrogate pair (an emoji) is fine");
    });

    it("refuses numbers JSON cannot carry exactly (1e309, 2^64) and keeps the ones it can", async () => {
        const { result, sink } = await ingest(`{"events":[${event('{"big":1e309}')},${event('{"n":[18446744073709551616]}')},${event('{"x":0.1,"m":9007199254740991,"e":-1.5e-300}')}]}`);
        assert.match(result.Events[0]!.ErrorMessage!, /^event_data\.big: number out of range/);
        assert.match(result.Events[1]!.ErrorMessage!, /^event_data\.n\[0\]: integer beyond ±9007199254740991/);
        assert.deepEqual(result.Events[2], { Result: "Ok" });
        assert.deepEqual((JSON.parse(sink.lines[0]!) as { event: { event_data: unknown } }).event.event_data, { x: 0.1, m: 9007199254740991, e: -1.5e-300 });
    });

    it("never answers 5xx, refuses exactly the uncarriable event_data, and stores the rest unchanged", async () => {
        /** An event_data JSON text and whether the later stages can carry it. */
        const shallow = (d: unknown) => ({ text: JSON.stringify(d), ok: carriable(d) });
        const hostileData = fc.oneof(
            fc.dictionary(fc.string({ unit: "binary", maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })).map(shallow),
            fc.dictionary(fc.string({ unit: "binary", maxLength: 6 }), fc.string({ unit: "binary", maxLength: 6 })).map(shallow),
            fc.integer({ min: 1, max: 6_000 }).map((n) => ({ text: nestedObjectText(n), ok: n <= MAX_JSON_DEPTH })),
            fc.integer({ min: 1, max: 3_000 }).map((n) => ({ text: `{"a":${"[".repeat(n)}${"]".repeat(n)}}`, ok: n + 1 <= MAX_JSON_DEPTH })),
            fc.constantFrom(
                { text: '{"n":1e309}', ok: false }, { text: '{"n":-1e400}', ok: false }, { text: '{"n":18446744073709551616}', ok: false },
                { text: '{"n":1.7976931348623157e308}', ok: false }, { text: '{"n":9007199254740991}', ok: true }, { text: '{"n":5e-324}', ok: true },
            ),
        );
        await fc.assert(fc.asyncProperty(fc.array(hostileData, { minLength: 1, maxLength: 20 }), async (datas) => {
            const { response, sink, result } = await ingest(`{"events":[${datas.map((d) => event(d.text)).join(",")}]}`);
            assert.equal(response.statusCode, 200, response.body);
            assert.deepEqual(result.Events.map((e) => e.Result === "Ok"), datas.map((d) => d.ok));
            const okTexts = datas.filter((d) => d.ok).map((d) => d.text);
            assert.deepEqual(sink.lines.map((line) => JSON.stringify((JSON.parse(line) as { event: { event_data: unknown } }).event.event_data)),
                okTexts.map((t) => JSON.stringify(JSON.parse(t))));
        }), { numRuns: 60 });
    });

    it("answers a body over 5 MiB 413 naming the limit in the core (the Lambda path), events and admin alike", async () => {
        const body = JSON.stringify({ events: [{ padding: "é".repeat(MAX_REQUEST_BODY_BYTES / 2) }] });
        const { response } = await ingest(body);
        assert.equal(response.statusCode, 413);
        assert.match(JSON.parse(response.body).error_detail, /^body: \d+ bytes, over the limit of 5242880 bytes \(5 MiB\)/);
        const deps = { registry: new MemoryRegistry(), keys: new MemoryKeyStore(), clock, newId: randomUUID, authorizerCacheTtlSeconds: 60 };
        assert.equal((await handleAdminRequest(request({ resource: "/applications", body }), deps)).statusCode, 413);
        const fits = JSON.stringify({ events: [{ padding: "x".repeat(MAX_REQUEST_BODY_BYTES - 100) }] });
        assert.equal((await ingest(fits)).response.statusCode, 200);
    });

    it("keeps the answer to any 5 MiB body within the 6 MiB a Lambda may return (error messages are bounded)", async () => {
        const fill = (makeEvent: (i: number) => unknown) => {
            const events: unknown[] = [];
            for (let i = 0; i < 10_000; i++) events.push(makeEvent(i));
            return JSON.stringify({ events });
        };
        const perEvent = Math.floor(MAX_REQUEST_BODY_BYTES / 10_000) - 40;
        const bodies = [
            // many short extra fields: each costs ~6 bytes of body and ~40 of message
            fill(() => Object.fromEntries(Array.from({ length: Math.floor(perEvent / 7) }, (_, k) => [k.toString(36), 0]))),
            // one extra field named with quotes: escaped once in the answer, twice in the Lambda result
            fill(() => ({ ['"'.repeat(Math.floor(perEvent / 2) - 4)]: 0 })),
            // control characters in names: 6 bytes in the body, 6 in the answer, 7 in the Lambda result
            fill(() => ({ ["\u0001".repeat(Math.floor(perEvent / 6) - 2)]: 0 })),
        ];
        for (const body of bodies) {
            assert.ok(Buffer.byteLength(body) <= MAX_REQUEST_BODY_BYTES, `${Buffer.byteLength(body)}`);
            const { response } = await ingest(body);
            assert.equal(response.statusCode, 200);
            const lambdaResult = JSON.stringify({ statusCode: response.statusCode, headers: response.headers, body: response.body });
            assert.ok(Buffer.byteLength(lambdaResult) < LAMBDA_SYNC_PAYLOAD_BYTES, `Lambda result of ${Buffer.byteLength(lambdaResult)} bytes`);
        }
    });

    it("refuses an application or key Name and a Description with a lone surrogate (400 naming the field)", async () => {
        const deps = { registry: new MemoryRegistry(), keys: new MemoryKeyStore(), clock, newId: randomUUID, authorizerCacheTtlSeconds: 60 };
        const name = await handleAdminRequest(request({ resource: "/applications", body: '{"Name":"\\ud800"}' }), deps);
        const description = await handleAdminRequest(request({ resource: "/applications", body: '{"Name":"ok","Description":"a\\udc00b"}' }), deps);
        assert.deepEqual([name.statusCode, JSON.parse(name.body).error_detail], [400, "Name: must be well-formed Unicode (it contains a lone surrogate, e.g. \\ud800)"]);
        assert.equal(description.statusCode, 400);
        assert.match(JSON.parse(description.body).error_detail, /^Description: must be well-formed Unicode/);
    });
});

// ---------- admin routes ----------

/** Stands for the id of the application (or key) created before the requests run. */
const KNOWN = "<known>";
const anyId = fc.oneof(fc.constant(KNOWN), fc.uuid(), fc.string(), fc.constant(undefined), fc.constant("../../etc/passwd"), fc.constant("' OR 1=1 --"));
const adminBody = fc.oneof(
    fc.record({ Name: fc.string({ minLength: 1, maxLength: 40 }), Description: fc.string({ maxLength: 80 }) }, { requiredKeys: ["Name"] }).map((b) => JSON.stringify(b)),
    fc.boolean().map((Enabled) => JSON.stringify({ Enabled })),
    fc.constant(null),
    fc.string(),
    fc.json(),
    fc.record({ Name: fc.oneof(fc.string({ maxLength: 300 }), fc.anything()), Description: fc.oneof(fc.string({ maxLength: 1200 }), fc.anything()), Enabled: fc.anything() }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
);

const hostileRequest = fc.record({
    method: fc.oneof(fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get"), fc.string()),
    resource: fc.oneof(fc.constantFrom(...Object.keys(ADMIN_ROUTES)), fc.string().filter((s) => !(s in Object.prototype))),
        applicationId: anyId,
        apiKeyId: anyId,
        body: adminBody,
        limit: fc.option(fc.oneof(fc.string(), fc.integer().map(String)), { nil: undefined, freq: 2 }),
        nextToken: fc.option(fc.string(), { nil: undefined, freq: 2 }),
});
/** A request a real admin client would send, on the created application and key. */
const wellFormedRequest = fc.constantFrom(...Object.entries(ADMIN_ROUTES).flatMap(([resource, methods]) => methods.map((method) => ({ resource, method }))))
    .chain(({ resource, method }) => fc.record({
        method: fc.constant(method),
        resource: fc.constant(resource),
        applicationId: fc.constant<string | undefined>(KNOWN),
        apiKeyId: fc.constant<string | undefined>(KNOWN),
        body: fc.oneof(
            fc.record({ Name: fc.string({ minLength: 1, maxLength: 40 }), Description: fc.string({ maxLength: 80 }) }).map((b) => JSON.stringify(b)),
            fc.boolean().map((Enabled) => JSON.stringify({ Enabled })),
        ) as fc.Arbitrary<string | null>,
        limit: fc.constant<string | undefined>(undefined),
        nextToken: fc.constant<string | undefined>(undefined),
    }));
const adminRequests = fc.array(fc.oneof({ weight: 1, arbitrary: wellFormedRequest }, { weight: 2, arbitrary: hostileRequest }), { minLength: 1, maxLength: 12 });

describe("hostile input: admin routes", () => {
    it("never throws or answers 5xx, and returns a key value only in the response that created it", async () => {
        const okRoutes = new Set<string>();
        await fc.assert(fc.asyncProperty(adminRequests, async (generated) => {
            const registry = new MemoryRegistry();
            const keys = new MemoryKeyStore();
            const deps = { registry, keys, clock, newId: randomUUID, authorizerCacheTtlSeconds: 60 };
            const app = JSON.parse((await handleAdminRequest(request({ resource: "/applications", body: JSON.stringify({ Name: "game" }) }), deps)).body);
            const created = JSON.parse((await handleAdminRequest(request({ resource: AUTHORIZATIONS, pathParameters: { applicationId: app.ApplicationId }, body: JSON.stringify({ Name: "key" }) }), deps)).body);
            assert.equal(typeof created.ApiKeyValue, "string");
            const values = new Map<string, HttpResponse | "setup">([[created.ApiKeyValue, "setup"]]);

            const resolve = (id: string | undefined, known: string) => (id === KNOWN ? known : id);
            for (const r of generated) {
                const req = request({
                    method: r.method, resource: r.resource, body: r.body,
                    pathParameters: { applicationId: resolve(r.applicationId, app.ApplicationId), apiKeyId: resolve(r.apiKeyId, created.ApiKeyId) },
                    queryStringParameters: { limit: r.limit, nextToken: r.nextToken },
                });
                let response: HttpResponse;
                try {
                    response = await handleAdminRequest(req, deps);
                } catch (error) {
                    assert.fail(`threw on ${req.method} ${req.resource}: ${(error as Error).message}`);
                }
                assert.ok(response.statusCode < 500, `status ${response.statusCode} for ${req.method} ${req.resource}: ${response.body}`);
                if (response.statusCode === 200) okRoutes.add(`${req.method.toUpperCase()} ${req.resource}`);
                const body = JSON.parse(response.body);
                if (req.resource === AUTHORIZATIONS && response.statusCode === 200 && typeof body.ApiKeyValue === "string") {
                    values.set(body.ApiKeyValue, response);
                }
                for (const [value, issuer] of values) {
                    assert.ok(issuer === response || !response.body.includes(value), `a key value leaked in ${req.method} ${req.resource}`);
                }
                for (const stored of keys.byHash.values()) {
                    assert.ok(!response.body.includes(stored.ApiKeyHash), `a key hash leaked in ${req.method} ${req.resource}`);
                }
            }
        }), { numRuns: 300 });
        // The generated requests reached the real work, not only the 4xx paths.
        assert.ok(["GET /applications", "POST " + AUTHORIZATIONS, "GET " + AUTHORIZATIONS].every((route) => okRoutes.has(route)), [...okRoutes].join(", "));
    });
});

describe("hostile input: admin resource names", () => {
    // API Gateway only ever sends the route templates, but the local server and any other caller
    // pass what they are given: a name inherited from Object.prototype must be a plain 404.
    it("answers 404, without a throw, for resource names inherited from Object.prototype", async () => {
        const deps = { registry: new MemoryRegistry(), keys: new MemoryKeyStore(), clock, newId: randomUUID, authorizerCacheTtlSeconds: 60 };
        const statuses: Record<string, number | string> = Object.create(null);
        for (const resource of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
            try {
                statuses[resource] = (await handleAdminRequest(request({ method: "GET", resource }), deps)).statusCode;
            } catch (error) {
                statuses[resource] = `threw ${(error as Error).message}`;
            }
        }
        const expected: Record<string, number | string> = Object.create(null);
        for (const name of Object.keys(statuses)) expected[name] = 404;
        assert.equal(Object.keys(statuses).length, 4);
        assert.deepEqual(statuses, expected);
    });
});

// ---------- authorizer ----------

describe("hostile input: authorizer", () => {
    const appA = randomUUID();
    const appB = randomUUID();
    const values = { enabledA: "A".repeat(44) + "a1/+".repeat(11), disabledA: "D".repeat(88), enabledB: "B".repeat(88) };
    const stored = (value: string, applicationId: string, enabled: boolean): StoredApiKey => ({
        ApiKeyId: randomUUID(), ApiKeyHash: hashApiKey(value), ApiKeyHint: "xxxx...xxxx", ApiKeyName: "k", ApiKeyDescription: "",
        ApplicationId: applicationId, CreatedAt: "2026-01-05T12:00:00.000Z", UpdatedAt: "2026-01-05T12:00:00.000Z", Enabled: enabled,
    });

    it("allows exactly an enabled key on its own application, whatever the header and path hold", async () => {
        const keys = new MemoryKeyStore();
        await keys.putKey(stored(values.enabledA, appA, true));
        await keys.putKey(stored(values.disabledA, appA, false));
        await keys.putKey(stored(values.enabledB, appB, true));
        const cache = new DecisionCache(60_000);
        const header = fc.oneof(
            fc.constantFrom(values.enabledA, values.disabledA, values.enabledB, ` ${values.enabledA}`, values.enabledA.slice(0, -1), values.enabledA.toLowerCase(), "", "   "),
            fc.string({ maxLength: 200 }), fc.string({ minLength: 10_000, maxLength: 20_000 }), fc.constant(undefined),
        );
        const pathId = fc.oneof(fc.constantFrom(appA, appB, appA.toUpperCase(), ""), fc.string(), fc.constant(undefined));
        await fc.assert(fc.asyncProperty(header, pathId, fc.boolean(), async (value, applicationId, useCache) => {
            const decision = await authorizeApiKey(value, applicationId, { keys, clock, cache: useCache ? cache : undefined });
            const expected = (value === values.enabledA && applicationId === appA) || (value === values.enabledB && applicationId === appB);
            assert.equal(decision.allow, expected);
            if (!decision.allow && value !== undefined && value.trim().length >= 8) assert.ok(!decision.reason.includes(value));
        }), { numRuns: 300 });
    });
});

// ---------- settings ----------

const settingValue = fc.oneof(fc.anything(), fc.string(), fc.constantFrom("true", "false", "DIRECT_BATCH", "KINESIS_DATA_STREAMS", "REDSHIFT", "ICEBERG", "30", "7", "-1", "0", "ops@studio.com"));
const rawSettings = fc.dictionary(fc.oneof(fc.constantFrom(...SETTING_KEYS), fc.string({ maxLength: 12 })), settingValue, { maxKeys: 8 })
    .chain((raw) => fc.oneof(fc.constant(raw), fc.constant({ workloadName: "Game1", ...raw })));

describe("hostile input: settings", () => {
    it("either validates (and re-validates to itself) or throws a SettingsError naming each offending key", () => {
        fc.assert(fc.property(rawSettings, (raw) => {
            let settings;
            try {
                settings = validateSettings(raw, "game-analytics");
            } catch (error) {
                assert.ok(error instanceof SettingsError, `not a SettingsError: ${String(error)}`);
                assert.ok(error.problems.length > 0);
                for (const problem of error.problems) {
                    assert.ok(Object.keys(raw).includes(problem.key) || (SETTING_KEYS as readonly string[]).includes(problem.key), `unexpected key ${problem.key}`);
                    assert.ok(error.message.includes(`game-analytics:${problem.key} = `), `message does not name ${problem.key}`);
                }
                return;
            }
            assert.deepEqual(validateSettings({ ...settings }), settings);
        }), { numRuns: 500 });
    });
});
