/**
 * `LambdaFunction`: one Lambda with everything every function of the pipeline must have — its own
 * role with a least-privilege inline policy, a log group with retention created before the
 * function (so Lambda never creates a never-expiring one), JSON logs, arm64 and Node.js 22.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleFunction } from "./bundle";
import { assumeRolePolicy, policyDocument, PolicyStatement } from "./iam";
import { NAME_LIMITS } from "./names";

export interface LambdaFunctionArgs {
    /**
     * Handler entry file, relative to the repository root; it must export `handler`.
     * @example "functions/aws/handlers/events.ts"
     */
    entry: string;
    /**
     * Physical function name (also names the role and the log group `/aws/lambda/<name>`).
     * @example "game-analytics-events"
     */
    functionName: string;
    /**
     * What the function does, shown in the console.
     * @default ""
     * @example "Validates game events and writes them to the stream"
     */
    description?: pulumi.Input<string>;
    /**
     * Environment variables.
     * @default {}
     * @example { [APPLICATIONS_TABLE]: table.name }
     */
    environment?: Record<string, pulumi.Input<string>>;
    /**
     * Permissions of the function beyond writing its own logs (and X-Ray when tracing).
     * Actions must be spelled out; tests reject wildcards.
     * @default []
     * @example [{ Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: [table.arn] }]
     */
    statements?: PolicyStatement[];
    /**
     * Memory in MB.
     * @default 256
     * @example 512
     */
    memorySize?: number;
    /**
     * Timeout in seconds.
     * @default 30
     * @example 60
     */
    timeout?: number;
    /**
     * Retention of the function's log group, in days.
     * @default 30
     * @example 90
     */
    logRetentionDays?: number;
    /**
     * Log level of the function's code. Lambda's own application log filter is set to this level
     * only up to INFO (see {@link lambdaApplicationLogLevel}): above it, Lambda would drop the
     * metrics' EMF lines; the handlers' Powertools logger applies WARN/ERROR itself
     * (POWERTOOLS_LOG_LEVEL).
     * @default "INFO"
     * @example "DEBUG"
     */
    logLevel?: "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL";
    /**
     * Active X-Ray tracing.
     * @default false
     * @example true
     */
    tracing?: boolean;
    /**
     * Runs the function in these subnets with these security groups (its role then gets the
     * AWS-managed AWSLambdaVPCAccessExecutionRole, which manages the network interfaces).
     * @default undefined (outside any VPC)
     * @example { subnetIds: vpc.isolatedSubnetIds, securityGroupIds: [sg.id] }
     */
    vpcConfig?: { subnetIds: pulumi.Input<pulumi.Input<string>[]>; securityGroupIds: pulumi.Input<pulumi.Input<string>[]> };
}

/** AWS-managed policy a function in a VPC needs for its network interfaces (ec2:*NetworkInterface*, no resource-level permissions). */
export const LAMBDA_VPC_ACCESS_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";

const DEFAULTS = {
    description: "",
    environment: {},
    statements: [],
    memorySize: 256,
    timeout: 30,
    logRetentionDays: 30,
    logLevel: "INFO",
    tracing: false,
} satisfies Partial<LambdaFunctionArgs>;

/** A Lambda function with its role, inline policy and log group. */
export class LambdaFunction extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly function: aws.lambda.Function;
    /** Physical name of the function. */
    readonly functionName: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    readonly invokeArn: pulumi.Output<string>;
    /** The deployed code: an archive holding the bundled `index.js`. */
    readonly code: pulumi.asset.AssetArchive;

    constructor(name: string, args: LambdaFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:LambdaFunction", name, {}, opts);
        const a = { ...DEFAULTS, ...args };
        if (a.functionName.length > NAME_LIMITS.lambdaFunction) {
            throw new Error(`Lambda function name "${a.functionName}" is longer than ${NAME_LIMITS.lambdaFunction} characters`);
        }

        this.logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            name: `/aws/lambda/${a.functionName}`,
            retentionInDays: a.logRetentionDays,
        }, { parent: this });

        this.role = new aws.iam.Role(`${name}-role`, {
            name: a.functionName,
            description: `Execution role of the ${a.functionName} Lambda function`,
            assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com"),
        }, { parent: this });

        const policy = new aws.iam.RolePolicy(`${name}-policy`, {
            role: this.role.name,
            name: "least-privilege",
            policy: policyDocument([...logStatements(this.logGroup), ...(a.tracing ? [XRAY_STATEMENT] : []), ...a.statements]),
        }, { parent: this });

        const vpcAccess = a.vpcConfig === undefined ? [] : [new aws.iam.RolePolicyAttachment(`${name}-vpc-access`, {
            role: this.role.name,
            policyArn: LAMBDA_VPC_ACCESS_POLICY,
        }, { parent: this })];

        this.code = bundleFunction(a.entry);
        this.function = new aws.lambda.Function(`${name}-function`, {
            name: a.functionName,
            description: a.description,
            runtime: "nodejs22.x",
            architectures: ["arm64"],
            handler: "index.handler",
            code: this.code,
            role: this.role.arn,
            memorySize: a.memorySize,
            timeout: a.timeout,
            environment: { variables: a.environment },
            loggingConfig: {
                logFormat: "JSON",
                logGroup: this.logGroup.name,
                applicationLogLevel: lambdaApplicationLogLevel(a.logLevel),
                systemLogLevel: "WARN",
            },
            tracingConfig: { mode: a.tracing ? "Active" : "PassThrough" },
            ...(a.vpcConfig === undefined ? {} : { vpcConfig: a.vpcConfig }),
        }, { parent: this, dependsOn: [policy, this.logGroup, ...vpcAccess] });

        this.functionName = this.function.name;
        this.arn = this.function.arn;
        this.invokeArn = this.function.invokeArn;
        this.registerOutputs({ functionName: this.functionName, arn: this.arn, logGroupName: this.logGroup.name });
    }
}

/**
 * Lambda's application log level filter for a function whose code logs at `logLevel`. Lambda
 * assigns INFO to every JSON line without a valid "level" key
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html: "If the
 * level value field is invalid or missing, Lambda will assign the log output the level INFO"), and
 * the Embedded Metric Format documents of Powertools Metrics and of the real-time handler carry no
 * level: a WARN or ERROR filter would drop every custom metric (alarms treating missing data as
 * not breaching go silent, dashboards empty). So the filter never goes above INFO.
 */
export function lambdaApplicationLogLevel(logLevel: NonNullable<LambdaFunctionArgs["logLevel"]>): "TRACE" | "DEBUG" | "INFO" {
    return logLevel === "TRACE" || logLevel === "DEBUG" ? logLevel : "INFO";
}

/** Writing to its own log group only. */
function logStatements(logGroup: aws.cloudwatch.LogGroup): PolicyStatement[] {
    return [{
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [pulumi.interpolate`${logGroup.arn}:*`],
    }];
}

/** X-Ray's write API has no resource-level permissions; "*" is the only valid resource. */
const XRAY_STATEMENT: PolicyStatement = {
    Sid: "WriteTraces",
    Effect: "Allow",
    Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
    Resource: ["*"],
};
