/**
 * `IngestTier`: the API game clients and studio admins call, an API Gateway REST API (the
 * default) or HTTP API (`apiType: "HTTP"`, components/aws/http-api.ts). Admin routes are IAM
 * (SigV4) protected and served by the admin Lambda; the events route uses a Lambda REQUEST
 * authorizer on the `Authorization` header (the API key) and the events Lambda, which writes to
 * the Kinesis stream or straight to Firehose. A managed policy grants invoking the admin routes only.
 *
 * Reads as: the Lambdas (both API types), then the REST API (createRestApi and the methods after
 * it) or the HTTP API (createHttpApi), then the admin policy and the outputs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    APPLICATIONS_TABLE,
    AUTHORIZATIONS_TABLE,
    AUTHORIZER_CACHE_TTL_SECONDS,
    CORS_ALLOW_ORIGINS,
    DELIVERY_STREAM_NAME,
    INGEST_MODE,
    KINESIS_PACK_EVENTS,
    FIREHOSE_PACK_EVENTS,
    STREAM_NAME,
} from "../../functions/core/environment-names";
import type { OidcSettings } from "../../functions/core/player-auth/oidc-settings";
import { oidcEnvironment } from "../../functions/core/player-auth/oidc-environment";
import { PLAYER_TOKEN_AUTHORIZER } from "../../policy/rules/player-auth";
import { createHash } from "node:crypto";
import { ApiGatewayAccountLogging } from "./api-gateway-account";
import type { ApiMetrics } from "./api-metrics";
import { routeArn, slug } from "./api-routes";
import { createHttpApi, type HttpApiParts } from "./http-api";
import type { ApiType } from "./settings";
import { ADMIN_ROUTES, EVENTS, PUT_RECORD } from "../../functions/core/routes";
import { CORS_ALLOWED_HEADERS, CORS_ALLOWED_METHODS, preflightResponseTemplate, staticAllowOrigin } from "./cors";
import { handlerStatements } from "./function-permissions";
import { policyDocument, PolicyStatement } from "./iam";
import { LambdaFunction, type LambdaFunctionArgs } from "./lambda-function";
import { LogLevel, powertoolsEnvironment } from "./lambda-environment";
import { NAME_LIMITS, physicalName } from "./names";
import { AUTHORIZATIONS_BY_APPLICATION_INDEX } from "./layout";
import { stripUndefined, type WatchedFunctions } from "../contracts/common";
import type { IngestTierArgs as IngestContractArgs, IngestTierOutputs } from "../contracts/ingest";
import { arnOf } from "./access";

/** Where the events Lambda writes accepted events, resolved from the contract's target. */
export type IngestDestination =
    | {
        /** API -> Kinesis stream -> Firehose. */
        ingestMode: "KINESIS_DATA_STREAMS";
        streamName: pulumi.Input<string>;
        streamArn: pulumi.Input<string>;
        /** Customer-managed key of the stream, if any (the writer needs kms:GenerateDataKey). */
        customerKeyArn?: pulumi.Input<string>;
        /**
         * Pack several events per record; false puts one event per record (the REDSHIFT data
         * stack's streaming materialized view parses one JSON document per record).
         * @default true
         * @example false
         */
        packEvents?: boolean;
    }
    | {
        /** API -> Firehose. */
        ingestMode: "DIRECT_BATCH";
        deliveryStreamName: pulumi.Input<string>;
        deliveryStreamArn: pulumi.Input<string>;
        /**
         * Pack several events per record; false puts one event per record (tableFormat ICEBERG:
         * Firehose's Iceberg destination reads one JSON row per record).
         * @default true
         * @example false
         */
        packEvents?: boolean;
    };

/**
 * The AWS part of the ingest tier's arguments, beside the contract's: what the AWS pipeline hands
 * it (the lake key, the REDSHIFT packing) and the AWS-only options (API Gateway logging).
 */
export interface AwsIngestWiring {
    /**
     * Stage access logs (JSON, to a log group with retention) and error execution logs (to the
     * `API-Gateway-Execution-Logs_{restApiId}/{stage}` group, created here with retention). API
     * Gateway needs the account's CloudWatch role to write either (see `manageAccountLogRole`).
     * @default true
     * @example false
     */
    accessLogging?: boolean;
    /**
     * With logging on, create API Gateway's CloudWatch role and set it as the ACCOUNT-WIDE
     * setting of this account and region (`aws.apigateway.Account`, one per account and region,
     * shared by every API there; retained on destroy). Set false when the account already has the
     * role (or another stack manages it): a stage then logs through the existing one.
     * @default true
     * @example false
     */
    manageAccountLogRole?: boolean;
    /**
     * Customer-managed KMS key encrypting the API's log groups (its key policy must let CloudWatch
     * Logs of this account use it, as the lake key's does).
     * @default undefined (CloudWatch Logs' own encryption)
     * @example arnOf(storage.dataKey)
     */
    logsKeyArn?: pulumi.Input<string>;
    /**
     * Let API Gateway reject event bodies without an `events` array before the Lambda runs (its
     * error body is API Gateway's, less precise than the Lambda's).
     * @default false
     * @example true
     */
    validateEventsBody?: boolean;
    /**
     * Pack several events per record; false puts one event per record (the REDSHIFT data stack's
     * streaming materialized view parses one JSON document per record; Firehose's Iceberg
     * destination reads one JSON row per record).
     * @default true
     * @example false
     */
    packEvents?: boolean;
    /**
     * The stack's OIDC issuer of player tokens (issue 16; components/player-auth-settings.ts
     * `deployedOidcSettings`). When set: `POST /put-record` (the seeds' route), and a player
     * authorizer on it and on the events route, which then takes a JWT or an API key as each
     * application's AuthModes allow. The authorizer's API Gateway cache is off (TTL 0): a
     * cached Allow would outlive the token's `exp`; the function caches per token instead, for
     * at most the token's remaining lifetime.
     * @default undefined (API keys only; no /put-record)
     * @example { issuerUrl: "https://id.studio.example.com", audiences: ["gamebackend"], playerIdClaim: "sub", applicationClaim: "app_id", clockSkewSeconds: 60, algorithms: ["RS256"] }
     */
    oidc?: OidcSettings;
    /**
     * Extra environment of the admin function (REDSHIFT: the data stack and the warehouse's names
     * for `POST /redshift/setup`; its IAM statements are attached by the warehouse tier).
     * @default {}
     * @example { [DATA_STACK]: "REDSHIFT", [REDSHIFT_WORKGROUP_NAME]: "game-warehouse" }
     */
    adminEnvironment?: Record<string, pulumi.Input<string>>;
    /**
     * REST: an API Gateway REST API (gateway responses, request validation, execution logs, WAF-able).
     * HTTP: an API Gateway HTTP API with the same routes (components/aws/http-api.ts; docs/api.md
     * "HTTP API" lists what a studio gains and loses). `validateEventsBody` and
     * `manageAccountLogRole` apply to REST only.
     * @default "REST"
     * @example "HTTP"
     */
    apiType?: ApiType;
}

/** The ingest tier's arguments on AWS: the contract's (registry and target outputs) and AWS's own part. */
export interface IngestTierArgs extends IngestContractArgs, AwsIngestWiring {}

/** The arguments as the tier's body reads them: the contract outputs resolved to names and ARNs. */
interface IngestSettings extends Omit<IngestTierArgs, "target" | "registry" | "packEvents"> {
    destination: IngestDestination;
    applicationsTableName: pulumi.Input<string>;
    applicationsTableArn: pulumi.Input<string>;
    authorizationsTableName: pulumi.Input<string>;
    authorizationsTableArn: pulumi.Input<string>;
}

/** Where the events Lambda writes (the stream, or in DIRECT_BATCH the delivery stream) and the registry tables. */
function settingsOf(args: IngestTierArgs): IngestSettings {
    const { target, registry, packEvents, ...rest } = args;
    const destination: IngestDestination = target.ingestMode === "KINESIS_DATA_STREAMS"
        ? { ingestMode: "KINESIS_DATA_STREAMS", streamName: target.stream.streamName, streamArn: arnOf(target.stream.stream),
            customerKeyArn: target.stream.stream.encryptionKey, ...(packEvents === undefined ? {} : { packEvents }) }
        : { ingestMode: "DIRECT_BATCH", deliveryStreamName: target.processing.deliveryName, deliveryStreamArn: arnOf(target.processing.delivery), ...(packEvents === undefined ? {} : { packEvents }) };
    return {
        ...rest,
        destination,
        applicationsTableName: registry.applicationsTableName,
        applicationsTableArn: arnOf(registry.applications),
        authorizationsTableName: registry.authorizationsTableName,
        authorizationsTableArn: arnOf(registry.authorizations),
    };
}

const DEFAULTS = {
    stageName: "live",
    authorizerCacheTtlSeconds: 60,
    throttlingRateLimit: 1000,
    throttlingBurstLimit: 2000,
    corsAllowOrigins: ["*"],
    accessLogging: true,
    manageAccountLogRole: true,
    validateEventsBody: false,
    logRetentionDays: 30,
    logLevel: "INFO" as LogLevel,
    tracing: false,
    apiType: "REST" as ApiType,
};

type Resolved = typeof DEFAULTS & IngestSettings;

/** One method of the API, as deployed. */
export interface ApiRoute {
    httpMethod: string;
    /** Resource template, e.g. "/applications/{applicationId}". */
    path: string;
    authorization: "AWS_IAM" | "CUSTOM" | "NONE";
}

/** The player-facing route of stacks with an OIDC issuer (player authorizer, JWT only). */
export const PUT_RECORD_ROUTE: ApiRoute = { httpMethod: "POST", path: PUT_RECORD, authorization: "CUSTOM" };

/** Name of the player-token authorizer (policy/rules/player-auth.ts finds it by this name). */
export const PLAYER_AUTHORIZER_NAME = PLAYER_TOKEN_AUTHORIZER;

/** Every route of the API: the admin routes (IAM), the events route (API key) and its CORS preflight. */
export const API_ROUTES: readonly ApiRoute[] = [
    ...Object.entries(ADMIN_ROUTES).flatMap(([path, methods]) =>
        methods.map((httpMethod): ApiRoute => ({ httpMethod, path, authorization: "AWS_IAM" }))),
    { httpMethod: "POST", path: EVENTS, authorization: "CUSTOM" },
    { httpMethod: "OPTIONS", path: EVENTS, authorization: "NONE" },
];

/** Access log line: who called what, the outcome and the authorizer's error; never bodies or keys. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    extendedRequestId: "$context.extendedRequestId",
    ip: "$context.identity.sourceIp",
    caller: "$context.identity.caller",
    userArn: "$context.identity.userArn",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    resourcePath: "$context.resourcePath",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    responseLatency: "$context.responseLatency",
    integrationLatency: "$context.integrationLatency",
    errorMessage: "$context.error.message",
    authorizerError: "$context.authorizer.error",
    authorizerStatus: "$context.authorizer.status",
    authorizerLatency: "$context.authorizer.latency",
});

/** The REST API, its Lambdas and the admin access policy. */
export class IngestTier extends pulumi.ComponentResource implements IngestTierOutputs {
    /** The REST API (apiType REST). */
    readonly api?: aws.apigateway.RestApi;
    /** The REST API's stage (apiType REST). */
    readonly stage?: aws.apigateway.Stage;
    /** The HTTP API, its authorizers, routes and stage (apiType HTTP). */
    readonly httpApi?: HttpApiParts;
    /** The metrics operations watch when they are not the REST API's (apiType HTTP: ApiId, Stage, 4xx, 5xx). */
    readonly apiMetrics?: ApiMetrics;
    readonly adminFunction: LambdaFunction;
    readonly eventsFunction: LambdaFunction;
    readonly authorizerFunction: LambdaFunction;
    /** The player-token authorizer (stacks with an OIDC issuer). */
    readonly playerAuthorizerFunction?: LambdaFunction;
    /** `POST /put-record` (stacks with an OIDC issuer). */
    readonly putRecordFunction?: LambdaFunction;
    readonly adminPolicy: aws.iam.Policy;
    readonly accessLogGroup?: aws.cloudwatch.LogGroup;
    /** `API-Gateway-Execution-Logs_{restApiId}/{stage}`, created before the stage's settings turn execution logging on. */
    readonly executionLogGroup?: aws.cloudwatch.LogGroup;
    /** The account's API Gateway CloudWatch role, when this tier manages it. */
    readonly accountLogging?: ApiGatewayAccountLogging;
    /** The deployment of the REST API's stage (apiType REST). */
    deployment?: aws.apigateway.Deployment;
    /** What the stage serves, by kind: hashed into the deployment's trigger (see createStage). */
    readonly servedDefinition: Record<string, unknown[]> = { routes: [], integrations: [], authorizer: [], responses: [], models: [] };

    /** `https://{api}.execute-api.{region}.amazonaws.com/{stage}` */
    readonly apiUrl: pulumi.Output<string>;
    /** URL pattern of the events route. */
    readonly eventsEndpoint: pulumi.Output<string>;
    readonly apiName: pulumi.Output<string>;
    readonly stageName: pulumi.Output<string>;
    readonly adminPolicyArn: pulumi.Output<string>;
    readonly adminPolicyName: pulumi.Output<string>;
    /** Name of the studio admins' IAM policy (the admin routes need it). */
    readonly adminAccessName: pulumi.Output<string>;
    /** ARN of the same policy. */
    readonly adminAccessId: pulumi.Output<string>;
    /** The Lambdas of the API, for operations' alarms. */
    readonly functions: WatchedFunctions;

    private readonly resources = new Map<string, pulumi.Input<string>>();
    private restAccessLogGroup?: aws.cloudwatch.LogGroup;
    private restExecutionLogGroup?: aws.cloudwatch.LogGroup;
    private restAccountLogging?: ApiGatewayAccountLogging;
    /** The REST API while the REST methods below build it (apiType REST only). */
    private restApi!: aws.apigateway.RestApi;
    private restStage!: aws.apigateway.Stage;
    /** Every resource the stage serves (methods, integrations, authorizer, gateway responses, models): the deployment depends on each. */
    private readonly served: pulumi.Resource[] = [];

    constructor(name: string, args: IngestTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("game-analytics:index:IngestTier", name, {}, opts);
        const a: Resolved = { ...DEFAULTS, ...stripUndefined(settingsOf(args)) };

        this.authorizerFunction = this.createAuthorizerFunction(name, a);
        this.adminFunction = this.createAdminFunction(name, a);
        this.eventsFunction = this.createEventsFunction(name, a);
        if (a.oidc !== undefined) {
            this.playerAuthorizerFunction = this.createPlayerAuthorizerFunction(name, a, a.oidc);
            this.putRecordFunction = this.createPutRecordFunction(name, a);
        }

        if (a.apiType === "HTTP" && a.validateEventsBody) {
            throw new Error("validateEventsBody: applies to the REST API only (an HTTP API has no request validators); remove it with apiType HTTP");
        }
        if (a.apiType === "HTTP") {
            this.httpApi = createHttpApi(name, this, a, {
                admin: this.adminFunction, events: this.eventsFunction, authorizer: this.authorizerFunction,
                playerAuthorizer: this.playerAuthorizerFunction, putRecord: this.putRecordFunction,
            });
            this.apiMetrics = this.httpApi.metrics;
            this.accessLogGroup = this.httpApi.accessLogGroup;
            this.adminPolicy = this.createAdminPolicy(name, a, this.httpApi.api.executionArn, this.httpApi.stage.name);
            this.apiUrl = this.httpApi.apiUrl;
            this.apiName = this.httpApi.api.name;
            this.stageName = this.httpApi.stage.name;
        } else {
            this.createRestApi(name, a);
            this.api = this.restApi;
            this.stage = this.restStage;
            this.accessLogGroup = this.restAccessLogGroup;
            this.executionLogGroup = this.restExecutionLogGroup;
            this.accountLogging = this.restAccountLogging;
            this.adminPolicy = this.createAdminPolicy(name, a, this.restApi.executionArn, this.restStage.stageName);
            this.apiUrl = this.restStage.invokeUrl;
            this.apiName = this.restApi.name;
            this.stageName = this.restStage.stageName;
        }
        this.eventsEndpoint = pulumi.interpolate`${this.apiUrl}/applications/{applicationId}/events`;
        this.adminPolicyArn = this.adminPolicy.arn;
        this.adminPolicyName = this.adminPolicy.name;
        this.adminAccessName = this.adminPolicyName;
        this.adminAccessId = this.adminPolicyArn;
        this.functions = {
            "events-ingest": this.eventsFunction.functionName,
            "events-authorizer": this.authorizerFunction.functionName,
            "admin-api": this.adminFunction.functionName,
            ...(this.playerAuthorizerFunction ? { "player-authorizer": this.playerAuthorizerFunction.functionName } : {}),
            ...(this.putRecordFunction ? { "put-record": this.putRecordFunction.functionName } : {}),
        };
        this.registerOutputs({
            apiUrl: this.apiUrl,
            eventsEndpoint: this.eventsEndpoint,
            adminPolicyArn: this.adminPolicyArn,
        });
    }

    /**
     * The REST API: authorizers, gateway responses, resources, methods and integrations, the Lambda
     * permissions, the log groups, the account's logging role and the stage (with its deployment).
     */
    private createRestApi(name: string, a: Resolved): void {
        this.restApi = new aws.apigateway.RestApi(`${name}-api`, {
            name: physicalName(a.workloadName, "api", NAME_LIMITS.restApi),
            description: "Game analytics pipeline: event ingestion and application administration",
            endpointConfiguration: { types: "REGIONAL" },
        }, { parent: this });
        const authorizer = this.createAuthorizer(name, a);
        const playerAuthorizer = this.createPlayerAuthorizer(name);
        this.createGatewayResponses(name, a);
        this.createRoutes(name, a, authorizer, playerAuthorizer);
        this.grantApiGatewayInvoke(name, authorizer, playerAuthorizer);

        this.restAccessLogGroup = a.accessLogging ? new aws.cloudwatch.LogGroup(`${name}-access-logs`, {
            name: `/aws/apigateway/${physicalName(a.workloadName, "api", 400)}/${a.stageName}`,
            retentionInDays: a.logRetentionDays,
            kmsKeyId: a.logsKeyArn,
        }, { parent: this }) : undefined;
        // API Gateway creates this group itself, never expiring, unless it exists first.
        this.restExecutionLogGroup = a.accessLogging ? new aws.cloudwatch.LogGroup(`${name}-execution-logs`, {
            name: executionLogGroupName(this.restApi.id, a.stageName),
            retentionInDays: a.logRetentionDays,
            kmsKeyId: a.logsKeyArn,
        }, { parent: this }) : undefined;
        this.restAccountLogging = a.accessLogging && a.manageAccountLogRole
            ? new ApiGatewayAccountLogging(`${name}-account-logging`, { workloadName: a.workloadName }, { parent: this })
            : undefined;
        this.restStage = this.createStage(name, a, authorizer);

    }

    /** The authorizer looks a key up by its hash: one GetItem on the authorizations table. */
    private createAuthorizerFunction(name: string, a: Resolved): LambdaFunction {
        return this.tierFunction(`${name}-authorizer`, a, "events-authorizer", {
            entry: "functions/aws/handlers/authorizer.ts",
            description: "API key authorizer of the events route",
            memorySize: 256,
            timeout: 10,
            environment: {
                [AUTHORIZATIONS_TABLE]: a.authorizationsTableName,
                [AUTHORIZER_CACHE_TTL_SECONDS]: String(a.authorizerCacheTtlSeconds),
            },
            statements: handlerStatements("authorizer", { authorizationsTable: a.authorizationsTableArn }),
        });
    }

    /** The admin API: applications and their keys. */
    private createAdminFunction(name: string, a: Resolved): LambdaFunction {
        return this.tierFunction(`${name}-admin`, a, "admin-api", {
            entry: "functions/aws/handlers/admin.ts",
            description: "Admin API: applications and their API keys",
            memorySize: 256,
            timeout: 29,
            environment: { ...registryEnvironment(a), ...a.adminEnvironment },
            statements: handlerStatements("admin", {
                applicationsTable: a.applicationsTableArn,
                authorizationsTable: a.authorizationsTableArn,
                authorizationsTableIndex: pulumi.interpolate`${a.authorizationsTableArn}/index/${AUTHORIZATIONS_BY_APPLICATION_INDEX}`,
            }),
        });
    }

    /** Environment and statements of a function writing to the destination (events, put-record). */
    private destinationAccess(a: Resolved, handler: "events" | "put-record"): { environment: Record<string, pulumi.Input<string>>; statements: PolicyStatement[] } {
        const d = a.destination;
        const environment: Record<string, pulumi.Input<string>> = d.ingestMode === "KINESIS_DATA_STREAMS"
            ? { [INGEST_MODE]: d.ingestMode, [STREAM_NAME]: d.streamName, ...(d.packEvents === false ? { [KINESIS_PACK_EVENTS]: "false" } : {}) }
            : { [INGEST_MODE]: d.ingestMode, [DELIVERY_STREAM_NAME]: d.deliveryStreamName, ...(d.packEvents === false ? { [FIREHOSE_PACK_EVENTS]: "false" } : {}) };
        const statements: PolicyStatement[] = d.ingestMode === "KINESIS_DATA_STREAMS"
            ? [
                ...handlerStatements(handler, { stream: d.streamArn }, d.ingestMode),
                ...(d.customerKeyArn === undefined ? [] : [{ Sid: "EncryptStreamRecords", Effect: "Allow" as const, Action: ["kms:GenerateDataKey"], Resource: [d.customerKeyArn] }]),
            ]
            : handlerStatements(handler, { deliveryStream: d.deliveryStreamArn }, d.ingestMode);
        return { environment, statements };
    }

    /** The events Lambda writes to the stream or the delivery stream, nothing else. */
    private createEventsFunction(name: string, a: Resolved): LambdaFunction {
        const d = a.destination;
        const { environment, statements } = this.destinationAccess(a, "events");
        // The POST answers carry CORS headers (the preflight is answered by API Gateway).
        environment[CORS_ALLOW_ORIGINS] = a.corsAllowOrigins.join(",");
        return this.tierFunction(`${name}-events`, a, "events-ingest", {
            entry: "functions/aws/handlers/events.ts",
            description: `Validates game events and writes them to ${d.ingestMode === "KINESIS_DATA_STREAMS" ? "the Kinesis stream" : "Firehose"}`,
            memorySize: 512,
            timeout: 28,
            environment,
            statements,
        });
    }

    /**
     * The player-token authorizer (player-authorizer.ts): verifies JWTs against the issuer's JWKS
     * (fetched over the internet), reads an application's AuthModes (GetItem on the applications
     * table) and, on the events route, API keys (GetItem on the authorizations table). Nothing else.
     */
    private createPlayerAuthorizerFunction(name: string, a: Resolved, oidc: OidcSettings): LambdaFunction {
        return this.tierFunction(`${name}-player-authorizer`, a, "player-authorizer", {
            entry: "functions/aws/handlers/player-authorizer.ts",
            description: "Player JWT (and API key) authorizer of /put-record and the events route",
            memorySize: 256,
            timeout: 10,
            environment: { ...registryEnvironment(a), ...oidcEnvironment(oidc) },
            statements: handlerStatements("player-authorizer", { applicationsTable: a.applicationsTableArn, authorizationsTable: a.authorizationsTableArn }),
        });
    }

    /** `POST /put-record`: writes to the stream or the delivery stream, like the events function. */
    private createPutRecordFunction(name: string, a: Resolved): LambdaFunction {
        const { environment, statements } = this.destinationAccess(a, "put-record");
        return this.tierFunction(`${name}-put-record`, a, "put-record", {
            entry: "functions/aws/handlers/put-record.ts",
            description: "POST /put-record: one player event per call (the game-backend clients' route)",
            memorySize: 256,
            timeout: 28,
            environment,
            statements,
        });
    }

    /**
     * One of the tier's functions: `service` names it twice, as its physical name (under the
     * workload) and as its Powertools service; the tier's log retention, level and tracing apply,
     * and the Powertools variables join the function's own environment.
     */
    private tierFunction(logicalName: string, a: Resolved, service: string,
        spec: Pick<LambdaFunctionArgs, "entry" | "description" | "memorySize" | "timeout" | "statements"> & { environment: Record<string, pulumi.Input<string>> }): LambdaFunction {
        return new LambdaFunction(logicalName, {
            ...spec,
            functionName: physicalName(a.workloadName, service, NAME_LIMITS.lambdaFunction),
            logRetentionDays: a.logRetentionDays,
            logLevel: a.logLevel,
            tracing: a.tracing,
            environment: { ...spec.environment, ...powertoolsEnvironment(a.workloadName, service, a.logLevel) },
        }, { parent: this });
    }

    /**
     * The player-token authorizer (REQUEST, identity source the `Authorization` header: a request
     * without it is answered 401 by API Gateway without invoking the function). Result cache off:
     * API Gateway would reuse an Allow for its whole TTL whatever the token's `exp` (and an unset
     * TTL means 300 s), so the function caches itself, per token, capped by the token's lifetime.
     */
    private createPlayerAuthorizer(name: string): aws.apigateway.Authorizer | undefined {
        if (this.playerAuthorizerFunction === undefined) return undefined;
        const definition = {
            name: PLAYER_AUTHORIZER_NAME,
            type: "REQUEST",
            authorizerUri: this.playerAuthorizerFunction.invokeArn,
            identitySource: "method.request.header.Authorization",
            authorizerResultTtlInSeconds: 0,
        };
        const authorizer = new aws.apigateway.Authorizer(`${name}-player-token-authorizer`, { ...definition, restApi: this.restApi.id }, { parent: this });
        this.serve("authorizer", authorizer, definition);
        return authorizer;
    }

    private createAuthorizer(name: string, a: Resolved): aws.apigateway.Authorizer {
        const definition = {
            name: "api-key",
            type: "REQUEST",
            authorizerUri: this.authorizerFunction.invokeArn,
            identitySource: "method.request.header.Authorization",
            authorizerResultTtlInSeconds: a.authorizerCacheTtlSeconds,
        };
        const authorizer = new aws.apigateway.Authorizer(`${name}-api-key-authorizer`, { ...definition, restApi: this.restApi.id }, { parent: this });
        this.serve("authorizer", authorizer, definition);
        return authorizer;
    }

    /** Records a resource the stage serves and the definition that changes what it serves. */
    private serve(kind: string, resource: pulumi.Resource, definition: unknown): void {
        this.served.push(resource);
        (this.servedDefinition[kind] ??= []).push(definition);
    }

    /** Error bodies in the API's `{error, error_detail}` shape, with CORS so browsers can read them. */
    private createGatewayResponses(name: string, a: Resolved): void {
        const cors = { "gatewayresponse.header.Access-Control-Allow-Origin": `'${staticAllowOrigin(a.corsAllowOrigins)}'` };
        const unauthorized = `{"error":"Unauthorized","error_detail":"send the API key in the Authorization header"}`;
        const responses: Array<[string, string, string]> = [
            ["ACCESS_DENIED", "403", `{"error":"AccessDenied"}`],
            // With an issuer, /put-record answers the seeds' JSON string "Unauthorized" (their clients' contract).
            ["UNAUTHORIZED", "401", a.oidc === undefined ? unauthorized : `#if($context.resourcePath == "${PUT_RECORD}")"Unauthorized"#else${unauthorized}#end`],
            ["DEFAULT_4XX", "", `{"error":"$context.error.responseType","error_detail":$context.error.messageString}`],
            ["DEFAULT_5XX", "", `{"error":"$context.error.responseType","error_detail":$context.error.messageString}`],
        ];
        for (const [responseType, statusCode, body] of responses) {
            const definition = {
                responseType,
                statusCode: statusCode === "" ? undefined : statusCode,
                responseParameters: cors,
                responseTemplates: { "application/json": body },
            };
            this.serve("responses", new aws.apigateway.Response(`${name}-response-${responseType.toLowerCase()}`, {
                ...definition, restApiId: this.restApi.id,
            }, { parent: this }), definition);
        }
    }

    /** Resources, methods and integrations of every route. */
    private createRoutes(name: string, a: Resolved, authorizer: aws.apigateway.Authorizer, playerAuthorizer: aws.apigateway.Authorizer | undefined): void {
        const validator = a.validateEventsBody ? this.createEventsBodyValidator(name) : undefined;
        const routes = playerAuthorizer === undefined ? API_ROUTES : [...API_ROUTES, PUT_RECORD_ROUTE];
        for (const route of routes) {
            const resourceId = this.resourceFor(name, route.path);
            const methodName = `${name}-${route.httpMethod.toLowerCase()}${slug(route.path)}`;
            const validated = route.authorization === "CUSTOM" && route.path === EVENTS && validator !== undefined;
            // With an issuer, the events route takes a JWT or an API key: the player authorizer decides both.
            const routeAuthorizer = route.authorization !== "CUSTOM" ? undefined : playerAuthorizer ?? authorizer;
            const method = new aws.apigateway.Method(methodName, {
                restApi: this.restApi.id,
                resourceId,
                httpMethod: route.httpMethod,
                authorization: route.authorization,
                authorizerId: routeAuthorizer?.id,
                requestValidatorId: validated ? validator?.validatorId : undefined,
                requestModels: validated ? { "application/json": validator!.modelName } : undefined,
            }, { parent: this });
            this.serve("routes", method, { ...route, validated, ...(playerAuthorizer && routeAuthorizer ? { authorizer: PLAYER_AUTHORIZER_NAME } : {}) });
            if (route.httpMethod === "OPTIONS") {
                this.createPreflight(methodName, a, resourceId, method);
                continue;
            }
            const target = route.path === PUT_RECORD ? this.putRecordFunction! : route.authorization === "CUSTOM" ? this.eventsFunction : this.adminFunction;
            this.serve("integrations", new aws.apigateway.Integration(`${methodName}-integration`, {
                restApi: this.restApi.id,
                resourceId,
                httpMethod: method.httpMethod,
                type: "AWS_PROXY",
                integrationHttpMethod: "POST",
                uri: target.invokeArn,
            }, { parent: this }), { route: `${route.httpMethod} ${route.path}`, type: "AWS_PROXY", uri: target.invokeArn });
        }
    }

    /** The API Gateway resource of a path template, creating its ancestors first. */
    private resourceFor(name: string, path: string): pulumi.Input<string> {
        if (path === "/" || path === "") return this.restApi.rootResourceId;
        const existing = this.resources.get(path);
        if (existing !== undefined) return existing;
        const parentPath = path.slice(0, path.lastIndexOf("/")) || "/";
        const resource = new aws.apigateway.Resource(`${name}-resource${slug(path)}`, {
            restApi: this.restApi.id,
            parentId: this.resourceFor(name, parentPath),
            pathPart: path.slice(path.lastIndexOf("/") + 1),
        }, { parent: this });
        this.resources.set(path, resource.id);
        return resource.id;
    }

    private createEventsBodyValidator(name: string): { validatorId: pulumi.Output<string>; modelName: pulumi.Output<string> } {
        const validatorDefinition = { name: "events-body", validateRequestBody: true, validateRequestParameters: false };
        const validator = new aws.apigateway.RequestValidator(`${name}-events-body-validator`, { ...validatorDefinition, restApi: this.restApi.id }, { parent: this });
        const modelDefinition = {
            name: "EventsBody",
            contentType: "application/json",
            description: "A batch of game events",
            schema: JSON.stringify({
                $schema: "http://json-schema.org/draft-04/schema#",
                type: "object",
                required: ["events"],
                properties: { events: { type: "array", minItems: 1 } },
            }),
        };
        const model = new aws.apigateway.Model(`${name}-events-body-model`, { ...modelDefinition, restApi: this.restApi.id }, { parent: this });
        this.serve("models", validator, validatorDefinition);
        this.serve("models", model, modelDefinition);
        return { validatorId: validator.id, modelName: model.name };
    }

    /** OPTIONS answered by API Gateway itself (MOCK integration). */
    private createPreflight(methodName: string, a: Resolved, resourceId: pulumi.Input<string>, method: aws.apigateway.Method): void {
        const headers = ["Access-Control-Allow-Headers", "Access-Control-Allow-Methods", "Access-Control-Allow-Origin", "Vary"];
        const integration = new aws.apigateway.Integration(`${methodName}-integration`, {
            restApi: this.restApi.id,
            resourceId,
            httpMethod: method.httpMethod,
            type: "MOCK",
            requestTemplates: { "application/json": `{"statusCode": 200}` },
        }, { parent: this });
        const preflightParameters = {
            "method.response.header.Access-Control-Allow-Headers": `'${CORS_ALLOWED_HEADERS}'`,
            "method.response.header.Access-Control-Allow-Methods": `'${CORS_ALLOWED_METHODS}'`,
            "method.response.header.Access-Control-Allow-Origin": `'${staticAllowOrigin(a.corsAllowOrigins)}'`,
            "method.response.header.Vary": "'Origin'",
        };
        const preflightTemplates = { "application/json": preflightResponseTemplate(a.corsAllowOrigins) };
        const response = new aws.apigateway.MethodResponse(`${methodName}-response`, {
            restApi: this.restApi.id,
            resourceId,
            httpMethod: method.httpMethod,
            statusCode: "200",
            responseParameters: Object.fromEntries(headers.map((h) => [`method.response.header.${h}`, true])),
        }, { parent: this });
        const integrationResponse = new aws.apigateway.IntegrationResponse(`${methodName}-integration-response`, {
            restApi: this.restApi.id,
            resourceId,
            httpMethod: method.httpMethod,
            statusCode: response.statusCode,
            responseParameters: preflightParameters,
            responseTemplates: preflightTemplates,
        }, { parent: this, dependsOn: [integration] });
        this.serve("integrations", integration, { route: `OPTIONS ${EVENTS}`, type: "MOCK" });
        this.serve("integrations", response, { route: `OPTIONS ${EVENTS}`, headers });
        this.serve("integrations", integrationResponse, { route: `OPTIONS ${EVENTS}`, preflightParameters, preflightTemplates });
    }

    /** API Gateway may invoke each function only for its own routes. */
    private grantApiGatewayInvoke(name: string, authorizer: aws.apigateway.Authorizer, playerAuthorizer: aws.apigateway.Authorizer | undefined): void {
        const executionArn = this.restApi.executionArn;
        const routeArnOf = (route: ApiRoute): pulumi.Output<string> => routeArn(executionArn, "*", route.httpMethod, route.path);
        const adminRoutes = API_ROUTES.filter((r) => r.authorization === "AWS_IAM");
        adminRoutes.forEach((route) => {
            new aws.lambda.Permission(`${name}-admin-invoke-${route.httpMethod.toLowerCase()}${slug(route.path)}`, {
                function: this.adminFunction.functionName,
                action: "lambda:InvokeFunction",
                principal: "apigateway.amazonaws.com",
                sourceArn: routeArnOf(route),
            }, { parent: this });
        });
        new aws.lambda.Permission(`${name}-events-invoke`, {
            function: this.eventsFunction.functionName,
            action: "lambda:InvokeFunction",
            principal: "apigateway.amazonaws.com",
            sourceArn: routeArnOf({ httpMethod: "POST", path: EVENTS, authorization: "CUSTOM" }),
        }, { parent: this });
        new aws.lambda.Permission(`${name}-authorizer-invoke`, {
            function: this.authorizerFunction.functionName,
            action: "lambda:InvokeFunction",
            principal: "apigateway.amazonaws.com",
            sourceArn: pulumi.interpolate`${executionArn}/authorizers/${authorizer.id}`,
        }, { parent: this });
        if (playerAuthorizer !== undefined && this.playerAuthorizerFunction && this.putRecordFunction) {
            new aws.lambda.Permission(`${name}-player-authorizer-invoke`, {
                function: this.playerAuthorizerFunction.functionName,
                action: "lambda:InvokeFunction",
                principal: "apigateway.amazonaws.com",
                sourceArn: pulumi.interpolate`${executionArn}/authorizers/${playerAuthorizer.id}`,
            }, { parent: this });
            new aws.lambda.Permission(`${name}-put-record-invoke`, {
                function: this.putRecordFunction.functionName,
                action: "lambda:InvokeFunction",
                principal: "apigateway.amazonaws.com",
                sourceArn: routeArnOf(PUT_RECORD_ROUTE),
            }, { parent: this });
        }
    }

    /**
     * Deployment and stage. A deployment is a snapshot of the API when it is created: it depends on
     * everything the stage serves (methods, integrations, the authorizer, gateway responses, the
     * validator and model) so none is missing from the snapshot, and its trigger hashes the
     * definition of each, so any later edit of one redeploys.
     */
    private createStage(name: string, a: Resolved, _authorizer: aws.apigateway.Authorizer): aws.apigateway.Stage {
        const definition = pulumi.jsonStringify(this.servedDefinition);
        this.deployment = new aws.apigateway.Deployment(`${name}-deployment`, {
            restApi: this.restApi.id,
            description: "Game analytics API",
            triggers: { definition: definition.apply((text) => createHash("sha256").update(text).digest("hex")) },
        }, { parent: this, dependsOn: this.served });
        const deployment = this.deployment;
        // Logging needs the account's CloudWatch role first (when this tier sets it).
        const afterAccount = this.restAccountLogging ? [this.restAccountLogging.account] : [];
        const stage = new aws.apigateway.Stage(`${name}-stage`, {
            restApi: this.restApi.id,
            deployment: deployment.id,
            stageName: a.stageName,
            xrayTracingEnabled: a.tracing,
            accessLogSettings: this.restAccessLogGroup ? { destinationArn: this.restAccessLogGroup.arn, format: ACCESS_LOG_FORMAT } : undefined,
        }, { parent: this, dependsOn: afterAccount });
        new aws.apigateway.MethodSettings(`${name}-stage-settings`, {
            restApi: this.restApi.id,
            stageName: stage.stageName,
            methodPath: "*/*",
            settings: {
                metricsEnabled: true,
                dataTraceEnabled: false,
                loggingLevel: a.accessLogging ? "ERROR" : "OFF",
                throttlingRateLimit: a.throttlingRateLimit,
                throttlingBurstLimit: a.throttlingBurstLimit,
            },
        }, { parent: this, dependsOn: [...afterAccount, ...(this.restExecutionLogGroup ? [this.restExecutionLogGroup] : [])] });
        return stage;
    }

    /** `execute-api:Invoke` on the admin routes of this stage (REST or HTTP API alike), for the studio's administrators. */
    private createAdminPolicy(name: string, a: Resolved, executionArn: pulumi.Input<string>, stageName: pulumi.Input<string>): aws.iam.Policy {
        const adminRouteArns = API_ROUTES.filter((r) => r.authorization === "AWS_IAM").map((route) =>
            routeArn(executionArn, stageName, route.httpMethod, route.path));
        return new aws.iam.Policy(`${name}-admin-access`, {
            name: physicalName(a.workloadName, "admin-access", NAME_LIMITS.iamPolicy),
            description: "Invoke the admin routes (applications, API keys) of the game analytics API",
            policy: policyDocument([{ Sid: "InvokeAdminRoutes", Effect: "Allow", Action: ["execute-api:Invoke"], Resource: adminRouteArns }]),
        }, { parent: this });
    }
}

/** The log group API Gateway writes a stage's execution logs to. */
export function executionLogGroupName(restApiId: pulumi.Input<string>, stageName: string): pulumi.Output<string> {
    return pulumi.interpolate`API-Gateway-Execution-Logs_${restApiId}/${stageName}`;
}

/** The registry tables and the decision cache TTL, read by the admin function and the player authorizer. */
function registryEnvironment(a: Resolved): Record<string, pulumi.Input<string>> {
    return {
        [APPLICATIONS_TABLE]: a.applicationsTableName,
        [AUTHORIZATIONS_TABLE]: a.authorizationsTableName,
        [AUTHORIZER_CACHE_TTL_SECONDS]: String(a.authorizerCacheTtlSeconds),
    };
}
