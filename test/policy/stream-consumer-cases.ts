/**
 * Compliant facts and breaking changes of the rules in policy/rules/stream-consumers.ts (Kinesis
 * event source mappings). Shared by stream-consumer-rules.test.ts and the pack's coverage check (rules.test.ts).
 */
import { ResourceFacts } from "../../policy/rules/types";

const STREAM_ARN = "arn:aws:kinesis:us-east-1:111122223333:stream/game1-events";

/** A stream with 24 h retention, the archiver's mapping (with an S3 on-failure destination) and the real-time one (without). */
export function compliantConsumers(): ResourceFacts[] {
    return [
        { type: "aws:kinesis/stream:Stream", name: "events", urn: "urn:events", props: { name: "game1-events", retentionPeriod: 24 } },
        {
            type: "aws:lambda/eventSourceMapping:EventSourceMapping", name: "archiver-mapping", urn: "urn:archiver-mapping",
            props: {
                eventSourceArn: STREAM_ARN, functionName: "arn:aws:lambda:us-east-1:111122223333:function:game1-stream-archiver",
                startingPosition: "TRIM_HORIZON", batchSize: 10_000, maximumBatchingWindowInSeconds: 300, parallelizationFactor: 1,
                bisectBatchOnFunctionError: false, maximumRetryAttempts: 10_000, maximumRecordAgeInSeconds: 82_800,
                destinationConfig: { onFailure: { destinationArn: "arn:aws:s3:::game1-lake-0001" } },
            },
        },
        {
            type: "aws:lambda/eventSourceMapping:EventSourceMapping", name: "realtime-mapping", urn: "urn:realtime-mapping",
            props: {
                eventSourceArn: STREAM_ARN, functionName: "f", startingPosition: "LATEST", batchSize: 1000, maximumBatchingWindowInSeconds: 1,
                tumblingWindowInSeconds: 900, parallelizationFactor: 1, bisectBatchOnFunctionError: true, maximumRetryAttempts: 2, functionResponseTypes: ["ReportBatchItemFailures"],
            },
        },
    ];
}

const named = (stack: ResourceFacts[], name: string): ResourceFacts => stack.find((r) => r.name === name)!;
const archiver = (s: ResourceFacts[]) => named(s, "archiver-mapping").props;

export const STREAM_CONSUMER_CASES: { rule: string; breaks: string; message: RegExp; mutate(s: ResourceFacts[]): void }[] = [
    { rule: "lambda-kinesis-mapping-ranges", breaks: "a batch size of 20,000", message: /batchSize 20000: Kinesis allows 1-10,000/, mutate: (s) => { archiver(s).batchSize = 20_000; } },
    { rule: "lambda-kinesis-mapping-ranges", breaks: "a batching window of 600 s", message: /maximumBatchingWindowInSeconds 600: Lambda allows 0-300/, mutate: (s) => { archiver(s).maximumBatchingWindowInSeconds = 600; } },
    { rule: "lambda-kinesis-mapping-ranges", breaks: "a record age of 30 s", message: /maximumRecordAgeInSeconds 30: Lambda allows -1 \(infinite\) or 60-604,800/, mutate: (s) => { archiver(s).maximumRecordAgeInSeconds = 30; } },
    { rule: "lambda-kinesis-mapping-ranges", breaks: "20,000 retries", message: /maximumRetryAttempts 20000/, mutate: (s) => { archiver(s).maximumRetryAttempts = 20_000; } },
    { rule: "lambda-kinesis-mapping-ranges", breaks: "a parallelization factor of 11", message: /parallelizationFactor 11: Lambda allows 1-10/, mutate: (s) => { archiver(s).parallelizationFactor = 11; } },
    { rule: "lambda-kinesis-mapping-ranges", breaks: "a tumbling window of 1,000 s", message: /tumblingWindowInSeconds 1000: Lambda allows 0-900/, mutate: (s) => { named(s, "realtime-mapping").props.tumblingWindowInSeconds = 1000; } },
    { rule: "lambda-kinesis-mapping-starting-position", breaks: "no starting position", message: /startingPosition undefined: a Kinesis mapping requires/, mutate: (s) => { delete archiver(s).startingPosition; } },
    { rule: "lambda-kinesis-mapping-starting-position", breaks: "AT_TIMESTAMP without a timestamp", message: /AT_TIMESTAMP without startingPositionTimestamp/, mutate: (s) => { archiver(s).startingPosition = "AT_TIMESTAMP"; } },
    { rule: "lambda-kinesis-mapping-starting-position", breaks: "a timestamp with TRIM_HORIZON", message: /only valid with AT_TIMESTAMP, not TRIM_HORIZON/, mutate: (s) => { archiver(s).startingPositionTimestamp = "2026-01-01T00:00:00Z"; } },
    { rule: "lambda-kinesis-mapping-retries-explicit", breaks: "retries left to the default (until expiry)", message: /maximumRetryAttempts unset/, mutate: (s) => { delete archiver(s).maximumRetryAttempts; } },
    { rule: "lambda-kinesis-mapping-retries-explicit", breaks: "bisection left to the default", message: /bisectBatchOnFunctionError unset/, mutate: (s) => { delete named(s, "realtime-mapping").props.bisectBatchOnFunctionError; } },
    { rule: "lambda-kinesis-mapping-retries-explicit", breaks: "a destination without a record age", message: /on-failure destination without maximumRecordAgeInSeconds/, mutate: (s) => { delete archiver(s).maximumRecordAgeInSeconds; } },
    { rule: "lambda-kinesis-mapping-retries-explicit", breaks: "a destination that can never receive (infinite retries and age)", message: /never discards a batch/, mutate: (s) => { archiver(s).maximumRecordAgeInSeconds = -1; archiver(s).maximumRetryAttempts = -1; } },
    { rule: "lambda-kinesis-mapping-discards-before-expiry", breaks: "a record age equal to the stream's 24 h retention", message: /86400 is not below the stream's retention \(86400 s\)/, mutate: (s) => { archiver(s).maximumRecordAgeInSeconds = 86_400; } },
    { rule: "lambda-kinesis-mapping-discards-before-expiry", breaks: "a 7-day record age on a 48 h stream", message: /604800 is not below the stream's retention \(172800 s\)/, mutate: (s) => { archiver(s).maximumRecordAgeInSeconds = 604_800; named(s, "events").props.retentionPeriod = 48; } },
];
