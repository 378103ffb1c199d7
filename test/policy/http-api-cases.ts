/**
 * Breaking examples of the HTTP API rules (policy/rules/http-api.ts), applied to the pipeline's own
 * HTTP API stack (test/components/http-api.test.ts builds it with `aws: { apiType: "HTTP" }`) and
 * counted by test/policy/rules.test.ts's coverage check.
 */
import { HTTP_API_TYPES as T } from "../../policy/rules/http-api";
import type { ResourceFacts } from "../../policy/rules/types";

const stage = (s: ResourceFacts[]) => s.find((r) => r.type === T.stage)!;
const route = (s: ResourceFacts[], routeKey: string) => s.find((r) => r.type === T.route && r.props.routeKey === routeKey)!;
const authorizer = (s: ResourceFacts[], name: string) => s.find((r) => r.type === T.authorizer && r.props.name === name)!;
const integration = (s: ResourceFacts[]) => s.find((r) => r.type === T.integration)!;

export const HTTP_API_CASES: Array<{ rule: string; breaks: string; mutate(s: ResourceFacts[]): void; expect: RegExp }> = [
    { rule: "http-api-stage-access-logging", breaks: "no access log settings", expect: /no access logging/,
        mutate: (s) => { delete stage(s).props.accessLogSettings; } },
    { rule: "http-api-stage-access-logging", breaks: "a format without $context.requestId", expect: /lacks \$context\.requestId/,
        mutate: (s) => { stage(s).props.accessLogSettings = { ...stage(s).props.accessLogSettings, format: "$context.status" }; } },
    { rule: "http-api-stage-access-logging", breaks: "a format over the 3 KB template quota", expect: /over the 3072-byte access log template quota/,
        mutate: (s) => { stage(s).props.accessLogSettings = { ...stage(s).props.accessLogSettings, format: JSON.stringify({ requestId: "$context.requestId", pad: "x".repeat(3100) }) }; } },
    { rule: "http-api-stage-throttled", breaks: "no default route settings", expect: /not throttled/,
        mutate: (s) => { delete stage(s).props.defaultRouteSettings; } },
    { rule: "http-api-stage-throttled", breaks: "burst limit 0", expect: /not throttled/,
        mutate: (s) => { stage(s).props.defaultRouteSettings = { ...stage(s).props.defaultRouteSettings, throttlingBurstLimit: 0 }; } },
    { rule: "http-api-stage-deploys", breaks: "neither autoDeploy nor a deployment", expect: /serves no routes/,
        mutate: (s) => { stage(s).props.autoDeploy = false; } },
    { rule: "http-api-stage-no-execution-logs", breaks: "loggingLevel ERROR on an HTTP API stage", expect: /execution logging/,
        mutate: (s) => { stage(s).props.defaultRouteSettings = { ...stage(s).props.defaultRouteSettings, loggingLevel: "ERROR" }; } },
    { rule: "http-api-route-authorized", breaks: "the events route with authorization NONE", expect: /authorizationType "NONE"/,
        mutate: (s) => { route(s, "POST /applications/{applicationId}/events").props.authorizationType = "NONE"; } },
    { rule: "http-api-route-authorized", breaks: "a CUSTOM route without its authorizer", expect: /CUSTOM without an authorizerId/,
        mutate: (s) => { delete route(s, "POST /applications/{applicationId}/events").props.authorizerId; } },
    { rule: "http-api-authorizer-explicit", breaks: "no payload format version", expect: /authorizerPayloadFormatVersion undefined/,
        mutate: (s) => { delete authorizer(s, "api-key").props.authorizerPayloadFormatVersion; } },
    { rule: "http-api-authorizer-explicit", breaks: "simple responses on format 1.0", expect: /enableSimpleResponses needs/,
        mutate: (s) => { authorizer(s, "api-key").props.authorizerPayloadFormatVersion = "1.0"; } },
    { rule: "http-api-authorizer-explicit", breaks: "TTL unset", expect: /unset/,
        mutate: (s) => { delete authorizer(s, "api-key").props.authorizerResultTtlInSeconds; } },
    { rule: "http-api-authorizer-explicit", breaks: "a cached authorizer without identity sources", expect: /needs identity sources/,
        mutate: (s) => { authorizer(s, "api-key").props.identitySources = []; } },
    { rule: "http-api-authorizer-explicit", breaks: "the REST API's identity source syntax", expect: /takes selection expressions/,
        mutate: (s) => { authorizer(s, "api-key").props.identitySources = ["method.request.header.Authorization"]; } },
    { rule: "http-api-authorizer-explicit", breaks: "the player-token authorizer cached 60 s", expect: /may not outlive the token/,
        mutate: (s) => { authorizer(s, "player-token").props.authorizerResultTtlInSeconds = 60; } },
    { rule: "http-api-lambda-integration-explicit", breaks: "no payload format version", expect: /payloadFormatVersion undefined/,
        mutate: (s) => { delete integration(s).props.payloadFormatVersion; } },
    { rule: "http-api-lambda-integration-explicit", breaks: "a 60 s integration timeout", expect: /between 50 and 30000/,
        mutate: (s) => { integration(s).props.timeoutMilliseconds = 60_000; } },
];
