/**
 * Environment shared by every Lambda of the pipeline (Powertools logger and metrics), and the
 * names of the variables the handlers read come from functions/core/environment-names.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME } from "../../functions/core/environment-names";
import type { LogLevel } from "../contracts/common";

/** Log levels of the handlers' Powertools logger and of Lambda's advanced logging (the contracts' LogLevel). */
export type { LogLevel } from "../contracts/common";

/** Variables common to every function: service name, metrics namespace and log level. */
export function powertoolsEnvironment(workloadName: string, service: string, logLevel: LogLevel): Record<string, pulumi.Input<string>> {
    return {
        [POWERTOOLS_SERVICE_NAME]: service,
        [POWERTOOLS_METRICS_NAMESPACE]: workloadName,
        [POWERTOOLS_LOG_LEVEL]: logLevel,
    };
}
