/**
 * Registry tier on Google Cloud: a Firestore database in native mode holding two collections,
 * `applications` (document id = application id) and `authorizations` (document id = the key's
 * SHA-256 hash, so the events route authorizes with one document read). Encrypted with the stack's
 * Cloud KMS key, point-in-time recovery on, delete protection outside development.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { RegistryTierArgs, RegistryTierOutputs } from "../contracts";
import type { GcpDataKey } from "./kms";
import { gcpName } from "./names";

/** Collection names (the functions read them from the environment). */
export const APPLICATIONS_COLLECTION = "applications";
export const AUTHORIZATIONS_COLLECTION = "authorizations";

export interface GcpRegistryTierArgs extends RegistryTierArgs {
    /**
     * Firestore location (a region, e.g. "europe-west1", or a multi-region like "eur3").
     * @example "europe-west1"
     */
    location: pulumi.Input<string>;
    /**
     * The stack's Cloud KMS key (CMEK needs a key in the database's location).
     * @example dataKey
     */
    dataKey: GcpDataKey;
}

/** Outputs with the database name the functions connect to. */
export interface GcpRegistryTierOutputs extends RegistryTierOutputs {
    /** Firestore database id. */
    readonly databaseId: pulumi.Output<string>;
}

/** The Firestore database. */
export class GcpRegistryTier extends pulumi.ComponentResource implements GcpRegistryTierOutputs {
    readonly database: gcp.firestore.Database;
    readonly databaseId: pulumi.Output<string>;
    readonly applicationsTableName: pulumi.Output<string>;
    readonly authorizationsTableName: pulumi.Output<string>;
    readonly applications: RegistryTierOutputs["applications"];
    readonly authorizations: RegistryTierOutputs["authorizations"];

    constructor(name: string, args: GcpRegistryTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:gcp:RegistryTier", name, {}, opts);
        const devMode = args.devMode ?? false;
        this.database = new gcp.firestore.Database(`${name}-database`, {
            name: gcpName(args.workloadName, "registry", 63),
            locationId: args.location,
            type: "FIRESTORE_NATIVE",
            concurrencyMode: "PESSIMISTIC",
            pointInTimeRecoveryEnablement: "POINT_IN_TIME_RECOVERY_ENABLED",
            deleteProtectionState: devMode ? "DELETE_PROTECTION_DISABLED" : "DELETE_PROTECTION_ENABLED",
            deletionPolicy: devMode ? "DELETE" : "ABANDON",
            cmekConfig: { kmsKeyName: args.dataKey.keyId },
        }, { parent: this, dependsOn: args.dataKey.grants });
        this.databaseId = this.database.name;
        this.applicationsTableName = pulumi.output(APPLICATIONS_COLLECTION);
        this.authorizationsTableName = pulumi.output(AUTHORIZATIONS_COLLECTION);
        const documents = (collection: string) => pulumi.interpolate`${this.database.id}/documents/${collection}`;
        this.applications = { cloud: "gcp", id: documents(APPLICATIONS_COLLECTION), encryptionKey: args.dataKey.keyId };
        this.authorizations = { cloud: "gcp", id: documents(AUTHORIZATIONS_COLLECTION), encryptionKey: args.dataKey.keyId };
        this.registerOutputs({ databaseId: this.databaseId });
    }
}
