import { strict as assert } from "node:assert";
import { DynamoDbApplicationRegistry, DynamoDbKeyStore } from "../../functions/aws/adapters/dynamodb-store";
import { type AdminDeps, handleAdminRequest } from "../../functions/core/admin";
import { newUuid } from "../../functions/core/api-keys";
import { authorizeApiKey, DecisionCache } from "../../functions/core/authorize";
import type { HttpRequest } from "../../functions/core/contracts";
import { APPLICATION, APPLICATIONS, AUTHORIZATION, AUTHORIZATIONS, EVENTS, REDSHIFT_SETUP } from "../../functions/core/routes";
import { ManualClock, request } from "./support/fixtures";
import { type DynamoFixture, startDynamo } from "./support/servers";

describe("admin API and authorizer on DynamoDB (dynalite)", function () {
    let db: DynamoFixture;
    let deps: AdminDeps;
    const clock = new ManualClock();

    before(async () => {
        db = await startDynamo();
        deps = {
            registry: new DynamoDbApplicationRegistry(db.doc, db.appsTable),
            keys: new DynamoDbKeyStore(db.doc, db.keysTable),
            clock,
            newId: newUuid,
            authorizerCacheTtlSeconds: 60,
        };
    });
    after(async () => db.stop());

    async function call(method: string, resource: string, init: Partial<HttpRequest> = {}) {
        const response = await handleAdminRequest(request(method, resource, init), deps);
        return { status: response.statusCode, body: JSON.parse(response.body), raw: response.body, headers: response.headers };
    }
    const json = (value: unknown) => JSON.stringify(value);

    async function createApp(name = "Space Game"): Promise<string> {
        const created = await call("POST", APPLICATIONS, { body: json({ Name: name, Description: "a game" }) });
        assert.equal(created.status, 200, created.raw);
        return created.body.ApplicationId;
    }

    async function createKey(applicationId: string, name = "client key") {
        const created = await call("POST", AUTHORIZATIONS, { pathParameters: { applicationId }, body: json({ Name: name }) });
        assert.equal(created.status, 200, created.raw);
        return created.body as { ApiKeyId: string; ApiKeyValue: string };
    }

    it("creates, gets and lists applications in the guidance's shapes", async () => {
        const id = await createApp();
        const got = await call("GET", APPLICATION, { pathParameters: { applicationId: id } });
        assert.deepEqual(got.body, {
            ApplicationId: id,
            ApplicationName: "Space Game",
            Description: "a game",
            CreatedAt: new Date(clock.now()).toISOString(),
            UpdatedAt: new Date(clock.now()).toISOString(),
            AuthModes: ["API_KEY"],
        });
        const list = await call("GET", APPLICATIONS);
        assert.ok(list.body.Applications.some((a: { ApplicationId: string }) => a.ApplicationId === id));
        assert.equal(list.body.Count, list.body.Applications.length);
    });

    it("paginates listings with limit and NextToken until every item was seen once", async () => {
        const app = await createApp("paged");
        const created = new Set<string>();
        for (let i = 0; i < 5; i++) created.add((await createKey(app, `k${i}`)).ApiKeyId);
        const seen: string[] = [];
        let nextToken: string | undefined;
        do {
            const query: Record<string, string> = { limit: "2" };
            if (nextToken) query.nextToken = nextToken;
            const page = await call("GET", AUTHORIZATIONS, { pathParameters: { applicationId: app }, queryStringParameters: query });
            assert.equal(page.status, 200, page.raw);
            assert.ok(page.body.Count <= 2);
            seen.push(...page.body.Authorizations.map((k: { ApiKeyId: string }) => k.ApiKeyId));
            nextToken = page.body.NextToken;
        } while (nextToken);
        assert.deepEqual(new Set(seen), created);
        assert.equal(seen.length, created.size);
    });

    it("rejects a forged or foreign nextToken and a bad limit with 400", async () => {
        const app = await createApp();
        const forged = await call("GET", AUTHORIZATIONS, { pathParameters: { applicationId: app }, queryStringParameters: { nextToken: "!!" } });
        assert.equal(forged.status, 400);
        assert.match(forged.body.error_detail, /^nextToken: /);
        const other = await createApp("other");
        for (let i = 0; i < 2; i++) await createKey(other);
        const page = await call("GET", AUTHORIZATIONS, { pathParameters: { applicationId: other }, queryStringParameters: { limit: "1" } });
        const foreign = await call("GET", AUTHORIZATIONS, {
            pathParameters: { applicationId: app },
            queryStringParameters: { nextToken: page.body.NextToken },
        });
        assert.equal(foreign.status, 400);
        const limit = await call("GET", APPLICATIONS, { queryStringParameters: { limit: "0" } });
        assert.deepEqual(limit.body, { error: "BadRequest", error_detail: "limit: must be an integer from 1 to 1000" });
    });

    it("never returns the key value or hash outside the create response", async () => {
        const app = await createApp();
        const key = await createKey(app);
        const hash = (await deps.keys.getKey(app, key.ApiKeyId))!.ApiKeyHash;
        const list = await call("GET", AUTHORIZATIONS, { pathParameters: { applicationId: app } });
        const got = await call("GET", AUTHORIZATION, { pathParameters: { applicationId: app, apiKeyId: key.ApiKeyId } });
        const put = await call("PUT", AUTHORIZATION, { pathParameters: { applicationId: app, apiKeyId: key.ApiKeyId }, body: json({ Enabled: true }) });
        for (const response of [list, got, put]) {
            assert.equal(response.status, 200);
            assert.ok(!response.raw.includes(key.ApiKeyValue), "value leaked");
            assert.ok(!response.raw.includes(hash), "hash leaked");
        }
        assert.equal(got.body.ApiKeyHint, `${key.ApiKeyValue.slice(0, 4)}...${key.ApiKeyValue.slice(-4)}`);
    });

    it("authorizes an enabled key for its own application only, and denies it once disabled", async () => {
        const app = await createApp();
        const other = await createApp("other");
        const key = await createKey(app);
        const auth = { keys: deps.keys, clock };
        assert.deepEqual(await authorizeApiKey(key.ApiKeyValue, app, auth), { allow: true, applicationId: app, apiKeyId: key.ApiKeyId });
        assert.deepEqual(await authorizeApiKey(key.ApiKeyValue, other, auth), {
            allow: false,
            reason: "API key: belongs to another application",
            keyApplicationId: app,
            apiKeyId: key.ApiKeyId,
        });
        assert.deepEqual(await authorizeApiKey("x".repeat(88), app, auth), { allow: false, reason: "API key: unknown" });
        assert.equal((await authorizeApiKey(undefined, app, auth)).allow, false);

        const disabled = await call("PUT", AUTHORIZATION, { pathParameters: { applicationId: app, apiKeyId: key.ApiKeyId }, body: json({ Enabled: false }) });
        assert.equal(disabled.body.Enabled, false);
        assert.equal(disabled.body.EffectiveWithinSeconds, 60);
        assert.match(disabled.body.Note, /within 60 seconds/);
        assert.deepEqual(await authorizeApiKey(key.ApiKeyValue, app, auth), { allow: false, reason: "API key: disabled" });
        assert.deepEqual(await authorizeApiKey(key.ApiKeyValue, other, auth), { allow: false, reason: "API key: disabled" }, "a disabled key names no application");
    });

    it("caches decisions for the TTL: one store lookup per key and application", async () => {
        const app = await createApp();
        const key = await createKey(app);
        let lookups = 0;
        const counting = { ...deps.keys, getKeyByHash: (hash: string) => (lookups++, deps.keys.getKeyByHash(hash)) } as typeof deps.keys;
        const cache = new DecisionCache(10_000);
        for (let i = 0; i < 3; i++) await authorizeApiKey(key.ApiKeyValue, app, { keys: counting, clock, cache });
        await authorizeApiKey("unknown", app, { keys: counting, clock, cache });
        await authorizeApiKey("unknown", app, { keys: counting, clock, cache });
        assert.equal(lookups, 2);
        clock.advance(10_000);
        await authorizeApiKey(key.ApiKeyValue, app, { keys: counting, clock, cache });
        assert.equal(lookups, 3);
    });

    it("deletes an application together with its keys (more than one BatchWrite's 25)", async () => {
        const app = await createApp();
        const keys = [];
        for (let i = 0; i < 30; i++) keys.push(await createKey(app));
        const deleted = await call("DELETE", APPLICATION, { pathParameters: { applicationId: app } });
        assert.deepEqual([deleted.status, deleted.body], [200, "Delete Successful"]);
        assert.equal((await call("GET", APPLICATION, { pathParameters: { applicationId: app } })).status, 404);
        assert.equal((await deps.keys.listKeys(app, 100)).items.length, 0);
        assert.equal((await authorizeApiKey(keys[0]!.ApiKeyValue, app, { keys: deps.keys, clock })).allow, false);
    });

    it("deletes a single key and answers 404 for it afterwards", async () => {
        const app = await createApp();
        const key = await createKey(app);
        const params = { applicationId: app, apiKeyId: key.ApiKeyId };
        assert.equal((await call("DELETE", AUTHORIZATION, { pathParameters: params })).body, "Delete Successful");
        assert.equal((await call("GET", AUTHORIZATION, { pathParameters: params })).status, 404);
        assert.equal((await call("DELETE", AUTHORIZATION, { pathParameters: params })).status, 404);
    });

    describe("client errors", () => {
        const cases: Array<[string, string, string, Partial<HttpRequest>, number, string | RegExp]> = [
            ["bad JSON", "POST", APPLICATIONS, { body: "{" }, 400, /^body: not valid JSON/],
            ["missing Name", "POST", APPLICATIONS, { body: "{}" }, 400, "Name: required"],
            ["empty Name", "POST", APPLICATIONS, { body: '{"Name":"  "}' }, 400, "Name: must not be empty"],
            ["too long Name", "POST", APPLICATIONS, { body: JSON.stringify({ Name: "n".repeat(65) }) }, 400, "Name: must be at most 64 characters"],
            ["control characters in Name", "POST", APPLICATIONS, { body: JSON.stringify({ Name: "a\u0007" }) }, 400, /^Name: must contain printable/],
            ["too long Description", "POST", APPLICATIONS, { body: JSON.stringify({ Name: "n", Description: "d".repeat(257) }) }, 400, "Description: must be at most 256 characters"],
            ["unknown field", "POST", APPLICATIONS, { body: '{"Name":"n","Owner":"me"}' }, 400, "Owner: unknown field (allowed: Name, Description, AuthModes)"],
            ["malformed application id", "GET", APPLICATION, { pathParameters: { applicationId: "nope" } }, 404, /^applicationId: no application/],
            ["unknown application id", "GET", APPLICATION, { pathParameters: { applicationId: "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968" } }, 404, /^applicationId: no application/],
            ["key of an unknown application", "POST", AUTHORIZATIONS, { pathParameters: { applicationId: "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968" }, body: '{"Name":"k"}' }, 404, /^applicationId/],
            ["unknown route", "GET", "/nothing", {}, 404, "no such resource: /nothing"],
            ["wrong method", "PATCH", APPLICATIONS, {}, 405, "PATCH is not allowed on /applications (allowed: GET, POST)"],
            ["events route on the admin API", "POST", EVENTS, {}, 404, /^no such resource/],
            ["redshift setup without Redshift", "POST", REDSHIFT_SETUP, {}, 400, /^dataStack: POST \/redshift\/setup applies to dataStack REDSHIFT only; this stack.s dataStack is DATA_LAKE/],
        ];
        for (const [name, method, resource, init, status, detail] of cases) {
            it(`${status} for ${name}`, async () => {
                const response = await call(method, resource, init);
                assert.equal(response.status, status);
                if (typeof detail === "string") assert.equal(response.body.error_detail, detail);
                else assert.match(response.body.error_detail, detail);
            });
        }

        it("400 for a non-boolean Enabled and 404 for an unknown key", async () => {
            const app = await createApp();
            const key = await createKey(app);
            const bad = await call("PUT", AUTHORIZATION, { pathParameters: { applicationId: app, apiKeyId: key.ApiKeyId }, body: '{"Enabled":"false"}' });
            assert.deepEqual(bad.body, { error: "BadRequest", error_detail: "Enabled: must be a boolean (true or false)" });
            const missing = await call("PUT", AUTHORIZATION, { pathParameters: { applicationId: app, apiKeyId: newUuid() }, body: '{"Enabled":false}' });
            assert.equal(missing.status, 404);
        });
    });
});
