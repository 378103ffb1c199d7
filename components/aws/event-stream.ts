/**
 * `EventStream`: the Kinesis data stream between the API and Firehose in KINESIS_DATA_STREAMS
 * mode (and the source of real-time analytics). Encrypted with KMS, on-demand or provisioned.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NAME_LIMITS, physicalName } from "./names";
import type { ResourceAccess } from "../contracts/access";
import { stripUndefined } from "../contracts/common";
import type { StreamTierArgs, StreamTierOutputs } from "../contracts/stream";
import { awsAccess } from "./access";

/** The AWS part of the stream tier's arguments, beside the contract's. */
export interface AwsStreamWiring {
    /**
     * KMS key encrypting the stream; the AWS-managed `alias/aws/kinesis` when not given.
     * @default "alias/aws/kinesis"
     * @example arnOf(storage.dataKey)
     */
    kmsKeyId?: pulumi.Input<string>;
}

/**
 * The stream tier's arguments on AWS: the contract's (capacity in shards of 1 MB/s or 1,000
 * records/s of writes each; retention 24-8760 hours) and AWS's own part.
 */
export interface EventStreamArgs extends StreamTierArgs, AwsStreamWiring {}

const DEFAULTS = {
    provisioned: false,
    shardCount: 1,
    retentionHours: 24,
    kmsKeyId: "alias/aws/kinesis",
};

/** The pipeline's Kinesis data stream (the stream tier on AWS). */
export class EventStream extends pulumi.ComponentResource implements StreamTierOutputs {
    readonly kinesisStream: aws.kinesis.Stream;
    readonly streamName: pulumi.Output<string>;
    readonly streamArn: pulumi.Output<string>;
    /** The customer-managed key encrypting the stream, when one was given (writers and readers need it). */
    readonly customerKeyArn: pulumi.Input<string> | undefined;
    /** Access handle of the stream (its ARN, and the customer-managed key when one was given). */
    readonly stream: ResourceAccess;

    constructor(name: string, args: EventStreamArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:EventStream", name, {}, opts);
        const a = { ...DEFAULTS, ...stripUndefined(args) };
        this.customerKeyArn = args.kmsKeyId;

        this.kinesisStream = new aws.kinesis.Stream(`${name}-stream`, {
            name: physicalName(a.workloadName, "events", NAME_LIMITS.kinesisStream),
            streamModeDetails: { streamMode: a.provisioned ? "PROVISIONED" : "ON_DEMAND" },
            shardCount: a.provisioned ? a.shardCount : undefined,
            retentionPeriod: a.retentionHours,
            encryptionType: "KMS",
            kmsKeyId: a.kmsKeyId,
        }, { parent: this });

        this.streamName = this.kinesisStream.name;
        this.streamArn = this.kinesisStream.arn;
        this.stream = awsAccess(this.streamArn, this.customerKeyArn);
        this.registerOutputs({ streamName: this.streamName, streamArn: this.streamArn });
    }
}
