/**
 * How one tier hands another the right to use what it created, without naming a provider type.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Clouds the package can deploy to (`cloud` setting). */
export type CloudName = "aws" | "gcp";

/**
 * A resource that another tier of the same cloud may be granted access to (a table, a stream, a
 * bucket, a delivery stream). The id is opaque outside that cloud's implementation: an ARN on AWS,
 * a full resource name on Google Cloud. A tier turns the handles it receives into the grants of its
 * own identities (IAM policies on AWS, role bindings on Google Cloud).
 *
 * @example { cloud: "aws", id: table.arn }
 */
export interface ResourceAccess {
    /** The cloud whose implementation created the resource. */
    readonly cloud: CloudName;
    /** The cloud's own id of the resource. */
    readonly id: pulumi.Output<string>;
    /**
     * Customer-managed key protecting the resource, when a reader or writer needs a grant on it too.
     * @default undefined (no key grant needed)
     */
    readonly encryptionKey?: pulumi.Input<string>;
}
