/**
 * The credentials an application accepts, read from its item in the applications table
 * (attribute `auth_modes`, a list of "API_KEY" / "JWT"; absent = API keys only, the behaviour of
 * every application registered before player authentication). One GetItem, projected.
 */
import { GetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type ApplicationAuthModes, type AuthMode, DEFAULT_AUTH_MODES, validateAuthModes } from "../../core/player-auth/player-authorizer";

/** Name of the attribute holding an application's AuthModes. */
export const AUTH_MODES_ATTRIBUTE = "auth_modes";

export class DynamoDbApplicationAuthModes implements ApplicationAuthModes {
    constructor(
        private readonly client: DynamoDBDocumentClient,
        private readonly tableName: string,
    ) {}

    /** The modes of `applicationId`; undefined when it is not registered. A malformed stored value reads as the default (least access). */
    async authModesOf(applicationId: string): Promise<readonly AuthMode[] | undefined> {
        const out = await this.client.send(new GetCommand({
            TableName: this.tableName,
            Key: { application_id: applicationId },
            ProjectionExpression: "application_id, #modes",
            ExpressionAttributeNames: { "#modes": AUTH_MODES_ATTRIBUTE },
        }));
        if (out.Item === undefined) return undefined;
        const stored = out.Item[AUTH_MODES_ATTRIBUTE];
        const modes = validateAuthModes(stored instanceof Set ? [...stored] : stored);
        return modes.ok ? modes.modes : DEFAULT_AUTH_MODES;
    }
}
