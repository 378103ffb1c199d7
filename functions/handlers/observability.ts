/**
 * Powertools logger and metrics of a handler. Service name, namespace and level come from the
 * POWERTOOLS_* environment variables. Never log key values or request bodies.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";

/** Logger and EMF metrics for one function; `serviceName` is the default when the env var is unset. */
export function observability(serviceName: string): { logger: Logger; metrics: Metrics } {
    return {
        logger: new Logger({ serviceName }),
        metrics: new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "GameAnalytics" }),
    };
}
