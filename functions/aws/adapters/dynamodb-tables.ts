/**
 * Key schemas of the two DynamoDB tables, shared by the Pulumi components, the adapters, the
 * tests and the local mode.
 */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/** Applications table: one item per application. */
export const APPLICATIONS_TABLE_KEYS = {
    hashKey: "application_id",
} as const;

/** Authorizations table: one item per API key, keyed by the hex SHA-256 of its value. */
export const AUTHORIZATIONS_TABLE_KEYS = {
    hashKey: "api_key_hash",
    /** Global secondary index listing the keys of an application. */
    byApplicationIndex: "by-application",
    indexHashKey: "application_id",
    indexRangeKey: "api_key_id",
} as const;

/** CreateTable inputs (on-demand billing, encrypted at rest) for tests and the local mode. */
export function createTableInputs(appsTableName: string, keysTableName: string): CreateTableCommandInput[] {
    return [
        {
            TableName: appsTableName,
            BillingMode: "PAY_PER_REQUEST",
            AttributeDefinitions: [{ AttributeName: APPLICATIONS_TABLE_KEYS.hashKey, AttributeType: "S" }],
            KeySchema: [{ AttributeName: APPLICATIONS_TABLE_KEYS.hashKey, KeyType: "HASH" }],
        },
        {
            TableName: keysTableName,
            BillingMode: "PAY_PER_REQUEST",
            AttributeDefinitions: [
                { AttributeName: AUTHORIZATIONS_TABLE_KEYS.hashKey, AttributeType: "S" },
                { AttributeName: AUTHORIZATIONS_TABLE_KEYS.indexHashKey, AttributeType: "S" },
                { AttributeName: AUTHORIZATIONS_TABLE_KEYS.indexRangeKey, AttributeType: "S" },
            ],
            KeySchema: [{ AttributeName: AUTHORIZATIONS_TABLE_KEYS.hashKey, KeyType: "HASH" }],
            GlobalSecondaryIndexes: [
                {
                    IndexName: AUTHORIZATIONS_TABLE_KEYS.byApplicationIndex,
                    KeySchema: [
                        { AttributeName: AUTHORIZATIONS_TABLE_KEYS.indexHashKey, KeyType: "HASH" },
                        { AttributeName: AUTHORIZATIONS_TABLE_KEYS.indexRangeKey, KeyType: "RANGE" },
                    ],
                    Projection: { ProjectionType: "ALL" },
                },
            ],
        },
    ];
}
