/**
 * Least-privilege statements of the REDSHIFT functions, derived from
 * functions/aws/sdk-usage.ts `WAREHOUSE_SDK_USAGE` (one statement per resource, exactly the listed
 * actions), with the conditions IAM needs where a resource ARN cannot narrow the grant.
 */
import * as pulumi from "@pulumi/pulumi";
import { WAREHOUSE_SDK_USAGE, type WarehouseHandlerName, type WarehouseSdkResource } from "../../../functions/aws/sdk-usage";
import type { PolicyStatement } from "../iam";

const SIDS: Record<WarehouseSdkResource, string> = {
    workgroup: "WarehouseWorkgroup",
    adminSecret: "WarehouseAdminSecret",
    adminSecretKey: "WarehouseAdminSecretKey",
    ownStatements: "OwnDataApiStatements",
};

/** What the statements are scoped to. */
export interface WarehouseAccessTargets {
    workgroupArn: pulumi.Input<string>;
    /** Required for the monitor. */
    adminSecretArn?: pulumi.Input<string>;
    /** Required for the monitor: the key of the admin secret. */
    adminSecretKeyArn?: pulumi.Input<string>;
    /** Region, for the kms:ViaService condition. */
    region: pulumi.Input<string>;
}

/** The statements `handler` needs. Throws when a target it calls is missing. */
export function warehouseStatements(handler: WarehouseHandlerName, t: WarehouseAccessTargets): PolicyStatement[] {
    return WAREHOUSE_SDK_USAGE[handler].map((usage): PolicyStatement => {
        const statement = { Sid: SIDS[usage.resource], Effect: "Allow" as const, Action: [...usage.actions] };
        switch (usage.resource) {
            case "workgroup":
                return { ...statement, Resource: [t.workgroupArn] };
            case "adminSecret":
                if (t.adminSecretArn === undefined) throw new Error(`the ${handler} function reads the admin secret, but no ARN was given`);
                return { ...statement, Resource: [t.adminSecretArn] };
            case "adminSecretKey":
                if (t.adminSecretKeyArn === undefined) throw new Error(`the ${handler} function decrypts the admin secret, but no key ARN was given`);
                return { ...statement, Resource: [t.adminSecretKeyArn], Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${t.region}.amazonaws.com` } } };
            case "ownStatements":
                // No resource type: "*" narrowed to the statements this role's session started.
                return { ...statement, Resource: ["*"], Condition: { StringEquals: { "redshift-data:statement-owner-iam-userid": "${aws:userid}" } } };
        }
    });
}
