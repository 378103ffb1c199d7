/**
 * An in-process kinesalite (Kinesis) on 127.0.0.1 with an ephemeral port, a one-shard stream,
 * and a reader turning what GetRecords returns into the records Lambda hands to the function.
 */
import {
    CreateStreamCommand,
    DescribeStreamSummaryCommand,
    GetRecordsCommand,
    GetShardIteratorCommand,
    KinesisClient,
    ListShardsCommand,
} from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { AddressInfo, Server } from "node:net";
import type { StreamRecord } from "../../../functions/core/realtime-metrics";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesalite = require("kinesalite") as (options: Record<string, unknown>) => Server;

export interface KinesisStreamFixture {
    client: KinesisClient;
    streamName: string;
    /** Every record of the stream's shard from the start, as Lambda would deliver them. */
    readAll(): Promise<StreamRecord[]>;
    stop(): Promise<void>;
}

export async function startKinesisStream(streamName = "test-events"): Promise<KinesisStreamFixture> {
    const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 10 });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // kinesalite speaks HTTP/1.1; the Kinesis client would otherwise use HTTP/2.
    const client = new KinesisClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, requestHandler: new NodeHttpHandler() });
    await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
    for (let attempt = 0; ; attempt++) {
        const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
        if (summary.StreamDescriptionSummary?.StreamStatus === "ACTIVE") break;
        if (attempt > 100) throw new Error(`stream ${streamName} did not become ACTIVE`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const readAll = async (): Promise<StreamRecord[]> => {
        const shards = await client.send(new ListShardsCommand({ StreamName: streamName }));
        const out: StreamRecord[] = [];
        for (const shard of shards.Shards ?? []) {
            let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" }))).ShardIterator;
            while (iterator) {
                const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
                for (const record of page.Records ?? []) {
                    out.push({
                        sequenceNumber: record.SequenceNumber!,
                        text: Buffer.from(record.Data!).toString("utf8"),
                        approximateArrivalTimestamp: record.ApproximateArrivalTimestamp!.getTime() / 1000,
                    });
                }
                if ((page.Records ?? []).length === 0) break;
                iterator = page.NextShardIterator;
            }
        }
        return out;
    };

    return {
        client,
        streamName,
        readAll,
        stop: async () => {
            client.destroy();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}
