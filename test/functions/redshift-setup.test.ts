/**
 * POST /redshift/setup (functions/core/redshift-setup.ts) through the admin handler, with the Data
 * API adapter over a real RedshiftDataClient whose network is a script (faults injected), and with
 * the local pglite warehouse's catalog.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DatabaseConnectionException, ValidationException } from "@aws-sdk/client-redshift-data";
import { QUERY_DEFINITIONS } from "../../analytics/query-definitions/definitions";
import { RedshiftDataCatalog } from "../../functions/aws/adapters/redshift-data-catalog";
import { WAREHOUSE_SDK_USAGE } from "../../functions/aws/sdk-usage";
import { type AdminDeps, handleAdminRequest } from "../../functions/core/admin";
import { REDSHIFT_SETUP } from "../../functions/core/routes";
import type { RedshiftSetupReport } from "../../functions/core/redshift-setup";
import { expectedObjectsOf, pgliteCatalog } from "../../local/warehouse/catalog";
import { DEFAULT_WAREHOUSE_NAMES } from "../../analytics/query-definitions/warehouse-sql";
import { PgliteWarehouse } from "../../local/warehouse/pglite-warehouse";
import { MemoryRegistry, MemoryKeyStore } from "../security/support/in-memory-ports";
import { ManualClock, request } from "./support/fixtures";
import { scriptedRedshiftData, type Script } from "./support/scripted-redshift-data";

const TARGET = { workgroupName: "game1-warehouse", database: "analytics" };
const ALL = ["kinesis_events", "events", ...QUERY_DEFINITIONS.map((q) => q.name)];

function depsWith(warehouse: AdminDeps["warehouse"]): AdminDeps {
    return { registry: new MemoryRegistry(), keys: new MemoryKeyStore(), clock: new ManualClock(), newId: () => "id", authorizerCacheTtlSeconds: 0, warehouse };
}

function awsDeps(script: Script) {
    const { client, calls } = scriptedRedshiftData(script);
    return { deps: depsWith({ dataStack: "REDSHIFT", catalog: new RedshiftDataCatalog(client, TARGET), expected: expectedObjectsOf(DEFAULT_WAREHOUSE_NAMES) }), calls };
}

const table = (name: string) => ({ name, schema: "game_events", type: name === "kinesis_events" ? "MATERIALIZED VIEW" : "VIEW" });
const post = () => request("POST", REDSHIFT_SETUP);

describe("POST /redshift/setup", () => {
    it("REDSHIFT: reports every object the deployment creates, from one paged catalog listing, with IAM auth", async () => {
        const { deps, calls } = awsDeps((action, input) => {
            assert.equal(action, "ListTables");
            return input.NextToken === undefined
                ? { Tables: ALL.slice(0, 7).map(table), NextToken: "page2" }
                : { Tables: [...ALL.slice(7).map(table), { name: "other_table", schema: "game_events", type: "TABLE" }] };
        });
        const res = await handleAdminRequest(post(), deps);
        assert.equal(res.statusCode, 200, res.body);
        const report = JSON.parse(res.body) as RedshiftSetupReport;
        assert.equal(report.complete, true);
        assert.deepEqual(report.materializedView, { name: "kinesis_events", exists: true, type: "MATERIALIZED VIEW" });
        assert.deepEqual(report.eventsView, { name: "events", exists: true, type: "VIEW" });
        assert.deepEqual(report.views.map((v) => [v.name, v.exists]), QUERY_DEFINITIONS.map((q) => [q.name, true]));
        assert.equal(calls.length, 2);
        assert.deepEqual(calls[0]!.input, { WorkgroupName: "game1-warehouse", Database: "analytics", SchemaPattern: "game\\_events", MaxResults: 1000, NextToken: undefined });
        assert.equal(calls[1]!.input.NextToken, "page2");
        assert.ok(calls.every((c) => c.input.SecretArn === undefined), "no secret: temporary IAM credentials");
        // Idempotent: a second call answers the same and still runs no statement.
        const again = await handleAdminRequest(post(), deps);
        assert.equal(again.body, res.body);
        assert.deepEqual([...new Set(calls.map((c) => c.action))], ["ListTables"]);
    });

    it("REDSHIFT: names what is missing and how the deployment re-creates it, changing nothing", async () => {
        const present = ALL.filter((n) => n !== "LevelCompletionRate" && n !== "events");
        const { deps, calls } = awsDeps(() => ({ Tables: present.map(table) }));
        const res = await handleAdminRequest(post(), deps);
        assert.equal(res.statusCode, 200);
        const report = JSON.parse(res.body) as RedshiftSetupReport;
        assert.equal(report.complete, false);
        assert.equal(report.eventsView.exists, false);
        assert.deepEqual(report.views.filter((v) => !v.exists).map((v) => v.name), ["LevelCompletionRate"]);
        assert.match(report.note, /^Missing: events, LevelCompletionRate\. .*pulumi up --replace/);
        assert.deepEqual(calls.map((c) => c.action), ["ListTables"]);
    });

    it("REDSHIFT: a warehouse that cannot answer is a 503 with Retry-After, never a 500", async () => {
        const { deps } = awsDeps(() => {
            throw new DatabaseConnectionException({ message: "workgroup is paused by a usage limit", Message: "workgroup is paused by a usage limit", $metadata: {} });
        });
        const res = await handleAdminRequest(post(), deps);
        assert.equal(res.statusCode, 503);
        assert.equal(res.headers?.["Retry-After"], "30");
        assert.match(JSON.parse(res.body).error_detail, /^the warehouse catalog did not answer: DatabaseConnectionException: workgroup is paused/);
        const throttled = awsDeps(() => {
            throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
        });
        assert.equal((await handleAdminRequest(post(), throttled.deps)).statusCode, 503);
    });

    it("REDSHIFT: a wiring mistake (unknown workgroup) is not hidden as unavailability", async () => {
        const { deps } = awsDeps(() => {
            throw new ValidationException({ message: "workgroup not found", $metadata: {} });
        });
        await assert.rejects(handleAdminRequest(post(), deps), (e: Error) => e.name === "ValidationException");
    });

    it("outside REDSHIFT: 400 naming dataStack, without calling anything", async () => {
        for (const warehouse of [undefined, { dataStack: "DATA_LAKE" as const }]) {
            const res = await handleAdminRequest(post(), depsWith(warehouse));
            assert.equal(res.statusCode, 400);
            assert.match(JSON.parse(res.body).error_detail, /^dataStack: POST \/redshift\/setup applies to dataStack REDSHIFT only; this stack's dataStack is DATA_LAKE/);
        }
    });

    it("declares exactly the Data API calls it makes in WAREHOUSE_SDK_USAGE (IAM derives from it)", async () => {
        const { deps, calls } = awsDeps(() => ({ Tables: [] }));
        await handleAdminRequest(post(), deps);
        const declared = WAREHOUSE_SDK_USAGE.admin.flatMap((u) => u.actions);
        for (const c of calls) assert.ok(declared.includes(`redshift-data:${c.action}`), c.action);
        // ListTables without SecretArn authenticates with GetCredentials on the workgroup.
        assert.ok(declared.includes("redshift-serverless:GetCredentials"));
    });

    describe("local mode: the pglite warehouse's catalog", function () {
        this.timeout(60_000);
        let dir: string;
        let warehouse: PgliteWarehouse;
        before(async () => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "gap-setup-"));
            warehouse = await PgliteWarehouse.open({ dataDir: path.join(dir, "warehouse"), names: { schema: "rs_events" } });
        });
        after(async () => {
            await warehouse?.close();
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("reports the records table, the events view and the 11 views, then a dropped view as missing", async () => {
            const deps = depsWith({ dataStack: "REDSHIFT", catalog: pgliteCatalog(warehouse), expected: expectedObjectsOf(warehouse.names) });
            const report = JSON.parse((await handleAdminRequest(post(), deps)).body) as RedshiftSetupReport;
            assert.equal(report.schema, "rs_events");
            assert.equal(report.complete, true, report.note);
            assert.deepEqual(report.materializedView, { name: "kinesis_events", exists: true, type: "TABLE" });
            assert.deepEqual(report.views.map((v) => [v.name, v.type]), QUERY_DEFINITIONS.map((q) => [q.name, "VIEW"]));
            await warehouse.query(`DROP VIEW "rs_events"."UserReportedReasonsCount"`);
            const after = JSON.parse((await handleAdminRequest(post(), deps)).body) as RedshiftSetupReport;
            assert.equal(after.complete, false);
            assert.deepEqual(after.views.filter((v) => !v.exists).map((v) => v.name), ["UserReportedReasonsCount"]);
        });
    });
});
