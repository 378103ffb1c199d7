/**
 * API Gateway (REST): every stage writes access logs and throttles every method; every method
 * requires IAM (SigV4) or a Lambda authorizer. The one explicit exception is a CORS preflight:
 * an `OPTIONS` method with authorization NONE whose integration is a MOCK (it answers with
 * headers only and never reaches a backend).
 */
import { label, ofType, refersTo, sameTarget } from "./relations";
import { ResourceFacts, ResourceRule, StackRule, TYPES, Violation } from "./types";

/** Authorization types that authenticate the caller. */
export const AUTHENTICATED_AUTHORIZATIONS = ["AWS_IAM", "CUSTOM"];

export const apiStageAccessLogging: ResourceRule = {
    name: "api-stage-access-logging",
    description: "Every API Gateway stage writes access logs (accessLogSettings.destinationArn and format).",
    types: [TYPES.apiStage],
    check: ({ props }) => {
        const settings = props.accessLogSettings;
        return typeof settings?.destinationArn === "string" && settings.destinationArn !== "" && typeof settings.format === "string" && settings.format !== ""
            ? []
            : ["stage has no access logging; set accessLogSettings.destinationArn (a log group with retention) and format"];
    },
};

function throttles(settings: ResourceFacts): boolean {
    const s = settings.props.settings;
    return settings.props.methodPath === "*/*" && typeof s?.throttlingRateLimit === "number" && s.throttlingRateLimit > 0
        && typeof s.throttlingBurstLimit === "number" && s.throttlingBurstLimit > 0;
}

export const apiStageThrottled: StackRule = {
    name: "api-stage-throttled",
    description: "Every API Gateway stage has MethodSettings for \"*/*\" with positive throttlingRateLimit and throttlingBurstLimit.",
    check: (resources) => {
        const allSettings = ofType(resources, TYPES.apiMethodSettings);
        const violations: Violation[] = [];
        for (const stage of ofType(resources, TYPES.apiStage)) {
            const ofStage = allSettings.filter((m) => sameTarget(m, "restApi", stage, "restApi")
                && refersTo(m, "stageName", stage, [stage.props.stageName]));
            if (!ofStage.some(throttles)) {
                violations.push({ urn: stage.urn, message: `${label(stage)}: methods are not throttled; add MethodSettings with methodPath "*/*" and positive throttlingRateLimit and throttlingBurstLimit` });
            }
        }
        return violations;
    },
};

/** Whether `method` is a CORS preflight answered by a MOCK integration (the explicit exception). */
function isMockPreflight(method: ResourceFacts, integrations: ResourceFacts[]): boolean {
    return method.props.httpMethod === "OPTIONS" && integrations.some((i) => i.props.type === "MOCK"
        && i.props.httpMethod === "OPTIONS"
        && sameTarget(i, "restApi", method, "restApi")
        && sameTarget(i, "resourceId", method, "resourceId"));
}

export const apiMethodAuthorized: StackRule = {
    name: "api-method-authorized",
    description: "Every API Gateway method has authorization AWS_IAM or CUSTOM, except OPTIONS methods integrated with MOCK (CORS preflight).",
    check: (resources) => {
        const integrations = ofType(resources, TYPES.apiIntegration);
        return ofType(resources, TYPES.apiMethod)
            .filter((m) => !AUTHENTICATED_AUTHORIZATIONS.includes(m.props.authorization) && !isMockPreflight(m, integrations))
            .map((m) => ({
                urn: m.urn,
                message: `${label(m)}: ${m.props.httpMethod} has authorization ${JSON.stringify(m.props.authorization)}; use AWS_IAM or CUSTOM (only an OPTIONS method with a MOCK integration may be NONE)`,
            }));
    },
};

const OPENAPI_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method"];

/**
 * The same rule for an API defined by an OpenAPI `body`: each operation's security requirement
 * must name a scheme of type `awsSigv4` or a Lambda authorizer (`custom`); OPTIONS operations
 * with a `mock` integration are excepted.
 */
export const apiOpenApiOperationsAuthorized: ResourceRule = {
    name: "api-openapi-operations-authorized",
    description: "Every operation of a REST API defined by an OpenAPI body requires a SigV4 or Lambda-authorizer security scheme (MOCK OPTIONS excepted).",
    types: [TYPES.restApi],
    check: ({ props }) => {
        if (typeof props.body !== "string" || props.body === "") return [];
        const spec = JSON.parse(props.body);
        const schemes: Record<string, Record<string, unknown>> = spec.components?.securitySchemes ?? spec.securityDefinitions ?? {};
        const authenticated = new Set(Object.entries(schemes)
            .filter(([, s]) => ["awsSigv4", "custom"].includes(String(s["x-amazon-apigateway-authtype"])) || s["x-amazon-apigateway-authorizer"] !== undefined)
            .map(([name]) => name));
        const problems: string[] = [];
        for (const [path, item] of Object.entries<Record<string, any>>(spec.paths ?? {})) {
            for (const [method, operation] of Object.entries<any>(item)) {
                if (!OPENAPI_METHODS.includes(method)) continue;
                if (method === "options" && operation?.["x-amazon-apigateway-integration"]?.type === "mock") continue;
                const security: Record<string, unknown>[] = operation?.security ?? spec.security ?? [];
                const ok = security.length > 0 && security.every((requirement) => Object.keys(requirement).some((name) => authenticated.has(name)));
                if (!ok) problems.push(`${method.toUpperCase()} ${path} has no SigV4 or Lambda-authorizer security requirement`);
            }
        }
        return problems;
    },
};

/** What a stage serves: a deployment snapshots these, so it must be created after each. */
const SERVED_TYPES = [
    TYPES.apiMethod, TYPES.apiIntegration, TYPES.apiMethodResponse, TYPES.apiIntegrationResponse,
    TYPES.apiResponse, TYPES.apiAuthorizer, TYPES.apiModel, TYPES.apiRequestValidator,
];

/** The API a resource belongs to (`restApi`, or `restApiId` for gateway responses). */
const apiProperty = (r: ResourceFacts): string => (r.type === TYPES.apiResponse ? "restApiId" : "restApi");

export const apiDeploymentCoversStage: StackRule = {
    name: "api-deployment-covers-stage",
    description: "An API Gateway deployment depends on everything its API serves (methods, integrations, their responses, the authorizers, gateway responses, models, validators) and has redeploy triggers: a deployment is a snapshot taken when it is created.",
    check: (resources) => {
        const violations: Violation[] = [];
        // Facts without the engine's dependencies (plain captures) are not judged.
        for (const deployment of ofType(resources, TYPES.apiDeployment).filter((d) => d.dependencies !== undefined)) {
            const served = ofType(resources, ...SERVED_TYPES).filter((r) => sameTarget(r, apiProperty(r), deployment, "restApi"));
            const missing = served.filter((r) => r.urn === undefined || !(deployment.dependencies ?? []).includes(r.urn));
            if (missing.length > 0) {
                violations.push({ urn: deployment.urn, message: `${label(deployment)}: does not depend on ${missing.map(label).join(", ")}; the snapshot may miss them (custom error bodies, CORS headers) and later edits never reach the stage` });
            }
            if (served.length > 0 && Object.keys(deployment.props.triggers ?? {}).length === 0) {
                violations.push({ urn: deployment.urn, message: `${label(deployment)}: no triggers; set triggers to a hash of what the stage serves so an edit redeploys` });
            }
        }
        return violations;
    },
};

/** Whether method settings turn execution logging on. */
const executionLogging = (m: ResourceFacts): boolean => ["INFO", "ERROR"].includes(String(m.props.settings?.loggingLevel ?? "OFF").toUpperCase());

export const apiExecutionLogGroupManaged: StackRule = {
    name: "api-execution-log-group-managed",
    description: "Method settings that turn execution logging on depend on the stack's API-Gateway-Execution-Logs_{restApiId}/{stage} log group (with retention); otherwise API Gateway creates it, never expiring.",
    check: (resources) => {
        const groups = ofType(resources, TYPES.logGroup);
        const violations: Violation[] = [];
        for (const settings of ofType(resources, TYPES.apiMethodSettings).filter((m) => executionLogging(m) && m.dependencies !== undefined)) {
            const managed = groups.some((g) => (settings.dependencies ?? []).includes(g.urn ?? "")
                && (typeof g.props.name !== "string" || g.props.name.startsWith("API-Gateway-Execution-Logs_"))
                && typeof g.props.retentionInDays === "number" && g.props.retentionInDays > 0);
            if (!managed) {
                violations.push({ urn: settings.urn, message: `${label(settings)}: execution logging ${settings.props.settings.loggingLevel} without the stack's API-Gateway-Execution-Logs_{restApiId}/{stage} log group (with retention) in dependsOn; API Gateway would create it without retention` });
            }
        }
        return violations;
    },
};

export const apiLoggingAfterAccountRole: StackRule = {
    name: "api-logging-after-account-role",
    description: "When the stack sets the account's API Gateway CloudWatch role (aws.apigateway.Account), stages with access logs and method settings with execution logging depend on it: before it exists API Gateway refuses with \"CloudWatch Logs role ARN must be set in account settings\".",
    check: (resources) => {
        const accounts = ofType(resources, TYPES.apiAccount).filter((a) => a.props.cloudwatchRoleArn !== undefined);
        if (accounts.length === 0) return [];
        const logging = [
            ...ofType(resources, TYPES.apiStage).filter((s) => s.props.accessLogSettings?.destinationArn !== undefined),
            ...ofType(resources, TYPES.apiMethodSettings).filter(executionLogging),
        ];
        return logging.filter((r) => r.dependencies !== undefined && !accounts.some((a) => r.dependencies!.includes(a.urn ?? "")))
            .map((r) => ({ urn: r.urn, message: `${label(r)}: logs to CloudWatch but does not depend on ${label(accounts[0]!)}; on a fresh account it is created first and fails ("CloudWatch Logs role ARN must be set in account settings")` }));
    },
};
