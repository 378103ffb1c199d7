/**
 * In-process dynalite (DynamoDB) and kinesalite (Kinesis) servers on 127.0.0.1, ephemeral ports,
 * with AWS SDK clients pointed at them.
 */
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { AddressInfo, Server } from "node:net";
import { createTableInputs } from "../../../functions/aws/adapters/dynamodb-tables";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (options: Record<string, unknown>) => Server;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesalite = require("kinesalite") as (options: Record<string, unknown>) => Server;

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

async function listen(server: Server): Promise<string> {
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
    return new Promise((resolve) => server.close(() => resolve()));
}

/** A dynalite server with both tables created. */
export interface DynamoFixture {
    client: DynamoDBClient;
    doc: DynamoDBDocumentClient;
    appsTable: string;
    keysTable: string;
    stop(): Promise<void>;
}

/** Starts dynalite and creates the applications and authorizations tables. */
export async function startDynamo(): Promise<DynamoFixture> {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    const endpoint = await listen(server);
    const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials });
    const appsTable = "test-applications";
    const keysTable = "test-authorizations";
    for (const input of createTableInputs(appsTable, keysTable)) await client.send(new CreateTableCommand(input));
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    return {
        client,
        doc,
        appsTable,
        keysTable,
        stop: async () => {
            client.destroy();
            await close(server);
        },
    };
}

/** A kinesalite server. */
export interface KinesisFixture {
    client: KinesisClient;
    stop(): Promise<void>;
}

export async function startKinesis(): Promise<KinesisFixture> {
    const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
    const endpoint = await listen(server);
    // kinesalite speaks HTTP/1.1; the Kinesis client defaults to HTTP/2.
    const client = new KinesisClient({ endpoint, region: "us-east-1", credentials, requestHandler: new NodeHttpHandler() });
    return {
        client,
        stop: async () => {
            client.destroy();
            await close(server);
        },
    };
}
