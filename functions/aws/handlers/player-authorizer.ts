/**
 * Lambda REQUEST authorizer for player tokens: `POST /put-record` (JWT only) and, when the stack
 * has an OIDC issuer, `POST /applications/{applicationId}/events` (a JWT or an API key, as the
 * application's AuthModes allow).
 *
 * API Gateway caches an authorizer's answers for one TTL, whatever the token's `exp`, so this
 * authorizer must be configured with `authorizerResultTtlInSeconds: 0`; it caches verifications
 * itself, per token hash, for at most the token's remaining lifetime (JwtDecisionCache), and
 * returns policies for the invoked method only.
 *
 * Answers: allow -> an Allow policy with context {applicationId, playerId | apiKeyId, credential};
 * put-record deny -> `Unauthorized` (API Gateway answers 401, the seeds' contract); events deny
 * -> a Deny policy (403 AccessDenied, as for API keys). Issuer or store failures propagate
 * (API Gateway answers 500); nothing is allowed. The token is never logged.
 *
 * On the HTTP API (payload 2.0, simple responses, TTL 0 as well) the same decisions answer
 * `{isAuthorized, context}` with the same context; a deny is `isAuthorized: false`, answered by
 * API Gateway with its own 403 `{"message":"Forbidden"}` on both routes (an HTTP API has no
 * gateway responses, so /put-record cannot answer the seeds' 401 "Unauthorized" there; a request
 * without an Authorization header gets API Gateway's 401 `{"message":"Unauthorized"}`).
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from "aws-lambda";
import { authorizedResource, isAuthorizerV2, type RequestAuthorizerEvent, simpleResponse, type SimpleAuthorizerResult } from "./authorizer-event";
import { type DecisionCache } from "../../core/authorize";
import { headerValue } from "../../core/http";
import { type Clock, type KeyStore, systemClock } from "../../core/ports";
import { JwtDecisionCache } from "../../core/player-auth/jwt-decision-cache";
import { createJwtVerifier, type JwtVerifier } from "../../core/player-auth/jwt-verifier";
import type { OidcSettingKey } from "../../core/player-auth/oidc-settings";
import { oidcSettingsFromEnv } from "../../core/player-auth/oidc-environment";
import { type ApplicationAuthModes, authorizeEventsRequest, authorizePlayerToken } from "../../core/player-auth/player-authorizer";
import { PUT_RECORD } from "../../core/player-auth/put-record";
import { APPLICATION_CACHE_TTL_SECONDS, APPLICATIONS_TABLE, AUTHORIZATIONS_TABLE, AUTHORIZER_CACHE_TTL_SECONDS, OIDC_ENVIRONMENT as OIDC_NAMES } from "../../core/environment-names";

/** Environment variable of each OIDC setting (functions/core/environment-names.ts; the component sets them from the stack settings). */
export const OIDC_ENVIRONMENT: Readonly<Record<OidcSettingKey, string>> = OIDC_NAMES;

/** The OIDC settings of the environment (shared with the other cloud's handlers). */
export { oidcSettingsFromEnv } from "../../core/player-auth/oidc-environment";

/** What the authorizer needs; {@link handler} builds them from the environment. */
export interface PlayerAuthorizerDeps {
    verifier: JwtVerifier;
    applications: ApplicationAuthModes;
    clock: Clock;
    /** Per-token verification cache (one per container). */
    cache: JwtDecisionCache;
    /** API keys of the events route; absent = the events route takes JWTs only. */
    keys?: KeyStore;
    keyCache?: DecisionCache;
    /** Structured log of denials (reason and ids only). @default none */
    log?(message: string, fields: Record<string, unknown>): void;
}

/** Policy of one statement on the invoked method. */
export function methodPolicy(principalId: string, effect: "Allow" | "Deny", methodArn: string, context?: Record<string, string | number>): APIGatewayAuthorizerResult {
    const result: APIGatewayAuthorizerResult = {
        principalId,
        policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: methodArn }] },
    };
    if (context !== undefined) result.context = context;
    return result;
}

/** The authorizer: an IAM policy for a payload 1.0 event (REST API), a simple response for a 2.0 event (HTTP API). */
export interface PlayerAuthorizer {
    (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult>;
    (event: APIGatewayRequestAuthorizerEventV2): Promise<SimpleAuthorizerResult>;
}

/** The authorizer as a function of its dependencies. */
export function createPlayerAuthorizer(deps: PlayerAuthorizerDeps): PlayerAuthorizer {
    const authorize = async (event: RequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult | SimpleAuthorizerResult> => {
        const v2 = isAuthorizerV2(event);
        const methodArn = v2 ? "" : event.methodArn;
        const answer = (principalId: string, allow: boolean, context?: Record<string, string | number>): APIGatewayAuthorizerResult | SimpleAuthorizerResult =>
            v2 ? simpleResponse(allow, context) : methodPolicy(principalId, allow ? "Allow" : "Deny", methodArn, context);
        const authorization = headerValue({ headers: event.headers ?? {} }, "Authorization");
        const requestId = event.requestContext?.requestId;
        const resource = authorizedResource(event);
        if (resource === PUT_RECORD) {
            const decision = await authorizePlayerToken(authorization, undefined, {
                verifier: deps.verifier, clock: deps.clock, applications: deps.applications, cache: deps.cache,
            });
            if (decision.allow) {
                return answer(decision.playerId, true, {
                    credential: "JWT", applicationId: decision.applicationId, playerId: decision.playerId, expiresAt: decision.expiresAt,
                });
            }
            deps.log?.("denied", { reason: decision.reason, rejection: decision.rejection, resource, requestId });
            // REST: API Gateway answers 401 with the seeds' body; an HTTP API answers its own 403.
            if (v2) return simpleResponse(false);
            throw new Error("Unauthorized");
        }
        const applicationId = event.pathParameters?.applicationId;
        const decision = await authorizeEventsRequest(authorization, applicationId, {
            keys: deps.keys ?? NO_KEYS, keyCache: deps.keyCache, clock: deps.clock, applications: deps.applications,
            player: { verifier: deps.verifier, cache: deps.cache },
        });
        if (!decision.allow) {
            deps.log?.("denied", { reason: decision.reason, resource, applicationId, requestId });
            return answer("anonymous", false);
        }
        if (decision.credential === "JWT") {
            return answer(decision.playerId, true, {
                credential: "JWT", applicationId: decision.applicationId, playerId: decision.playerId, expiresAt: decision.expiresAt,
            });
        }
        return answer(decision.apiKeyId, true, { credential: "API_KEY", applicationId: decision.applicationId, apiKeyId: decision.apiKeyId });
    };
    return authorize as PlayerAuthorizer;
}

/** A key store that knows no key (a stack whose events route takes JWTs only). */
const NO_KEYS = { getKeyByHash: async () => undefined } as unknown as KeyStore;

let built: PlayerAuthorizer | undefined;

/**
 * Lambda entry point; dependencies are built from the environment at first use (SDK clients
 * required lazily, as in events.ts).
 */
export function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult>;
export function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<SimpleAuthorizerResult>;
export async function handler(event: RequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult | SimpleAuthorizerResult> {
    built ??= fromEnvironment(process.env);
    return (built as (e: RequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult | SimpleAuthorizerResult>)(event);
}

function fromEnvironment(env: NodeJS.ProcessEnv): PlayerAuthorizer {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { DynamoDBClient } = require("@aws-sdk/client-dynamodb") as typeof import("@aws-sdk/client-dynamodb");
    const { DynamoDBDocumentClient } = require("@aws-sdk/lib-dynamodb") as typeof import("@aws-sdk/lib-dynamodb");
    const { DynamoDbKeyStore } = require("../adapters/dynamodb-store") as typeof import("../adapters/dynamodb-store");
    const { DynamoDbApplicationAuthModes } = require("../adapters/dynamodb-auth-modes") as typeof import("../adapters/dynamodb-auth-modes");
    const { CachedApplicationAuthModes } = require("../../core/player-auth/cached-auth-modes") as typeof import("../../core/player-auth/cached-auth-modes");
    const { DecisionCache: KeyDecisionCache } = require("../../core/authorize") as typeof import("../../core/authorize");
    const { numberEnv, requiredEnv } = require("./environment") as typeof import("./environment");
    const { observability } = require("./observability") as typeof import("./observability");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const ttlSeconds = Number(env[APPLICATION_CACHE_TTL_SECONDS] ?? "60");
    const { logger } = observability("player-authorizer", env);
    return createPlayerAuthorizer({
        verifier: createJwtVerifier(oidcSettingsFromEnv(env), { clock: systemClock }),
        applications: new CachedApplicationAuthModes(new DynamoDbApplicationAuthModes(doc, requiredEnv(APPLICATIONS_TABLE, env)), systemClock, Number.isFinite(ttlSeconds) && ttlSeconds >= 0 ? ttlSeconds * 1000 : 60_000),
        clock: systemClock,
        cache: new JwtDecisionCache(),
        keys: env[AUTHORIZATIONS_TABLE] ? new DynamoDbKeyStore(doc, env[AUTHORIZATIONS_TABLE]!) : undefined,
        keyCache: new KeyDecisionCache(numberEnv(AUTHORIZER_CACHE_TTL_SECONDS, 60, env) * 1000),
        log: (message, fields) => logger.info(message, fields),
    });
}
