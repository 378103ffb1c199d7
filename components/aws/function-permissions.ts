/**
 * Least-privilege statements of the pipeline's Lambdas, derived from functions/aws/sdk-usage.ts (the
 * table of AWS calls each handler makes, checked against the adapters by the functions' tests):
 * one statement per resource, with exactly the actions the handler calls on it.
 */
import * as pulumi from "@pulumi/pulumi";
import { HandlerName, SDK_USAGE, SdkResource } from "../../functions/aws/sdk-usage";
import { PolicyStatement } from "./iam";
import { IngestMode } from "../contracts/settings";

/** Statement ids by resource, so policies read well in the console. */
const SIDS: Record<SdkResource, string> = {
    applicationsTable: "ApplicationsTable",
    authorizationsTable: "AuthorizationsTable",
    authorizationsTableIndex: "AuthorizationsByApplicationIndex",
    deliveryStream: "DeliveryStream",
    stream: "EventStream",
};

/**
 * The statements `handler` needs, given the ARNs of the resources it touches.
 * Throws when a resource the handler calls has no ARN (a wiring mistake, found at preview).
 */
export function handlerStatements(
    handler: HandlerName,
    arns: Partial<Record<SdkResource, pulumi.Input<string>>>,
    ingestMode?: IngestMode,
): PolicyStatement[] {
    return SDK_USAGE[handler]
        .filter((usage) => usage.ingestMode === undefined || usage.ingestMode === ingestMode)
        .map((usage) => {
            const arn = arns[usage.resource];
            if (arn === undefined) throw new Error(`the ${handler} function calls ${usage.actions.join(", ")} on ${usage.resource}, but no ARN was given for it`);
            return { Sid: SIDS[usage.resource], Effect: "Allow", Action: [...usage.actions], Resource: [arn] };
        });
}
