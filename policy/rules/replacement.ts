/**
 * Replacements: Pulumi creates a replacement before deleting the old resource unless told
 * otherwise. Under a fixed physical name the create fails ("already exists"), so stateless
 * fixed-name resources must be deleted first; stateful ones must never be (the data would be gone
 * before the replacement exists). The lists match components/replacement.ts (a test checks it).
 */
import { ResourceRule } from "./types";

/** Resources holding data. */
export const STATEFUL_TYPES: readonly string[] = [
    "aws:dynamodb/table:Table", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:kinesis/stream:Stream",
    "aws:kms/key:Key", "aws:glue/catalogDatabase:CatalogDatabase", "aws:glue/catalogTable:CatalogTable",
    "aws:redshiftserverless/namespace:Namespace",
];

/** Stateless resources whose name (or identity within their parent) the program fixes. */
export const FIXED_NAME_STATELESS_TYPES: readonly string[] = [
    "aws:lambda/function:Function", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "aws:glue/job:Job", "aws:glue/crawler:Crawler",
    "aws:glue/trigger:Trigger", "aws:glue/workflow:Workflow", "aws:glue/securityConfiguration:SecurityConfiguration",
    "aws:cloudwatch/logGroup:LogGroup", "aws:cloudwatch/logStream:LogStream", "aws:cloudwatch/dashboard:Dashboard",
    "aws:sns/topic:Topic", "aws:kms/alias:Alias", "aws:athena/workgroup:Workgroup",
    "aws:apigateway/authorizer:Authorizer", "aws:apigateway/response:Response", "aws:apigateway/model:Model",
    "aws:apigateway/requestValidator:RequestValidator", "aws:apigateway/resource:Resource", "aws:apigateway/method:Method",
    "aws:apigateway/integration:Integration", "aws:apigateway/methodResponse:MethodResponse",
    "aws:apigateway/integrationResponse:IntegrationResponse", "aws:apigateway/stage:Stage", "aws:apigateway/methodSettings:MethodSettings",
    "aws:redshiftserverless/workgroup:Workgroup",
];

/** Names the resource's own physical name, when it has one in its inputs. */
function fixedName(props: Record<string, any>): string | undefined {
    for (const key of ["name", "dashboardName", "stageName", "responseType", "pathPart", "httpMethod", "methodPath", "namespaceName", "workgroupName"]) {
        if (typeof props[key] === "string" && props[key] !== "") return `${key} "${props[key]}"`;
    }
    return undefined;
}

export const fixedNameDeletedBeforeReplace: ResourceRule = {
    name: "fixed-name-delete-before-replace",
    description: "A stateless resource with a fixed physical name sets deleteBeforeReplace: Pulumi would create its replacement under the same name first, which fails with \"already exists\".",
    types: FIXED_NAME_STATELESS_TYPES,
    // The engine always reports options; facts built without them (plain captures) are not judged.
    check: ({ props, opts }) => {
        const name = fixedName(props);
        if (opts === undefined || name === undefined || opts.deleteBeforeReplace === true) return [];
        return [`${name} is fixed, so a replacing change (e.g. switching ingestMode) would create the new one under the same name first and fail with "already exists"; set deleteBeforeReplace: true (or let Pulumi autoname it)`];
    },
};

export const statefulNeverDeletedFirst: ResourceRule = {
    name: "stateful-never-deleted-before-replace",
    description: "A resource holding data (table, bucket, stream, KMS key, Glue database or table) never sets deleteBeforeReplace: a replacing change would delete the data first.",
    types: STATEFUL_TYPES,
    check: ({ opts }) => opts?.deleteBeforeReplace === true
        ? ["deleteBeforeReplace would delete this resource's data before its replacement exists; remove it (and protect the resource in production, so a replacing change fails instead)"]
        : [],
};
