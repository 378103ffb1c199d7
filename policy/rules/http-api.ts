/**
 * API Gateway HTTP APIs (apigatewayv2, protocolType HTTP; components/aws/http-api.ts), from the
 * API Gateway developer guide and the provider's known issues:
 * - a stage writes access logs (destination and format; AWS requires `$context.requestId` in it,
 *   and takes a format of at most 3 KB, the HTTP API quota "Access log template size");
 * - a stage throttles: `defaultRouteSettings` with positive rate and burst limits (HTTP APIs have
 *   no method settings; unset, a stage takes the account's limits only);
 * - a stage of an HTTP API sets no execution logging (`loggingLevel`, `dataTraceEnabled`): AWS
 *   refuses it with "Execution logs are not supported on protocolType HTTP";
 * - a stage serves something: `autoDeploy` or an explicit `deploymentId`;
 * - every route is authenticated: AWS_IAM, CUSTOM or JWT (never NONE or unset), CUSTOM and JWT
 *   naming their authorizer;
 * - a Lambda (REQUEST) authorizer states `authorizerPayloadFormatVersion` (required), its TTL
 *   explicitly (0-3600), identity sources when it caches (TTL > 0), written as the HTTP API's
 *   selection expressions (`$request.header.Authorization`, not the REST API's
 *   `method.request.header.Authorization`), format 2.0 when it answers
 *   simple responses; the player-token authorizer has TTL 0 (as on the REST API);
 * - a Lambda proxy integration states `payloadFormatVersion` (required outside the console) and a
 *   timeout of at most 30 000 ms (the HTTP API's hard limit).
 */
import { label, ofType, refersTo } from "./relations";
import { PLAYER_TOKEN_AUTHORIZER } from "./player-auth";
import { ResourceRule, StackRule, Violation } from "./types";

/** Type tokens of the API Gateway v2 resources (@pulumi/aws v7). */
export const HTTP_API_TYPES = {
    api: "aws:apigatewayv2/api:Api",
    stage: "aws:apigatewayv2/stage:Stage",
    route: "aws:apigatewayv2/route:Route",
    authorizer: "aws:apigatewayv2/authorizer:Authorizer",
    integration: "aws:apigatewayv2/integration:Integration",
} as const;

/** The longest integration timeout of an HTTP API, milliseconds. */
export const HTTP_API_MAX_INTEGRATION_TIMEOUT_MS = 30_000;
/** The longest access log format an HTTP API stage takes, bytes (quota "Access log template size": 3 KB). */
export const HTTP_API_MAX_ACCESS_LOG_FORMAT_BYTES = 3 * 1024;
/** Prefixes of an HTTP API authorizer's identity source selection expressions. */
export const HTTP_IDENTITY_SOURCE_PREFIXES = ["$request.header.", "$request.querystring.", "$context.", "$stageVariables."];
/** Authorization types of an HTTP API route that authenticate the caller. */
export const HTTP_ROUTE_AUTHORIZATIONS = ["AWS_IAM", "CUSTOM", "JWT"];

export const httpApiStageAccessLogging: ResourceRule = {
    name: "http-api-stage-access-logging",
    description: "Every API Gateway v2 stage writes access logs: accessLogSettings.destinationArn and a format containing $context.requestId (AWS requires it).",
    types: [HTTP_API_TYPES.stage],
    check: ({ props }) => {
        const settings = props.accessLogSettings;
        if (typeof settings?.destinationArn !== "string" || settings.destinationArn === "" || typeof settings.format !== "string" || settings.format === "") {
            return ["stage has no access logging; set accessLogSettings.destinationArn (a log group with retention) and format"];
        }
        if (!settings.format.includes("$context.requestId")) return ["accessLogSettings.format lacks $context.requestId (API Gateway refuses such a format)"];
        const bytes = Buffer.byteLength(settings.format, "utf8");
        return bytes <= HTTP_API_MAX_ACCESS_LOG_FORMAT_BYTES ? [] : [`accessLogSettings.format is ${bytes} bytes, over the ${HTTP_API_MAX_ACCESS_LOG_FORMAT_BYTES}-byte access log template quota`];
    },
};

export const httpApiStageThrottled: ResourceRule = {
    name: "http-api-stage-throttled",
    description: "Every API Gateway v2 stage throttles its routes: defaultRouteSettings.throttlingRateLimit and throttlingBurstLimit above 0.",
    types: [HTTP_API_TYPES.stage],
    check: ({ props }) => {
        const s = props.defaultRouteSettings;
        const positive = (v: unknown): boolean => typeof v === "number" && v > 0;
        return positive(s?.throttlingRateLimit) && positive(s?.throttlingBurstLimit)
            ? []
            : ["routes are not throttled; set defaultRouteSettings.throttlingRateLimit and throttlingBurstLimit above 0"];
    },
};

export const httpApiStageDeploys: ResourceRule = {
    name: "http-api-stage-deploys",
    description: "Every API Gateway v2 stage serves a deployment: autoDeploy true, or an explicit deploymentId (otherwise it serves nothing).",
    types: [HTTP_API_TYPES.stage],
    check: ({ props }) => (props.autoDeploy === true || (props.deploymentId !== undefined && props.deploymentId !== "")
        ? []
        : ["stage has neither autoDeploy nor a deploymentId: it serves no routes; set autoDeploy: true"]),
};

/** Whether route settings turn on execution logging (refused on an HTTP API). */
const executionLogging = (s: Record<string, unknown> | undefined): boolean =>
    s !== undefined && ((s.loggingLevel !== undefined && String(s.loggingLevel).toUpperCase() !== "OFF") || s.dataTraceEnabled === true);

export const httpApiStageNoExecutionLogs: StackRule = {
    name: "http-api-stage-no-execution-logs",
    description: "A stage of an HTTP API (protocolType HTTP) sets no loggingLevel or dataTraceEnabled: AWS refuses them (\"Execution logs are not supported on protocolType HTTP\").",
    check: (resources) => {
        const httpApis = ofType(resources, HTTP_API_TYPES.api).filter((a) => a.props.protocolType === "HTTP");
        const violations: Violation[] = [];
        for (const stage of ofType(resources, HTTP_API_TYPES.stage)) {
            if (!httpApis.some((api) => refersTo(stage, "apiId", api, [api.id, api.props.id]))) continue;
            const routeSettings: Record<string, unknown>[] = Array.isArray(stage.props.routeSettings) ? stage.props.routeSettings : [];
            if (executionLogging(stage.props.defaultRouteSettings) || routeSettings.some(executionLogging)) {
                violations.push({ urn: stage.urn, message: `${label(stage)}: sets execution logging (loggingLevel / dataTraceEnabled) on an HTTP API; AWS refuses it: use access logs only` });
            }
        }
        return violations;
    },
};

export const httpApiRouteAuthorized: ResourceRule = {
    name: "http-api-route-authorized",
    description: "Every API Gateway v2 route has authorizationType AWS_IAM, CUSTOM or JWT (never NONE or unset); CUSTOM and JWT name their authorizerId.",
    types: [HTTP_API_TYPES.route],
    check: ({ props }) => {
        const type = props.authorizationType;
        if (!HTTP_ROUTE_AUTHORIZATIONS.includes(type)) {
            return [`route ${JSON.stringify(props.routeKey)} has authorizationType ${JSON.stringify(type ?? "NONE")}; use AWS_IAM or a Lambda (CUSTOM) or JWT authorizer`];
        }
        return type !== "AWS_IAM" && (props.authorizerId === undefined || props.authorizerId === "")
            ? [`route ${JSON.stringify(props.routeKey)} is ${type} without an authorizerId`]
            : [];
    },
};

export const httpApiAuthorizerExplicit: ResourceRule = {
    name: "http-api-authorizer-explicit",
    description: "A Lambda (REQUEST) authorizer of an API Gateway v2 API states authorizerPayloadFormatVersion, its TTL (0-3600), identity sources when cached, format 2.0 for simple responses; the player-token authorizer has TTL 0.",
    types: [HTTP_API_TYPES.authorizer],
    check: ({ props }) => {
        if (props.authorizerType !== "REQUEST") return [];
        const problems: string[] = [];
        const version = props.authorizerPayloadFormatVersion;
        if (version !== "1.0" && version !== "2.0") problems.push(`authorizerPayloadFormatVersion ${JSON.stringify(version)}: required for an HTTP API Lambda authorizer; set "2.0"`);
        if (props.enableSimpleResponses === true && version !== "2.0") problems.push("enableSimpleResponses needs authorizerPayloadFormatVersion \"2.0\"");
        const ttl = props.authorizerResultTtlInSeconds;
        if (ttl === undefined || ttl === null) problems.push("authorizerResultTtlInSeconds unset: set the decision cache's TTL explicitly (0 turns it off)");
        else if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 0 || ttl > 3600) problems.push(`authorizerResultTtlInSeconds ${JSON.stringify(ttl)}: must be a whole number of seconds from 0 to 3600`);
        else if (ttl > 0 && !(Array.isArray(props.identitySources) && props.identitySources.length > 0)) problems.push("a cached authorizer (TTL > 0) needs identity sources: they are its cache key");
        const sources: unknown[] = Array.isArray(props.identitySources) ? props.identitySources : [];
        for (const source of sources.filter((x) => typeof x !== "string" || !HTTP_IDENTITY_SOURCE_PREFIXES.some((p) => x.startsWith(p)))) {
            problems.push(`identity source ${JSON.stringify(source)}: an HTTP API takes selection expressions such as $request.header.Authorization (${HTTP_IDENTITY_SOURCE_PREFIXES.join(", ")})`);
        }
        if (props.name === PLAYER_TOKEN_AUTHORIZER && ttl !== 0) problems.push(`authorizerResultTtlInSeconds ${JSON.stringify(ttl)}: a player-token decision may not outlive the token; set 0`);
        return problems;
    },
};

export const httpApiLambdaIntegrationExplicit: ResourceRule = {
    name: "http-api-lambda-integration-explicit",
    description: "An AWS_PROXY integration of an API Gateway v2 API states payloadFormatVersion (required outside the console) and a timeoutMilliseconds of at most 30000 (the HTTP API's limit).",
    types: [HTTP_API_TYPES.integration],
    check: ({ props }) => {
        if (props.integrationType !== "AWS_PROXY") return [];
        const problems: string[] = [];
        if (props.payloadFormatVersion !== "1.0" && props.payloadFormatVersion !== "2.0") {
            problems.push(`payloadFormatVersion ${JSON.stringify(props.payloadFormatVersion)}: state "1.0" or "2.0" (the handlers read both; "2.0" is the HTTP API's)`);
        }
        const timeout = props.timeoutMilliseconds;
        if (timeout !== undefined && (typeof timeout !== "number" || timeout < 50 || timeout > HTTP_API_MAX_INTEGRATION_TIMEOUT_MS)) {
            problems.push(`timeoutMilliseconds ${JSON.stringify(timeout)}: an HTTP API integration times out between 50 and ${HTTP_API_MAX_INTEGRATION_TIMEOUT_MS} ms`);
        }
        return problems;
    },
};

export const HTTP_API_RESOURCE_RULES: readonly ResourceRule[] = [
    httpApiStageAccessLogging, httpApiStageThrottled, httpApiStageDeploys, httpApiRouteAuthorized, httpApiAuthorizerExplicit, httpApiLambdaIntegrationExplicit,
];
export const HTTP_API_STACK_RULES: readonly StackRule[] = [httpApiStageNoExecutionLogs];
