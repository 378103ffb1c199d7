/**
 * The service account Cloud Build builds the functions as, instead of the project's default build
 * account (which older projects give broad rights): it reads the sources bucket, writes the build
 * logs and pushes the function images to Artifact Registry, nothing else.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { grantBucket } from "./grants";
import { GCP_NAME_LIMITS, gcpName } from "./names";

/** Project roles the build needs (Cloud Functions docs, "custom build service account"). */
export const BUILD_PROJECT_ROLES = ["roles/logging.logWriter", "roles/artifactregistry.writer"] as const;

export interface GcpBuildIdentityArgs {
    /** @example "mygame" */
    workloadName: string;
    /** @example agents.projectId */
    projectId: pulumi.Input<string>;
    /** Bucket of the function sources. @example sources.bucketName */
    sourceBucket: pulumi.Input<string>;
}

export class GcpBuildIdentity extends pulumi.ComponentResource {
    readonly account: gcp.serviceaccount.Account;
    /** `projects/{p}/serviceAccounts/{email}`, as `buildConfig.serviceAccount` takes it. */
    readonly name: pulumi.Output<string>;

    constructor(name: string, args: GcpBuildIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:gcp:BuildIdentity", name, {}, opts);
        const child = { parent: this };
        this.account = new gcp.serviceaccount.Account(`${name}-account`, {
            accountId: gcpName(args.workloadName, "build", GCP_NAME_LIMITS.serviceAccountId),
            displayName: `${args.workloadName} function builds`,
        }, child);
        const member = pulumi.interpolate`serviceAccount:${this.account.email}`;
        for (const role of BUILD_PROJECT_ROLES) {
            new gcp.projects.IAMMember(`${name}-${role.split("/")[1]!.replace(/\./g, "-")}`, { project: args.projectId, role, member }, child);
        }
        grantBucket(`${name}-sources-reader`, member, "roles/storage.objectViewer", args.sourceBucket, this);
        this.name = this.account.name;
        this.registerOutputs({ name: this.name });
    }
}
