/**
 * An embedded DynamoDB (dynalite) in this process, persisted under the data folder, reached through
 * the AWS SDK like the real service, with the pipeline's two tables created on first start.
 *
 * No socket: the SDK client's request handler hands each request to dynalite's request listener
 * in process (in-process-http.ts, as for the embedded Kinesis stream). dynalite checks no
 * signature and answers any origin with CORS `*`, so on a loopback port any local process or
 * web page could read or insert key hashes; in process, only this program reaches it.
 */
import * as fs from "node:fs";
import type { RequestListener, Server } from "node:http";
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createTableInputs } from "../functions/aws/adapters/dynamodb-tables";
import { InProcessHttpHandler } from "./in-process-http";
import { LOCAL_AWS_CLIENT_CONFIG } from "./local-aws";

type DynaliteFactory = (options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;
/** The part of dynalite's store that closes its LevelDB (held open, with its lock, until closed). */
interface DynaliteStore {
    lifecycleManager?: { gracefulClose(cb: (error?: Error) => void): void };
    db: { close(cb: (error?: Error) => void): void };
}
// dynalite ships no type declarations; these are the functions the local mode uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as DynaliteFactory;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynaliteDb = require("dynalite/db") as { create(options: object): DynaliteStore };

/** A host name the SDK signs; nothing resolves or connects to it. */
export const IN_PROCESS_DYNAMODB_ENDPOINT = "http://dynamodb.in-process.invalid";

export interface EmbeddedDynamoDb {
    /** The endpoint the SDK client names (no server listens on it: requests stay in this process). */
    endpoint: string;
    documentClient: DynamoDBDocumentClient;
    applicationsTable: string;
    authorizationsTable: string;
    close(): Promise<void>;
}

/**
 * dynalite's request listener and its store. dynalite exposes only an `http.Server` (which is
 * never listened on here); its store is taken at creation, to be closed without a listening
 * server (dynalite's own close closes the store only after closing a listening server).
 */
function createDynalite(options: Parameters<DynaliteFactory>[0]): { listener: RequestListener; store: DynaliteStore } {
    const create = dynaliteDb.create;
    let store: DynaliteStore | undefined;
    dynaliteDb.create = (o: object) => (store = create(o));
    let server: Server;
    try {
        server = dynalite(options);
    } finally {
        dynaliteDb.create = create;
    }
    const listener = server.listeners("request")[0] as RequestListener | undefined;
    if (store === undefined || listener === undefined) throw new Error("dynalite: could not take its request listener and store");
    return { listener, store };
}

function closeStore(store: DynaliteStore): Promise<void> {
    return new Promise((resolve, reject) => {
        const done = (error?: Error) => (error ? reject(error) : resolve());
        if (store.lifecycleManager) store.lifecycleManager.gracefulClose(done);
        else store.db.close(done);
    });
}

/**
 * Starts dynalite storing its data in `dataDir` (in memory when undefined) and creates the
 * applications and authorizations tables if they do not exist yet.
 */
export async function startEmbeddedDynamoDb(dataDir: string | undefined, tablePrefix: string): Promise<EmbeddedDynamoDb> {
    if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
    const { listener, store } = createDynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    const endpoint = IN_PROCESS_DYNAMODB_ENDPOINT;
    const client = new DynamoDBClient({ ...LOCAL_AWS_CLIENT_CONFIG, endpoint, requestHandler: new InProcessHttpHandler(listener) });
    const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const applicationsTable = `${tablePrefix}-applications`;
    const authorizationsTable = `${tablePrefix}-authorizations`;
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
        closing ??= (async () => {
            client.destroy();
            await closeStore(store);
        })();
        return closing;
    };
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
