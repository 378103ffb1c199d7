/**
 * The two shapes a Lambda REQUEST authorizer is called with: payload 1.0 (the REST API: answer an
 * IAM policy on `methodArn`) and 2.0 (the HTTP API with `enableSimpleResponses`: answer
 * `{isAuthorized, context}`; AWS "Control access to HTTP APIs with AWS Lambda authorizers").
 * A 2.0 event names the route by `routeKey` ("POST /put-record") and `rawPath`, its headers are
 * lowercase, and API Gateway answers an `isAuthorized: false` with its own 403 `{"message":"Forbidden"}`.
 */
import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from "aws-lambda";
import { resourceOfRouteKey } from "./api-gateway";

/** A REQUEST authorizer event of either payload format. */
export type RequestAuthorizerEvent = APIGatewayRequestAuthorizerEvent | APIGatewayRequestAuthorizerEventV2;

/** The simple response of an HTTP API Lambda authorizer (payload 2.0). */
export interface SimpleAuthorizerResult {
    isAuthorized: boolean;
    /** Reaches the integration as `requestContext.authorizer.lambda`. */
    context?: Record<string, string | number | boolean>;
}

/** Whether `event` is of payload format 2.0 (the HTTP API's). */
export function isAuthorizerV2(event: RequestAuthorizerEvent): event is APIGatewayRequestAuthorizerEventV2 {
    return (event as { version?: unknown }).version === "2.0";
}

/** The resource template an authorizer event is for ("/put-record", "/applications/{applicationId}/events"). */
export function authorizedResource(event: RequestAuthorizerEvent): string | undefined {
    return isAuthorizerV2(event) ? resourceOfRouteKey(event.routeKey, event.rawPath ?? "") : event.resource;
}

/**
 * The simple response of a decision.
 * @example simpleResponse(true, { applicationId: "app-1" }) // { isAuthorized: true, context: { applicationId: "app-1" } }
 */
export function simpleResponse(isAuthorized: boolean, context?: Record<string, string | number | boolean>): SimpleAuthorizerResult {
    return context === undefined ? { isAuthorized } : { isAuthorized, context };
}
