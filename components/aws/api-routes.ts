/**
 * Route helpers shared by the REST API (ingest-tier.ts) and the HTTP API (http-api.ts): the slug
 * of a path template in logical names, and the execute-api ARN pattern of a route (the Lambda
 * permissions' `sourceArn`, the admin policy's resources). Both API types name an invocation
 * `{executionArn}/{stage}/{METHOD}/{path}`, path parameters matched by `*`.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * The slug of a path template in logical names.
 * @example slug("/applications/{applicationId}/events") // "-applications-applicationid-events"
 */
export function slug(path: string): string {
    return path.replace(/[{}]/g, "").split("/").filter((s) => s !== "").map((s) => `-${s.toLowerCase()}`).join("");
}

/**
 * The execute-api ARN pattern of one route on `stage` ("*" for every stage).
 * @example routeArn(api.executionArn, "*", "POST", "/applications/{applicationId}/events") // ".../*\/POST/applications/*\/events"
 */
export function routeArn(executionArn: pulumi.Input<string>, stage: pulumi.Input<string>, httpMethod: string, path: string): pulumi.Output<string> {
    return pulumi.interpolate`${executionArn}/${stage}/${httpMethod}${path.replace(/\{[^}]+\}/g, "*")}`;
}
