/**
 * `StreamingIngestionRole`: the IAM role the Redshift Serverless namespace assumes to read the
 * pipeline's Kinesis stream (`CREATE EXTERNAL SCHEMA ... FROM KINESIS IAM_ROLE ...`). It reads
 * that one stream and nothing else, and decrypts with the stream's key only.
 *
 * The actions are those AWS documents for streaming ingestion from Kinesis Data Streams, narrowed
 * to the one stream: `ListStreams` (an account-wide action the documentation grants on `*`) is left
 * out, since the external schema names the stream and never lists streams.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, PolicyStatement } from "../iam";
import { NAME_LIMITS, physicalName } from "../names";

/** Kinesis actions streaming ingestion needs on the stream. */
export const STREAMING_KINESIS_ACTIONS = [
    "kinesis:DescribeStreamSummary",
    "kinesis:GetShardIterator",
    "kinesis:GetRecords",
    "kinesis:ListShards",
    "kinesis:DescribeStream",
];

/** Services that assume a Redshift Serverless namespace's roles. */
export const REDSHIFT_SERVICE_PRINCIPALS = ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"];

export interface StreamingIngestionRoleArgs {
    /**
     * Prefix of every physical name.
     * @example "game-analytics"
     */
    workloadName: string;
    /**
     * ARN of the Kinesis stream to read.
     * @example stream.streamArn
     */
    streamArn: pulumi.Input<string>;
    /**
     * Customer-managed KMS key encrypting the stream (kms:Decrypt is granted on it only). Leave
     * unset for a stream encrypted with the AWS-managed `alias/aws/kinesis` key, whose policy
     * already lets principals of the account decrypt through Kinesis.
     * @default undefined
     * @example storage.keyArn
     */
    streamKeyArn?: pulumi.Input<string>;
}

/** The identity policy's statements: read one stream, decrypt with its key. */
export function streamingPolicyStatements(streamArn: pulumi.Input<string>, streamKeyArn?: pulumi.Input<string>): PolicyStatement[] {
    const statements: PolicyStatement[] = [
        { Sid: "ReadTheEventStream", Effect: "Allow", Action: STREAMING_KINESIS_ACTIONS, Resource: [streamArn] },
    ];
    if (streamKeyArn !== undefined) {
        statements.push({ Sid: "DecryptTheEventStream", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [streamKeyArn] });
    }
    return statements;
}

/** Role and policy for Redshift streaming ingestion from one Kinesis stream. */
export class StreamingIngestionRole extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly policy: aws.iam.RolePolicy;
    readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: StreamingIngestionRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:StreamingIngestionRole", name, {}, opts);
        this.role = new aws.iam.Role(`${name}-role`, {
            name: physicalName(args.workloadName, "redshift-streaming", NAME_LIMITS.iamRole),
            description: "Redshift Serverless reads the pipeline's Kinesis stream (streaming ingestion)",
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: REDSHIFT_SERVICE_PRINCIPALS }, Action: "sts:AssumeRole" }],
            }),
        }, { parent: this });
        this.policy = new aws.iam.RolePolicy(`${name}-policy`, {
            role: this.role.name,
            policy: policyDocument(streamingPolicyStatements(args.streamArn, args.streamKeyArn)),
        }, { parent: this });
        this.roleArn = this.role.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
