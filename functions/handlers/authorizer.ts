/**
 * Lambda REQUEST authorizer of the events route: the `Authorization` header is the API key value.
 * Allows `execute-api:Invoke` on this application's events method only, so a cached policy can
 * never open another application's route; denies with a policy (client gets 403), never throws
 * for a bad key.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { DynamoDbKeyStore } from "../adapters/dynamodb-store";
import { authorizeApiKey, DecisionCache, DEFAULT_DECISION_TTL_MS } from "../core/authorize";
import { headerValue } from "../core/http";
import { type KeyStore, systemClock } from "../core/ports";
import { AUTHORIZATIONS_TABLE, requiredEnv } from "./environment";
import { observability } from "./observability";

const { logger } = observability("authorizer");
const cache = new DecisionCache(DEFAULT_DECISION_TTL_MS);
let keys: KeyStore | undefined;

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
    const decision = await authorizeApiKey(apiKey, applicationId, { keys: keyStore(), clock: systemClock, cache });
    if (!decision.allow) {
        logger.info("denied", { reason: decision.reason, applicationId, requestId: event.requestContext?.requestId });
        return policy("anonymous", "Deny", event.methodArn);
    }
    return {
        ...policy(decision.apiKeyId, "Allow", eventsMethodArn(event.methodArn, decision.applicationId)),
        context: { applicationId: decision.applicationId, apiKeyId: decision.apiKeyId },
    };
}
