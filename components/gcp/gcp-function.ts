/**
 * One Cloud Function (2nd gen) deployed from source: its own service account (no role by
 * default: each tier grants exactly what the function uses), the bundled archive as an object of
 * the stack's sources bucket, and the function with its ingress setting and environment.
 * Callers are granted `roles/run.invoker` on the function's Cloud Run service by the tier.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { bundleGcpFunction, functionArchive } from "./function-source";
import { GCP_NAME_LIMITS, gcpName } from "./names";

/** Who may reach the function's URL at the network level. */
export type GcpIngress = "ALLOW_ALL" | "ALLOW_INTERNAL_ONLY" | "ALLOW_INTERNAL_AND_GCLB";

/** Where a function is built and runs: the part of a tier's wiring that every function of the tier takes (tier-function.ts). */
export interface GcpFunctionWiring {
    /**
     * Region of the function.
     * @example "europe-west1"
     */
    region: pulumi.Input<string>;
    /**
     * Bucket holding the source archives.
     * @example sources.bucketName
     */
    sourceBucket: pulumi.Input<string>;
    /**
     * Service account Cloud Build runs the function's build as (`projects/{p}/serviceAccounts/{email}`).
     * @default undefined (the project's default build account)
     * @example build.name
     */
    buildServiceAccount?: pulumi.Input<string>;
}

export interface GcpFunctionArgs extends GcpFunctionWiring {
    /**
     * Prefix of every physical name.
     * @example "mygame"
     */
    workloadName: string;
    /**
     * Short name of the function (part of its physical name and its service account's).
     * @example "events"
     */
    shortName: string;
    /**
     * Handler entry file, relative to the package root; it exports `handler`.
     * @example "functions/gcp/handlers/events.ts"
     */
    entry: string;
    /**
     * Environment variables.
     * @default {}
     * @example { FIRESTORE_DATABASE: "mygame-registry" }
     */
    environment?: Record<string, pulumi.Input<string>>;
    /**
     * Network ingress.
     * @default "ALLOW_ALL"
     * @example "ALLOW_INTERNAL_ONLY"
     */
    ingress?: GcpIngress;
    /**
     * Memory of one instance.
     * @default "256M"
     * @example "512M"
     */
    memory?: string;
    /**
     * Request timeout, seconds.
     * @default 60
     * @example 30
     */
    timeoutSeconds?: number;
    /**
     * Most instances at once (bounds cost and the load on downstream services).
     * @default 100
     * @example 10
     */
    maxInstances?: number;
}

/** The function, its service account and its source object. */
export class GcpFunction extends pulumi.ComponentResource {
    readonly serviceAccount: gcp.serviceaccount.Account;
    readonly sourceObject: gcp.storage.BucketObject;
    readonly function: gcp.cloudfunctionsv2.Function;
    /** Function (and Cloud Run service) name. */
    readonly functionName: pulumi.Output<string>;
    /** HTTPS URL of the function. */
    readonly url: pulumi.Output<string>;
    /** `serviceAccount:<email>` of the function's identity. */
    readonly member: pulumi.Output<string>;

    private readonly logicalName: string;

    constructor(name: string, args: GcpFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:gcp:Function", name, {}, opts);
        this.logicalName = name;
        const child = { parent: this };
        const physical = gcpName(args.workloadName, args.shortName, GCP_NAME_LIMITS.function);
        this.serviceAccount = new gcp.serviceaccount.Account(`${name}-identity`, {
            accountId: gcpName(args.workloadName, args.shortName, GCP_NAME_LIMITS.serviceAccountId),
            displayName: `${args.workloadName} ${args.shortName} function`,
        }, child);
        const source = bundleGcpFunction(args.entry);
        this.sourceObject = new gcp.storage.BucketObject(`${name}-source`, {
            bucket: args.sourceBucket,
            name: `functions/${physical}-${source.sha256.slice(0, 16)}.zip`,
            source: functionArchive(source),
        }, child);
        this.function = new gcp.cloudfunctionsv2.Function(`${name}-function`, {
            name: physical,
            location: args.region,
            description: `${args.workloadName} ${args.shortName}`,
            buildConfig: {
                runtime: "nodejs22",
                entryPoint: "handler",
                ...(args.buildServiceAccount !== undefined ? { serviceAccount: args.buildServiceAccount } : {}),
                source: { storageSource: { bucket: args.sourceBucket, object: this.sourceObject.name } },
            },
            serviceConfig: {
                serviceAccountEmail: this.serviceAccount.email,
                ingressSettings: args.ingress ?? "ALLOW_ALL",
                availableMemory: args.memory ?? "256M",
                timeoutSeconds: args.timeoutSeconds ?? 60,
                maxInstanceCount: args.maxInstances ?? 100,
                minInstanceCount: 0,
                allTrafficOnLatestRevision: true,
                environmentVariables: args.environment ?? {},
            },
        }, child);
        this.functionName = this.function.name;
        this.url = this.function.serviceConfig.apply((c) => c?.uri ?? "");
        this.member = pulumi.interpolate`serviceAccount:${this.serviceAccount.email}`;
        this.registerOutputs({ functionName: this.functionName, url: this.url });
    }

    /**
     * Grants `member` the right to invoke the function (`roles/run.invoker` on its Cloud Run service).
     * @example fn.grantInvoker("admin", adminCaller.member)
     */
    grantInvoker(label: string, member: pulumi.Input<string>): gcp.cloudrunv2.ServiceIamMember {
        return new gcp.cloudrunv2.ServiceIamMember(`${this.logicalName}-invoker-${label}`, {
            name: this.function.name,
            location: this.function.location,
            role: "roles/run.invoker",
            member,
        }, { parent: this });
    }
}
