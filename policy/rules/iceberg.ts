/**
 * Rules of the Iceberg table format on AWS (issue 12), each one a behaviour of Glue, Firehose or
 * S3 that a mock accepts and the cloud does not:
 * - Firehose writes Iceberg format version 2 only; a v1 table sends every record to the error
 *   folder (Firehose "Prerequisites to use Apache Iceberg Tables as a destination").
 * - Glue refuses Hive partition keys on an Iceberg table ("Cannot create partitions in an iceberg
 *   table", terraform-provider-aws #36531); the partitioning is the Iceberg partition spec, which
 *   must be declared at creation or the table stays unpartitioned (the guidance's defect).
 * - `uniqueKeys` drive Firehose's update/delete mode and do nothing when appending; `appendOnly`
 *   can only be set when the stream is created, and only it lifts the 5 MiB/s Direct PUT limit.
 * - Firehose buffers an Iceberg destination 0-900 s and 1-128 MB.
 * - An Iceberg table needs compaction, snapshot retention (deleting expired files) and orphan-file
 *   deletion, or small files and unreferenced files grow without bound.
 * - An S3 lifecycle expiration under an Iceberg table's folder deletes files snapshots reference:
 *   the table breaks (queries fail with missing files).
 * - Glue keeps two column lists for an Iceberg table: the Iceberg schema (what Athena and
 *   Firehose's Iceberg destination use; Firehose writes only the columns it has) and the storage
 *   descriptor's columns (what the console lists). An update of the columns alone does not reach
 *   the Iceberg metadata (terraform-provider-aws #36641), so both must list the same columns; and a
 *   schema evolves by appending fields with new ids, never by renumbering (old data files map
 *   their columns by field id).
 */
import { label, ofType } from "./relations";
import { ResourceFacts, ResourceRule, StackRule, Violation } from "./types";

/** Type tokens of the resources these rules read (@pulumi/aws v7). */
export const ICEBERG_TYPES = {
    glueTable: "aws:glue/catalogTable:CatalogTable",
    glueTableOptimizer: "aws:glue/catalogTableOptimizer:CatalogTableOptimizer",
    firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
} as const;

const REQUIRED_OPTIMIZERS = ["compaction", "retention", "orphan_file_deletion"];

function icebergInput(props: Record<string, any>): Record<string, any> | undefined {
    return props.openTableFormatInput?.icebergInput;
}

export const icebergTableV2Partitioned: ResourceRule = {
    name: "iceberg-table-v2-partitioned",
    description: "A Glue Iceberg table is format version 2 (the only one Firehose writes), has no Hive partition keys (Glue: \"Cannot create partitions in an iceberg table\") and declares its partition spec at creation, over columns of its schema.",
    types: [ICEBERG_TYPES.glueTable],
    check: ({ props }) => {
        const input = icebergInput(props);
        if (input === undefined) return [];
        const problems: string[] = [];
        // The provider's default version is 2.
        if (input.version !== undefined && String(input.version) !== "2") problems.push(`icebergInput.version is ${input.version}: Firehose writes Iceberg v2 only and delivers every record of a v1 table to the error folder; use "2"`);
        if ((props.partitionKeys ?? []).length > 0) problems.push("partitionKeys on an Iceberg table: Glue refuses them (\"Cannot create partitions in an iceberg table\"); partition with icebergTableInput.partitionSpec");
        const table = input.icebergTableInput;
        const fields: { id: number; name: string }[] = table?.schema?.fields ?? [];
        const spec: { sourceId: number; transform: string }[] = table?.partitionSpec?.fields ?? [];
        if (spec.length === 0) problems.push("no icebergTableInput.partitionSpec: the table is created unpartitioned, and partitioning it later needs a job someone must run; declare the spec at creation");
        const ids = new Set(fields.map((f) => f.id));
        if (ids.size !== fields.length) problems.push("icebergTableInput.schema has duplicate field ids");
        for (const p of spec) {
            if (!ids.has(p.sourceId)) problems.push(`partition field ${p.transform}(source ${p.sourceId}) refers to no column of the schema`);
        }
        return problems;
    },
};

export const firehoseIcebergAppendOnly: ResourceRule = {
    name: "firehose-iceberg-append-only",
    description: "A Firehose stream to Iceberg is appendOnly without uniqueKeys (they act only in update/delete mode; appendOnly is fixed at creation), buffers within 0-900 s and 1-128 MB, and keeps an encrypted error folder.",
    types: [ICEBERG_TYPES.firehose],
    check: ({ props }) => {
        if (props.destination !== "iceberg") return [];
        const c = props.icebergConfiguration;
        if (c === undefined) return ["destination iceberg without icebergConfiguration"];
        const problems: string[] = [];
        if (c.appendOnly !== true) problems.push("icebergConfiguration.appendOnly is not true: events are only appended, appendOnly can be set only when the stream is created, and without it Direct PUT is limited to 5 MiB/s");
        for (const t of c.destinationTableConfigurations ?? []) {
            if ((t.uniqueKeys ?? []).length > 0) problems.push(`uniqueKeys ${JSON.stringify(t.uniqueKeys)} on ${t.tableName}: they drive update/delete and do nothing in append-only mode (the guidance's mistake); remove them and de-duplicate by event_id in queries`);
        }
        if (c.bufferingInterval !== undefined && (c.bufferingInterval < 0 || c.bufferingInterval > 900)) problems.push(`bufferingInterval ${c.bufferingInterval}: Firehose accepts 0-900 s for Iceberg`);
        if (c.bufferingSize !== undefined && (c.bufferingSize < 1 || c.bufferingSize > 128)) problems.push(`bufferingSize ${c.bufferingSize}: Firehose accepts 1-128 MB for Iceberg`);
        if (typeof c.catalogArn === "string" && !/^arn:aws[a-z-]*:glue:[a-z0-9-]+:\d{12}:catalog$/.test(c.catalogArn)) problems.push(`catalogArn "${c.catalogArn}" is not a Glue catalog ARN (arn:<partition>:glue:<region>:<account>:catalog)`);
        if (!c.s3Configuration?.errorOutputPrefix) problems.push("s3Configuration.errorOutputPrefix unset: failed and ProcessingFailed records land at the bucket's root, mixed with nothing that says why");
        if (!c.s3Configuration?.kmsKeyArn) problems.push("s3Configuration.kmsKeyArn unset: error records are written without the lake's customer-managed key");
        return problems;
    },
};

/** Glue table name, database name and location of each Iceberg table of a stack. */
function icebergTables(resources: readonly ResourceFacts[]): { table: ResourceFacts; location?: string }[] {
    return ofType(resources, ICEBERG_TYPES.glueTable)
        .filter((t) => icebergInput(t.props) !== undefined)
        .map((table) => ({ table, location: icebergInput(table.props)?.icebergTableInput?.location }));
}

export const icebergTableMaintained: StackRule = {
    name: "iceberg-table-maintained",
    description: "Every Glue Iceberg table has enabled compaction, snapshot retention (with cleanExpiredFiles) and orphan-file deletion optimizers: without them small files, expired snapshots' files and orphans grow without bound.",
    check: (resources) => {
        const violations: Violation[] = [];
        const optimizers = ofType(resources, ICEBERG_TYPES.glueTableOptimizer);
        for (const { table } of icebergTables(resources)) {
            const mine = optimizers.filter((o) => o.props.tableName === table.props.name
                && (o.props.databaseName === undefined || table.props.databaseName === undefined || o.props.databaseName === table.props.databaseName)
                && o.props.configuration?.enabled === true);
            const types = new Set(mine.map((o) => o.props.type));
            const missing = REQUIRED_OPTIMIZERS.filter((t) => !types.has(t));
            if (missing.length > 0) violations.push({ urn: table.urn, message: `${label(table)}: no enabled Glue table optimizer of type ${missing.join(", ")}` });
            for (const o of mine.filter((x) => x.props.type === "retention")) {
                if (o.props.configuration?.retentionConfiguration?.icebergConfiguration?.cleanExpiredFiles !== true) {
                    violations.push({ urn: o.urn, message: `${label(o)}: cleanExpiredFiles is not true, so expired snapshots leave their data files in S3 forever (Glue's default is false)` });
                }
            }
        }
        return violations;
    },
};

/** `s3://bucket/a/b/` -> { bucket, key: "a/b/" }. */
function splitS3(location: string): { bucket: string; key: string } | undefined {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
    return m ? { bucket: m[1]!, key: m[2]!.endsWith("/") || m[2] === "" ? m[2]! : `${m[2]}/` } : undefined;
}

export const icebergLocationNotExpired: StackRule = {
    name: "iceberg-location-not-expired",
    description: "No S3 lifecycle rule expires current objects under an Iceberg table's folder: S3 would delete files the table's snapshots reference and break it (expire Iceberg rows with DELETE and snapshot retention instead).",
    check: (resources) => {
        const violations: Violation[] = [];
        const lifecycles = ofType(resources, ICEBERG_TYPES.bucketLifecycle);
        for (const { table, location } of icebergTables(resources)) {
            const where = typeof location === "string" ? splitS3(location) : undefined;
            if (where === undefined) continue;
            for (const lifecycle of lifecycles) {
                const bucket = lifecycle.props.bucket;
                if (typeof bucket === "string" && bucket !== where.bucket) continue;
                for (const rule of lifecycle.props.rules ?? []) {
                    if (rule.status !== "Enabled") continue;
                    const expires = rule.expiration?.days !== undefined || rule.expiration?.date !== undefined;
                    if (!expires) continue;
                    const prefix: string = rule.filter?.prefix ?? rule.filter?.and?.prefix ?? rule.prefix ?? "";
                    if (where.key.startsWith(prefix) || prefix.startsWith(where.key)) {
                        violations.push({ urn: lifecycle.urn, message: `${label(lifecycle)}: rule "${rule.id}" expires objects under "${prefix}", which covers the Iceberg table ${table.props.name} at ${location}: S3 would delete files its snapshots reference` });
                    }
                }
            }
        }
        return violations;
    },
};

/** The Iceberg rules, for policy/rules/index.ts (RESOURCE_RULES and STACK_RULES). */
export const icebergSchemaMatchesColumns: ResourceRule = {
    name: "iceberg-schema-matches-columns",
    description: "A Glue Iceberg table's storage descriptor columns are its Iceberg schema's fields, same names in the same order (a column in only one list is invisible to Athena or Firehose, which read the Iceberg schema), and the field ids are 1..n in order (a schema evolves by appending; renumbering remaps old data files).",
    types: [ICEBERG_TYPES.glueTable],
    check: ({ props }) => {
        const table = icebergInput(props)?.icebergTableInput;
        if (table === undefined) return [];
        const fields: { id: number; name: string }[] = table.schema?.fields ?? [];
        const columns: { name: string }[] = props.storageDescriptor?.columns ?? [];
        const problems: string[] = [];
        const names = fields.map((f) => f.name);
        if (columns.length > 0 && JSON.stringify(columns.map((c) => c.name)) !== JSON.stringify(names)) {
            problems.push(`storageDescriptor.columns ${JSON.stringify(columns.map((c) => c.name))} differ from the Iceberg schema's fields ${JSON.stringify(names)}: Glue does not carry a column change into the Iceberg metadata, so add a column to icebergTableInput.schema too (Athena and Firehose read only the schema)`);
        }
        const misnumbered = fields.filter((f, i) => f.id !== i + 1);
        if (misnumbered.length > 0) problems.push(`Iceberg field ids ${JSON.stringify(fields.map((f) => f.id))} are not 1..${fields.length} in order: append a new column with the next id and never renumber (data files map columns by field id)`);
        return problems;
    },
};

export const ICEBERG_RESOURCE_RULES: readonly ResourceRule[] = [icebergTableV2Partitioned, firehoseIcebergAppendOnly, icebergSchemaMatchesColumns];
export const ICEBERG_STACK_RULES: readonly StackRule[] = [icebergTableMaintained, icebergLocationNotExpired];
