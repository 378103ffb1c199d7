/**
 * A compliant stack for the Iceberg operating rules, built by the real components under Pulumi
 * mocks (the retention schedule, a Firehose stream to Iceberg, events functions that put one event
 * per record), and the changes that break each rule.
 */
import * as aws from "@pulumi/aws";
import { IcebergRowRetention } from "../../components/aws/iceberg/iceberg-retention";
import { IcebergEventsTable } from "../../components/aws/iceberg/iceberg-table";
import { ICEBERG_OPERATION_TYPES } from "../../policy/rules/iceberg-operations";
import { ResourceFacts } from "../../policy/rules/types";
import type { BreakingCase } from "./rule-violations";
import { ACCOUNT_ID, MockRecorder, REGION } from "../support/pulumi-mocks";

/** A change of the compliant Iceberg operations stack that breaks one rule. */
export type IcebergOperationCase = BreakingCase;

const BUCKET = "game1-lake-0001";

export async function compliantIcebergOperationsStack(): Promise<ResourceFacts[]> {
    const mocks = new MockRecorder();
    await mocks.install();
    new IcebergRowRetention("retention", {
        workloadName: "game1", retentionDays: 30, databaseName: "game1_events", tableName: "raw_events_iceberg",
        tablePrefix: "iceberg/raw_events_iceberg", bucketArn: `arn:aws:s3:::${BUCKET}`, workgroupName: "game1-workgroup",
        workgroupArn: `arn:aws:athena:${REGION}:${ACCOUNT_ID}:workgroup/game1-workgroup`, resultsPrefix: "athena-query-results",
        dataKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/lake`,
    });
    new IcebergEventsTable("events", {
        workloadName: "game1", databaseName: "game1_events", bucketName: BUCKET, bucketArn: `arn:aws:s3:::${BUCKET}`,
        dataKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/lake`,
    });
    new aws.kinesis.FirehoseDeliveryStream("delivery", { name: "game1-events", destination: "iceberg" });
    new aws.lambda.Function("events-direct", { role: "r", environment: { variables: { INGEST_MODE: "DIRECT_BATCH", DELIVERY_STREAM_NAME: "game1-events", FIREHOSE_PACK_EVENTS: "false" } } });
    new aws.lambda.Function("events-kds", { role: "r", environment: { variables: { INGEST_MODE: "KINESIS_DATA_STREAMS", STREAM_NAME: "game1-stream", KINESIS_PACK_EVENTS: "false" } } });
    const resources = await mocks.settle();
    return resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, id: r.id, props: r.inputs }));
}

const schedule = (s: ResourceFacts[]) => s.find((r) => r.type === ICEBERG_OPERATION_TYPES.schedule && r.name.includes("retention"))!;
const machine = (s: ResourceFacts[]) => s.find((r) => r.type === ICEBERG_OPERATION_TYPES.stateMachine)!;
const fn = (s: ResourceFacts[], name: string) => s.find((r) => r.type === ICEBERG_OPERATION_TYPES.lambda && r.name === name)!;

export const ICEBERG_OPERATION_CASES: IcebergOperationCase[] = [
    { rule: "scheduler-schedule-encrypted", breaks: "the schedule without a customer managed key", mutate: (s) => delete schedule(s).props.kmsKeyArn },
    { rule: "scheduler-schedule-encrypted", breaks: "the target without an execution role", mutate: (s) => delete schedule(s).props.target.roleArn },
    {
        rule: "scheduler-schedule-encrypted", breaks: "an Athena StartQueryExecution input without WorkGroup", mutate: (s) => {
            const t = schedule(s).props.target;
            const input = JSON.parse(t.input);
            delete input.WorkGroup;
            t.input = JSON.stringify(input);
        },
    },
    { rule: "iceberg-one-event-per-record", breaks: "the DIRECT_BATCH events function packing events", mutate: (s) => delete fn(s, "events-direct").props.environment.variables.FIREHOSE_PACK_EVENTS },
    { rule: "iceberg-one-event-per-record", breaks: "the KINESIS_DATA_STREAMS events function packing events", mutate: (s) => (fn(s, "events-kds").props.environment.variables.KINESIS_PACK_EVENTS = "true") },
    { rule: "iceberg-table-versions-cleaned", breaks: "no state machine deleting the table's versions", mutate: (s) => s.splice(s.indexOf(machine(s)), 1) },
    { rule: "iceberg-table-versions-cleaned", breaks: "the cleanup state machine without a customer managed key", mutate: (s) => delete machine(s).props.encryptionConfiguration },
];
