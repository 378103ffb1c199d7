/**
 * A compliant Iceberg stack built by the real components under Pulumi mocks (table, optimizers,
 * view, a Firehose stream to the table, the lake's lifecycle with a data retention), and the
 * changes that break each Iceberg rule. Shared by iceberg-rules.test.ts and, once the rules are
 * registered in policy/rules/index.ts, by the pack's coverage check (rules.test.ts).
 */
import * as aws from "@pulumi/aws";
import { IcebergEventsTable } from "../../components/aws/iceberg/iceberg-table";
import { firehoseIcebergConfiguration } from "../../components/aws/iceberg/firehose-iceberg";
import { lifecycleRules } from "../../components/aws/storage-tier";
import { ICEBERG_TYPES } from "../../policy/rules/iceberg";
import { ResourceFacts } from "../../policy/rules/types";
import type { BreakingCase } from "./rule-violations";
import { ACCOUNT_ID, MockRecorder, REGION, valueOf } from "../support/pulumi-mocks";

/** A change of the compliant Iceberg stack that breaks one rule. */
export type IcebergBreakingCase = BreakingCase;

const BUCKET = "game1-lake-0001";

/** The compliant stack, as facts (inputs as props, as a preview reports them). */
export async function compliantIcebergStack(): Promise<ResourceFacts[]> {
    const mocks = new MockRecorder();
    await mocks.install();
    const table = new IcebergEventsTable("events", {
        workloadName: "game1", databaseName: "game1_events", bucketName: BUCKET, bucketArn: `arn:aws:s3:::${BUCKET}`,
        dataKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/lake`,
    });
    new aws.s3.BucketLifecycleConfiguration("lake-lifecycle", {
        bucket: BUCKET,
        rules: lifecycleRules({ glueTmpPrefix: "glueetl-tmp", rawEventsPrefix: "raw_events", dataRetentionDays: 365 }),
    });
    new aws.kinesis.FirehoseDeliveryStream("delivery", {
        name: "game1-events", destination: "iceberg",
        icebergConfiguration: firehoseIcebergConfiguration({
            roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/game1-firehose`, bucketArn: `arn:aws:s3:::${BUCKET}`,
            dataKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/lake`,
            destination: { databaseName: "game1_events", tableName: "raw_events_iceberg" },
            accountId: ACCOUNT_ID, region: REGION, partition: "aws",
            transformArn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:game1-events-processing`,
            logging: { logGroupName: "/aws/kinesisfirehose/game1-events", logStreamName: "DestinationDelivery" },
        }),
    });
    await valueOf(table.viewName);
    const resources = await mocks.settle();
    return resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, id: r.id, props: JSON.parse(JSON.stringify(r.inputs)) }));
}

const one = (stack: ResourceFacts[], type: string, suffix: string): ResourceFacts => {
    const found = stack.filter((r) => r.type === type && r.name.endsWith(suffix));
    if (found.length !== 1) throw new Error(`expected one ${type} *${suffix}`);
    return found[0]!;
};
const icebergTable = (s: ResourceFacts[]) => one(s, ICEBERG_TYPES.glueTable, "-table").props;
const stream = (s: ResourceFacts[]) => one(s, ICEBERG_TYPES.firehose, "delivery").props;

export const ICEBERG_CASES: IcebergBreakingCase[] = [
    { rule: "iceberg-table-v2-partitioned", breaks: "format version 1", mutate: (s) => { icebergTable(s).openTableFormatInput.icebergInput.version = "1"; } },
    { rule: "iceberg-table-v2-partitioned", breaks: "unpartitioned at creation (the guidance)", mutate: (s) => { delete icebergTable(s).openTableFormatInput.icebergInput.icebergTableInput.partitionSpec; } },
    { rule: "iceberg-table-v2-partitioned", breaks: "Hive partition keys on an Iceberg table", mutate: (s) => { icebergTable(s).partitionKeys = [{ name: "year", type: "string" }]; } },
    { rule: "iceberg-table-v2-partitioned", breaks: "partition source id not in the schema", mutate: (s) => { icebergTable(s).openTableFormatInput.icebergInput.icebergTableInput.partitionSpec.fields[0].sourceId = 42; } },
    { rule: "iceberg-schema-matches-columns", breaks: "a column added to the Glue columns only (provider issue #36641)", mutate: (s) => {
        icebergTable(s).storageDescriptor.columns.push({ name: "player_level", type: "string" });
    } },
    { rule: "iceberg-schema-matches-columns", breaks: "field ids renumbered (old files would map event_id to event_type)", mutate: (s) => {
        const fields = icebergTable(s).openTableFormatInput.icebergInput.icebergTableInput.schema.fields;
        [fields[0].id, fields[1].id] = [fields[1].id, fields[0].id];
    } },
    { rule: "firehose-iceberg-append-only", breaks: "appendOnly unset", mutate: (s) => { delete stream(s).icebergConfiguration.appendOnly; } },
    { rule: "firehose-iceberg-append-only", breaks: "uniqueKeys in append-only mode (the guidance)", mutate: (s) => { stream(s).icebergConfiguration.destinationTableConfigurations[0].uniqueKeys = ["event_id"]; } },
    { rule: "firehose-iceberg-append-only", breaks: "buffering above 900 s", mutate: (s) => { stream(s).icebergConfiguration.bufferingInterval = 1800; } },
    { rule: "firehose-iceberg-append-only", breaks: "buffering size above 128 MB", mutate: (s) => { stream(s).icebergConfiguration.bufferingSize = 256; } },
    { rule: "firehose-iceberg-append-only", breaks: "catalogArn of a table, not the catalog", mutate: (s) => { stream(s).icebergConfiguration.catalogArn = `arn:aws:glue:${REGION}:${ACCOUNT_ID}:table/db/t`; } },
    { rule: "firehose-iceberg-append-only", breaks: "no error prefix", mutate: (s) => { delete stream(s).icebergConfiguration.s3Configuration.errorOutputPrefix; } },
    { rule: "firehose-iceberg-append-only", breaks: "errors written without the lake key", mutate: (s) => { delete stream(s).icebergConfiguration.s3Configuration.kmsKeyArn; } },
    { rule: "iceberg-table-maintained", breaks: "no orphan-file deletion", mutate: (s) => { s.splice(s.indexOf(one(s, ICEBERG_TYPES.glueTableOptimizer, "-orphan-file-deletion")), 1); } },
    { rule: "iceberg-table-maintained", breaks: "compaction disabled", mutate: (s) => { one(s, ICEBERG_TYPES.glueTableOptimizer, "-compaction").props.configuration.enabled = false; } },
    { rule: "iceberg-table-maintained", breaks: "optimizers of another table", mutate: (s) => { for (const o of s.filter((r) => r.type === ICEBERG_TYPES.glueTableOptimizer)) o.props.tableName = "other"; } },
    { rule: "iceberg-table-maintained", breaks: "retention keeps expired files", mutate: (s) => { one(s, ICEBERG_TYPES.glueTableOptimizer, "-retention").props.configuration.retentionConfiguration.icebergConfiguration.cleanExpiredFiles = false; } },
    { rule: "iceberg-location-not-expired", breaks: "table under the expiring raw_events folder", mutate: (s) => {
        const input = icebergTable(s).openTableFormatInput.icebergInput.icebergTableInput;
        input.location = `s3://${BUCKET}/raw_events/iceberg`;
    } },
    { rule: "iceberg-location-not-expired", breaks: "a bucket-wide expiration", mutate: (s) => {
        one(s, ICEBERG_TYPES.bucketLifecycle, "lake-lifecycle").props.rules.push({ id: "expire-all", status: "Enabled", filter: { prefix: "" }, expiration: { days: 90 } });
    } },
];
