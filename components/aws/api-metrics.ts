/**
 * What the operations tier watches of the API, by API type. Both publish to `AWS/ApiGateway` with
 * `Count`, `Latency` and `IntegrationLatency`; the REST API's dimensions are `ApiName` and `Stage`
 * and its errors `4XXError` / `5XXError`, the HTTP API's dimensions `ApiId` and `Stage` and its
 * errors `4xx` / `5xx` (AWS "Monitor CloudWatch metrics for HTTP APIs in API Gateway").
 */
import type * as pulumi from "@pulumi/pulumi";

/** The metric names and dimensions of one API stage. */
export interface ApiMetrics {
    /**
     * Dimensions of the stage's metrics, in the order CloudWatch shows them.
     * @example { ApiId: httpApi.id, Stage: "live" }
     */
    dimensions: Record<string, pulumi.Input<string>>;
    /**
     * Client errors metric.
     * @example "4xx"
     */
    clientErrors: string;
    /**
     * Server errors metric.
     * @example "5xx"
     */
    serverErrors: string;
}

/**
 * The REST API stage's metrics (what the operations tier watches when given none).
 * @example restApiMetrics(ingest.apiName, ingest.stageName)
 */
export function restApiMetrics(apiName: pulumi.Input<string>, stageName: pulumi.Input<string>): ApiMetrics {
    return { dimensions: { ApiName: apiName, Stage: stageName }, clientErrors: "4XXError", serverErrors: "5XXError" };
}

/**
 * The HTTP API stage's metrics.
 * @example httpApiMetrics(api.id, stage.name)
 */
export function httpApiMetrics(apiId: pulumi.Input<string>, stageName: pulumi.Input<string>): ApiMetrics {
    return { dimensions: { ApiId: apiId, Stage: stageName }, clientErrors: "4xx", serverErrors: "5xx" };
}
