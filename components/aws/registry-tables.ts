/**
 * `RegistryTables`: the DynamoDB tables of the application registry — applications, and API-key
 * authorizations keyed by the hash of the key value (with the `by-application` index for the
 * admin API's listings). Created before the ingest and processing tiers, which both read them.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AUTHORIZATIONS_BY_APPLICATION_INDEX } from "./layout";
import { NAME_LIMITS, physicalName } from "./names";
import type { ResourceAccess } from "../contracts/access";
import { stripUndefined } from "../contracts/common";
import type { RegistryTierArgs, RegistryTierOutputs } from "../contracts/registry";
import { awsAccess } from "./access";

export { AUTHORIZATIONS_BY_APPLICATION_INDEX } from "./layout";

/** The AWS part of the registry tier's arguments, beside the contract's. */
export interface AwsRegistryWiring {
    /**
     * KMS key encrypting both tables; the AWS-managed DynamoDB key when not given.
     * @default undefined (alias/aws/dynamodb)
     * @example arnOf(storage.dataKey)
     */
    kmsKeyArn?: pulumi.Input<string>;
}

/**
 * The registry tier's arguments on AWS: the contract's (devMode false turns on the tables'
 * deletion protection) and AWS's own part.
 */
export interface RegistryTablesArgs extends RegistryTierArgs, AwsRegistryWiring {}

/** The applications and authorizations tables. */
export class RegistryTables extends pulumi.ComponentResource implements RegistryTierOutputs {
    readonly applicationsTable: aws.dynamodb.Table;
    readonly authorizationsTable: aws.dynamodb.Table;
    /** Access handle of the applications table. */
    readonly applications: ResourceAccess;
    /** Access handle of the API key hashes table. */
    readonly authorizations: ResourceAccess;
    /** ARN of the authorizations table's by-application index (admin routes query it). */
    readonly authorizationsIndexArn: pulumi.Output<string>;
    readonly applicationsTableName: pulumi.Output<string>;
    readonly applicationsTableArn: pulumi.Output<string>;
    readonly authorizationsTableName: pulumi.Output<string>;
    readonly authorizationsTableArn: pulumi.Output<string>;

    constructor(name: string, args: RegistryTablesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:RegistryTables", name, {}, opts);
        const a = { devMode: false, ...stripUndefined(args) };
        const common = {
            billingMode: "PAY_PER_REQUEST",
            pointInTimeRecovery: { enabled: true },
            serverSideEncryption: { enabled: true, kmsKeyArn: a.kmsKeyArn },
            deletionProtectionEnabled: !a.devMode,
        };

        this.applicationsTable = new aws.dynamodb.Table(`${name}-applications`, {
            ...common,
            name: physicalName(a.workloadName, "applications", NAME_LIMITS.dynamoDbTable),
            hashKey: "application_id",
            attributes: [{ name: "application_id", type: "S" }],
        }, { parent: this });

        this.authorizationsTable = new aws.dynamodb.Table(`${name}-authorizations`, {
            ...common,
            name: physicalName(a.workloadName, "authorizations", NAME_LIMITS.dynamoDbTable),
            hashKey: "api_key_hash",
            attributes: [
                { name: "api_key_hash", type: "S" },
                { name: "application_id", type: "S" },
                { name: "api_key_id", type: "S" },
            ],
            globalSecondaryIndexes: [{
                name: AUTHORIZATIONS_BY_APPLICATION_INDEX,
                hashKey: "application_id",
                rangeKey: "api_key_id",
                projectionType: "ALL",
            }],
        }, { parent: this });

        this.applicationsTableName = this.applicationsTable.name;
        this.applicationsTableArn = this.applicationsTable.arn;
        this.authorizationsTableName = this.authorizationsTable.name;
        this.authorizationsTableArn = this.authorizationsTable.arn;
        this.applications = awsAccess(this.applicationsTableArn);
        this.authorizations = awsAccess(this.authorizationsTableArn);
        this.authorizationsIndexArn = pulumi.interpolate`${this.authorizationsTableArn}/index/${AUTHORIZATIONS_BY_APPLICATION_INDEX}`;
        this.registerOutputs({
            applicationsTableName: this.applicationsTableName,
            authorizationsTableName: this.authorizationsTableName,
        });
    }
}
