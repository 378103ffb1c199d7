/**
 * Ingest tier on Google Cloud: the same REST API as on AWS, served by the same core through the
 * HTTP adapter (functions/gcp/http-adapter.ts), on two Cloud Functions (2nd gen):
 * - events: `POST {eventsUrl}/{stage}/applications/{applicationId}/events`, invocable by anyone
 *   (game clients have no Google identity, as on AWS the events route is public behind its key
 *   authorizer): the function authorizes the API key by its hash with one cached Firestore read;
 * - admin: every other route, under `{apiUrl}/{stage}/...`, invocable only by identities holding
 *   `roles/run.invoker` on it: the stack creates an admin caller service account that holds it;
 *   studio admins get `roles/iam.serviceAccountTokenCreator` on that account (like being given the
 *   AWS admin policy) and call with its identity token.
 * Google Cloud gives each function its own host, so the events route has its own base URL
 * (`eventsEndpoint`); paths and JSON shapes are unchanged.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { IngestTierArgs, IngestTierOutputs } from "../contracts";
import {
    APPLICATION_CACHE_TTL_SECONDS, APPLICATIONS_COLLECTION, AUTHORIZATIONS_COLLECTION, AUTHORIZER_CACHE_TTL_SECONDS,
    CORS_ALLOW_ORIGINS, FIRESTORE_DATABASE, INGEST_MODE, LOG_LEVEL, STAGE_NAME, TARGET_TOPIC,
} from "../../functions/gcp/environment";
import type { GcpFunction, GcpFunctionWiring } from "./gcp-function";
import type { OidcSettings } from "../../functions/core/player-auth/oidc-settings";
import { oidcEnvironment } from "../../functions/core/player-auth/oidc-environment";
import { grantFirestore, grantTopic } from "./grants";
import { GCP_NAME_LIMITS, gcpName } from "./names";
import type { GcpProcessingTierOutputs } from "./processing-tier";
import type { GcpRegistryTierOutputs } from "./registry-tier";
import type { GcpStreamTierOutputs } from "./stream-tier";
import { tierFunction } from "./tier-function";
import { refuseUnsupported } from "./unsupported";
import type { ServiceAgents } from "./service-agents";

/** The one public member: only on the events function. */
export const ALL_USERS = "allUsers";

/** The Google Cloud part of the ingest tier's arguments, beside the contract's. */
export interface GcpIngestWiring extends GcpFunctionWiring {
    agents: ServiceAgents;
    /**
     * Application cache of the row core (DIRECT_BATCH), seconds.
     * @default 60
     * @example 300
     */
    applicationCacheTtlSeconds?: number;
    /**
     * Most instances of the events function (bounds cost and downstream load; no stage throttling on GCP).
     * @default 100
     * @example 20
     */
    maxInstances?: number;
    /**
     * The stack's OIDC issuer of player tokens (issue 16): the events function then also serves
     * `POST /{stage}/put-record` and takes JWTs on the events route (functions/gcp/http-adapter.ts).
     * @default undefined (API keys only)
     * @example deployedOidcSettings(settings)
     */
    oidc?: OidcSettings;
}

/**
 * The ingest tier's arguments on Google Cloud: the contract's (no stage throttling: the events
 * function's instance limit bounds the load; no X-Ray) and GCP's own part. Events go to the events
 * topic of the stream tier (ingest records) or, in DIRECT_BATCH, to the rows topic of processing.
 */
export interface GcpIngestTierArgs extends IngestTierArgs, GcpIngestWiring {
    target: { ingestMode: "KINESIS_DATA_STREAMS"; stream: GcpStreamTierOutputs } | { ingestMode: "DIRECT_BATCH"; processing: GcpProcessingTierOutputs };
    registry: GcpRegistryTierOutputs;
}

/** Outputs with the events function's name (the operations tier alerts on its refusals). */
export interface GcpIngestTierOutputs extends IngestTierOutputs {
    readonly eventsFunctionName: pulumi.Output<string>;
}

export class GcpIngestTier extends pulumi.ComponentResource implements GcpIngestTierOutputs {
    readonly eventsFunction: GcpFunction;
    readonly adminFunction: GcpFunction;
    readonly adminCaller: gcp.serviceaccount.Account;

    readonly apiUrl: pulumi.Output<string>;
    readonly eventsEndpoint: pulumi.Output<string>;
    readonly adminAccessName: pulumi.Output<string>;
    readonly adminAccessId: pulumi.Output<string>;
    readonly apiName: pulumi.Output<string>;
    readonly stageName: pulumi.Output<string>;
    readonly functions: IngestTierOutputs["functions"];
    readonly eventsFunctionName: pulumi.Output<string>;

    constructor(name: string, args: GcpIngestTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:gcp:IngestTier", name, {}, opts);
        refuseUnsupported("GcpIngestTier", args, {
            throttlingRateLimit: "no stage throttling; the events function's instance limit (maxInstances) bounds the load",
            throttlingBurstLimit: "no stage throttling; the events function's instance limit (maxInstances) bounds the load",
            tracing: "Cloud Run traces requests into Cloud Trace by itself",
        });
        const topicId = args.target.ingestMode === "KINESIS_DATA_STREAMS" ? args.target.stream.topicId : args.target.processing.rowsTopicId;
        const child = { parent: this };
        const w = args.workloadName;
        const stage = args.stageName ?? "live";
        const common = {
            [FIRESTORE_DATABASE]: args.registry.databaseId,
            [STAGE_NAME]: stage,
            [AUTHORIZATIONS_COLLECTION]: args.registry.authorizationsTableName,
            [APPLICATIONS_COLLECTION]: args.registry.applicationsTableName,
            [AUTHORIZER_CACHE_TTL_SECONDS]: String(args.authorizerCacheTtlSeconds ?? 60),
            [LOG_LEVEL]: args.logLevel ?? "INFO",
        };

        this.eventsFunction = tierFunction(`${name}-events`, args, {
            shortName: "events",
            entry: "functions/gcp/handlers/events.ts",
            ingress: "ALLOW_ALL",
            maxInstances: args.maxInstances ?? 100,
            environment: {
                ...common,
                [INGEST_MODE]: args.target.ingestMode,
                [TARGET_TOPIC]: topicId,
                [APPLICATION_CACHE_TTL_SECONDS]: String(args.applicationCacheTtlSeconds ?? 60),
                [CORS_ALLOW_ORIGINS]: (args.corsAllowOrigins ?? ["*"]).join(","),
                ...(args.oidc === undefined ? {} : oidcEnvironment(args.oidc)),
            },
        }, child);
        this.eventsFunction.grantInvoker("public", ALL_USERS);
        grantTopic(`${name}-events-publisher`, this.eventsFunction.member, "roles/pubsub.publisher", topicId, this);
        grantFirestore(`${name}-events-registry-viewer`, this.eventsFunction.member, "roles/datastore.viewer", args.agents.projectId, args.registry.databaseId, this);

        this.adminFunction = tierFunction(`${name}-admin`, args, {
            shortName: "admin",
            entry: "functions/gcp/handlers/admin.ts",
            ingress: "ALLOW_ALL",
            maxInstances: 10,
            environment: common,
        }, child);
        grantFirestore(`${name}-admin-registry-user`, this.adminFunction.member, "roles/datastore.user", args.agents.projectId, args.registry.databaseId, this);
        this.adminCaller = new gcp.serviceaccount.Account(`${name}-admin-caller`, {
            accountId: gcpName(w, "admin-caller", GCP_NAME_LIMITS.serviceAccountId),
            displayName: `${w} admin API caller (impersonate it to call the admin routes)`,
        }, child);
        this.adminFunction.grantInvoker("admin-caller", pulumi.interpolate`serviceAccount:${this.adminCaller.email}`);

        this.apiUrl = pulumi.interpolate`${this.adminFunction.url}/${stage}`;
        this.eventsEndpoint = pulumi.interpolate`${this.eventsFunction.url}/${stage}/applications/{applicationId}/events`;
        this.adminAccessName = this.adminCaller.email;
        this.adminAccessId = this.adminCaller.name;
        this.apiName = this.eventsFunction.functionName;
        this.stageName = pulumi.output(stage);
        this.eventsFunctionName = this.eventsFunction.functionName;
        this.functions = { "events-ingest": this.eventsFunction.functionName, "admin-api": this.adminFunction.functionName };
        this.registerOutputs({ apiUrl: this.apiUrl, eventsEndpoint: this.eventsEndpoint });
    }
}
