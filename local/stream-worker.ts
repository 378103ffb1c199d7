/**
 * The stream thread (a worker thread started by stream-thread.ts): runs the embedded Kinesis
 * (kinesalite), puts records into it through the same KinesisEventSink as in AWS, and reads them
 * back with the StreamReader, handing each batch to the main thread and waiting until the main
 * thread took it (a slow consumer slows the reader, as in one thread). Every per-byte cost of the
 * stream (the SDK's base64 and JSON both ways, kinesalite's parsing, validation and storage) is
 * spent here instead of on the main thread that answers the API.
 *
 * Once the main thread took a batch, its records are dropped from kinesalite's store (the reader
 * never reads behind its iterator, and the spool keeps what is not yet in the lake); every
 * `retentionSweepMs`, the records older than the retention are dropped too, read or not. So the
 * stream holds only what is not yet read, never more than the retention.
 */
import { parentPort, workerData } from "node:worker_threads";
import { KinesisEventSink } from "../functions/aws/adapters/kinesis-sink";
import { startEmbeddedKinesis, StreamReader, type EmbeddedKinesis, type StreamRecord } from "./embedded-kinesis";
import { packBytes, unpackBytes, type FromStreamThread, type StreamThreadSettings, type ToStreamThread } from "./stream-messages";

const port = parentPort;
if (!port) throw new Error("stream-worker.ts runs as a worker thread (see stream-thread.ts)");
const settings = workerData as StreamThreadSettings;
const post = (message: FromStreamThread, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
const log = (message: string): void => post({ type: "log", message });

async function main(mainPort: NonNullable<typeof parentPort>): Promise<void> {
    let kinesis: EmbeddedKinesis;
    try {
        kinesis = await startEmbeddedKinesis(settings.streamName, settings.shardCount, { retentionHours: settings.retentionHours });
    } catch (error) {
        post({ type: "failed", message: (error as Error).message });
        mainPort.close();
        return;
    }
    const sink = new KinesisEventSink(kinesis.client, kinesis.streamName);
    let reader: StreamReader | undefined;
    const taken = new Map<number, () => void>();
    let nextBatch = 0;
    const sweep = setInterval(() => {
        kinesis.trimExpired().catch((error: Error) => log(`embedded Kinesis: dropping the records past the retention: ${error.message}`));
    }, settings.retentionSweepMs ?? 60_000);
    sweep.unref();

    /** Hands a batch to the main thread; resolves once the main thread's consumer took it. */
    const handOn = (records: StreamRecord[], shardId: string): Promise<void> => new Promise<void>((resolve) => {
        const batch = nextBatch++;
        taken.set(batch, resolve);
        const packed = packBytes(records.map((r) => r.data));
        post({
            type: "batch", batch, shardId, records: packed,
            partitionKeys: records.map((r) => r.partitionKey),
            sequenceNumbers: records.map((r) => r.sequenceNumber),
            arrivals: records.map((r) => r.arrival),
        }, [packed.bytes]);
    }).then(() => kinesis.trim(shardId, records.map((r) => r.sequenceNumber)).catch((error: Error) => {
        // Never thrown to the reader: it would read the batch again.
        log(`embedded Kinesis: dropping the records taken from ${shardId}: ${error.message}`);
    }));

    const handle = async (message: ToStreamThread): Promise<void> => {
        switch (message.type) {
            case "batch-taken":
                taken.get(message.batch)?.();
                taken.delete(message.batch);
                return;
            case "put": {
                const data = unpackBytes(message.records);
                try {
                    const results = await sink.putRecords(data.map((d, i) => ({ data: d, partitionKey: message.partitionKeys[i] })));
                    post({ type: "done", id: message.id, results });
                } catch (error) {
                    post({ type: "done", id: message.id, error: (error as Error).message });
                }
                return;
            }
            case "start-reading":
                reader = new StreamReader(kinesis.client, kinesis.streamName, handOn, message.idleMs, log, message.pollMs);
                await reader.start();
                post({ type: "done", id: message.id });
                return;
            case "stop-reading":
                await reader?.stop();
                post({ type: "done", id: message.id });
                return;
            case "stored-records":
                post({ type: "done", id: message.id, count: await kinesis.storedRecords() });
                return;
            case "close":
                clearInterval(sweep);
                await reader?.stop();
                await kinesis.close();
                post({ type: "done", id: message.id });
                mainPort.close();
                return;
        }
    };
    mainPort.on("message", (message: ToStreamThread) => {
        handle(message).catch((error: Error) => {
            if ("id" in message) post({ type: "done", id: message.id, error: error.message });
            else log(`stream thread: ${error.message}`);
        });
    });
    post({ type: "ready" });
}

void main(port);
