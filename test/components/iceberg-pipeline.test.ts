/**
 * A `tableFormat: ICEBERG` pipeline under Pulumi mocks, in both ingest modes, dev and prod: the
 * Glue Iceberg table and its three optimizers, Firehose's Iceberg destination (append only, no
 * unique keys, the error prefix), no Glue ETL, the transform told to write microseconds, and the
 * whole policy pack (Iceberg rules included) passing.
 */
import * as assert from "node:assert/strict";
import { GameAnalyticsPipeline } from "../../components/pipeline";
import { type IngestMode, validateSettings } from "../../components/contracts/settings";
import { checkResources } from "../../policy/rules";
import { sinkForMode } from "../../functions/aws/handlers/events";
import { asList, MockRecorder, RecordedResource, statementsOf, valueOf } from "../support/pulumi-mocks";

const T = {
    table: "aws:glue/catalogTable:CatalogTable",
    optimizer: "aws:glue/catalogTableOptimizer:CatalogTableOptimizer",
    firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    job: "aws:glue/job:Job",
    crawler: "aws:glue/crawler:Crawler",
    workflow: "aws:glue/workflow:Workflow",
    fn: "aws:lambda/function:Function",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    namedQuery: "aws:athena/namedQuery:NamedQuery",
};

for (const ingestMode of ["KINESIS_DATA_STREAMS", "DIRECT_BATCH"] as IngestMode[]) {
    for (const devMode of [true, false]) {
        describe(`GameAnalyticsPipeline ICEBERG (${ingestMode}, ${devMode ? "dev" : "prod"})`, () => {
            const mocks = new MockRecorder();
            let resources: RecordedResource[];

            before(async () => {
                await mocks.install();
                const pipeline = new GameAnalyticsPipeline("game1", {
                    workloadName: "game1", ingestMode, devMode, tableFormat: "ICEBERG", realTimeAnalytics: false,
                    ...(devMode ? {} : { icebergSnapshotRetentionDays: 7, icebergMaintenanceRunHours: 12, dataRetentionDays: 30 }),
                });
                await valueOf(pipeline.dashboardUrl);
                resources = await mocks.settle();
            });

            it("passes every rule of the policy pack, the Iceberg rules included", () => {
                const violations = checkResources(resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, id: r.id, props: r.inputs })));
                assert.deepEqual(violations, []);
            });

            it("registers the Glue Iceberg v2 table with its partition spec, and the view of the configured name", () => {
                const tables = mocks.ofType(T.table);
                const iceberg = tables.filter((t) => t.inputs.openTableFormatInput !== undefined);
                assert.equal(iceberg.length, 1);
                assert.equal(iceberg[0]!.inputs.name, "raw_events_iceberg");
                assert.equal(iceberg[0]!.inputs.openTableFormatInput.icebergInput.version, "2");
                assert.ok(iceberg[0]!.inputs.openTableFormatInput.icebergInput.icebergTableInput.partitionSpec.fields.length > 0);
                const view = tables.find((t) => t.inputs.tableType === "VIRTUAL_VIEW");
                assert.equal(view?.inputs.name, "raw_events");
                assert.equal(tables.filter((t) => t.inputs.parameters?.classification === "parquet").length, 0, "no Hive raw-events table");
            });

            it("runs the three optimizers on the Iceberg table", () => {
                const types = mocks.ofType(T.optimizer).map((o) => o.inputs.type).sort();
                assert.deepEqual(types, ["compaction", "orphan_file_deletion", "retention"]);
                for (const o of mocks.ofType(T.optimizer)) assert.equal(o.inputs.tableName, "raw_events_iceberg");
                const retention = mocks.ofType(T.optimizer).find((o) => o.inputs.type === "retention")!.inputs.configuration.retentionConfiguration.icebergConfiguration;
                assert.equal(retention.snapshotRetentionPeriodInDays, devMode ? 5 : 7, "icebergSnapshotRetentionDays reaches the optimizer");
                assert.equal(retention.runRateInHours, devMode ? 24 : 12, "icebergMaintenanceRunHours reaches the optimizer");
            });

            it("creates the optimizers' log groups (Glue's fixed names) with the stack's retention and the lake key", () => {
                const groups = mocks.ofType("aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs.name).startsWith("/aws-glue/iceberg-"));
                assert.deepEqual(groups.map((g) => g.inputs.name).sort(), ["/aws-glue/iceberg-compaction/logs", "/aws-glue/iceberg-orphan-file-deletion/logs", "/aws-glue/iceberg-retention/logs"]);
                for (const g of groups) {
                    assert.equal(g.inputs.retentionInDays, 30);
                    assert.ok(g.inputs.kmsKeyId, `${g.inputs.name} is encrypted with the lake key`);
                }
            });

            it("deletes old Glue table versions daily (Step Functions SDK tasks started by a schedule), keeping the newest page", () => {
                const [machine] = mocks.ofType("aws:sfn/stateMachine:StateMachine");
                const definition = JSON.parse(machine!.inputs.definition);
                const tasks = Object.values(definition.States as Record<string, { Resource?: string; Arguments?: Record<string, unknown> }>).filter((st) => st.Resource);
                assert.deepEqual([...new Set(tasks.map((t) => t.Resource))].sort(), ["arn:aws:states:::aws-sdk:glue:batchDeleteTableVersion", "arn:aws:states:::aws-sdk:glue:getTableVersions"]);
                for (const t of tasks) assert.deepEqual([t.Arguments!.DatabaseName, t.Arguments!.TableName], ["game1_events", "raw_events_iceberg"]);
                assert.equal(machine!.inputs.encryptionConfiguration.type, "CUSTOMER_MANAGED_KMS_KEY");
                const schedule = mocks.ofType("aws:scheduler/schedule:Schedule").find((r) => r.inputs.target.arn === machine!.inputs.arn || r.name.includes("versions"))!;
                assert.ok(schedule.inputs.kmsKeyArn);
            });

            it("delivers with Firehose's Iceberg destination: append only, no unique keys, the error prefix", () => {
                const [stream] = mocks.ofType(T.firehose);
                assert.equal(stream!.inputs.destination, "iceberg");
                assert.equal(stream!.inputs.extendedS3Configuration, undefined);
                const c = stream!.inputs.icebergConfiguration;
                assert.equal(c.appendOnly, true);
                assert.equal(c.bufferingInterval, devMode ? 60 : 900);
                const [destination] = c.destinationTableConfigurations;
                assert.equal(destination.tableName, "raw_events_iceberg");
                assert.equal(destination.uniqueKeys, undefined);
                assert.match(destination.s3ErrorOutputPrefix, /^firehose-errors\/!\{firehose:error-output-type\}\//);
                assert.equal(stream!.inputs.kinesisSourceConfiguration !== undefined, ingestMode === "KINESIS_DATA_STREAMS");
            });

            it("lets the Firehose role commit to the Iceberg table and write its folder, not the Hive folder", () => {
                const policy = mocks.ofType(T.rolePolicy).find((p) => p.name.endsWith("-firehose-policy"))!;
                const statements = statementsOf(policy.inputs.policy);
                const resources = statements.flatMap((s) => asList(s.Resource));
                assert.ok(statements.some((s) => asList(s.Action).includes("glue:UpdateTable")));
                assert.ok(resources.some((r) => /\/iceberg\/raw_events\/\*$/.test(r)));
                assert.ok(!resources.some((r) => /\/raw_events\/\*$/.test(r) && !/iceberg/.test(r)));
            });

            it("creates no Glue ETL job, crawler or workflow", () => {
                assert.deepEqual([...mocks.ofType(T.job), ...mocks.ofType(T.crawler), ...mocks.ofType(T.workflow)], []);
            });

            it("has the events function put one event per record (Firehose's Iceberg destination reads one JSON row per record)", () => {
                const events = mocks.ofType(T.fn).filter((f) => f.inputs.environment?.variables?.INGEST_MODE !== undefined && f.name.includes("events"));
                assert.equal(events.length, 1);
                const vars = events[0]!.inputs.environment.variables;
                assert.equal(vars[ingestMode === "DIRECT_BATCH" ? "FIREHOSE_PACK_EVENTS" : "KINESIS_PACK_EVENTS"], "false");
                const env = ingestMode === "DIRECT_BATCH" ? { INGEST_MODE: ingestMode, DELIVERY_STREAM_NAME: "d" } : { INGEST_MODE: ingestMode, STREAM_NAME: "s" };
                assert.equal(sinkForMode({ ...env, ...vars }).packsEvents, false);
                assert.equal(sinkForMode(env).packsEvents, true, "HIVE keeps packing");
            });

            it(devMode ? "schedules no row deletion without dataRetentionDays" : "deletes rows older than dataRetentionDays with a daily Athena DELETE in the lake workgroup (no S3 expiry under the table)", async () => {
                const schedules = mocks.ofType("aws:scheduler/schedule:Schedule").filter((r) => !r.name.includes("versions"));
                if (devMode) {
                    assert.deepEqual(schedules, []);
                    return;
                }
                assert.equal(schedules.length, 1);
                const target = schedules[0]!.inputs.target;
                assert.equal(target.arn, "arn:aws:scheduler:::aws-sdk:athena:startQueryExecution");
                const input = JSON.parse(target.input);
                assert.equal(input.QueryString, `DELETE FROM "game1_events"."raw_events_iceberg" WHERE event_timestamp < date_trunc('day', current_timestamp) - interval '30' day`);
                assert.equal(input.WorkGroup, "game1-workgroup");
                assert.ok(schedules[0]!.inputs.kmsKeyArn);
                const lifecycle = mocks.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[0]!.inputs.rules as Array<{ filter?: { prefix?: string }; expiration?: { days?: number } }>;
                assert.ok(!lifecycle.some((r) => r.expiration?.days !== undefined && (r.filter?.prefix ?? "").startsWith("iceberg/")), "no lifecycle expiry under the Iceberg table");
            });

            it("tells the transform to write event_timestamp in microseconds", () => {
                const transform = mocks.ofType(T.fn).find((f) => f.inputs.name === "game1-events-processing")!;
                assert.equal(transform.inputs.environment.variables.TIMESTAMP_UNIT, "microseconds");
            });

            it("rewrites the named queries for the view and adds the Iceberg CTAS", () => {
                const queries = mocks.ofType(T.namedQuery);
                assert.ok(queries.some((q) => q.inputs.name === "iceberg_ctas" && /table_type = 'ICEBERG'/.test(q.inputs.query)));
                for (const q of queries) assert.doesNotMatch(q.inputs.query, /\b(WHERE|AND)\s+year\s*=/i);
            });
        });
    }
}

describe("Iceberg maintenance settings", () => {
    it("default to 5 days, 1 snapshot, 3 days, 24 hours", () => {
        const s = validateSettings({ workloadName: "g1" });
        assert.deepEqual([s.icebergSnapshotRetentionDays, s.icebergSnapshotsToKeep, s.icebergOrphanFileRetentionDays, s.icebergMaintenanceRunHours], [5, 1, 3, 24]);
    });

    it("refuses values Glue's optimizers refuse, naming the key", () => {
        assert.throws(() => validateSettings({ workloadName: "g1", icebergMaintenanceRunHours: 2 }), /icebergMaintenanceRunHours/);
        assert.throws(() => validateSettings({ workloadName: "g1", icebergSnapshotsToKeep: 0 }), /icebergSnapshotsToKeep/);
        assert.throws(() => validateSettings({ workloadName: "g1", icebergSnapshotRetentionDays: 3654 }), /icebergSnapshotRetentionDays/);
    });
});

describe("icebergOptimizerLogGroups (a second ICEBERG stack in the account and region)", () => {
    for (const [label, args] of [
        ["top-level key", { icebergOptimizerLogGroups: false }],
        ["aws namespace", { aws: { icebergOptimizerLogGroups: false } }],
    ] as const) {
        it(`false (${label}) leaves Glue's fixed-name optimizer log groups to the stack that owns them, optimizers kept`, async () => {
            const mocks = new MockRecorder();
            await mocks.install();
            const pipeline = new GameAnalyticsPipeline("game2", { workloadName: "game2", ingestMode: "DIRECT_BATCH", tableFormat: "ICEBERG", realTimeAnalytics: false, ...args });
            await valueOf(pipeline.dashboardUrl);
            await mocks.settle();
            const groups = mocks.ofType("aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs.name).startsWith("/aws-glue/iceberg-"));
            assert.deepEqual(groups, []);
            assert.equal(mocks.ofType(T.optimizer).length, 3);
        });
    }

    it("refuses a value that is not a boolean, naming the key", () => {
        assert.throws(() => new GameAnalyticsPipeline("game3", { workloadName: "game3", tableFormat: "ICEBERG", icebergOptimizerLogGroups: "sometimes" as unknown as boolean }), /icebergOptimizerLogGroups/);
    });
});
