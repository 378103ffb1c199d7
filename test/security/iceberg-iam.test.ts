/**
 * IAM of the Iceberg side, proven like test/security/iam.test.ts: every action exists in the IAM
 * service reference, and a policy simulator allows exactly what the optimizers and Firehose need
 * on the Iceberg table, and denies the neighbours (the view of the same name, the Hive folder,
 * another bucket, destructive catalog calls).
 */
import * as assert from "node:assert/strict";
import { IcebergEventsTable } from "../../components/aws/iceberg/iceberg-table";
import { firehoseIcebergStatements } from "../../components/aws/iceberg/firehose-iceberg";
import { policyDocument } from "../../components/aws/iam";
import { ACCOUNT_ID, MockRecorder, REGION, valueOf } from "../support/pulumi-mocks";
import { BUCKET, BUCKET_ARN, KEY_ARN, TABLE_ARN, VIEW_ARN, assertDecisions, glue, unknownActions } from "./support/iceberg-simulation";

const TRANSFORM = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:game1-events-processing`;

describe("IAM of the Iceberg table (simulated)", function () {
    this.timeout(120_000);
    let optimizerPolicy: string;
    let firehosePolicy: string;

    before(async () => {
        const mocks = new MockRecorder();
        await mocks.install();
        const table = new IcebergEventsTable("events", { workloadName: "game1", databaseName: "game1_events", bucketName: BUCKET, bucketArn: BUCKET_ARN, dataKeyArn: KEY_ARN });
        await valueOf(table.viewName);
        await mocks.settle();
        optimizerPolicy = mocks.one("aws:iam/rolePolicy:RolePolicy", "-optimizer-policy").inputs.policy;
        firehosePolicy = await valueOf(policyDocument(firehoseIcebergStatements({
            bucketArn: BUCKET_ARN, dataKeyArn: KEY_ARN, tablePrefix: table.tablePrefix, databaseName: "game1_events",
            tableName: "raw_events_iceberg", accountId: ACCOUNT_ID, region: REGION, partition: "aws", transformArn: TRANSFORM,
        })));
    });

    it("names only actions that exist in the IAM service reference", async () => {
        assert.deepEqual([...await unknownActions(optimizerPolicy), ...await unknownActions(firehosePolicy)], []);
    });

    it("lets the optimizers rewrite, expire and delete the table's files and commit, and nothing next to it", async () => {
        await assertDecisions(optimizerPolicy, [
            ["s3:GetObject", `${BUCKET_ARN}/iceberg/raw_events/data/event_timestamp_day=2026-12-01/application_id=a/f.parquet`],
            ["s3:PutObject", `${BUCKET_ARN}/iceberg/raw_events/data/compacted.parquet`],
            ["s3:DeleteObject", `${BUCKET_ARN}/iceberg/raw_events/metadata/snap-1.avro`],
            ["s3:ListBucket", BUCKET_ARN, { "s3:prefix": "iceberg/raw_events/" }],
            ["glue:GetTable", TABLE_ARN], ["glue:UpdateTable", TABLE_ARN],
            ["glue:GetTable", glue("catalog")], ["glue:GetTable", glue("database/game1_events")],
            ["kms:Decrypt", KEY_ARN], ["kms:GenerateDataKey", KEY_ARN],
            ["logs:PutLogEvents", `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws-glue/iceberg-compaction/logs:log-stream:x`],
            ["logs:CreateLogStream", `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws-glue/iceberg-orphan-file-deletion/logs:log-stream:x`],
        ], [
            ["s3:DeleteObject", `${BUCKET_ARN}/raw_events/year=2026/month=12/day=01/f.parquet`],
            ["s3:DeleteObject", `${BUCKET_ARN}/firehose-errors/x`],
            ["s3:PutObject", "arn:aws:s3:::another-bucket/iceberg/raw_events/x"],
            ["s3:ListBucket", BUCKET_ARN, { "s3:prefix": "raw_events/" }],
            ["s3:DeleteBucket", BUCKET_ARN],
            ["glue:UpdateTable", VIEW_ARN], ["glue:DeleteTable", TABLE_ARN], ["glue:CreateTable", glue("database/game1_events")],
            ["glue:UpdateTable", glue("table/game1_events/other")],
            ["kms:Decrypt", `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/other`],
            ["logs:PutLogEvents", `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/lambda/game1-admin-api:log-stream:x`],
        ]);
    });

    it("lets Firehose commit to the Iceberg table and write its errors, and nothing next to it", async () => {
        await assertDecisions(firehosePolicy, [
            ["glue:GetTable", TABLE_ARN], ["glue:UpdateTable", TABLE_ARN], ["glue:GetDatabase", glue("database/game1_events")],
            ["glue:GetTable", glue("catalog")],
            ["s3:PutObject", `${BUCKET_ARN}/iceberg/raw_events/data/x.parquet`],
            ["s3:DeleteObject", `${BUCKET_ARN}/iceberg/raw_events/data/failed-commit.parquet`],
            ["s3:PutObject", `${BUCKET_ARN}/firehose-errors/processing-failed/year=2026/month=12/day=01/x`],
            ["s3:ListBucket", BUCKET_ARN],
            ["kms:GenerateDataKey", KEY_ARN],
            ["lambda:InvokeFunction", TRANSFORM],
        ], [
            ["glue:CreateTable", glue("database/game1_events")], ["glue:UpdateTable", VIEW_ARN], ["glue:DeleteTable", TABLE_ARN],
            ["glue:CreateDatabase", glue("catalog")],
            ["s3:DeleteObject", `${BUCKET_ARN}/firehose-errors/x`],
            ["s3:PutObject", `${BUCKET_ARN}/raw_events/x.parquet`],
            ["s3:PutObject", "arn:aws:s3:::another-bucket/iceberg/raw_events/x"],
            ["lambda:InvokeFunction", `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:game1-admin-api`],
        ]);
    });
});
