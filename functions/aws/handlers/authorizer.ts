/**
 * Lambda REQUEST authorizer of the events route: the `Authorization` header is the API key value.
 *
 * API Gateway caches the returned policy by the header alone and reuses it for any path, so the
 * policy depends on the key only: an enabled key gets `execute-api:Invoke` on its own
 * application's events method (and nothing else), whatever application the request named; any
 * other key gets a Deny. A request for another application is then refused by API Gateway (403),
 * from a fresh or a cached policy alike. A bad key is answered with a policy, never a throw.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { DynamoDbKeyStore } from "../adapters/dynamodb-store";
import { authorizeApiKey, DecisionCache } from "../../core/authorize";
import { headerValue } from "../../core/http";
import { type KeyStore, systemClock } from "../../core/ports";
import { AUTHORIZATIONS_TABLE, AUTHORIZER_CACHE_TTL_SECONDS } from "../../core/environment-names";
import { numberEnv, requiredEnv } from "./environment";
import { observability } from "./observability";

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

/** REQUEST authorizer handler. Store errors propagate (API Gateway answers 500; nothing is allowed). */
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
    const applicationId = event.pathParameters?.applicationId;
    const apiKey = headerValue({ headers: event.headers ?? {} }, "Authorization");
    const decision = await authorizeApiKey(apiKey, applicationId, { keys: keyStore(), clock: systemClock, cache: decisionCache() });
    const requestId = event.requestContext?.requestId;
    if (decision.allow) return allowOwnApplication(event.methodArn, decision.applicationId, decision.apiKeyId);
    logger.info("denied", { reason: decision.reason, applicationId, requestId });
    if (decision.keyApplicationId !== undefined && decision.apiKeyId !== undefined) {
        // A valid key on the wrong path: its own-application policy does not cover this request.
        return allowOwnApplication(event.methodArn, decision.keyApplicationId, decision.apiKeyId);
    }
    return policy("anonymous", "Deny", event.methodArn);
}

function allowOwnApplication(methodArn: string, applicationId: string, apiKeyId: string): APIGatewayAuthorizerResult {
    return { ...policy(apiKeyId, "Allow", eventsMethodArn(methodArn, applicationId)), context: { applicationId, apiKeyId } };
}
