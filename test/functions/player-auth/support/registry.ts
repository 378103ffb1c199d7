/**
 * The player-auth registry both AWS authorizer suites run on: dynalite holding three applications
 * (APP takes API keys and JWTs, OTHER_APP JWTs only, KEYS_APP stored before auth modes existed:
 * API keys only) and one API key of KEYS_APP, and the AWS player authorizer over the development
 * issuer with that registry.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { AUTH_MODES_ATTRIBUTE, DynamoDbApplicationAuthModes } from "../../../../functions/aws/adapters/dynamodb-auth-modes";
import { DynamoDbKeyStore } from "../../../../functions/aws/adapters/dynamodb-store";
import { createPlayerAuthorizer, OIDC_ENVIRONMENT, oidcSettingsFromEnv, type PlayerAuthorizerDeps } from "../../../../functions/aws/handlers/player-authorizer";
import type { GeneratedApiKey } from "../../../../functions/core/api-keys";
import { CachedApplicationAuthModes } from "../../../../functions/core/player-auth/cached-auth-modes";
import type { DevIssuer } from "../../../../functions/core/player-auth/dev-issuer";
import { JwtDecisionCache } from "../../../../functions/core/player-auth/jwt-decision-cache";
import { createJwtVerifier } from "../../../../functions/core/player-auth/jwt-verifier";
import type { DynamoFixture } from "../../support/servers";
import { APP, OffsetClock, OTHER_APP } from "./issuers";

/** The application stored without auth modes (API keys only), holder of the one API key. */
export const KEYS_APP = "3d8b6f42-2a1c-4d5e-8f9a-6b5c4d3e2f1a";

/**
 * Stores the three applications and `apiKey` (id "key-1", of KEYS_APP) in `db`, and returns the
 * AWS player authorizer verifying the dev issuer's tokens against them.
 */
export async function playerAuthorizerOnRegistry(db: DynamoFixture, issuer: DevIssuer, clock: OffsetClock, apiKey: GeneratedApiKey,
    log?: PlayerAuthorizerDeps["log"]): Promise<ReturnType<typeof createPlayerAuthorizer>> {
    for (const [id, modes] of [[APP, ["API_KEY", "JWT"]], [OTHER_APP, ["JWT"]], [KEYS_APP, undefined]] as const) {
        const item: Record<string, unknown> = { application_id: id, application_name: "g", description: "", created_at: "", updated_at: "" };
        if (modes !== undefined) item[AUTH_MODES_ATTRIBUTE] = modes;
        await db.doc.send(new PutCommand({ TableName: db.appsTable, Item: item }));
    }
    const keys = new DynamoDbKeyStore(db.doc, db.keysTable);
    await keys.putKey({ ApiKeyId: "key-1", ApiKeyHash: apiKey.hash, ApiKeyHint: apiKey.hint, ApiKeyName: "k", ApiKeyDescription: "", ApplicationId: KEYS_APP, CreatedAt: "", UpdatedAt: "", Enabled: true });
    const settings = oidcSettingsFromEnv({
        [OIDC_ENVIRONMENT.oidcIssuerUrl]: "https://placeholder.invalid",
        [OIDC_ENVIRONMENT.oidcAudience]: issuer.audience,
        [OIDC_ENVIRONMENT.oidcApplicationClaim]: issuer.applicationClaim,
    });
    return createPlayerAuthorizer({
        verifier: createJwtVerifier({ ...settings, issuerUrl: issuer.issuerUrl }, { clock, allowLoopbackHttp: true }),
        applications: new CachedApplicationAuthModes(new DynamoDbApplicationAuthModes(db.doc, db.appsTable), clock, 60_000),
        clock,
        cache: new JwtDecisionCache(),
        keys,
        ...(log ? { log } : {}),
    });
}
