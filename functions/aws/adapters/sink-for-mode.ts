/**
 * The sink of the configured ingest mode, for the events and put-record functions. The SDK
 * client and adapter of that mode only are required, here, at first use: a deployment uses one
 * of the two, and requiring the other client would add its load time to every cold start
 * (bench/bundles). esbuild keeps these `require`s lazy in the bundle (the adapters are wrapped,
 * the SDK is external).
 */
import type { EventSink } from "../../core/ports";
import { DELIVERY_STREAM_NAME, FIREHOSE_PACK_EVENTS, INGEST_MODE, KINESIS_PACK_EVENTS, STREAM_NAME } from "../../core/environment-names";
import { requiredEnv } from "../../core/environment-reading";

/** @throws Error naming the variable when the environment does not name a sink */
export function sinkForMode(env: NodeJS.ProcessEnv = process.env): EventSink {
    const mode = requiredEnv(INGEST_MODE, env);
    if (mode === "DIRECT_BATCH") {
        const deliveryStreamName = requiredEnv(DELIVERY_STREAM_NAME, env);
        const { FirehoseClient } = require("@aws-sdk/client-firehose") as typeof import("@aws-sdk/client-firehose");
        const { FirehoseEventSink } = require("./firehose-sink") as typeof import("./firehose-sink");
        return new FirehoseEventSink(new FirehoseClient({}), deliveryStreamName, packFlag(FIREHOSE_PACK_EVENTS, env));
    }
    if (mode === "KINESIS_DATA_STREAMS") {
        const streamName = requiredEnv(STREAM_NAME, env);
        const { KinesisClient } = require("@aws-sdk/client-kinesis") as typeof import("@aws-sdk/client-kinesis");
        const { KinesisEventSink } = require("./kinesis-sink") as typeof import("./kinesis-sink");
        return new KinesisEventSink(new KinesisClient({}), streamName, packFlag(KINESIS_PACK_EVENTS, env));
    }
    throw new Error(`environment variable ${INGEST_MODE} must be DIRECT_BATCH or KINESIS_DATA_STREAMS (got ${mode})`);
}

/** A packing flag: unset, "" or "true" packs; "false" puts one event per record (ICEBERG); anything else is a deployment error. */
function packFlag(name: string, env: NodeJS.ProcessEnv): boolean {
    const pack = env[name];
    if (pack !== undefined && pack !== "" && pack !== "true" && pack !== "false") {
        throw new Error(`environment variable ${name} must be true or false (got ${pack})`);
    }
    return pack !== "false";
}
