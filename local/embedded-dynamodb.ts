/**
 * An embedded DynamoDB (dynalite) on 127.0.0.1, persisted under the data folder, reached through
 * the AWS SDK like the real service, with the pipeline's two tables created on first start.
 */
import * as fs from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createTableInputs } from "../functions/adapters/dynamodb-tables";
import { closeClientAndServer, LOCAL_AWS_CLIENT_CONFIG } from "./local-aws";

type DynaliteFactory = (options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;
// dynalite ships no type declarations; this is the one function the local mode uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as DynaliteFactory;

export interface EmbeddedDynamoDb {
    endpoint: string;
    documentClient: DynamoDBDocumentClient;
    applicationsTable: string;
    authorizationsTable: string;
    close(): Promise<void>;
}

/**
 * Starts dynalite storing its data in `dataDir` (in memory when undefined) and creates the
 * applications and authorizations tables if they do not exist yet.
 */
export async function startEmbeddedDynamoDb(dataDir: string | undefined, tablePrefix: string): Promise<EmbeddedDynamoDb> {
    if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
    const server = dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new DynamoDBClient({ ...LOCAL_AWS_CLIENT_CONFIG, endpoint });
    const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const applicationsTable = `${tablePrefix}-applications`;
    const authorizationsTable = `${tablePrefix}-authorizations`;
    const close = (): Promise<void> => closeClientAndServer(client, server);
    try {
        const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
        for (const input of createTableInputs(applicationsTable, authorizationsTable)) {
            if (!existing.has(input.TableName!)) await client.send(new CreateTableCommand(input));
        }
    } catch (error) {
        await close();
        throw error;
    }
    return { endpoint, documentClient, applicationsTable, authorizationsTable, close };
}
