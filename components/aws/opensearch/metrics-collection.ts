/**
 * `RealTimeOpenSearch`: where the real-time metrics go with `realTimeDestination: OPENSEARCH`.
 *
 * - An OpenSearch Serverless collection, encrypted with its own customer-managed KMS key (the
 *   encryption policy must exist before the collection: AWS refuses a collection no encryption
 *   policy covers, and hashicorp/terraform-provider-aws#38505 shows the create racing the policy,
 *   hence `dependsOn`; the network policy likewise).
 * - Type SEARCH, not TIMESERIES: a time-series collection generates document ids itself and
 *   ignores `_id`, so a retried write would add a second document and double count; the metrics'
 *   deterministic ids need a collection that keeps them (same OCU pricing, docs/real-time.md).
 * - No public access: the function runs in a VPC of its own (two isolated subnets, no NAT, no
 *   internet gateway) and reaches the collection through an OpenSearch Serverless VPC endpoint;
 *   OpenSearch UI reaches it as an AWS service. Security groups: the function may only send
 *   HTTPS to the endpoint's group, which only accepts HTTPS from the function's group.
 * - A data access policy naming the function's role (create, describe, write its index) and
 *   the readers (describe, read); the function's IAM policy allows aoss:APIAccessAll on this
 *   collection's ARN only (`grantWriter`).
 * - An OpenSearch UI application with the collection as its data source. Its dashboard is a
 *   saved-objects file to import (components/aws/opensearch/realtime-dashboard.ndjson): Pulumi has
 *   no resource for OpenSearch Dashboards saved objects.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { REALTIME_OPENSEARCH_ACTIONS } from "../../../functions/aws/sdk-usage";
import { awsContext } from "../aws-context";
import { keyPolicy, type PolicyStatement } from "../iam";
import { physicalName } from "../names";
import { dataAccessPolicy, encryptionPolicy, networkPolicy } from "./policies";

/** OpenSearch Serverless names (collections, policies, VPC endpoints): 3-32 lowercase letters, digits, hyphens. */
export const AOSS_NAME_LIMIT = 32;
/** Index of the metrics (the guidance's name). */
export const METRICS_INDEX = "game_metrics";
/** Collection type: SEARCH keeps document ids (see the file comment). */
export const METRICS_COLLECTION_TYPE = "SEARCH";
/** CIDR of the function's VPC. */
export const REALTIME_VPC_CIDR = "10.44.0.0/16";

export interface RealTimeOpenSearchArgs {
    /**
     * Prefix of every physical name (lowercased for OpenSearch Serverless).
     * @example "game-analytics"
     */
    workloadName: string;
    /**
     * Standby replicas in a second Availability Zone: 2 OCUs (1 indexing + 1 search) more. Off
     * halves the minimum bill, for development stacks.
     * @default true
     * @example false
     */
    standbyReplicas?: boolean;
    /**
     * IAM principals (role or user ARNs) allowed to read the metrics in OpenSearch UI. Without
     * any, only the function can touch the data.
     * @default []
     * @example ["arn:aws:iam::111122223333:role/LiveOps"]
     */
    readerArns?: pulumi.Input<string>[];
    /**
     * Tags of the collection, key, VPC and application.
     * @default {}
     * @example { team: "analytics" }
     */
    tags?: Record<string, string>;
}

export class RealTimeOpenSearch extends pulumi.ComponentResource {
    readonly key: aws.kms.Key;
    readonly encryptionPolicy: aws.opensearch.ServerlessSecurityPolicy;
    readonly networkPolicy: aws.opensearch.ServerlessSecurityPolicy;
    readonly vpc: awsx.ec2.Vpc;
    readonly functionSecurityGroup: aws.ec2.SecurityGroup;
    readonly endpointSecurityGroup: aws.ec2.SecurityGroup;
    readonly vpcEndpoint: aws.opensearch.ServerlessVpcEndpoint;
    readonly collection: aws.opensearch.ServerlessCollection;
    readonly application: aws.opensearch.Application;
    readonly collectionName: string;
    readonly index = METRICS_INDEX;
    /** Collection endpoint, `https://<id>.<region>.aoss.amazonaws.com`. */
    readonly endpoint: pulumi.Output<string>;
    /** Subnets and security group of the function (its `vpcConfig`). */
    readonly functionNetwork: { subnetIds: pulumi.Output<string[]>; securityGroupIds: pulumi.Output<string>[] };
    private readonly readerArns: pulumi.Input<string>[];
    private readonly policyName: string;
    private readonly logicalName: string;

    constructor(name: string, args: RealTimeOpenSearchArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:RealTimeOpenSearch", name, {}, opts);
        const child = { parent: this };
        this.logicalName = name;
        const tags = args.tags ?? {};
        const ctx = awsContext(this);
        const lower = args.workloadName.toLowerCase();
        this.collectionName = physicalName(lower, "rt-metrics", AOSS_NAME_LIMIT, true);
        this.policyName = this.collectionName;
        this.readerArns = args.readerArns ?? [];

        this.key = new aws.kms.Key(`${name}-key`, {
            description: `${args.workloadName}: OpenSearch Serverless collection of the real-time metrics, and its OpenSearch UI`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: keyPolicy(ctx.accountId, ctx.partition, []),
            tags,
        }, child);

        this.encryptionPolicy = new aws.opensearch.ServerlessSecurityPolicy(`${name}-encryption`, {
            name: this.policyName,
            type: "encryption",
            description: "Customer-managed KMS key for the real-time metrics collection",
            policy: this.key.arn.apply((arn) => encryptionPolicy(this.collectionName, arn)),
        }, child);

        this.vpc = new awsx.ec2.Vpc(`${name}-vpc`, {
            cidrBlock: REALTIME_VPC_CIDR,
            numberOfAvailabilityZones: 2,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            natGateways: { strategy: awsx.ec2.NatGatewayStrategy.None },
            subnetStrategy: awsx.ec2.SubnetAllocationStrategy.Auto,
            subnetSpecs: [{ type: awsx.ec2.SubnetType.Isolated, cidrMask: 24 }],
            tags,
        }, child);
        this.functionSecurityGroup = new aws.ec2.SecurityGroup(`${name}-function-sg`, {
            vpcId: this.vpc.vpcId,
            description: "Real-time metrics function: HTTPS to the OpenSearch Serverless VPC endpoint only",
            tags,
        }, child);
        this.endpointSecurityGroup = new aws.ec2.SecurityGroup(`${name}-endpoint-sg`, {
            vpcId: this.vpc.vpcId,
            description: "OpenSearch Serverless VPC endpoint: HTTPS from the real-time metrics function only",
            tags,
        }, child);
        new aws.vpc.SecurityGroupEgressRule(`${name}-function-to-endpoint`, {
            securityGroupId: this.functionSecurityGroup.id,
            referencedSecurityGroupId: this.endpointSecurityGroup.id,
            ipProtocol: "tcp", fromPort: 443, toPort: 443,
            description: "HTTPS to the OpenSearch Serverless VPC endpoint",
        }, child);
        new aws.vpc.SecurityGroupIngressRule(`${name}-endpoint-from-function`, {
            securityGroupId: this.endpointSecurityGroup.id,
            referencedSecurityGroupId: this.functionSecurityGroup.id,
            ipProtocol: "tcp", fromPort: 443, toPort: 443,
            description: "HTTPS from the real-time metrics function",
        }, child);
        this.vpcEndpoint = new aws.opensearch.ServerlessVpcEndpoint(`${name}-vpc-endpoint`, {
            name: this.policyName,
            vpcId: this.vpc.vpcId,
            subnetIds: this.vpc.isolatedSubnetIds,
            securityGroupIds: [this.endpointSecurityGroup.id],
        }, child);

        this.networkPolicy = new aws.opensearch.ServerlessSecurityPolicy(`${name}-network`, {
            name: this.policyName,
            type: "network",
            description: "No public access: the VPC endpoint and OpenSearch UI only",
            policy: this.vpcEndpoint.id.apply((id) => networkPolicy(this.collectionName, id)),
        }, child);

        this.collection = new aws.opensearch.ServerlessCollection(`${name}-collection`, {
            name: this.collectionName,
            type: METRICS_COLLECTION_TYPE,
            description: `${args.workloadName}: real-time game metrics (index ${METRICS_INDEX})`,
            standbyReplicas: args.standbyReplicas === false ? "DISABLED" : "ENABLED",
            tags,
        }, { ...child, dependsOn: [this.encryptionPolicy, this.networkPolicy] });
        this.endpoint = this.collection.collectionEndpoint;

        this.application = new aws.opensearch.Application(`${name}-ui`, {
            name: physicalName(lower, "rt-ui", 30, true),
            dataSources: [{ dataSourceArn: this.collection.arn, dataSourceDescription: `Real-time game metrics of ${args.workloadName}` }],
            iamIdentityCenterOptions: { enabled: false },
            kmsKeyArn: this.key.arn,
            tags,
        }, child);

        this.functionNetwork = { subnetIds: this.vpc.isolatedSubnetIds, securityGroupIds: [this.functionSecurityGroup.id] };
        this.registerOutputs({ collectionName: this.collectionName, endpoint: this.endpoint, applicationId: this.application.id });
    }

    /** IAM statement of the writer: the data plane of this collection only. */
    writerStatement(): PolicyStatement {
        return { Sid: "WriteTheMetricsCollection", Effect: "Allow", Action: [...REALTIME_OPENSEARCH_ACTIONS], Resource: [this.collection.arn] };
    }

    /** The data access policy naming the function's role as the writer (created once the role exists). */
    grantWriter(roleArn: pulumi.Input<string>): aws.opensearch.ServerlessAccessPolicy {
        return new aws.opensearch.ServerlessAccessPolicy(`${this.logicalName}-data-access`, {
            name: this.policyName,
            type: "data",
            description: "The real-time function writes the metrics index; the readers read it",
            policy: pulumi.all([roleArn, ...this.readerArns]).apply(([writer, ...readers]) => dataAccessPolicy(this.collectionName, METRICS_INDEX, writer!, readers)),
        }, { parent: this });
    }
}
