/**
 * Lambda event source mappings reading a Kinesis stream (the real-time metrics function, the
 * REDSHIFT stack's stream archiver). What AWS documents for them
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html):
 *
 * - ranges: BatchSize 1-10,000; MaximumBatchingWindowInSeconds 0-300; MaximumRetryAttempts -1
 *   (infinite) to 10,000; MaximumRecordAgeInSeconds -1 (infinite) or 60-604,800;
 *   ParallelizationFactor 1-10; TumblingWindowInSeconds 0-900;
 * - StartingPosition is required for Kinesis (TRIM_HORIZON, LATEST or AT_TIMESTAMP, the last with
 *   StartingPositionTimestamp);
 * - the defaults retry a failing batch until its records expire (-1, -1) and never bisect: "a bad
 *   record can block processing on the affected shard for up to one week", and the expired records
 *   are lost without a trace, so retries and bisection are decided explicitly;
 * - an on-failure destination receives a batch only when Lambda discards it (retries exhausted or
 *   record age exceeded): with both infinite it never does, and with a record age at or above the
 *   stream's retention the stream expires the records first.
 */
import { label, ofType, refersTo } from "./relations";
import { ResourceFacts, ResourceRule, StackRule, TYPES, Violation } from "./types";

const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";

/** Whether a mapping reads a Kinesis stream (or a stream consumer). */
function readsKinesis(props: Record<string, any>): boolean {
    return typeof props.eventSourceArn === "string" && /^arn:[^:]+:kinesis:/.test(props.eventSourceArn);
}

function outOfRange(value: unknown, min: number, max: number, also: number[] = []): boolean {
    return value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || (!also.includes(value) && (value < min || value > max)));
}

export const lambdaKinesisMappingRanges: ResourceRule = {
    name: "lambda-kinesis-mapping-ranges",
    description: "A Kinesis event source mapping's batch size, batching window, retries, record age, parallelization and tumbling window are within Lambda's documented ranges.",
    types: [MAPPING],
    check: ({ props }) => {
        if (!readsKinesis(props)) return [];
        const problems: string[] = [];
        if (outOfRange(props.batchSize, 1, 10_000)) problems.push(`batchSize ${props.batchSize}: Kinesis allows 1-10,000`);
        if (outOfRange(props.maximumBatchingWindowInSeconds, 0, 300)) problems.push(`maximumBatchingWindowInSeconds ${props.maximumBatchingWindowInSeconds}: Lambda allows 0-300`);
        if (outOfRange(props.maximumRetryAttempts, 0, 10_000, [-1])) problems.push(`maximumRetryAttempts ${props.maximumRetryAttempts}: Lambda allows -1 (infinite) or 0-10,000`);
        if (outOfRange(props.maximumRecordAgeInSeconds, 60, 604_800, [-1])) problems.push(`maximumRecordAgeInSeconds ${props.maximumRecordAgeInSeconds}: Lambda allows -1 (infinite) or 60-604,800`);
        if (outOfRange(props.parallelizationFactor, 1, 10)) problems.push(`parallelizationFactor ${props.parallelizationFactor}: Lambda allows 1-10`);
        if (outOfRange(props.tumblingWindowInSeconds, 0, 900)) problems.push(`tumblingWindowInSeconds ${props.tumblingWindowInSeconds}: Lambda allows 0-900`);
        return problems;
    },
};

export const lambdaKinesisMappingStartingPosition: ResourceRule = {
    name: "lambda-kinesis-mapping-starting-position",
    description: "A Kinesis event source mapping names its starting position (required): TRIM_HORIZON, LATEST, or AT_TIMESTAMP with a timestamp.",
    types: [MAPPING],
    check: ({ props }) => {
        if (!readsKinesis(props)) return [];
        const position = props.startingPosition;
        if (!["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"].includes(position)) {
            return [`startingPosition ${JSON.stringify(position)}: a Kinesis mapping requires TRIM_HORIZON, LATEST or AT_TIMESTAMP`];
        }
        const timestamp = props.startingPositionTimestamp;
        if (position === "AT_TIMESTAMP" && (timestamp === undefined || timestamp === "")) return ["startingPosition AT_TIMESTAMP without startingPositionTimestamp"];
        if (position !== "AT_TIMESTAMP" && timestamp !== undefined) return [`startingPositionTimestamp is only valid with AT_TIMESTAMP, not ${position}`];
        return [];
    },
};

export const lambdaKinesisMappingRetriesExplicit: ResourceRule = {
    name: "lambda-kinesis-mapping-retries-explicit",
    description: "A Kinesis event source mapping sets maximumRetryAttempts and bisectBatchOnFunctionError explicitly (the defaults retry until the records expire, losing them silently); one with an on-failure destination also sets maximumRecordAgeInSeconds, and not both infinite (its destination would never receive anything).",
    types: [MAPPING],
    check: ({ props }) => {
        if (!readsKinesis(props)) return [];
        const problems: string[] = [];
        if (props.maximumRetryAttempts === undefined) problems.push("maximumRetryAttempts unset: the default -1 retries a failing batch until its records expire (lost, up to a week of a blocked shard)");
        if (props.bisectBatchOnFunctionError === undefined) problems.push("bisectBatchOnFunctionError unset: decide whether a failed batch may be split (false by default)");
        const destination = props.destinationConfig?.onFailure?.destinationArn;
        if (destination !== undefined && destination !== "") {
            if (props.maximumRecordAgeInSeconds === undefined) problems.push("an on-failure destination without maximumRecordAgeInSeconds: records older than the stream's retention expire instead of being discarded to it");
            else if (props.maximumRecordAgeInSeconds === -1 && (props.maximumRetryAttempts ?? -1) === -1) {
                problems.push("an on-failure destination with infinite retries and record age: Lambda never discards a batch, so the destination never receives one");
            }
        }
        return problems;
    },
};

/** Identifying values of a Kinesis stream: its ID, ARN, and the ARN its name gives. */
function streamMatches(mapping: ResourceFacts, stream: ResourceFacts): boolean {
    if (refersTo(mapping, "eventSourceArn", stream, [stream.id, stream.props.arn])) return true;
    const arn = mapping.props.eventSourceArn;
    return typeof arn === "string" && typeof stream.props.name === "string" && arn.endsWith(`:stream/${stream.props.name}`);
}

export const lambdaKinesisMappingDiscardsBeforeExpiry: StackRule = {
    name: "lambda-kinesis-mapping-discards-before-expiry",
    description: "A Kinesis event source mapping with an on-failure destination discards a failing batch (maximumRecordAgeInSeconds) before the stream's retention expires its records.",
    check: (resources) => {
        const violations: Violation[] = [];
        const streams = ofType(resources, TYPES.kinesisStream);
        for (const mapping of ofType(resources, MAPPING)) {
            const p = mapping.props;
            if (!readsKinesis(p) || p.destinationConfig?.onFailure?.destinationArn === undefined) continue;
            const stream = streams.find((s) => streamMatches(mapping, s));
            if (stream === undefined) continue;
            const retentionSeconds = (typeof stream.props.retentionPeriod === "number" ? stream.props.retentionPeriod : 24) * 3600;
            const age = p.maximumRecordAgeInSeconds;
            // Unset: lambda-kinesis-mapping-retries-explicit reports it.
            if (age === undefined) continue;
            if (typeof age !== "number" || age === -1 || age >= retentionSeconds) {
                violations.push({
                    urn: mapping.urn,
                    message: `${label(mapping)}: maximumRecordAgeInSeconds ${age} is not below the stream's retention (${retentionSeconds} s): a failing batch expires from the stream before Lambda discards it to the on-failure destination`,
                });
            }
        }
        return violations;
    },
};

export const STREAM_CONSUMER_RESOURCE_RULES: readonly ResourceRule[] = [lambdaKinesisMappingRanges, lambdaKinesisMappingStartingPosition, lambdaKinesisMappingRetriesExplicit];
export const STREAM_CONSUMER_STACK_RULES: readonly StackRule[] = [lambdaKinesisMappingDiscardsBeforeExpiry];
