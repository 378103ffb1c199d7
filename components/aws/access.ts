/**
 * ResourceAccess handles of AWS resources: the opaque id is the ARN, the encryption key the
 * customer-managed KMS key's ARN. Only AWS tiers read these ids back (as policy resources).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceAccess } from "../contracts/access";

/**
 * The handle of an AWS resource.
 * @example awsAccess(table.arn) // { cloud: "aws", id: table.arn }
 */
export function awsAccess(arn: pulumi.Output<string>, encryptionKeyArn?: pulumi.Input<string>): ResourceAccess {
    return encryptionKeyArn === undefined ? { cloud: "aws", id: arn } : { cloud: "aws", id: arn, encryptionKey: encryptionKeyArn };
}

/**
 * The ARN behind a handle, refusing a handle of another cloud (tiers of two clouds never mix).
 * @example arnOf(storage.lake) // the bucket's ARN
 */
export function arnOf(access: ResourceAccess): pulumi.Output<string> {
    if (access.cloud !== "aws") {
        throw new Error(`an AWS tier was given a ${access.cloud} resource; tiers of one pipeline must all be of one cloud`);
    }
    return access.id;
}
