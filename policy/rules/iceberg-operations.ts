/**
 * Operating rules of the Iceberg table format on AWS (issue 12, second part), each one a behaviour
 * of the service that a mock accepts and the cloud does not:
 * - Firehose's Iceberg destination reads one JSON object per record as one row (the Columns
 *   limitation of "Considerations and limitations": it takes the first-level nodes of the record's
 *   JSON); unlike format conversion for S3 (which reads concatenated JSON documents), a record of
 *   several newline-separated events is not several rows. The events function writing to a stream
 *   that feeds an Iceberg destination must put one event per record.
 * - An EventBridge Scheduler schedule encrypts its target input with an AWS owned key unless it
 *   names a customer managed key ("Encryption at rest in EventBridge Scheduler").
 * - A universal target calling Athena's StartQueryExecution without a WorkGroup runs the query in
 *   the `primary` workgroup, whose results location and encryption are not the lake's.
 * - Each Iceberg commit archives a Glue table version; Glue allows 100,000 per table ("Number of
 *   TABLE_VERSION resources exceeds the limit 100000 per TABLE", re:Post glue-table-version-errors),
 *   then every commit fails: a table Firehose commits to needs a scheduled version cleanup.
 */
import { label, ofType } from "./relations";
import { ResourceRule, StackRule, Violation } from "./types";

export const ICEBERG_OPERATION_TYPES = {
    schedule: "aws:scheduler/schedule:Schedule",
    firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    lambda: "aws:lambda/function:Function",
    stateMachine: "aws:sfn/stateMachine:StateMachine",
    glueTable: "aws:glue/catalogTable:CatalogTable",
} as const;

/** The Athena universal target of EventBridge Scheduler. */
const ATHENA_START_QUERY = /^arn:aws[a-z-]*:scheduler:::aws-sdk:athena:startQueryExecution$/;

export const schedulerScheduleEncrypted: ResourceRule = {
    name: "scheduler-schedule-encrypted",
    description: "An EventBridge Scheduler schedule names a customer managed KMS key (kmsKeyArn) and an execution role; one calling Athena's StartQueryExecution names the WorkGroup (else the query runs in `primary`).",
    types: [ICEBERG_OPERATION_TYPES.schedule],
    check: ({ props }) => {
        const problems: string[] = [];
        if (!props.kmsKeyArn) problems.push("no kmsKeyArn: the schedule's target input is encrypted with an AWS owned key; name the lake's customer managed key");
        const target = props.target ?? {};
        if (!target.roleArn) problems.push("target.roleArn is missing: EventBridge Scheduler calls the target with the execution role only");
        if (typeof target.arn === "string" && ATHENA_START_QUERY.test(target.arn)) {
            let input: Record<string, unknown> | undefined;
            try {
                input = typeof target.input === "string" ? JSON.parse(target.input) : undefined;
            } catch {
                problems.push("target.input is not JSON: a universal target sends it as the API request");
            }
            if (input !== undefined && (typeof input.WorkGroup !== "string" || input.WorkGroup === "")) {
                problems.push("the StartQueryExecution input names no WorkGroup: Athena would run it in `primary`, outside the lake's results location and encryption");
            }
        }
        return problems;
    },
};

function environmentOf(fn: { props: Record<string, any> }): Record<string, string> {
    return fn.props.environment?.variables ?? {};
}

export const icebergOneEventPerRecord: StackRule = {
    name: "iceberg-one-event-per-record",
    description: "When a Firehose stream delivers to Iceberg, the events function writing to it (or to its source stream) puts one event per record: the Iceberg destination reads a record as one JSON row.",
    check: (resources) => {
        const icebergStreams = ofType(resources, ICEBERG_OPERATION_TYPES.firehose).filter((f) => f.props.destination === "iceberg");
        if (icebergStreams.length === 0) return [];
        const violations: Violation[] = [];
        for (const fn of ofType(resources, ICEBERG_OPERATION_TYPES.lambda)) {
            const env = environmentOf(fn);
            if (env.INGEST_MODE === "DIRECT_BATCH" && env.FIREHOSE_PACK_EVENTS !== "false") {
                violations.push({ urn: fn.urn, message: `${label(fn)} packs several events per Firehose record while the stream delivers to Iceberg (one row per record): set FIREHOSE_PACK_EVENTS=false` });
            }
            if (env.INGEST_MODE === "KINESIS_DATA_STREAMS" && env.KINESIS_PACK_EVENTS !== "false") {
                violations.push({ urn: fn.urn, message: `${label(fn)} packs several events per Kinesis record while the stream's Firehose delivers to Iceberg (one row per record): set KINESIS_PACK_EVENTS=false` });
            }
        }
        return violations;
    },
};

export const icebergTableVersionsCleaned: StackRule = {
    name: "iceberg-table-versions-cleaned",
    description: "Every Glue Iceberg table has a state machine that deletes its old Glue table versions (BatchDeleteTableVersion on that table), encrypted with a customer managed key: each commit archives a version and Glue stops commits at 100,000 per table.",
    check: (resources) => {
        const violations: Violation[] = [];
        const machines = ofType(resources, ICEBERG_OPERATION_TYPES.stateMachine).map((m) => {
            let definition: any;
            try {
                definition = typeof m.props.definition === "string" ? JSON.parse(m.props.definition) : undefined;
            } catch {
                definition = undefined;
            }
            const deletes = Object.values((definition?.States ?? {}) as Record<string, any>).filter((st) => String(st.Resource ?? "").endsWith(":glue:batchDeleteTableVersion"));
            return { machine: m, tables: new Set(deletes.map((st) => `${st.Arguments?.DatabaseName}.${st.Arguments?.TableName}`)) };
        });
        for (const table of ofType(resources, ICEBERG_OPERATION_TYPES.glueTable).filter((t) => t.props.openTableFormatInput?.icebergInput !== undefined)) {
            const key = `${table.props.databaseName}.${table.props.name}`;
            const cleanup = machines.find((m) => m.tables.has(key));
            if (!cleanup) {
                violations.push({ urn: table.urn, message: `${label(table)}: no state machine deletes its old Glue table versions; each Iceberg commit archives one and Glue refuses commits beyond 100,000 versions per table` });
            } else if (cleanup.machine.props.encryptionConfiguration?.type !== "CUSTOMER_MANAGED_KMS_KEY") {
                violations.push({ urn: cleanup.machine.urn, message: `${label(cleanup.machine)}: encrypt the state machine with the lake's customer managed key (encryptionConfiguration CUSTOMER_MANAGED_KMS_KEY)` });
            }
        }
        return violations;
    },
};

export const ICEBERG_OPERATION_RESOURCE_RULES: readonly ResourceRule[] = [schedulerScheduleEncrypted];
export const ICEBERG_OPERATION_STACK_RULES: readonly StackRule[] = [icebergOneEventPerRecord, icebergTableVersionsCleaned];
