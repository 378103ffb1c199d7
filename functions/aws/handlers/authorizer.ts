/**
 * Lambda REQUEST authorizer of the events route: the `Authorization` header is the API key value.
 *
 * API Gateway caches the returned policy by the header alone and reuses it for any path, so the
 * policy depends on the key only: an enabled key gets `execute-api:Invoke` on its own
 * application's events method (and nothing else), whatever application the request named; any
 * other key gets a Deny. A request for another application is then refused by API Gateway (403),
 * from a fresh or a cached policy alike. A bad key is answered with a policy, never a throw.
 *
 * On the HTTP API (payload 2.0, simple responses) the answer is `{isAuthorized, context}`, cached
 * by the header alone too: an enabled key is authorized with its own application in the context,
 * whatever application the request named, and the events Lambda refuses another application's
 * path (403 AccessDenied naming the rule). A bad key is `isAuthorized: false` (API Gateway's 403).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from "aws-lambda";
import { DynamoDbKeyStore } from "../adapters/dynamodb-store";
import { authorizeApiKey, DecisionCache } from "../../core/authorize";
import { headerValue } from "../../core/http";
import { type KeyStore, systemClock } from "../../core/ports";
import { AUTHORIZATIONS_TABLE, AUTHORIZER_CACHE_TTL_SECONDS } from "../../core/environment-names";
import { numberEnv, requiredEnv } from "./environment";
import { observability } from "./observability";
import { isAuthorizerV2, type RequestAuthorizerEvent, simpleResponse, type SimpleAuthorizerResult } from "./authorizer-event";

const { logger } = observability("authorizer");
let cache: DecisionCache | undefined;
let keys: KeyStore | undefined;

/**
 * The in-memory decision cache, with the TTL of AUTHORIZER_CACHE_TTL_SECONDS (the variable that
 * also sets API Gateway's result cache; 0 disables both). The admin API adds both TTLs in its
 * EffectiveWithinSeconds.
 */
function decisionCache(): DecisionCache {
    cache ??= new DecisionCache(numberEnv(AUTHORIZER_CACHE_TTL_SECONDS, 60) * 1000);
    return cache;
}

function keyStore(): KeyStore {
    keys ??= new DynamoDbKeyStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), requiredEnv(AUTHORIZATIONS_TABLE));
    return keys;
}

/**
 * The events method ARN of `applicationId`, derived from the invoked method ARN
 * (`arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{method}/{path}`).
 */
export function eventsMethodArn(methodArn: string, applicationId: string): string {
    const [apiArn, stage] = methodArn.split("/");
    return `${apiArn}/${stage}/POST/applications/${applicationId}/events`;
}

function policy(principalId: string, effect: "Allow" | "Deny", resource: string): APIGatewayAuthorizerResult {
    return {
        principalId,
        policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }] },
    };
}

/**
 * REQUEST authorizer handler: an IAM policy for a payload 1.0 event (REST API), a simple response
 * for a 2.0 event (HTTP API). Store errors propagate (API Gateway answers 500; nothing is allowed).
 */
export function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult>;
export function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<SimpleAuthorizerResult>;
export async function handler(event: RequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult | SimpleAuthorizerResult> {
    const applicationId = event.pathParameters?.applicationId;
    const apiKey = headerValue({ headers: event.headers ?? {} }, "Authorization");
    const decision = await authorizeApiKey(apiKey, applicationId, { keys: keyStore(), clock: systemClock, cache: decisionCache() });
    const requestId = event.requestContext?.requestId;
    if (!decision.allow) logger.info("denied", { reason: decision.reason, applicationId, requestId });
    if (isAuthorizerV2(event)) {
        const own = decision.allow ? { applicationId: decision.applicationId, apiKeyId: decision.apiKeyId }
            : decision.keyApplicationId !== undefined && decision.apiKeyId !== undefined ? { applicationId: decision.keyApplicationId, apiKeyId: decision.apiKeyId } : undefined;
        return own === undefined ? simpleResponse(false) : simpleResponse(true, own);
    }
    if (decision.allow) return allowOwnApplication(event.methodArn, decision.applicationId, decision.apiKeyId);
    if (decision.keyApplicationId !== undefined && decision.apiKeyId !== undefined) {
        // A valid key on the wrong path: its own-application policy does not cover this request.
        return allowOwnApplication(event.methodArn, decision.keyApplicationId, decision.apiKeyId);
    }
    return policy("anonymous", "Deny", event.methodArn);
}

function allowOwnApplication(methodArn: string, applicationId: string, apiKeyId: string): APIGatewayAuthorizerResult {
    return { ...policy(apiKeyId, "Allow", eventsMethodArn(methodArn, applicationId)), context: { applicationId, apiKeyId } };
}
