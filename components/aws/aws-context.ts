/** The account, region and partition the stack deploys to, looked up once per component. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AwsContext {
    accountId: pulumi.Output<string>;
    region: pulumi.Output<string>;
    /** "aws", "aws-cn" or "aws-us-gov". */
    partition: pulumi.Output<string>;
}

/** Looks up the deployment's account, region and partition on behalf of `parent`. */
export function awsContext(parent: pulumi.Resource): AwsContext {
    const opts = { parent };
    return {
        accountId: aws.getCallerIdentityOutput({}, opts).accountId,
        region: aws.getRegionOutput({}, opts).region,
        partition: aws.getPartitionOutput({}, opts).partition,
    };
}
