/**
 * Game analytics pipeline on AWS, as Pulumi components.
 *
 * @example
 * import { GameAnalyticsPipeline } from "@gap/game-analytics-pipeline";
 * const pipeline = new GameAnalyticsPipeline("mygame", { workloadName: "mygame", realTimeAnalytics: false });
 * export const apiUrl = pipeline.apiUrl;
 */
export * from "./components/settings";
export { GameAnalyticsPipeline, unsupportedSettings } from "./components/pipeline";
export type { GameAnalyticsPipelineArgs, DeploymentOptions } from "./components/pipeline";
export { StorageTier, partitionProjection, ATHENA_RESULTS_PREFIX, FIREHOSE_ERRORS_PREFIX, RAW_BACKUP_PREFIX } from "./components/storage-tier";
export type { StorageTierArgs } from "./components/storage-tier";
export { EventStream } from "./components/event-stream";
export type { EventStreamArgs } from "./components/event-stream";
export { RegistryTables, AUTHORIZATIONS_BY_APPLICATION_INDEX } from "./components/registry-tables";
export type { RegistryTablesArgs } from "./components/registry-tables";
export { ProcessingTier, GLUE_SCRIPT_KEY, rawEventsObjectPrefix, errorObjectPrefix } from "./components/processing-tier";
export type { ProcessingTierArgs } from "./components/processing-tier";
export { IngestTier, API_ROUTES, ACCESS_LOG_FORMAT } from "./components/ingest-tier";
export type { IngestTierArgs, IngestDestination, ApiRoute } from "./components/ingest-tier";
export { OperationsTier } from "./components/operations-tier";
export type { OperationsTierArgs } from "./components/operations-tier";
export { LambdaFunction } from "./components/lambda-function";
export type { LambdaFunctionArgs } from "./components/lambda-function";
export type { LogLevel } from "./components/lambda-environment";
export { bundleFunction } from "./components/bundle";
export type { PolicyStatement } from "./components/iam";
export { readStackSettings, DEPLOYMENT_OPTION_KEYS } from "./stacks/settings";
export type { StackSettings, ConfigSource } from "./stacks/settings";
