/**
 * AuthModes of an application (issue 16) through the admin API on dynalite: the field on create
 * and PUT /applications/{id}, stored as `auth_modes`, answered by GET and the listing, read by
 * the authorizers' DynamoDbApplicationAuthModes; applications stored before it: API keys only.
 */
import { strict as assert } from "node:assert";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoDbApplicationAuthModes } from "../../functions/aws/adapters/dynamodb-auth-modes";
import { DynamoDbApplicationRegistry, DynamoDbKeyStore } from "../../functions/aws/adapters/dynamodb-store";
import { type AdminDeps, handleAdminRequest } from "../../functions/core/admin";
import { newUuid } from "../../functions/core/api-keys";
import type { HttpRequest } from "../../functions/core/contracts";
import { APPLICATION, APPLICATIONS } from "../../functions/core/routes";
import { ManualClock, request } from "./support/fixtures";
import { type DynamoFixture, startDynamo } from "./support/servers";

describe("admin API: AuthModes of an application (dynalite)", () => {
    let db: DynamoFixture;
    let deps: AdminDeps;
    let modes: DynamoDbApplicationAuthModes;
    const clock = new ManualClock();

    before(async () => {
        db = await startDynamo();
        deps = { registry: new DynamoDbApplicationRegistry(db.doc, db.appsTable), keys: new DynamoDbKeyStore(db.doc, db.keysTable), clock, newId: newUuid, authorizerCacheTtlSeconds: 60 };
        modes = new DynamoDbApplicationAuthModes(db.doc, db.appsTable);
    });
    after(async () => db.stop());

    async function call(method: string, resource: string, init: Partial<HttpRequest> = {}) {
        const response = await handleAdminRequest(request(method, resource, init), deps);
        return { status: response.statusCode, body: JSON.parse(response.body), raw: response.body };
    }

    it("defaults to API keys only, and stores what create asks for", async () => {
        const plain = await call("POST", APPLICATIONS, { body: JSON.stringify({ Name: "keys only" }) });
        assert.deepEqual(plain.body.AuthModes, ["API_KEY"]);
        assert.deepEqual(await modes.authModesOf(plain.body.ApplicationId), ["API_KEY"]);
        const both = await call("POST", APPLICATIONS, { body: JSON.stringify({ Name: "both", AuthModes: ["JWT", "API_KEY"] }) });
        assert.equal(both.status, 200, both.raw);
        assert.deepEqual(await modes.authModesOf(both.body.ApplicationId), ["JWT", "API_KEY"]);
        const got = await call("GET", APPLICATION, { pathParameters: { applicationId: both.body.ApplicationId } });
        assert.deepEqual(got.body.AuthModes, ["JWT", "API_KEY"]);
        const list = await call("GET", APPLICATIONS);
        assert.deepEqual(list.body.Applications.find((a: { ApplicationId: string }) => a.ApplicationId === both.body.ApplicationId).AuthModes, ["JWT", "API_KEY"]);
    });

    it("an application stored before AuthModes existed answers API keys only (unchanged)", async () => {
        const id = "7a0c3b8e-0d1f-4e2a-9b3c-4d5e6f7a8b9c";
        await db.doc.send(new PutCommand({ TableName: db.appsTable, Item: { application_id: id, application_name: "old", description: "", created_at: "x", updated_at: "x" } }));
        const got = await call("GET", APPLICATION, { pathParameters: { applicationId: id } });
        assert.deepEqual(got.body.AuthModes, ["API_KEY"]);
        assert.deepEqual(await modes.authModesOf(id), ["API_KEY"]);
    });

    it("PUT changes AuthModes (and only what it names), 404 for an unknown application", async () => {
        const created = await call("POST", APPLICATIONS, { body: JSON.stringify({ Name: "game", Description: "kept" }) });
        const applicationId = created.body.ApplicationId;
        clock.advance(1000);
        const updated = await call("PUT", APPLICATION, { pathParameters: { applicationId }, body: JSON.stringify({ AuthModes: ["JWT"] }) });
        assert.equal(updated.status, 200, updated.raw);
        assert.deepEqual(updated.body, { ...created.body, AuthModes: ["JWT"], UpdatedAt: new Date(clock.now()).toISOString() });
        assert.deepEqual(await modes.authModesOf(applicationId), ["JWT"]);
        const renamed = await call("PUT", APPLICATION, { pathParameters: { applicationId }, body: JSON.stringify({ Name: "renamed" }) });
        assert.equal(renamed.body.ApplicationName, "renamed");
        assert.deepEqual(renamed.body.AuthModes, ["JWT"]);
        assert.equal(renamed.body.Description, "kept");
        const missing = await call("PUT", APPLICATION, { pathParameters: { applicationId: "9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f" }, body: JSON.stringify({ AuthModes: ["JWT"] }) });
        assert.equal(missing.status, 404);
    });

    it("refuses bad AuthModes and empty updates with a 400 naming the field", async () => {
        const created = await call("POST", APPLICATIONS, { body: JSON.stringify({ Name: "g" }) });
        const applicationId = created.body.ApplicationId;
        for (const [method, body, field] of [
            ["POST", { Name: "g", AuthModes: [] }, /^AuthModes: must be a non-empty list/],
            ["POST", { Name: "g", AuthModes: ["OAUTH"] }, /^AuthModes:/],
            ["POST", { Name: "g", AuthModes: ["JWT", "JWT"] }, /^AuthModes:/],
            ["POST", { Name: "g", AuthModes: "JWT" }, /^AuthModes:/],
            ["PUT", { AuthModes: [] }, /^AuthModes:/],
            ["PUT", {}, /^body: set at least one of Name, Description, AuthModes/],
            ["PUT", { Enabled: true }, /^Enabled: unknown field/],
            ["PUT", { Name: "" }, /^Name: must not be empty/],
            ["PUT", { Description: 3 }, /^Description: must be a string/],
        ] as const) {
            const answer = await call(method, method === "POST" ? APPLICATIONS : APPLICATION, { pathParameters: { applicationId }, body: JSON.stringify(body) });
            assert.equal(answer.status, 400, `${method} ${JSON.stringify(body)}: ${answer.raw}`);
            assert.match(answer.body.error_detail, field);
        }
        assert.deepEqual(await modes.authModesOf(applicationId), ["API_KEY"], "nothing changed");
    });
});
