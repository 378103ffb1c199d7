/**
 * Contract outputs of AWS tiers built from plain names and ARNs, for tests that build one tier
 * alone and hand it what another tier would.
 */
import * as pulumi from "@pulumi/pulumi";
import { awsAccess } from "../../components/aws/access";
import type { StreamTierOutputs } from "../../components/contracts/stream";

/**
 * The outputs of a Kinesis stream tier.
 * @example awsStreamOutputs("game-events", "arn:aws:kinesis:us-east-1:111122223333:stream/game-events")
 */
export function awsStreamOutputs(streamName: string, streamArn: string, customerKeyArn?: string): StreamTierOutputs {
    return { streamName: pulumi.output(streamName), stream: awsAccess(pulumi.output(streamArn), customerKeyArn) };
}
