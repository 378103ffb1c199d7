/**
 * `WarehouseNetwork`: where the Redshift Serverless workgroup lives. Either a new VPC built with
 * `awsx.ec2.Vpc` (isolated subnets in three Availability Zones, no NAT gateway, no internet
 * gateway) or the studio's own VPC and subnets; in both cases a security group open only inside
 * the VPC and the VPC endpoints the workgroup needs without a route to the internet.
 *
 * Why these endpoints (enhanced VPC routing sends the workgroup's own traffic through the VPC):
 * - `kinesis-streams` (interface): streaming ingestion reads the Kinesis stream; with no NAT and
 *   no internet gateway this endpoint is the only path to the Kinesis API;
 * - `s3` (gateway, free): COPY/UNLOAD and any S3 read (the raw copy in the data lake).
 * The Data API and the query editor reach the workgroup from the Redshift service side and need no
 * endpoint; the managed admin secret is read by the Data API, not from inside the VPC.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

/** Port Redshift listens on. */
export const REDSHIFT_PORT = 5439;
/** Redshift Serverless needs at least three subnets in three Availability Zones (us-west-1: two AZs). */
export const MIN_WORKGROUP_SUBNETS = 3;
/** CIDR of the VPC this component creates. */
export const DEFAULT_WAREHOUSE_VPC_CIDR = "10.42.0.0/16";

export interface WarehouseNetworkArgs {
    /**
     * The studio's own VPC. When set, `subnetIds` is required and no VPC is created.
     * @default undefined (a new VPC without NAT gateway)
     * @example "vpc-0abc1234def567890"
     */
    vpcId?: pulumi.Input<string>;
    /**
     * Subnets of the studio's VPC for the workgroup: at least 3, in 3 Availability Zones.
     * @default undefined (the new VPC's isolated subnets)
     * @example ["subnet-0a...", "subnet-0b...", "subnet-0c..."]
     */
    subnetIds?: pulumi.Input<string>[];
    /**
     * CIDR of the VPC created when `vpcId` is not given.
     * @default "10.42.0.0/16"
     * @example "10.60.0.0/16"
     */
    cidrBlock?: string;
    /**
     * Create the Kinesis interface endpoint and the S3 gateway endpoint. A studio VPC may already
     * have them (a second Kinesis endpoint with private DNS, or a second S3 route, is refused by
     * AWS): set false there and keep a path to Kinesis (endpoint or NAT) yourself.
     * @default true for the VPC created here, false for a studio's VPC
     * @example true
     */
    vpcEndpoints?: boolean;
    /**
     * Availability Zones the Kinesis interface endpoint has a network interface in. Each costs an
     * endpoint-hour (0.01 USD/h in us-east-1); one AZ is enough for the workgroup to reach Kinesis
     * (an AZ outage pauses ingestion, the stream keeps the records for its retention).
     * @default 1
     * @example 3
     */
    kinesisEndpointAzs?: number;
}

/** Checks the network arguments; returns the problems (empty when valid). */
export function networkProblems(args: WarehouseNetworkArgs): string[] {
    const problems: string[] = [];
    if (args.vpcId !== undefined && args.subnetIds === undefined) problems.push("redshiftSubnetIds: required with redshiftVpcId (the workgroup's subnets in that VPC)");
    if (args.vpcId === undefined && args.subnetIds !== undefined) problems.push("redshiftVpcId: required with redshiftSubnetIds (the VPC the subnets belong to)");
    const azs = args.kinesisEndpointAzs ?? 1;
    if (!Number.isInteger(azs) || azs < 1 || azs > MIN_WORKGROUP_SUBNETS) problems.push(`redshiftKinesisEndpointAzs: a whole number from 1 to ${MIN_WORKGROUP_SUBNETS} (got ${azs})`);
    if (args.subnetIds !== undefined && args.subnetIds.length < MIN_WORKGROUP_SUBNETS) {
        problems.push(`redshiftSubnetIds: Redshift Serverless needs at least ${MIN_WORKGROUP_SUBNETS} subnets in ${MIN_WORKGROUP_SUBNETS} Availability Zones (got ${args.subnetIds.length})`);
    }
    return problems;
}

/** The workgroup's network: VPC (created or given), subnets, security group and endpoints. */
export class WarehouseNetwork extends pulumi.ComponentResource {
    /** The VPC created here, when the studio did not pass one. */
    readonly vpc?: awsx.ec2.Vpc;
    readonly vpcId: pulumi.Output<string>;
    readonly subnetIds: pulumi.Output<string[]>;
    readonly securityGroup: aws.ec2.SecurityGroup;
    /** Kinesis interface endpoint (absent when `vpcEndpoints` is false). */
    readonly kinesisEndpoint?: aws.ec2.VpcEndpoint;
    /** S3 gateway endpoint (absent when `vpcEndpoints` is false). */
    readonly s3Endpoint?: aws.ec2.VpcEndpoint;

    constructor(name: string, args: WarehouseNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:WarehouseNetwork", name, {}, opts);
        const problems = networkProblems(args);
        if (problems.length > 0) throw new Error(problems.join("; "));
        const region = aws.getRegionOutput({}, { parent: this }).region;

        let cidr: pulumi.Output<string>;
        if (args.vpcId === undefined) {
            this.vpc = new awsx.ec2.Vpc(`${name}-vpc`, {
                cidrBlock: args.cidrBlock ?? DEFAULT_WAREHOUSE_VPC_CIDR,
                numberOfAvailabilityZones: MIN_WORKGROUP_SUBNETS,
                enableDnsHostnames: true,
                enableDnsSupport: true,
                natGateways: { strategy: awsx.ec2.NatGatewayStrategy.None },
                subnetStrategy: awsx.ec2.SubnetAllocationStrategy.Auto,
                subnetSpecs: [{ type: awsx.ec2.SubnetType.Isolated, cidrMask: 24 }],
            }, { parent: this });
            this.vpcId = this.vpc.vpcId;
            this.subnetIds = this.vpc.isolatedSubnetIds;
            cidr = pulumi.output(args.cidrBlock ?? DEFAULT_WAREHOUSE_VPC_CIDR);
        } else {
            this.vpcId = pulumi.output(args.vpcId);
            this.subnetIds = pulumi.output(args.subnetIds!);
            cidr = aws.ec2.getVpcOutput({ id: args.vpcId }, { parent: this }).cidrBlock;
        }

        this.securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
            vpcId: this.vpcId,
            description: "Redshift Serverless workgroup and its VPC endpoints: reachable from inside the VPC only",
            ingress: [
                { protocol: "tcp", fromPort: REDSHIFT_PORT, toPort: REDSHIFT_PORT, cidrBlocks: [cidr], description: "Redshift from inside the VPC" },
                { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [cidr], description: "HTTPS to the interface endpoints from inside the VPC" },
            ],
            egress: [
                { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [cidr], description: "HTTPS to the interface endpoints" },
            ],
        }, { parent: this });

        if (args.vpcEndpoints ?? args.vpcId === undefined) {
            this.kinesisEndpoint = new aws.ec2.VpcEndpoint(`${name}-kinesis-endpoint`, {
                vpcId: this.vpcId,
                serviceName: pulumi.interpolate`com.amazonaws.${region}.kinesis-streams`,
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: this.subnetIds.apply((ids) => ids.slice(0, args.kinesisEndpointAzs ?? 1)),
                securityGroupIds: [this.securityGroup.id],
            }, { parent: this });
            const routeTableIds = aws.ec2.getRouteTablesOutput({ vpcId: this.vpcId }, { parent: this }).ids;
            this.s3Endpoint = new aws.ec2.VpcEndpoint(`${name}-s3-endpoint`, {
                vpcId: this.vpcId,
                serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds,
            }, { parent: this });
            new aws.vpc.SecurityGroupEgressRule(`${name}-sg-s3-egress`, {
                securityGroupId: this.securityGroup.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                prefixListId: this.s3Endpoint.prefixListId,
                description: "HTTPS to S3 through the gateway endpoint",
            }, { parent: this });
        }
        this.registerOutputs({ vpcId: this.vpcId, subnetIds: this.subnetIds });
    }
}
