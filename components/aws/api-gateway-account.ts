/**
 * `ApiGatewayAccountLogging`: the account-wide setting API Gateway needs before any stage of the
 * account and region can log to CloudWatch. Without it, a stage with access logs or execution
 * logging fails with "CloudWatch Logs role ARN must be set in account settings to enable logging"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html, "Permissions
 * for CloudWatch logging"). It is one role per account and region (AWS::ApiGateway::Account:
 * "you should only have one ... per region per account"), so it is ACCOUNT-WIDE: every API of the
 * region logs through it. The role and the setting are retained when the stack is destroyed, so
 * other APIs of the account keep logging.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext } from "./aws-context";
import { assumeRolePolicy, policyDocument } from "./iam";
import { NAME_LIMITS, physicalName } from "./names";

export interface ApiGatewayAccountLoggingArgs {
    /**
     * Prefix of the role's name.
     * @example "game-analytics"
     */
    workloadName: string;
}

/** Actions API Gateway's CloudWatch role needs to create and write log groups of any API of the account. */
export const API_GATEWAY_LOG_ACTIONS = [
    "logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents",
];

/** The API Gateway CloudWatch role of the account and region, and the account setting naming it. */
export class ApiGatewayAccountLogging extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly account: aws.apigateway.Account;

    constructor(name: string, args: ApiGatewayAccountLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:ApiGatewayAccountLogging", name, {}, opts);
        const { accountId, region, partition } = awsContext(this);
        // Account-wide: kept on destroy (other APIs of the account may log through it).
        const keep = { parent: this, retainOnDelete: true };
        this.role = new aws.iam.Role(`${name}-role`, {
            name: physicalName(args.workloadName, "apigw-logs", NAME_LIMITS.iamRole),
            description: "API Gateway's CloudWatch Logs role of this account and region (account-wide)",
            assumeRolePolicy: assumeRolePolicy("apigateway.amazonaws.com"),
        }, keep);
        const policy = new aws.iam.RolePolicy(`${name}-policy`, {
            role: this.role.name,
            name: "push-to-cloudwatch-logs",
            policy: policyDocument([{
                Sid: "WriteApiLogsOfThisAccount",
                Effect: "Allow",
                Action: API_GATEWAY_LOG_ACTIONS,
                Resource: [pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:*`],
            }]),
        }, keep);
        this.account = new aws.apigateway.Account(`${name}-account`, {
            cloudwatchRoleArn: this.role.arn,
        }, { ...keep, dependsOn: [policy] });
        this.registerOutputs({ roleArn: this.role.arn });
    }
}
