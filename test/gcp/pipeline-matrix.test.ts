/**
 * The GCP mocks matrix: both ingest modes, dev and prod, real-time on and off, built by
 * buildGcpPipeline from the same settings model, asserting the resources and their key properties.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { buildGcpPipeline } from "../../components/gcp/pipeline";
import { validateSettings } from "../../components/contracts/settings";
import { GcpMockRecorder, PROJECT_NUMBER, REGION } from "./support/gcp-mocks";

class Parent extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:Parent", name, {}, {});
    }
}

const COMBOS = [
    { ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: true, devMode: true },
    { ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: true, devMode: false },
    { ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: false, devMode: true },
    { ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: false, devMode: false },
    { ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, devMode: true },
    { ingestMode: "DIRECT_BATCH", realTimeAnalytics: false, devMode: false },
] as const;

const T = {
    topic: "gcp:pubsub/topic:Topic",
    sub: "gcp:pubsub/subscription:Subscription",
    fn: "gcp:cloudfunctionsv2/function:Function",
    table: "gcp:bigquery/table:Table",
    dataset: "gcp:bigquery/dataset:Dataset",
    bucket: "gcp:storage/bucket:Bucket",
    runInvoker: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    projectMember: "gcp:projects/iAMMember:IAMMember",
    alert: "gcp:monitoring/alertPolicy:AlertPolicy",
};

async function build(extra: Record<string, unknown>, views?: Parameters<typeof buildGcpPipeline>[3]) {
    const mocks = new GcpMockRecorder();
    await mocks.install();
    const settings = validateSettings({ workloadName: "mygame", emailAddress: "ops@studio.example.com", ...extra });
    buildGcpPipeline("game", settings, new Parent("p"), { region: REGION, ...views });
    await mocks.settle();
    return mocks;
}

describe("GCP pipeline under mocks (matrix)", function () {
    this.timeout(120_000);

    for (const combo of COMBOS) {
        const label = `${combo.ingestMode}, ${combo.devMode ? "dev" : "prod"}, real-time ${combo.realTimeAnalytics ? "on" : "off"}`;
        it(label, async () => {
            const mocks = await build({ ...combo, dataRetentionDays: 400 });
            const types = new Set(mocks.resources.map((r) => r.type));
            assert.deepEqual([...types].filter((t) => t.startsWith("aws:")), [], "no aws: resource");

            // Storage: partitioned, clustered, CMEK, retention; deletion protection in prod only.
            const table = mocks.one(T.table, "raw-events").inputs;
            assert.equal(table.timePartitioning.type, "DAY");
            assert.equal(table.timePartitioning.field, "event_day");
            assert.equal(table.timePartitioning.expirationMs, 400 * 86_400_000);
            assert.deepEqual(table.clusterings, ["application_id", "event_type"]);
            assert.match(table.encryptionConfiguration.kmsKeyName, /cryptoKeys\/mygame-data$/);
            assert.equal(table.deletionProtection, !combo.devMode);
            assert.deepEqual(JSON.parse(table.schema).map((c: { name: string }) => c.name).slice(-4), ["metadata", "player_id", "source_event_id", "event_day"]);
            assert.ok(mocks.one(T.dataset, "dataset").inputs.defaultEncryptionConfiguration.kmsKeyName);

            // Every bucket private and CMEK-encrypted; every topic CMEK and regional.
            for (const b of mocks.ofType(T.bucket)) {
                assert.equal(b.inputs.uniformBucketLevelAccess, true, b.name);
                assert.equal(b.inputs.publicAccessPrevention, "enforced", b.name);
                assert.ok(b.inputs.encryption.defaultKmsKeyName, b.name);
                assert.equal(b.inputs.versioning.enabled, !combo.devMode, b.name);
            }
            for (const t of mocks.ofType(T.topic)) {
                assert.ok(t.inputs.kmsKeyName, t.name);
                assert.deepEqual(t.inputs.messageStoragePolicy.allowedPersistenceRegions, [REGION], t.name);
            }

            // Delivery: BigQuery subscription with the table schema and a dead-letter topic archived in the lake.
            const bq = mocks.one(T.sub, "processing-bigquery").inputs;
            assert.equal(bq.bigqueryConfig.useTableSchema, true);
            assert.equal(bq.bigqueryConfig.writeMetadata, false);
            assert.equal(bq.bigqueryConfig.table, "studio-analytics.game_events.raw_events");
            assert.match(bq.deadLetterPolicy.deadLetterTopic, /topics\/mygame-dead-letter$/);
            assert.match(bq.topic, /topics\/mygame-rows$/);
            const archive = mocks.one(T.sub, "dead-letter-archive").inputs;
            assert.equal(archive.cloudStorageConfig.filenamePrefix, "dead-letter/");
            const agent = `serviceAccount:service-${PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com`;
            const tableGrants = mocks.ofType("gcp:bigquery/iamMember:IamMember").filter((g) => g.inputs.member === agent).map((g) => g.inputs.role).sort();
            assert.deepEqual(tableGrants, ["roles/bigquery.dataEditor", "roles/bigquery.metadataViewer"]);

            // Functions: one service account each; only the events function is public.
            const functions = mocks.ofType(T.fn);
            const expected = ["mygame-admin", "mygame-events",
                ...(combo.ingestMode === "KINESIS_DATA_STREAMS" ? ["mygame-processing"] : []),
                ...(combo.realTimeAnalytics ? ["mygame-realtime"] : [])].sort();
            assert.deepEqual(functions.map((f) => f.inputs.name).sort(), expected);
            const accounts = new Set(functions.map((f) => f.inputs.serviceConfig.serviceAccountEmail));
            assert.equal(accounts.size, functions.length, "one service account per function");
            const publicGrants = mocks.ofType(T.runInvoker).filter((g) => g.inputs.member === "allUsers");
            assert.deepEqual(publicGrants.map((g) => g.inputs.name), ["mygame-events"]);
            const events = mocks.one(T.fn, "ingest-events-function").inputs;
            assert.equal(events.serviceConfig.environmentVariables.INGEST_MODE, combo.ingestMode);
            assert.match(events.serviceConfig.environmentVariables.TARGET_TOPIC, combo.ingestMode === "DIRECT_BATCH" ? /topics\/mygame-rows$/ : /topics\/mygame-events$/);
            assert.equal(events.buildConfig.source.storageSource.object.startsWith("functions/mygame-events-"), true);
            for (const f of functions) assert.match(f.inputs.buildConfig.serviceAccount, /serviceAccounts\/mygame-build@/, f.name);
            for (const m of mocks.ofType(T.projectMember)) {
                assert.ok(!["roles/owner", "roles/editor", "roles/viewer"].includes(m.inputs.role), m.name);
                if (m.inputs.role.startsWith("roles/datastore.")) assert.match(m.inputs.condition.expression, /databases\/mygame-registry"$/);
            }

            // Stream and real-time.
            assert.equal(mocks.ofType(T.topic).some((t) => t.inputs.name === "mygame-events"), combo.ingestMode === "KINESIS_DATA_STREAMS");
            assert.equal(mocks.ofType("gcp:cloudscheduler/job:Job").length, combo.realTimeAnalytics ? 1 : 0);

            // Operations: email channel, alerts on dead letters and backlog, log bucket retention.
            assert.equal(mocks.ofType("gcp:monitoring/notificationChannel:NotificationChannel")[0]!.inputs.labels.email_address, "ops@studio.example.com");
            const alerts = mocks.ofType(T.alert).map((a) => a.name);
            assert.ok(alerts.some((a) => a.endsWith("dead-lettered")));
            assert.ok(alerts.some((a) => a.endsWith("rows-bigquery-oldest-unacked")));
            assert.ok(alerts.some((a) => a.endsWith("events-ingest-errors")));
            assert.equal(mocks.one("gcp:logging/projectBucketConfig:ProjectBucketConfig", "logs").inputs.retentionDays, 30);
            assert.equal(mocks.ofType("gcp:firestore/database:Database")[0]!.inputs.deleteProtectionState, combo.devMode ? "DELETE_PROTECTION_DISABLED" : "DELETE_PROTECTION_ENABLED");
        });
    }

    it("raw backup (s3BackupMode) adds a Cloud Storage subscription of the source topic under raw_events/", async () => {
        const mocks = await build({ s3BackupMode: true });
        const backup = mocks.one(T.sub, "raw-backup").inputs;
        assert.equal(backup.cloudStorageConfig.filenamePrefix, "raw_events/");
        assert.match(backup.topic, /topics\/mygame-events$/);
        const without = await build({});
        assert.equal(without.ofType(T.sub).filter((s) => s.name.endsWith("raw-backup")).length, 0);
    });

    it("the log level reaches every function", async () => {
        const mocks = await build({}, { logLevel: "DEBUG" });
        for (const f of mocks.ofType(T.fn)) assert.equal(f.inputs.serviceConfig.environmentVariables.LOG_LEVEL, "DEBUG", f.name);
    });

    it("views are created from the definitions given, with the resolved project id in their SQL", async () => {
        const mocks = await build({}, { views: (p, d, t) => [{ name: "TotalEvents", query: `SELECT count(*) FROM \`${p}.${d}.${t}\`` }] });
        const view = mocks.one(T.table, "view-TotalEvents").inputs;
        assert.equal(view.view.useLegacySql, false);
        assert.equal(view.view.query, "SELECT count(*) FROM `studio-analytics.game_events.raw_events`");
    });
});
