/**
 * Powertools logger and metrics of a handler. Service name, namespace and level come from the
 * POWERTOOLS_* environment variables (set by the components); the defaults apply when unset.
 * Never log key values or request bodies.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME } from "../../core/environment-names";

/** Namespace of the EMF metrics when POWERTOOLS_METRICS_NAMESPACE is unset. */
export const DEFAULT_METRICS_NAMESPACE = "GameAnalytics";

/** Logger and EMF metrics for one function; `defaultServiceName` applies when POWERTOOLS_SERVICE_NAME is unset. */
export function observability(defaultServiceName: string, env: NodeJS.ProcessEnv = process.env): { logger: Logger; metrics: Metrics } {
    const serviceName = env[POWERTOOLS_SERVICE_NAME] || defaultServiceName;
    return {
        logger: new Logger({ serviceName }),
        metrics: new Metrics({ serviceName, namespace: env[POWERTOOLS_METRICS_NAMESPACE] || DEFAULT_METRICS_NAMESPACE }),
    };
}
