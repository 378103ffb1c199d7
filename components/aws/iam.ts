/**
 * IAM policy documents as plain data: statements are built in code, serialized once with
 * `pulumi.jsonStringify`, and asserted on by tests. Actions are always spelled out (no wildcards).
 */
import * as pulumi from "@pulumi/pulumi";

/** One statement of an identity or resource policy. */
export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: pulumi.Input<string>[];
    Principal?: Record<string, pulumi.Input<string> | pulumi.Input<string>[]> | "*";
    Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;
}

/** A policy document, serialized to JSON once all inputs are known. */
export function policyDocument(statements: PolicyStatement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * The condition a service documents for assuming a role on this account's behalf: each service
 * supports its own (Firehose `sts:ExternalId` = the account id; others `aws:SourceAccount`), and a
 * role whose condition the service does not send cannot be assumed.
 */
export type TrustCondition = { externalId: pulumi.Input<string> } | { sourceAccount: pulumi.Input<string> };

/** Trust policy letting one AWS service assume a role, optionally with the condition it documents. */
export function assumeRolePolicy(servicePrincipal: string, condition?: TrustCondition): pulumi.Output<string> {
    const conditionBlock = condition === undefined ? {}
        : "externalId" in condition ? { Condition: { StringEquals: { "sts:ExternalId": condition.externalId } } }
            : { Condition: { StringEquals: { "aws:SourceAccount": condition.sourceAccount } } };
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Service: servicePrincipal },
            Action: "sts:AssumeRole",
            ...conditionBlock,
        }],
    });
}

/** Actions a principal needs to read and write objects encrypted with a KMS key. */
export const KMS_DATA_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];

/**
 * Key policy of a customer-managed key: the account root keeps administration (the statement AWS
 * writes in every default key policy, which lets IAM policies grant use of the key), plus the
 * given service statements.
 */
export function keyPolicy(accountId: pulumi.Input<string>, partition: pulumi.Input<string>, serviceStatements: PolicyStatement[]): pulumi.Output<string> {
    return policyDocument([
        {
            Sid: "AccountAdministersTheKeyThroughIam",
            Effect: "Allow",
            Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
            Action: ["kms:*"],
            Resource: ["*"],
        },
        ...serviceStatements,
    ]);
}

/**
 * Key-policy statement letting CloudWatch Logs of this account and region encrypt the log groups
 * whose names match `logGroupNamePattern` (a `*` wildcard pattern), through the encryption context
 * CloudWatch Logs passes (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 * @example cloudWatchLogsKeyStatement(ctx, "CloudWatchLogsEncryptsTheAuditLogGroups", "/aws/redshift/serverless/*")
 */
export function cloudWatchLogsKeyStatement(ctx: { accountId: pulumi.Input<string>; partition: pulumi.Input<string>; region: pulumi.Input<string> },
    sid: string, logGroupNamePattern: pulumi.Input<string>): PolicyStatement {
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: pulumi.interpolate`logs.${ctx.region}.amazonaws.com` },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:DescribeKey"],
        Resource: ["*"],
        Condition: {
            ArnLike: { "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${logGroupNamePattern}` },
        },
    };
}
