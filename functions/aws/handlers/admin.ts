/**
 * Lambda entry point of the admin API (IAM-protected routes): API Gateway proxy -> handleAdminRequest.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { RedshiftDataClient } from "@aws-sdk/client-redshift-data";
import { RedshiftDataCatalog } from "../adapters/redshift-data-catalog";
import type { APIGatewayProxyResult } from "aws-lambda";
import { DynamoDbApplicationRegistry, DynamoDbKeyStore } from "../adapters/dynamodb-store";
import { type AdminDeps, handleAdminRequest } from "../../core/admin";
import { newUuid } from "../../core/api-keys";
import { errorResponse } from "../../core/http";
import { systemClock } from "../../core/ports";
import { type ProxyEvent, toHttpRequest, toProxyResult } from "./api-gateway";
import { APPLICATIONS_TABLE, AUTHORIZATIONS_TABLE, AUTHORIZER_CACHE_TTL_SECONDS, DATA_STACK, REDSHIFT_DATABASE, REDSHIFT_EVENTS_VIEW, REDSHIFT_RECORDS_VIEW, REDSHIFT_SCHEMA, REDSHIFT_VIEW_NAMES, REDSHIFT_WORKGROUP_NAME } from "../../core/environment-names";
import type { RedshiftSetupDeps } from "../../core/redshift-setup";
import { numberEnv, requiredEnv } from "./environment";
import { observability } from "./observability";

const { logger } = observability("admin");
let deps: AdminDeps | undefined;

function dependencies(): AdminDeps {
    if (deps) return deps;
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
    deps = {
        registry: new DynamoDbApplicationRegistry(client, requiredEnv(APPLICATIONS_TABLE)),
        keys: new DynamoDbKeyStore(client, requiredEnv(AUTHORIZATIONS_TABLE)),
        clock: systemClock,
        newId: newUuid,
        // The same variable sets API Gateway's result cache (ingest tier) and the authorizer's own cache.
        authorizerCacheTtlSeconds: numberEnv(AUTHORIZER_CACHE_TTL_SECONDS, 60),
        decisionCacheTtlSeconds: numberEnv(AUTHORIZER_CACHE_TTL_SECONDS, 60),
        warehouse: warehouseDeps(),
    };
    return deps;
}

/** POST /redshift/setup: the Data API catalog in REDSHIFT stacks (the client is created only there). */
function warehouseDeps(): RedshiftSetupDeps {
    if (process.env[DATA_STACK] !== "REDSHIFT") return { dataStack: "DATA_LAKE" };
    const catalog = new RedshiftDataCatalog(new RedshiftDataClient({}), {
        workgroupName: requiredEnv(REDSHIFT_WORKGROUP_NAME),
        database: requiredEnv(REDSHIFT_DATABASE),
    });
    return {
        dataStack: "REDSHIFT",
        catalog,
        expected: {
            schema: requiredEnv(REDSHIFT_SCHEMA),
            materializedView: requiredEnv(REDSHIFT_RECORDS_VIEW),
            eventsView: requiredEnv(REDSHIFT_EVENTS_VIEW),
            views: requiredEnv(REDSHIFT_VIEW_NAMES).split(",").filter((v) => v !== ""),
        },
    };
}

/** Admin API handler (REST payload 1.0 or HTTP API payload 2.0). */
export async function handler(event: ProxyEvent): Promise<APIGatewayProxyResult> {
    const request = toHttpRequest(event);
    try {
        const response = await handleAdminRequest(request, dependencies());
        logger.info("admin request", { method: request.method, resource: request.resource, statusCode: response.statusCode, requestId: request.requestId });
        return toProxyResult(response);
    } catch (err) {
        logger.error("admin request failed", { method: request.method, resource: request.resource, requestId: request.requestId, error: err as Error });
        return toProxyResult(errorResponse(500, "InternalError", `the request failed on the server; request id ${request.requestId}`));
    }
}
