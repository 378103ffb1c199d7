/**
 * Pulumi mock harness: records every resource the program registers ({type, name, inputs}) and
 * answers with ids and ARNs shaped like AWS's, so components run without the CLI, AWS or network.
 */
import * as pulumi from "@pulumi/pulumi";

export const ACCOUNT_ID = "111122223333";
export const REGION = "us-east-1";

/** One registered resource, inputs fully resolved. */
export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    id: string;
    inputs: Record<string, any>;
}

/** Outputs AWS computes, by resource type. */
function computedState(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
    const physical: string = inputs.name ?? inputs.bucket ?? (inputs.bucketPrefix ? `${inputs.bucketPrefix}0001` : `${name}-0001`);
    const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
    const arn = `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${physical}`;
    switch (type) {
        case "aws:s3/bucket:Bucket":
            return { bucket: physical, arn: `arn:aws:s3:::${physical}` };
        case "aws:lambda/function:Function":
            return { arn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${physical}`, invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${physical}/invocations` };
        case "aws:apigateway/restApi:RestApi":
            return { rootResourceId: "root0001", executionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:api0001` };
        case "aws:apigateway/stage:Stage":
            return { invokeUrl: `https://api0001.execute-api.${REGION}.amazonaws.com/${inputs.stageName}` };
        case "aws:apigatewayv2/api:Api":
            return { apiEndpoint: `https://http0001.execute-api.${REGION}.amazonaws.com`, executionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:http0001`, arn: `arn:aws:apigateway:${REGION}::/apis/http0001` };
        case "aws:apigatewayv2/stage:Stage":
            return { invokeUrl: `https://http0001.execute-api.${REGION}.amazonaws.com/${inputs.name}`, arn: `arn:aws:apigateway:${REGION}::/apis/http0001/stages/${inputs.name}` };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { arn: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${physical}` };
        case "aws:kinesis/stream:Stream":
            return { arn: `arn:aws:kinesis:${REGION}:${ACCOUNT_ID}:stream/${physical}` };
        case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
            return { arn: `arn:aws:firehose:${REGION}:${ACCOUNT_ID}:deliverystream/${physical}` };
        case "aws:dynamodb/table:Table":
            return { arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/${physical}` };
        case "aws:kms/key:Key":
            return { arn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${name}`, keyId: name };
        case "aws:iam/role:Role":
        case "aws:iam/policy:Policy":
            return { name: physical, arn: `arn:aws:iam::${ACCOUNT_ID}:${type.endsWith("Role") ? "role" : "policy"}/${physical}` };
        case "aws:apigateway/authorizer:Authorizer":
            return { arn: `arn:aws:apigateway:${REGION}::/restapis/api0001/authorizers/${name}` };
        case "awsx:ec2:Vpc":
            return { vpcId: `vpc-${name}`, isolatedSubnetIds: ["subnet-a", "subnet-b", "subnet-c"], privateSubnetIds: [], publicSubnetIds: [] };
        case "aws:redshiftserverless/namespace:Namespace":
            return { arn: `arn:aws:redshift-serverless:${REGION}:${ACCOUNT_ID}:namespace/${name}`,
                adminPasswordSecretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:redshift!${inputs.namespaceName}-admin-AbCdEf` };
        case "aws:redshiftserverless/workgroup:Workgroup":
            return { arn: `arn:aws:redshift-serverless:${REGION}:${ACCOUNT_ID}:workgroup/${name}`,
                endpoints: [{ address: `${inputs.workgroupName}.${ACCOUNT_ID}.${REGION}.redshift-serverless.amazonaws.com`, port: 5439 }] };
        case "aws:opensearch/serverlessCollection:ServerlessCollection":
            return { arn: `arn:aws:aoss:${REGION}:${ACCOUNT_ID}:collection/${name}-id`, collectionEndpoint: `https://${name}-id.${REGION}.aoss.amazonaws.com` };
        case "aws:opensearch/application:Application":
            // The UI's endpoint as the provider computes it; its exact host format is not checked here.
            return { arn: `arn:aws:opensearch:${REGION}:${ACCOUNT_ID}:application/${name}-id`, endpoint: `https://application-${name}-id.${REGION}.opensearch.amazonaws.com` };
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
            return { arn, ...(inputs.vpcEndpointType === "Gateway" ? { prefixListId: "pl-63a5400a" } : {}) };
        default:
            return { arn, name: inputs.name ?? physical };
    }
}

/**
 * What every cloud's mock harness records (each registered resource, in order) and the queries
 * tests ask of it. Subclasses install the mocks and push to `resources`.
 */
export abstract class ResourceLog<R extends { type: string; name: string }> {
    readonly resources: R[] = [];

    /** Resolves once registrations have stopped (every output chain has settled). */
    async settle(): Promise<R[]> {
        let last = -1;
        let stableTurns = 0;
        while (stableTurns < 3) {
            await new Promise((resolve) => setTimeout(resolve, 15));
            stableTurns = this.resources.length === last ? stableTurns + 1 : 0;
            last = this.resources.length;
        }
        return this.resources;
    }

    ofType(type: string): R[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of `type` whose logical name ends with `suffix` (throws otherwise). */
    one(type: string, suffix: string): R {
        const found = this.ofType(type).filter((r) => r.name.endsWith(suffix));
        if (found.length !== 1) throw new Error(`expected one ${type} named *${suffix}, found ${found.map((r) => r.name).join(", ") || "none"}`);
        return found[0]!;
    }
}

/** A recording mock monitor. `resources` fills as the program registers resources. */
export class MockRecorder extends ResourceLog<RecordedResource> {
    /** Installs the mocks (call before the program creates any resource). */
    async install(project = "game-analytics", stack = "dev"): Promise<void> {
        this.resources.length = 0;
        await pulumi.runtime.setMocks({
            newResource: (args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult => {
                const state = { ...args.inputs, ...computedState(args.type, args.name, args.inputs) };
                const id = (args.type === "aws:s3/bucket:Bucket" ? state.bucket : `${args.name}-id`) as string;
                this.resources.push({
                    type: args.type,
                    name: args.name,
                    urn: `urn:pulumi:${stack}::${project}::${args.type}::${args.name}`,
                    id,
                    inputs: args.inputs,
                });
                return { id, state };
            },
            call: (args: pulumi.runtime.MockCallArgs): Record<string, unknown> => {
                switch (args.token) {
                    case "aws:index/getCallerIdentity:getCallerIdentity":
                        return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/test`, userId: "test", id: ACCOUNT_ID };
                    case "aws:index/getRegion:getRegion":
                        return { name: REGION, region: REGION, id: REGION, description: "US East (N. Virginia)", endpoint: `ec2.${REGION}.amazonaws.com` };
                    case "aws:index/getPartition:getPartition":
                        return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" };
                    case "aws:ec2/getVpc:getVpc":
                        return { id: args.inputs.id, cidrBlock: "10.20.0.0/16" };
                    case "aws:ec2/getRouteTables:getRouteTables":
                        return { id: args.inputs.vpcId, ids: ["rtb-a", "rtb-b", "rtb-c"] };
                    default:
                        throw new Error(`unexpected invoke ${args.token}`);
                }
            },
        }, project, stack, true);
    }
}

/** Resolves a Pulumi output in a test. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => { resolve(v); return v; }));
}

/** Statements of a recorded policy document input (string or object). */
export function statementsOf(policy: unknown): Array<{ Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Principal?: unknown; Condition?: unknown }> {
    const doc = typeof policy === "string" ? JSON.parse(policy) : policy;
    const statements = doc.Statement;
    return Array.isArray(statements) ? statements : [statements];
}

export const asList = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);
