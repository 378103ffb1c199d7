/** The Iceberg events table on AWS, its optimizers and view, and Firehose's Iceberg delivery, under Pulumi mocks. */
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { decodePrestoView, viewColumns } from "../../analytics/iceberg-athena";
import { IcebergEventsTable, IcebergEventsTableArgs, validate } from "../../components/aws/iceberg/iceberg-table";
import { firehoseIcebergConfiguration, firehoseIcebergStatements } from "../../components/aws/iceberg/firehose-iceberg";
import { policyDocument } from "../../components/aws/iam";
import { EVENT_COLUMNS } from "../../functions/core/contracts";
import { ACCOUNT_ID, asList, MockRecorder, RecordedResource, REGION, statementsOf, valueOf } from "../support/pulumi-mocks";

const BUCKET = "game1-lake-0001";
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/lake`;
const TABLE = "aws:glue/catalogTable:CatalogTable";
const OPTIMIZER = "aws:glue/catalogTableOptimizer:CatalogTableOptimizer";

const baseArgs: IcebergEventsTableArgs = {
    workloadName: "game1", databaseName: "game1_events", bucketName: BUCKET, bucketArn: BUCKET_ARN, dataKeyArn: KEY_ARN,
};

async function build(args: Partial<IcebergEventsTableArgs> = {}): Promise<{ mocks: MockRecorder; component: IcebergEventsTable; resources: RecordedResource[] }> {
    const mocks = new MockRecorder();
    await mocks.install();
    const component = new IcebergEventsTable("events", { ...baseArgs, ...args });
    await valueOf(component.viewName);
    return { mocks, component, resources: [...(await mocks.settle())] };
}

describe("IcebergEventsTable", () => {
    it("creates an Iceberg v2 table with the stored columns, a real timestamp and the partition spec declared at creation", async () => {
        const { mocks } = await build();
        const table = mocks.one(TABLE, "-table").inputs;
        assert.equal(table.name, "raw_events_iceberg");
        assert.equal(table.databaseName, "game1_events");
        const iceberg = table.openTableFormatInput.icebergInput;
        assert.equal(iceberg.metadataOperation, "CREATE");
        assert.equal(iceberg.version, "2");
        const input = iceberg.icebergTableInput;
        assert.equal(input.location, `s3://${BUCKET}/iceberg/raw_events`);
        assert.deepEqual(input.schema.fields.map((f: { id: number; name: string; type: string; required: boolean }) => [f.id, f.name, f.type, f.required]),
            EVENT_COLUMNS.map((c, i) => [i + 1, c.name, c.name === "event_timestamp" ? "timestamptz" : c.glueType === "bigint" ? "long" : "string", false]));
        // Ids of the first schema never change; player_id and source_event_id were appended (schema 1).
        assert.deepEqual(input.schema.fields.map((f: { id: number; name: string }) => `${f.id}:${f.name}`), [
            "1:event_id", "2:event_type", "3:event_name", "4:event_version", "5:event_timestamp", "6:app_version", "7:application_id",
            "8:application_name", "9:event_data", "10:metadata", "11:player_id", "12:source_event_id",
        ]);
        assert.equal(input.schema.schemaId, 1);
        assert.deepEqual(table.storageDescriptor.columns.slice(-2), [{ name: "player_id", type: "string" }, { name: "source_event_id", type: "string" }]);
        assert.deepEqual(input.partitionSpec.fields, [
            { name: "event_timestamp_day", transform: "day", sourceId: 5, fieldId: 1000 },
            { name: "application_id", transform: "identity", sourceId: 7, fieldId: 1001 },
        ]);
        assert.equal(table.partitionKeys, undefined, "Glue refuses Hive partition keys on an Iceberg table");
        assert.equal(table.storageDescriptor.columns.find((c: { name: string }) => c.name === "event_timestamp").type, "timestamp");
    });

    it("runs compaction, snapshot retention and orphan-file deletion with the configured retention, as its own role", async () => {
        const { mocks, component } = await build({ snapshotRetentionDays: 7, snapshotsToKeep: 10, orphanFileRetentionDays: 4, maintenanceRunHours: 12 });
        const optimizers = mocks.ofType(OPTIMIZER);
        assert.deepEqual(optimizers.map((o) => o.inputs.type).sort(), ["compaction", "orphan_file_deletion", "retention"]);
        const roleArn = await valueOf(component.optimizerRole.arn);
        for (const o of optimizers) {
            assert.equal(o.inputs.configuration.enabled, true);
            assert.equal(o.inputs.configuration.roleArn, roleArn);
            assert.equal(o.inputs.tableName, "raw_events_iceberg");
            assert.equal(o.inputs.catalogId, ACCOUNT_ID);
        }
        const retention = optimizers.find((o) => o.inputs.type === "retention")!.inputs.configuration.retentionConfiguration.icebergConfiguration;
        assert.deepEqual(retention, { snapshotRetentionPeriodInDays: 7, numberOfSnapshotsToRetain: 10, cleanExpiredFiles: true, runRateInHours: 12 });
        const orphan = optimizers.find((o) => o.inputs.type === "orphan_file_deletion")!.inputs.configuration.orphanFileDeletionConfiguration.icebergConfiguration;
        assert.deepEqual(orphan, { orphanFileRetentionPeriodInDays: 4, location: `s3://${BUCKET}/iceberg/raw_events/`, runRateInHours: 12 });
        const role = mocks.one("aws:iam/role:Role", "-optimizer-role").inputs;
        assert.deepEqual(statementsOf(role.assumeRolePolicy).map((s) => s.Principal), [{ Service: "glue.amazonaws.com" }]);
    });

    it("gives the optimizer role the table's folder, the table, the key and its logs only, with no wildcard action", async () => {
        const { mocks } = await build();
        const statements = statementsOf(mocks.one("aws:iam/rolePolicy:RolePolicy", "-optimizer-policy").inputs.policy);
        const actions = statements.flatMap((s) => asList(s.Action));
        assert.deepEqual(actions.filter((a) => a.includes("*")), []);
        const objectResources = statements.filter((s) => asList(s.Action).includes("s3:DeleteObject")).flatMap((s) => asList(s.Resource));
        assert.deepEqual(objectResources, [`${BUCKET_ARN}/iceberg/raw_events/*`]);
        const glue = statements.find((s) => asList(s.Action).includes("glue:UpdateTable"))!;
        assert.ok(asList(glue.Resource).includes(`arn:aws:glue:${REGION}:${ACCOUNT_ID}:table/game1_events/raw_events_iceberg`));
        assert.ok(!asList(glue.Resource).some((r) => r.endsWith("/*")), "no other table of the database");
    });

    it("names the view like the Hive table, with the Hive columns plus event_time, over the Iceberg table", async () => {
        const { mocks } = await build({ tableName: "events" });
        const view = mocks.one(TABLE, "-view").inputs;
        assert.equal(view.name, "events");
        assert.equal(view.tableType, "VIRTUAL_VIEW");
        assert.equal(view.parameters.presto_view, "true");
        const definition = decodePrestoView(view.viewOriginalText);
        assert.equal(definition.schema, "game1_events");
        assert.match(definition.originalSql, /FROM "game1_events"\."events_iceberg"/);
        assert.deepEqual(definition.columns.map((c) => c.name), [...EVENT_COLUMNS.map((c) => c.name), "year", "month", "day", "event_time"]);
        assert.deepEqual(view.storageDescriptor.columns.map((c: { name: string }) => c.name), viewColumns().map((c) => c.name));
        assert.equal(mocks.one(TABLE, "-table").inputs.name, "events_iceberg");
    });

    it("refuses out-of-range maintenance settings with the field and the rule", () => {
        const ok = { snapshotRetentionDays: 5, snapshotsToKeep: 1, orphanFileRetentionDays: 3, maintenanceRunHours: 24, tablePrefix: "iceberg/raw_events" };
        assert.doesNotThrow(() => validate(ok));
        assert.throws(() => validate({ ...ok, snapshotRetentionDays: 0 }), /snapshotRetentionDays: must be an integer from 1 to 3653 \(got 0\)/);
        assert.throws(() => validate({ ...ok, snapshotsToKeep: 1.5 }), /snapshotsToKeep: must be an integer/);
        assert.throws(() => validate({ ...ok, maintenanceRunHours: 1 }), /maintenanceRunHours: must be an integer from 3 to 168/);
        assert.throws(() => validate({ ...ok, tablePrefix: "/iceberg/" }), /tablePrefix: must be a folder path/);
    });
});

describe("Firehose delivery to the Iceberg table", () => {
    const args = {
        roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/game1-firehose`, bucketArn: BUCKET_ARN, dataKeyArn: KEY_ARN,
        destination: { databaseName: "game1_events", tableName: "raw_events_iceberg" },
        accountId: ACCOUNT_ID, region: REGION, partition: "aws",
        transformArn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:game1-events-processing`,
        logging: { logGroupName: "/aws/kinesisfirehose/game1-events", logStreamName: "DestinationDelivery" },
    };

    it("delivers append-only to the Glue catalog's table through the transform, errors under the error folder", async () => {
        const mocks = new MockRecorder();
        await mocks.install();
        const parent = new pulumi.ComponentResource("test:index:Parent", "p");
        new aws.kinesis.FirehoseDeliveryStream("iceberg-stream", { name: "game1-events", destination: "iceberg", icebergConfiguration: firehoseIcebergConfiguration(args) }, { parent });
        const stream = (await mocks.settle()).find((r) => r.name === "iceberg-stream")!.inputs;
        const c = stream.icebergConfiguration;
        assert.equal(stream.destination, "iceberg");
        assert.equal(c.catalogArn, `arn:aws:glue:${REGION}:${ACCOUNT_ID}:catalog`);
        assert.equal(c.appendOnly, true);
        assert.deepEqual(c.destinationTableConfigurations.map((t: { uniqueKeys?: string[] }) => t.uniqueKeys), [undefined], "no uniqueKeys in append-only mode");
        assert.match(c.destinationTableConfigurations[0].s3ErrorOutputPrefix, /^firehose-errors\/!\{firehose:error-output-type\}\//);
        assert.match(c.s3Configuration.errorOutputPrefix, /^firehose-errors\/!\{firehose:error-output-type\}\//);
        assert.equal(c.s3Configuration.kmsKeyArn, KEY_ARN);
        assert.equal(c.processingConfiguration.processors[0].parameters[0].parameterValue, args.transformArn);
        assert.deepEqual([c.bufferingInterval, c.bufferingSize], [900, 128]);
    });

    it("refuses buffering outside Firehose's bounds for Iceberg", () => {
        assert.throws(() => firehoseIcebergConfiguration({ ...args, bufferingIntervalSeconds: 901 }), /bufferingIntervalSeconds: must be an integer from 0 to 900 \(got 901\)/);
        assert.throws(() => firehoseIcebergConfiguration({ ...args, bufferingSizeMb: 0 }), /bufferingSizeMb: must be an integer from 1 to 128 \(got 0\)/);
        assert.equal(firehoseIcebergConfiguration({ ...args, bufferingIntervalSeconds: 60 }).bufferingInterval, 60);
    });

    it("scopes the Firehose role to the table, its folder and the error folder", async () => {
        const statements = statementsOf(await valueOf(policyDocument(firehoseIcebergStatements({ ...args, ...args.destination, tablePrefix: "iceberg/raw_events" }))));
        const glue = statements.find((s) => asList(s.Action).includes("glue:UpdateTable"))!;
        assert.deepEqual(asList(glue.Resource), [
            `arn:aws:glue:${REGION}:${ACCOUNT_ID}:catalog`,
            `arn:aws:glue:${REGION}:${ACCOUNT_ID}:database/game1_events`,
            `arn:aws:glue:${REGION}:${ACCOUNT_ID}:table/game1_events/raw_events_iceberg`,
        ]);
        const objects = statements.filter((s) => asList(s.Action).includes("s3:PutObject")).flatMap((s) => asList(s.Resource));
        assert.deepEqual(objects, [`${BUCKET_ARN}/iceberg/raw_events/*`, `${BUCKET_ARN}/firehose-errors/*`]);
        assert.deepEqual(statements.flatMap((s) => asList(s.Action)).filter((a) => a.includes("*") || a === "glue:CreateTable"), []);
    });
});
