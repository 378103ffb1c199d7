/**
 * A private Cloud Storage bucket: uniform bucket-level access, public access prevention enforced,
 * default encryption with the stack's Cloud KMS key, versioning outside development, and an
 * optional age-based deletion. Cloud Storage only serves HTTPS, so no TLS-only policy is needed
 * (unlike S3).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export interface GcpPrivateBucketArgs {
    /**
     * Globally unique bucket name.
     * @example "mygame-lake-1a2b3c4d"
     */
    bucketName: pulumi.Input<string>;
    /**
     * Region of the bucket.
     * @example "europe-west1"
     */
    location: pulumi.Input<string>;
    /**
     * Cloud KMS key of the default encryption.
     * @example dataKey.keyId
     */
    kmsKeyName: pulumi.Input<string>;
    /**
     * Destroyable (force destroy, no versioning) for development stacks.
     * @default false
     * @example true
     */
    devMode?: boolean;
    /**
     * Days after which objects are deleted; 0 keeps them.
     * @default 0
     * @example 365
     */
    expireAfterDays?: number;
    /**
     * Resources that must exist first (the key grant of the Cloud Storage service agent).
     * @default []
     * @example dataKey.grants
     */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** One private bucket. */
export class GcpPrivateBucket extends pulumi.ComponentResource {
    readonly bucket: gcp.storage.Bucket;
    readonly bucketName: pulumi.Output<string>;

    constructor(name: string, args: GcpPrivateBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:gcp:PrivateBucket", name, {}, opts);
        const devMode = args.devMode ?? false;
        const expire = args.expireAfterDays ?? 0;
        this.bucket = new gcp.storage.Bucket(`${name}-bucket`, {
            name: args.bucketName,
            location: args.location,
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            encryption: { defaultKmsKeyName: args.kmsKeyName },
            versioning: { enabled: !devMode },
            forceDestroy: devMode,
            lifecycleRules: expire > 0 ? [{ action: { type: "Delete" }, condition: { age: expire } }] : [],
        }, { parent: this, dependsOn: args.dependsOn });
        this.bucketName = this.bucket.name;
        this.registerOutputs({ bucketName: this.bucketName });
    }
}
