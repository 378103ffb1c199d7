/**
 * The stack's customer-managed key (Cloud KMS): one key ring and one symmetric key in the stack's
 * region, rotated every 90 days, with the encrypter/decrypter role granted to exactly the service
 * agents that encrypt with it (Pub/Sub, BigQuery, Cloud Storage, Firestore). Resources encrypted
 * with the key depend on `grants`: Google Cloud refuses to create them before the agent holds the role.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GCP_NAME_LIMITS, gcpName } from "./names";
import type { ServiceAgents } from "./service-agents";

/** Role a service agent needs to use a customer-managed key. */
export const KMS_ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter";
/** Rotation period of the key: 90 days. */
export const KEY_ROTATION_PERIOD = "7776000s";

export interface GcpDataKeyArgs {
    /**
     * Prefix of every physical name.
     * @example "game-analytics"
     */
    workloadName: string;
    /**
     * Region of the key ring; the same as the data it protects.
     * @example "europe-west1"
     */
    location: pulumi.Input<string>;
    /**
     * Service agents granted the use of the key.
     * @example projectServiceAgents(this)
     */
    agents: ServiceAgents;
}

/** The key ring, the key and its grants. */
export class GcpDataKey extends pulumi.ComponentResource {
    readonly keyRing: gcp.kms.KeyRing;
    readonly key: gcp.kms.CryptoKey;
    /** Full resource name of the key (`projects/.../cryptoKeys/...`). */
    readonly keyId: pulumi.Output<string>;
    /** The grants, for `dependsOn` of every resource encrypted with the key. */
    readonly grants: gcp.kms.CryptoKeyIAMMember[];

    constructor(name: string, args: GcpDataKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:gcp:DataKey", name, {}, opts);
        const child = { parent: this };
        this.keyRing = new gcp.kms.KeyRing(`${name}-ring`, {
            name: gcpName(args.workloadName, "data", GCP_NAME_LIMITS.keyRing),
            location: args.location,
        }, child);
        this.key = new gcp.kms.CryptoKey(`${name}-key`, {
            name: gcpName(args.workloadName, "data", GCP_NAME_LIMITS.cryptoKey),
            keyRing: this.keyRing.id,
            purpose: "ENCRYPT_DECRYPT",
            rotationPeriod: KEY_ROTATION_PERIOD,
        }, child);
        this.keyId = this.key.id;
        const agents: Record<string, pulumi.Output<string>> = {
            pubsub: args.agents.pubsub, bigquery: args.agents.bigquery, storage: args.agents.storage, firestore: args.agents.firestore,
        };
        this.grants = Object.entries(agents).map(([agent, member]) => new gcp.kms.CryptoKeyIAMMember(`${name}-${agent}`, {
            cryptoKeyId: this.key.id,
            role: KMS_ENCRYPTER_DECRYPTER,
            member,
        }, child));
        this.registerOutputs({ keyId: this.keyId });
    }
}
