/**
 * The AWS player authorizer end to end on real parts: the development issuer on 127.0.0.1
 * (jose keys, discovery, JWKS), dynalite holding the applications (with their auth_modes) and
 * the API keys, the handler called with API Gateway REQUEST authorizer events.
 */
import { strict as assert } from "node:assert";
import type { APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { DynamoDbApplicationAuthModes } from "../../../functions/aws/adapters/dynamodb-auth-modes";
import { generateApiKey } from "../../../functions/core/api-keys";
import { type DevIssuer, startDevIssuer } from "../../../functions/core/player-auth/dev-issuer";
import { JwtDecisionCache } from "../../../functions/core/player-auth/jwt-decision-cache";
import { createJwtVerifier } from "../../../functions/core/player-auth/jwt-verifier";
import { PUT_RECORD } from "../../../functions/core/player-auth/put-record";
import { EVENTS } from "../../../functions/core/routes";
import { createPlayerAuthorizer, handler, OIDC_ENVIRONMENT, oidcSettingsFromEnv } from "../../../functions/aws/handlers/player-authorizer";
import { type DynamoFixture, startDynamo } from "../support/servers";
import { APP, OTHER_APP, OffsetClock } from "./support/issuers";
import { KEYS_APP, playerAuthorizerOnRegistry } from "./support/registry";

const ARN = "arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/live";

function authorizerEvent(resource: string, authorization: string | undefined, applicationId?: string): APIGatewayRequestAuthorizerEvent {
    const path = resource === PUT_RECORD ? "/put-record" : `/applications/${applicationId}/events`;
    return {
        type: "REQUEST",
        methodArn: `${ARN}/POST${path}`,
        resource,
        path,
        httpMethod: "POST",
        headers: authorization === undefined ? {} : { Authorization: authorization },
        multiValueHeaders: {},
        pathParameters: applicationId === undefined ? null : { applicationId },
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        stageVariables: null,
        requestContext: { requestId: "req-1" } as APIGatewayRequestAuthorizerEvent["requestContext"],
    };
}

describe("AWS player authorizer (dev issuer + dynalite)", () => {
    let db: DynamoFixture;
    let issuer: DevIssuer;
    let authorize: ReturnType<typeof createPlayerAuthorizer>;
    const clock = new OffsetClock();
    const logs: Array<Record<string, unknown>> = [];
    const apiKey = generateApiKey();

    before(async () => {
        db = await startDynamo();
        issuer = await startDevIssuer({ clock });
        authorize = await playerAuthorizerOnRegistry(db, issuer, clock, apiKey, (_m, fields) => void logs.push(fields));
    });
    after(async () => {
        await issuer.close();
        await db.stop();
    });

    it("allows a player token on put-record with the player and application in the context, on the invoked method only", async () => {
        const token = await issuer.mintToken({ playerId: "player-42", applicationId: APP });
        const event = authorizerEvent(PUT_RECORD, token);
        const result = await authorize(event);
        assert.equal(result.principalId, "player-42");
        assert.deepEqual(result.policyDocument.Statement, [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn }]);
        assert.deepEqual({ ...result.context, expiresAt: typeof result.context?.expiresAt }, { credential: "JWT", applicationId: APP, playerId: "player-42", expiresAt: "number" });
    });

    it("answers Unauthorized (API Gateway's 401) on put-record for a bad token, an API key or none, and logs no token", async () => {
        const expired = await issuer.mintToken({ playerId: "p", applicationId: APP, ttlSeconds: -300 });
        for (const authorization of [expired, apiKey.value, undefined, "Bearer x.y.z"]) {
            await assert.rejects(authorize(authorizerEvent(PUT_RECORD, authorization)), /^Error: Unauthorized$/);
        }
        const logged = JSON.stringify(logs);
        assert.ok(!logged.includes(expired) && !logged.includes(expired.split(".")[2]!) && !logged.includes(apiKey.value));
        assert.match(logged, /expired/);
    });

    it("on the events route: a JWT where the application allows it, an API key where it allows keys, a Deny otherwise", async () => {
        const jwt = await issuer.mintToken({ playerId: "p", applicationId: APP });
        const allowed = await authorize(authorizerEvent(EVENTS, jwt, APP));
        assert.equal(allowed.policyDocument.Statement[0]!.Effect, "Allow");
        assert.equal(allowed.context?.credential, "JWT");
        const otherApp = await authorize(authorizerEvent(EVENTS, jwt, OTHER_APP));
        assert.equal(otherApp.policyDocument.Statement[0]!.Effect, "Deny", "a token for another application");
        const key = await authorize(authorizerEvent(EVENTS, apiKey.value, KEYS_APP));
        assert.deepEqual([key.policyDocument.Statement[0]!.Effect, key.context?.credential, key.context?.apiKeyId], ["Allow", "API_KEY", "key-1"]);
        const keysAppJwt = await issuer.mintToken({ playerId: "p", applicationId: KEYS_APP });
        const noJwt = await authorize(authorizerEvent(EVENTS, keysAppJwt, KEYS_APP));
        assert.equal(noJwt.policyDocument.Statement[0]!.Effect, "Deny", "an application without auth_modes takes API keys only");
    });

    it("fails (API Gateway's 500), not denies, when the issuer is unreachable", async () => {
        const gone = await startDevIssuer({ clock });
        const token = await gone.mintToken({ playerId: "p", applicationId: APP });
        await gone.close();
        const settings = oidcSettingsFromEnv({ [OIDC_ENVIRONMENT.oidcIssuerUrl]: "https://x.invalid", [OIDC_ENVIRONMENT.oidcAudience]: gone.audience, [OIDC_ENVIRONMENT.oidcApplicationId]: APP });
        const offline = createPlayerAuthorizer({
            verifier: createJwtVerifier({ ...settings, issuerUrl: gone.issuerUrl }, { clock, allowLoopbackHttp: true }),
            applications: new DynamoDbApplicationAuthModes(db.doc, db.appsTable),
            clock,
            cache: new JwtDecisionCache(),
        });
        await assert.rejects(offline(authorizerEvent(PUT_RECORD, token)), { name: "JwksUnavailableError" });
    });

    it("builds itself from the environment at first use (handler)", async () => {
        const saved = { ...process.env };
        Object.assign(process.env, {
            AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test",
            APPLICATIONS_TABLE: db.appsTable,
            OIDC_ISSUER_URL: "https://127.0.0.1:9", OIDC_AUDIENCE: "gamebackend", OIDC_APPLICATION_ID: APP,
        });
        try {
            await assert.rejects(handler(authorizerEvent(PUT_RECORD, "not-a-token")), /^Error: Unauthorized$/);
            const unsigned = `${Buffer.from('{"alg":"RS256","kid":"k"}').toString("base64url")}.${Buffer.from("{}").toString("base64url")}.c2ln`;
            await assert.rejects(handler(authorizerEvent(PUT_RECORD, unsigned)), { name: "JwksUnavailableError" }, "the issuer of the environment is asked for its keys");
        } finally {
            for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
            Object.assign(process.env, saved);
        }
    });

    it("reads its settings from the environment and names every bad variable", () => {
        assert.throws(() => oidcSettingsFromEnv({}), /OIDC_ISSUER_URL is required/);
        assert.throws(
            () => oidcSettingsFromEnv({ OIDC_ISSUER_URL: "http://id.example.com", OIDC_AUDIENCE: "a", OIDC_APPLICATION_ID: APP, OIDC_ALGORITHMS: "HS256" }),
            /OIDC_ISSUER_URL: must be an https:\/\/ URL.*; OIDC_ALGORITHMS: must be one or more of/,
        );
    });
});
