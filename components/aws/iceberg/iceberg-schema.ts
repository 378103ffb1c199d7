/**
 * The Glue (AWS) spelling of the events table's Iceberg schema and partition spec. The schema is
 * the local table's (functions/core/iceberg-schema.ts: field ids 1-12 in EVENT_COLUMNS order,
 * `event_timestamp` as `timestamptz`, spec `day(event_timestamp)` 1000 + `identity(application_id)`
 * 1001), so a table written locally and one written by Firehose read the same.
 *
 * Schema evolution (player_id 11 and source_event_id 12 appended, schema id 1): for an existing
 * stack this is an in-place update, not a replacement. In the AWS provider's
 * `aws_glue_catalog_table` only `metadata_operation` and `version` of `iceberg_input` force a new
 * table; a changed `iceberg_table_input` is sent as `UpdateTable` with
 * `UpdateOpenTableFormatInput.UpdateIcebergInput` (the new schema), which writes a new Iceberg
 * metadata version (terraform-provider-aws internal/service/glue/catalog_table.go,
 * resourceCatalogTableUpdate / expandUpdateIcebergTableInput). Provider versions before that
 * support updated only the Glue columns and left the Iceberg metadata as it was
 * (hashicorp/terraform-provider-aws#36641, pulumi/pulumi-aws#4618): docs/warehouse.md says how to
 * check and, if needed, add the columns with Athena DDL.
 *
 * Why this partition spec: the Hive table is partitioned by the UTC day of event_timestamp, so
 * `day(event_timestamp)` keeps the pruning grain with one hidden column instead of three strings;
 * every named query groups or filters by application and studios have few applications, so
 * `identity(application_id)` splits files by a low-cardinality key the queries use. It is the
 * partitioning the guidance's hand-run Glue job adds later; here it is declared at creation.
 */
import type * as aws from "@pulumi/aws";
import { EVENTS_PARTITION_SPEC, EVENTS_SCHEMA } from "../../../functions/core/iceberg-schema";

type SchemaInput = aws.types.input.glue.CatalogTableOpenTableFormatInputIcebergInputIcebergTableInputSchema;
type PartitionSpecInput = aws.types.input.glue.CatalogTableOpenTableFormatInputIcebergInputIcebergTableInputPartitionSpec;

/** The Iceberg format version Firehose writes: v2 only ("do not create V1 tables", Firehose prerequisites). */
export const ICEBERG_FORMAT_VERSION = "2";

/** Glue's Iceberg schema input (ids, names, types, all optional like the Hive columns). */
export function glueIcebergSchema(): SchemaInput {
    return {
        schemaId: EVENTS_SCHEMA["schema-id"],
        type: "struct",
        fields: EVENTS_SCHEMA.fields.map((f) => ({ id: f.id, name: f.name, type: f.type, required: f.required })),
    };
}

/** Glue's partition spec input: `day(event_timestamp)` (1000), `identity(application_id)` (1001). */
export function glueIcebergPartitionSpec(): PartitionSpecInput {
    return {
        specId: EVENTS_PARTITION_SPEC["spec-id"],
        fields: EVENTS_PARTITION_SPEC.fields.map((f) => ({ name: f.name, transform: f.transform, sourceId: f["source-id"], fieldId: f["field-id"] })),
    };
}

/**
 * Glue (Hive) type of each Iceberg primitive, for the storage descriptor's columns that Athena and
 * the console show: `timestamptz` is Glue's `timestamp`.
 */
export const GLUE_TYPE_OF_ICEBERG: Readonly<Record<string, string>> = { string: "string", long: "bigint", timestamptz: "timestamp" };
