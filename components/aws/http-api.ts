/**
 * The ingest tier's API Gateway HTTP API (`aws.apiType: HTTP`), beside the REST API of
 * ingest-tier.ts: the same routes on the same Lambdas, created as children of the ingest tier
 * (never above a REST resource) only when the stack chooses HTTP.
 *
 * The AWS rules this file relies on (docs/api.md "HTTP API"; the checkable ones are policy rules in
 * policy/rules/http-api.ts):
 * - Lambda proxy integrations state `payloadFormatVersion` (required outside the console); 2.0
 *   here. The integration timeout is at most 30 s (set to 30 s; the Lambdas time out before).
 * - Lambda authorizers state `authorizerPayloadFormatVersion` (required); simple responses
 *   (`{isAuthorized, context}`) need 2.0. A cached authorizer (TTL > 0) needs identity sources:
 *   a request without them is answered 401 without invoking the function. The cache key is the
 *   identity source alone (the Authorization header): the API-key authorizer answers by the key
 *   only and the events Lambda compares the key's application with the path's (403 otherwise).
 * - HTTP APIs have no execution logs (`loggingLevel` on a route setting is refused for
 *   protocolType HTTP), no WAF, no gateway responses, no request validators, no usage plans;
 *   throttling is the stage's `defaultRouteSettings` (or per route), not method settings.
 * - Access logs go to a log group the stage names, without the account's API Gateway CloudWatch
 *   role (the deployer needs the logs:*LogDelivery permissions instead); the format must contain
 *   `$context.requestId`.
 * - `autoDeploy: true`: every change of a route, integration or authorizer is deployed to the
 *   stage (no deployment snapshot to keep in step, unlike the REST API's).
 * - With `corsConfiguration`, API Gateway answers preflights itself (no OPTIONS route) and
 *   ignores the CORS headers of the integrations' answers.
 * - Payloads up to 10 MB (the Lambdas' own limits stay: 6 MB synchronous invocation, and the
 *   core's request limits).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ADMIN_ROUTES, EVENTS, PUT_RECORD } from "../../functions/core/routes";
import { PLAYER_TOKEN_AUTHORIZER } from "../../policy/rules/player-auth";
import { httpApiMetrics, type ApiMetrics } from "./api-metrics";
import { routeArn, slug } from "./api-routes";
import { CORS_ALLOWED_HEADERS, CORS_ALLOWED_METHODS } from "./cors";
import type { LambdaFunction } from "./lambda-function";
import { physicalName } from "./names";

/** Longest HTTP API name this package sets. */
export const HTTP_API_NAME_LIMIT = 128;
/** The longest integration timeout an HTTP API allows, in milliseconds. */
export const HTTP_API_INTEGRATION_TIMEOUT_MS = 30_000;
/** Identity source of both authorizers: the `Authorization` header. */
export const HTTP_AUTHORIZATION_IDENTITY = "$request.header.Authorization";

/** Access log line of the HTTP API: who called which route, the outcome, the authorizer's and the integration's errors; never bodies or keys. */
export const HTTP_ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    extendedRequestId: "$context.extendedRequestId",
    ip: "$context.identity.sourceIp",
    userArn: "$context.identity.userArn",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    routeKey: "$context.routeKey",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    responseLatency: "$context.responseLatency",
    integrationLatency: "$context.integrationLatency",
    integrationStatus: "$context.integration.status",
    integrationError: "$context.integrationErrorMessage",
    errorMessage: "$context.error.message",
    authorizerError: "$context.authorizer.error",
});

/** One route of the HTTP API. */
export interface HttpRoute {
    httpMethod: string;
    /** Path template, e.g. "/applications/{applicationId}". */
    path: string;
    /** Who serves it. */
    target: "admin" | "events" | "put-record";
    authorization: "AWS_IAM" | "CUSTOM";
}

/** The routes of the HTTP API: the REST API's, without the OPTIONS preflight (CORS configuration answers it). */
export function httpRoutes(withPutRecord: boolean): HttpRoute[] {
    return [
        ...Object.entries(ADMIN_ROUTES).flatMap(([path, methods]) =>
            methods.map((httpMethod): HttpRoute => ({ httpMethod, path, target: "admin", authorization: "AWS_IAM" }))),
        { httpMethod: "POST", path: EVENTS, target: "events", authorization: "CUSTOM" },
        ...(withPutRecord ? [{ httpMethod: "POST", path: PUT_RECORD, target: "put-record", authorization: "CUSTOM" } as HttpRoute] : []),
    ];
}

/** The Lambdas behind the HTTP API (created by the ingest tier, shared with the REST API's code). */
export interface HttpApiFunctions {
    /** @example ingest.adminFunction */
    admin: LambdaFunction;
    /** @example ingest.eventsFunction */
    events: LambdaFunction;
    /** @example ingest.authorizerFunction */
    authorizer: LambdaFunction;
    /**
     * With an OIDC issuer: the player-token authorizer (on /put-record and the events route).
     * @default undefined
     * @example ingest.playerAuthorizerFunction
     */
    playerAuthorizer?: LambdaFunction;
    /**
     * With an OIDC issuer: POST /put-record.
     * @default undefined
     * @example ingest.putRecordFunction
     */
    putRecord?: LambdaFunction;
}

/** The ingest tier's settings the HTTP API reads (resolved defaults). */
export interface HttpApiSettings {
    /** @example "game1" */
    workloadName: string;
    /** @example "live" */
    stageName: string;
    /** TTL of the API-key authorizer's result cache, seconds. @example 60 */
    authorizerCacheTtlSeconds: number;
    /** @example 1000 */
    throttlingRateLimit: number;
    /** @example 2000 */
    throttlingBurstLimit: number;
    /** Origins allowed by CORS; empty: no CORS configuration. @example ["*"] */
    corsAllowOrigins: readonly string[];
    /** Stage access logs. @example true */
    accessLogging: boolean;
    /** @example 30 */
    logRetentionDays: number;
    /**
     * Key of the access log group.
     * @default undefined (CloudWatch Logs' own encryption)
     * @example arnOf(storage.dataKey)
     */
    logsKeyArn?: pulumi.Input<string>;
}

/** What the HTTP API consists of. */
export interface HttpApiParts {
    api: aws.apigatewayv2.Api;
    stage: aws.apigatewayv2.Stage;
    accessLogGroup?: aws.cloudwatch.LogGroup;
    authorizer: aws.apigatewayv2.Authorizer;
    playerAuthorizer?: aws.apigatewayv2.Authorizer;
    routes: aws.apigatewayv2.Route[];
    integrations: aws.apigatewayv2.Integration[];
    /** `https://{api}.execute-api.{region}.amazonaws.com/{stage}` */
    apiUrl: pulumi.Output<string>;
    /** The stage's CloudWatch metrics (ApiId, Stage; 4xx, 5xx). */
    metrics: ApiMetrics;
}

/**
 * Creates the HTTP API, its authorizers, integrations, routes, stage and the Lambda permissions,
 * each a child of `parent` (the ingest tier).
 * @example createHttpApi("game1-ingest", this, settings, { admin, events, authorizer })
 */
export function createHttpApi(name: string, parent: pulumi.Resource, s: HttpApiSettings, f: HttpApiFunctions): HttpApiParts {
    const child = { parent };
    const cors = s.corsAllowOrigins.length === 0 ? undefined : {
        allowOrigins: [...s.corsAllowOrigins],
        allowMethods: CORS_ALLOWED_METHODS.split(","),
        allowHeaders: CORS_ALLOWED_HEADERS.split(","),
        maxAge: 300,
    };
    const api = new aws.apigatewayv2.Api(`${name}-http-api`, {
        name: physicalName(s.workloadName, "api", HTTP_API_NAME_LIMIT),
        description: "Game analytics pipeline: event ingestion and application administration (HTTP API)",
        protocolType: "HTTP",
        corsConfiguration: cors,
    }, child);

    const lambdaAuthorizer = (suffix: string, authorizerName: string, fn: LambdaFunction, ttl: number): aws.apigatewayv2.Authorizer =>
        new aws.apigatewayv2.Authorizer(`${name}-http-${suffix}-authorizer`, {
            apiId: api.id,
            name: authorizerName,
            authorizerType: "REQUEST",
            authorizerUri: fn.invokeArn,
            authorizerPayloadFormatVersion: "2.0",
            enableSimpleResponses: true,
            identitySources: [HTTP_AUTHORIZATION_IDENTITY],
            authorizerResultTtlInSeconds: ttl,
        }, child);
    const authorizer = lambdaAuthorizer("api-key", "api-key", f.authorizer, s.authorizerCacheTtlSeconds);
    // Cache off: a cached Allow would outlive the token's exp (the function caches per token itself).
    const playerAuthorizer = f.playerAuthorizer && f.putRecord ? lambdaAuthorizer("player-token", PLAYER_TOKEN_AUTHORIZER, f.playerAuthorizer, 0) : undefined;

    const targets: Record<HttpRoute["target"], LambdaFunction | undefined> = { admin: f.admin, events: f.events, "put-record": f.putRecord };
    const integrations = new Map<HttpRoute["target"], aws.apigatewayv2.Integration>();
    const integrationOf = (target: HttpRoute["target"]): aws.apigatewayv2.Integration => {
        const existing = integrations.get(target);
        if (existing !== undefined) return existing;
        const integration = new aws.apigatewayv2.Integration(`${name}-http-${target}-integration`, {
            apiId: api.id,
            integrationType: "AWS_PROXY",
            integrationMethod: "POST",
            integrationUri: targets[target]!.invokeArn,
            payloadFormatVersion: "2.0",
            timeoutMilliseconds: HTTP_API_INTEGRATION_TIMEOUT_MS,
        }, child);
        integrations.set(target, integration);
        return integration;
    };

    const routes = httpRoutes(playerAuthorizer !== undefined).map((route) => {
        // With an issuer, the events route takes a JWT or an API key: the player authorizer decides both.
        const routeAuthorizer = route.authorization !== "CUSTOM" ? undefined : playerAuthorizer ?? authorizer;
        return new aws.apigatewayv2.Route(`${name}-http-${route.httpMethod.toLowerCase()}${slug(route.path)}`, {
            apiId: api.id,
            routeKey: `${route.httpMethod} ${route.path}`,
            target: pulumi.interpolate`integrations/${integrationOf(route.target).id}`,
            authorizationType: route.authorization,
            authorizerId: routeAuthorizer?.id,
        }, child);
    });

    const accessLogGroup = s.accessLogging ? new aws.cloudwatch.LogGroup(`${name}-http-access-logs`, {
        name: `/aws/apigateway/${physicalName(s.workloadName, "http-api", 400)}/${s.stageName}`,
        retentionInDays: s.logRetentionDays,
        kmsKeyId: s.logsKeyArn,
    }, child) : undefined;
    const stage = new aws.apigatewayv2.Stage(`${name}-http-stage`, {
        apiId: api.id,
        name: s.stageName,
        autoDeploy: true,
        accessLogSettings: accessLogGroup ? { destinationArn: accessLogGroup.arn, format: HTTP_ACCESS_LOG_FORMAT } : undefined,
        // No loggingLevel / dataTraceEnabled: execution logs are not supported on protocolType HTTP.
        defaultRouteSettings: {
            throttlingRateLimit: s.throttlingRateLimit,
            throttlingBurstLimit: s.throttlingBurstLimit,
            detailedMetricsEnabled: false,
        },
    }, { parent, dependsOn: [...routes, ...integrations.values()] });

    grantInvoke(name, parent, api, f, httpRoutes(playerAuthorizer !== undefined), authorizer, playerAuthorizer);
    return {
        api, stage, accessLogGroup, authorizer, playerAuthorizer, routes, integrations: [...integrations.values()],
        apiUrl: stage.invokeUrl,
        metrics: httpApiMetrics(api.id, stage.name),
    };
}

/** API Gateway may invoke each function for its own routes (and each authorizer for its authorizer) only. */
function grantInvoke(name: string, parent: pulumi.Resource, api: aws.apigatewayv2.Api, f: HttpApiFunctions, routes: HttpRoute[],
    authorizer: aws.apigatewayv2.Authorizer, playerAuthorizer: aws.apigatewayv2.Authorizer | undefined): void {
    const permit = (logicalName: string, fn: LambdaFunction, sourceArn: pulumi.Input<string>): void => {
        new aws.lambda.Permission(logicalName, {
            function: fn.functionName,
            action: "lambda:InvokeFunction",
            principal: "apigateway.amazonaws.com",
            sourceArn,
        }, { parent });
    };
    for (const route of routes) {
        const fn = route.target === "admin" ? f.admin : route.target === "events" ? f.events : f.putRecord!;
        permit(`${name}-http-${route.target}-invoke-${route.httpMethod.toLowerCase()}${slug(route.path)}`, fn, routeArn(api.executionArn, "*", route.httpMethod, route.path));
    }
    permit(`${name}-http-authorizer-invoke`, f.authorizer, pulumi.interpolate`${api.executionArn}/authorizers/${authorizer.id}`);
    if (playerAuthorizer !== undefined && f.playerAuthorizer !== undefined) {
        permit(`${name}-http-player-authorizer-invoke`, f.playerAuthorizer, pulumi.interpolate`${api.executionArn}/authorizers/${playerAuthorizer.id}`);
    }
}
