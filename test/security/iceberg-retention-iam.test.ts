/**
 * IAM of the Iceberg row retention (the schedule's Athena DELETE), proven like
 * test/security/iceberg-iam.test.ts: every action exists, and a policy simulator allows what the
 * DELETE needs and denies the neighbours.
 */
import * as assert from "node:assert/strict";
import { retentionStatements } from "../../components/aws/iceberg/iceberg-retention";
import { cleanupStatements } from "../../components/aws/iceberg/table-version-cleanup";
import { policyDocument } from "../../components/aws/iam";
import { ACCOUNT_ID, REGION, valueOf } from "../support/pulumi-mocks";
import { BUCKET_ARN, KEY_ARN, TABLE_ARN, VIEW_ARN, assertDecisions, glue, unknownActions } from "./support/iceberg-simulation";

const WORKGROUP = `arn:aws:athena:${REGION}:${ACCOUNT_ID}:workgroup/game1-workgroup`;

describe("IAM of the Iceberg row retention (simulated)", function () {
    this.timeout(120_000);
    let policy: string;

    before(async () => {
        policy = await valueOf(policyDocument(retentionStatements({
            bucketArn: BUCKET_ARN, tablePrefix: "iceberg/raw_events_iceberg", resultsPrefix: "athena-query-results", dataKeyArn: KEY_ARN,
            workgroupArn: WORKGROUP, databaseName: "game1_events", tableName: "raw_events_iceberg", accountId: ACCOUNT_ID, region: REGION, partition: "aws",
        })));
    });

    it("names only actions that exist in the IAM service reference", async () => {
        assert.deepEqual(await unknownActions(policy), []);
    });

    it("lets the schedule start the DELETE in the lake workgroup and Athena commit it, and nothing next to it", async () => {
        await assertDecisions(policy, [
            ["athena:StartQueryExecution", WORKGROUP],
            ["glue:GetTable", TABLE_ARN], ["glue:UpdateTable", TABLE_ARN], ["glue:GetDatabase", glue("database/game1_events")], ["glue:GetTable", glue("catalog")],
            ["s3:GetObject", `${BUCKET_ARN}/iceberg/raw_events_iceberg/data/event_timestamp_day=2025-01-01/application_id=a/f.parquet`],
            ["s3:PutObject", `${BUCKET_ARN}/iceberg/raw_events_iceberg/metadata/00042.metadata.json`],
            ["s3:DeleteObject", `${BUCKET_ARN}/iceberg/raw_events_iceberg/data/x.parquet`],
            ["s3:PutObject", `${BUCKET_ARN}/athena-query-results/q.csv`],
            ["s3:ListBucket", BUCKET_ARN, { "s3:prefix": "iceberg/raw_events_iceberg/" }],
            ["s3:GetBucketLocation", BUCKET_ARN],
            ["kms:Decrypt", KEY_ARN], ["kms:GenerateDataKey", KEY_ARN],
        ], [
            ["athena:StartQueryExecution", `arn:aws:athena:${REGION}:${ACCOUNT_ID}:workgroup/primary`],
            ["athena:DeleteWorkGroup", WORKGROUP],
            ["glue:UpdateTable", VIEW_ARN], ["glue:DeleteTable", TABLE_ARN], ["glue:UpdateTable", glue("table/game1_events/other")],
            ["s3:DeleteObject", `${BUCKET_ARN}/raw_events/year=2026/month=12/day=01/f.parquet`],
            ["s3:DeleteObject", `${BUCKET_ARN}/athena-query-results/q.csv`],
            ["s3:PutObject", "arn:aws:s3:::another-bucket/iceberg/raw_events_iceberg/x"],
            ["s3:ListBucket", BUCKET_ARN, { "s3:prefix": "raw_events/" }],
            ["kms:Decrypt", `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/other`],
        ]);
    });
});

describe("IAM of the Glue table-version cleanup (simulated)", function () {
    this.timeout(120_000);
    let policy: string;

    before(async () => {
        policy = await valueOf(policyDocument(cleanupStatements({ databaseName: "game1_events", tableName: "raw_events_iceberg", dataKeyArn: KEY_ARN, accountId: ACCOUNT_ID, region: REGION, partition: "aws" })));
    });

    it("names only actions that exist, reads and deletes versions of this table only", async () => {
        assert.deepEqual(await unknownActions(policy), []);
        await assertDecisions(policy, [
            ["glue:GetTableVersions", TABLE_ARN], ["glue:BatchDeleteTableVersion", TABLE_ARN],
            ["glue:GetTableVersions", glue("catalog")], ["glue:BatchDeleteTableVersion", glue("database/game1_events")],
        ], [
            ["glue:BatchDeleteTableVersion", VIEW_ARN], ["glue:BatchDeleteTableVersion", glue("table/game1_events/other")],
            ["glue:DeleteTable", TABLE_ARN], ["glue:UpdateTable", TABLE_ARN], ["glue:DeleteTableVersion", TABLE_ARN],
        ]);
    });
});
