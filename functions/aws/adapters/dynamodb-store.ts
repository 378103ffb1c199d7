/**
 * DynamoDB implementations of the ApplicationRegistry and KeyStore ports.
 * Item attributes are snake_case; the API's PascalCase shapes are mapped here.
 */
import {
    BatchWriteCommand,
    type DynamoDBDocumentClient,
    DeleteCommand,
    GetCommand,
    PutCommand,
    QueryCommand,
    ScanCommand,
    UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { AlreadyExistsError, type Application, type ApplicationChanges, type ApplicationRegistry, type KeyStore, type Page, type StoredApiKey } from "../../core/ports";
import { DEFAULT_AUTH_MODES, validateAuthModes } from "../../core/player-auth/player-authorizer";
import { AUTH_MODES_ATTRIBUTE } from "./dynamodb-auth-modes";
import { APPLICATIONS_TABLE_KEYS, AUTHORIZATIONS_TABLE_KEYS } from "./dynamodb-tables";
import { decodePageToken, encodePageToken } from "./page-token";

/** Attempts of a BatchWrite before unprocessed items are reported as an error. */
export const BATCH_WRITE_MAX_ATTEMPTS = 8;
const BATCH_WRITE_SIZE = 25;

function isConditionFailure(err: unknown): boolean {
    return err instanceof Error && err.name === "ConditionalCheckFailedException";
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function toApplication(item: Record<string, unknown>): Application {
    return {
        ApplicationId: String(item.application_id),
        ApplicationName: String(item.application_name),
        Description: String(item.description ?? ""),
        CreatedAt: String(item.created_at),
        UpdatedAt: String(item.updated_at),
        AuthModes: storedAuthModes(item[AUTH_MODES_ATTRIBUTE]),
    };
}

/** An item's AuthModes: absent (stored before player auth) or malformed = API keys only (least access). */
function storedAuthModes(stored: unknown): ("API_KEY" | "JWT")[] {
    const modes = validateAuthModes(stored instanceof Set ? [...stored] : stored);
    return modes.ok ? modes.modes : [...DEFAULT_AUTH_MODES];
}

function toStoredKey(item: Record<string, unknown>): StoredApiKey {
    return {
        ApiKeyId: String(item.api_key_id),
        ApiKeyHash: String(item.api_key_hash),
        ApiKeyHint: String(item.api_key_hint),
        ApiKeyName: String(item.api_key_name),
        ApiKeyDescription: String(item.api_key_description ?? ""),
        ApplicationId: String(item.application_id),
        CreatedAt: String(item.created_at),
        UpdatedAt: String(item.updated_at),
        Enabled: item.enabled === true,
    };
}

/** Applications in the applications table (hash key `application_id`). */
export class DynamoDbApplicationRegistry implements ApplicationRegistry {
    constructor(
        private readonly client: DynamoDBDocumentClient,
        private readonly tableName: string,
    ) {}

    async createApplication(app: Application): Promise<void> {
        try {
            await this.client.send(
                new PutCommand({
                    TableName: this.tableName,
                    Item: {
                        application_id: app.ApplicationId,
                        application_name: app.ApplicationName,
                        description: app.Description,
                        created_at: app.CreatedAt,
                        updated_at: app.UpdatedAt,
                        ...(app.AuthModes === undefined ? {} : { [AUTH_MODES_ATTRIBUTE]: app.AuthModes }),
                    },
                    ConditionExpression: "attribute_not_exists(application_id)",
                }),
            );
        } catch (err) {
            if (isConditionFailure(err)) throw new AlreadyExistsError(`application ${app.ApplicationId}`);
            throw err;
        }
    }

    async getApplication(applicationId: string): Promise<Application | undefined> {
        const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { application_id: applicationId } }));
        return out.Item ? toApplication(out.Item) : undefined;
    }

    async listApplications(limit: number, nextToken?: string): Promise<Page<Application>> {
        const out = await this.client.send(
            new ScanCommand({
                TableName: this.tableName,
                Limit: limit,
                ExclusiveStartKey: decodePageToken(nextToken, [APPLICATIONS_TABLE_KEYS.hashKey]),
            }),
        );
        const items = (out.Items ?? []).map(toApplication);
        const token = encodePageToken(out.LastEvaluatedKey);
        return token === undefined ? { items } : { items, nextToken: token };
    }

    async updateApplication(applicationId: string, changes: ApplicationChanges): Promise<Application | undefined> {
        const names: Record<string, string> = { "#updated": "updated_at" };
        const values: Record<string, unknown> = { ":updated": changes.UpdatedAt };
        const sets = ["#updated = :updated"];
        const fields: Array<[keyof ApplicationChanges, string]> = [["ApplicationName", "application_name"], ["Description", "description"], ["AuthModes", AUTH_MODES_ATTRIBUTE]];
        for (const [field, attribute] of fields) {
            if (changes[field] === undefined || field === "UpdatedAt") continue;
            names[`#${attribute}`] = attribute;
            values[`:${attribute}`] = changes[field];
            sets.push(`#${attribute} = :${attribute}`);
        }
        try {
            const out = await this.client.send(new UpdateCommand({
                TableName: this.tableName,
                Key: { application_id: applicationId },
                UpdateExpression: `SET ${sets.join(", ")}`,
                ConditionExpression: "attribute_exists(application_id)",
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
                ReturnValues: "ALL_NEW",
            }));
            return out.Attributes ? toApplication(out.Attributes) : undefined;
        } catch (err) {
            if (isConditionFailure(err)) return undefined;
            throw err;
        }
    }

    async deleteApplication(applicationId: string): Promise<boolean> {
        const out = await this.client.send(
            new DeleteCommand({ TableName: this.tableName, Key: { application_id: applicationId }, ReturnValues: "ALL_OLD" }),
        );
        return out.Attributes !== undefined;
    }
}

/** API keys in the authorizations table (hash key `api_key_hash`, index `by-application`). */
export class DynamoDbKeyStore implements KeyStore {
    constructor(
        private readonly client: DynamoDBDocumentClient,
        private readonly tableName: string,
    ) {}

    async putKey(key: StoredApiKey): Promise<void> {
        try {
            await this.client.send(
                new PutCommand({
                    TableName: this.tableName,
                    Item: {
                        api_key_hash: key.ApiKeyHash,
                        api_key_id: key.ApiKeyId,
                        api_key_hint: key.ApiKeyHint,
                        api_key_name: key.ApiKeyName,
                        api_key_description: key.ApiKeyDescription,
                        application_id: key.ApplicationId,
                        created_at: key.CreatedAt,
                        updated_at: key.UpdatedAt,
                        enabled: key.Enabled,
                    },
                    ConditionExpression: "attribute_not_exists(api_key_hash)",
                }),
            );
        } catch (err) {
            if (isConditionFailure(err)) throw new AlreadyExistsError(`API key ${key.ApiKeyId}`);
            throw err;
        }
    }

    async getKeyByHash(apiKeyHash: string): Promise<StoredApiKey | undefined> {
        const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { api_key_hash: apiKeyHash } }));
        return out.Item ? toStoredKey(out.Item) : undefined;
    }

    async getKey(applicationId: string, apiKeyId: string): Promise<StoredApiKey | undefined> {
        const out = await this.client.send(
            new QueryCommand({
                TableName: this.tableName,
                IndexName: AUTHORIZATIONS_TABLE_KEYS.byApplicationIndex,
                KeyConditionExpression: "application_id = :a AND api_key_id = :k",
                ExpressionAttributeValues: { ":a": applicationId, ":k": apiKeyId },
            }),
        );
        const item = out.Items?.[0];
        return item ? toStoredKey(item) : undefined;
    }

    async listKeys(applicationId: string, limit: number, nextToken?: string): Promise<Page<StoredApiKey>> {
        const { hashKey, indexHashKey, indexRangeKey, byApplicationIndex } = AUTHORIZATIONS_TABLE_KEYS;
        const out = await this.client.send(
            new QueryCommand({
                TableName: this.tableName,
                IndexName: byApplicationIndex,
                KeyConditionExpression: "application_id = :a",
                ExpressionAttributeValues: { ":a": applicationId },
                Limit: limit,
                ExclusiveStartKey: decodePageToken(nextToken, [hashKey, indexHashKey, indexRangeKey], { [indexHashKey]: applicationId }),
            }),
        );
        const items = (out.Items ?? []).map(toStoredKey);
        const token = encodePageToken(out.LastEvaluatedKey);
        return token === undefined ? { items } : { items, nextToken: token };
    }

    async setKeyEnabled(applicationId: string, apiKeyId: string, enabled: boolean, updatedAt: string): Promise<StoredApiKey | undefined> {
        const key = await this.getKey(applicationId, apiKeyId);
        if (!key) return undefined;
        try {
            const out = await this.client.send(
                new UpdateCommand({
                    TableName: this.tableName,
                    Key: { api_key_hash: key.ApiKeyHash },
                    UpdateExpression: "SET enabled = :e, updated_at = :u",
                    ConditionExpression: "attribute_exists(api_key_hash) AND application_id = :a AND api_key_id = :k",
                    ExpressionAttributeValues: { ":e": enabled, ":u": updatedAt, ":a": applicationId, ":k": apiKeyId },
                    ReturnValues: "ALL_NEW",
                }),
            );
            return out.Attributes ? toStoredKey(out.Attributes) : undefined;
        } catch (err) {
            if (isConditionFailure(err)) return undefined;
            throw err;
        }
    }

    async deleteKey(applicationId: string, apiKeyId: string): Promise<boolean> {
        const key = await this.getKey(applicationId, apiKeyId);
        if (!key) return false;
        try {
            await this.client.send(
                new DeleteCommand({
                    TableName: this.tableName,
                    Key: { api_key_hash: key.ApiKeyHash },
                    ConditionExpression: "application_id = :a AND api_key_id = :k",
                    ExpressionAttributeValues: { ":a": applicationId, ":k": apiKeyId },
                }),
            );
            return true;
        } catch (err) {
            if (isConditionFailure(err)) return false;
            throw err;
        }
    }

    async deleteKeysOfApplication(applicationId: string): Promise<number> {
        let deleted = 0;
        let start: Record<string, unknown> | undefined;
        do {
            const page = await this.client.send(
                new QueryCommand({
                    TableName: this.tableName,
                    IndexName: AUTHORIZATIONS_TABLE_KEYS.byApplicationIndex,
                    KeyConditionExpression: "application_id = :a",
                    ExpressionAttributeValues: { ":a": applicationId },
                    ProjectionExpression: "api_key_hash",
                    ExclusiveStartKey: start,
                }),
            );
            const hashes = (page.Items ?? []).map((item) => String(item.api_key_hash));
            for (let i = 0; i < hashes.length; i += BATCH_WRITE_SIZE) {
                await this.batchDelete(hashes.slice(i, i + BATCH_WRITE_SIZE));
            }
            deleted += hashes.length;
            start = page.LastEvaluatedKey;
        } while (start);
        return deleted;
    }

    /** Deletes up to 25 items, retrying unprocessed ones with exponential backoff. */
    private async batchDelete(hashes: string[]): Promise<void> {
        let requests = hashes.map((hash) => ({ DeleteRequest: { Key: { api_key_hash: hash } } }));
        for (let attempt = 1; requests.length > 0; attempt++) {
            if (attempt > BATCH_WRITE_MAX_ATTEMPTS) {
                throw new Error(`BatchWrite: ${requests.length} key deletions still unprocessed after ${BATCH_WRITE_MAX_ATTEMPTS} attempts`);
            }
            if (attempt > 1) await sleep(Math.random() * Math.min(1000, 25 * 2 ** attempt));
            const out = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
            requests = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        }
    }
}
