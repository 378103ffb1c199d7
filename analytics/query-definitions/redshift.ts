/**
 * Redshift Serverless rendering: the streaming-ingestion DDL and the views, as the ordered,
 * re-runnable statements a deployment feeds to the Data API (one `aws.redshiftdata.Statement`
 * each, every one depending on the previous).
 *
 * Streaming ingestion reads the Kinesis stream straight into a materialized view. A record is
 * parsed with `JSON_PARSE(kinesis_data)` (VARBYTE in, SUPER out: no 64 KB VARCHAR detour) when
 * `CAN_JSON_PARSE` says it is one JSON document; otherwise its bytes are kept in `unparsed_data`,
 * so a record the views cannot read is visible instead of silently filtered out. The views then
 * navigate the SUPER payload in a separate, late-binding view: the guidance's first version
 * navigated the parsed value inside the materialized view's own SELECT and failed with
 * "navigation on column payload is not allowed as it is not SUPER type".
 *
 * One event per Kinesis record: the ingest must not pack events in REDSHIFT mode (see
 * `REDSHIFT_PACKING_DECISION`). A packed record (several JSON lines) is not one JSON document, so
 * it would land in `unparsed_data` and its events would be missing from every view.
 *
 * What cannot be checked on this machine: `FROM KINESIS`, `AUTO REFRESH`, the stored procedure and
 * SUPER semantics (the local warehouse runs the same view structure in PostgreSQL, see
 * local-postgres.ts). The texts are pinned by test/analytics/query-definitions.test.ts.
 */
import { sqlIdentifier, sqlLiteral } from "./dialect";
import { QUERY_DEFINITIONS } from "./definitions";
import { DEFAULT_WAREHOUSE_NAMES, qualified, viewStatements, WarehouseDialect, WarehouseNames } from "./warehouse-sql";

/** Why the ingest does not pack events into one Kinesis record when the data stack is REDSHIFT. */
export const REDSHIFT_PACKING_DECISION =
    "In REDSHIFT mode the ingest puts one event per Kinesis record (packsEvents false). Unpacking in SQL " +
    "would need the record as VARCHAR (SPLIT_TO_ARRAY / SPLIT_PART take VARCHAR, at most 65,535 bytes, " +
    "while a packed record reaches 1 MiB) and an unnesting step the single-stream streaming materialized " +
    "view does not offer, so it would move to a second, non-streaming layer recomputed at every query. " +
    "The price is paid at the stream: one PUT payload unit (25 KB) and one of the shard's 1,000 records/s " +
    "per event, and on-demand billing rounds each record up to 1 KB; the cost model's kinesisPacking must " +
    "be false for REDSHIFT.";

/** Redshift's fragments: SUPER navigation, OBJECT, JSON_SERIALIZE, late-binding views. */
export const REDSHIFT_DIALECT: WarehouseDialect = {
    name: "redshift",
    navigate: (base, path, cast) => `${base}.${path.join(".")}${cast === undefined ? "" : `::${cast}`}`,
    navigateNumber: (base, path) => {
        const value = `${base}.${path.join(".")}`;
        return `CASE WHEN JSON_TYPEOF(${value}) = 'number' THEN CAST(${value} AS DOUBLE PRECISION) END`;
    },
    object: (pairs) => `OBJECT(${pairs.map(([key, value]) => `${sqlLiteral(key)}, ${value}`).join(", ")})`,
    serialize: (expression) => `JSON_SERIALIZE(${expression})`,
    round4: (expression) => `ROUND(${expression}, 4)`,
    beforeToday: (count, unit) => `DATEADD(${unit}, -${count}, CURRENT_DATE)`,
    viewSuffix: "\nWITH NO SCHEMA BINDING",
};

/** What the Redshift setup needs to know. */
export interface RedshiftSetupOptions {
    /**
     * Name of the Kinesis data stream the pipeline's ingest writes to.
     * @example "gap-prod-events"
     */
    streamName: string;
    /**
     * ARN of the IAM role the workgroup assumes to read the stream (kinesis:DescribeStreamSummary,
     * GetShardIterator, GetRecords, ListShards, DescribeStream on that stream only, and
     * kms:Decrypt on its key).
     * @example "arn:aws:iam::123456789012:role/gap-prod-redshift-streaming"
     */
    streamingRoleArn: string;
    /**
     * Names of the warehouse objects.
     * @default DEFAULT_WAREHOUSE_NAMES (schema "game_events", "kinesis_events", "events")
     */
    names?: Partial<WarehouseNames>;
    /**
     * Name of the external schema mapped to Kinesis.
     * @default `${schema}_kinesis`
     * @example "game_events_kinesis"
     */
    externalSchema?: string;
}

/** One statement of the setup, in order. */
export interface SetupStatement {
    /** Stable, unique name (a Pulumi resource name suffix). */
    name: string;
    sql: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/** The materialized view over the stream (run once, through the procedure below). */
export function materializedViewSql(names: WarehouseNames, externalSchema: string, streamName: string): string {
    return `CREATE MATERIALIZED VIEW ${qualified(names, names.recordsRelation)} AUTO REFRESH YES AS
SELECT approximate_arrival_timestamp, partition_key, shard_id, sequence_number,
  CASE WHEN CAN_JSON_PARSE(kinesis_data) THEN JSON_PARSE(kinesis_data) END AS payload,
  CASE WHEN NOT CAN_JSON_PARSE(kinesis_data) THEN kinesis_data END AS unparsed_data
FROM ${sqlIdentifier(externalSchema)}.${sqlIdentifier(streamName)}`;
}

/**
 * The setup statements, in order; each can run again without harm:
 * 1. the schema (`IF NOT EXISTS`);
 * 2. the external schema over Kinesis (`IF NOT EXISTS`);
 * 3. a procedure creating the materialized view only when it does not exist (Redshift has no
 *    `CREATE MATERIALIZED VIEW IF NOT EXISTS`, and dropping a streaming view would throw away what
 *    it ingested beyond the stream's retention), and 4. its call;
 * 5. the events view and 6-16. the 11 sample views (`CREATE OR REPLACE VIEW`).
 */
export function redshiftSetupStatements(options: RedshiftSetupOptions): SetupStatement[] {
    const names: WarehouseNames = { ...DEFAULT_WAREHOUSE_NAMES, ...options.names };
    const externalSchema = options.externalSchema ?? `${names.schema}_kinesis`;
    if (!ROLE_ARN.test(options.streamingRoleArn)) throw new Error(`streamingRoleArn: must be an IAM role ARN (got ${JSON.stringify(options.streamingRoleArn)})`);
    if (!STREAM_NAME.test(options.streamName)) throw new Error(`streamName: must match ${STREAM_NAME} (got ${JSON.stringify(options.streamName)})`);
    const procedure = `${sqlIdentifier(names.schema)}.${sqlIdentifier(`create_${names.recordsRelation}`)}`;
    const mv = materializedViewSql(names, externalSchema, options.streamName);
    const views = viewStatements(REDSHIFT_DIALECT, names);
    return [
        { name: "schema", sql: `CREATE SCHEMA IF NOT EXISTS ${sqlIdentifier(names.schema)}` },
        {
            name: "external-schema",
            sql: `CREATE EXTERNAL SCHEMA IF NOT EXISTS ${sqlIdentifier(externalSchema)}\nFROM KINESIS\nIAM_ROLE ${sqlLiteral(options.streamingRoleArn)}`,
        },
        {
            name: "records-view-procedure",
            sql: `CREATE OR REPLACE PROCEDURE ${procedure}()
AS $$
DECLARE
  existing INTEGER;
BEGIN
  SELECT INTO existing COUNT(*) FROM svv_mv_info WHERE schema_name = ${sqlLiteral(names.schema)} AND name = ${sqlLiteral(names.recordsRelation)};
  IF existing = 0 THEN
    EXECUTE ${sqlLiteral(mv)};
  END IF;
END;
$$ LANGUAGE plpgsql`,
        },
        { name: "records-view", sql: `CALL ${procedure}()` },
        { name: "events-view", sql: views[0] },
        ...views.slice(1).map((sql, i) => ({ name: `view-${QUERY_DEFINITIONS[i].name}`, sql })),
    ];
}
