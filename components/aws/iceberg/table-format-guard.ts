/**
 * `tableFormat` must not flip on a deployed stack by accident. What a flip does, and what stops it:
 *
 * - HIVE -> ICEBERG deletes the Hive Glue table (its Parquet files stay in S3 but no table reads
 *   them any more), replaces the Firehose stream (destination extended_s3 -> iceberg) and creates an
 *   empty Iceberg table plus a view under the Hive table's name. ICEBERG -> HIVE deletes the
 *   Iceberg table and its view (Iceberg files stay, unreadable by the Hive table).
 * - Production stacks: Glue tables are `protect`ed (components/replacement.ts), so either flip
 *   already fails at preview ("marked for protection") before anything changes.
 * - Development stacks are not protected, and the flip would fail half-way (the view is created
 *   under the Hive table's name before that table is deleted: Glue AlreadyExistsException) after
 *   the Firehose stream was deleted. Hence this guard, for every stack: the pipeline exports its
 *   `tableFormat`, reads the value of its own previous deployment through a StackReference to
 *   itself, and refuses a different value unless `allowTableFormatChange` says the change is meant
 *   (with the migration steps in the message). The refusal is a SettingsError at preview, before
 *   any resource is touched.
 */
import * as pulumi from "@pulumi/pulumi";
import { SettingsError, TableFormat } from "../../contracts/settings";

/** Name of the stack output that records the deployed table format. */
export const TABLE_FORMAT_OUTPUT = "tableFormat";

/**
 * Refuses a table format different from the deployed one unless the change is acknowledged.
 * @param deployed the previous deployment's format (undefined: first deployment, or a stack deployed before the output existed, which was HIVE)
 * @example checkTableFormatChange("HIVE", "ICEBERG", false) // throws SettingsError naming tableFormat
 */
export function checkTableFormatChange(deployed: string | undefined, requested: TableFormat, allowChange: boolean): void {
    if (deployed === undefined || deployed === requested || allowChange) return;
    throw new SettingsError([{
        key: "tableFormat",
        value: requested,
        rule: `this stack is deployed with tableFormat ${deployed}; changing it replaces the events table (the ${deployed} table's data stays in S3 but stops being queryable) and the Firehose stream. ` +
            `To change it on purpose: export the data you need, set allowTableFormatChange: true for one deployment (production stacks also need \`pulumi state unprotect\` of the Glue tables), then remove the flag`,
    }]);
}

/** The deployed table format of this very stack (its own previous outputs), or undefined. */
export function deployedTableFormat(parent?: pulumi.Resource): pulumi.Output<string | undefined> {
    const self = new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`, {}, parent ? { parent } : undefined);
    return self.getOutput(TABLE_FORMAT_OUTPUT) as pulumi.Output<string | undefined>;
}

/**
 * The guard as the pipeline runs it: resolves once the deployed value is known and fails the
 * deployment (preview included) when the change is not acknowledged.
 * @example guardTableFormat(s.tableFormat, s.allowTableFormatChange ?? false, this)
 */
export function guardTableFormat(requested: TableFormat, allowChange: boolean, parent?: pulumi.Resource): pulumi.Output<TableFormat> {
    return deployedTableFormat(parent).apply((deployed) => {
        checkTableFormatChange(deployed, requested, allowChange);
        return requested;
    });
}
