/**
 * Game analytics pipeline as Pulumi components: cloud-neutral tier contracts
 * (components/contracts) and their AWS implementation (components/aws).
 *
 * @example
 * import { GameAnalyticsPipeline } from "@gap/game-analytics-pipeline";
 * const pipeline = new GameAnalyticsPipeline("mygame", { workloadName: "mygame", realTimeAnalytics: false });
 * export const apiUrl = pipeline.apiUrl;
 */
export * from "./components/contracts/settings";
export { GameAnalyticsPipeline, unsupportedSettings, validatePipelineArgs } from "./components/pipeline";
export type { PipelineTiers, ResourceAccess, HealthMetric, ScheduleInterval, WatchedFunctions } from "./components/contracts";
export type * as contracts from "./components/contracts";
export { buildAwsPipeline } from "./components/aws/pipeline";
export type { AwsPipeline, AwsPipelineOptions } from "./components/aws/pipeline";
export { LOG_RETENTION_DAYS, AWS_OPTION_KEYS, awsSettingsProblems } from "./components/aws/settings";
export type { AwsDeploymentOptions } from "./components/aws/settings";
export type { GameAnalyticsPipelineArgs, DeploymentOptions } from "./components/pipeline";
export { StorageTier, partitionProjection, ATHENA_RESULTS_PREFIX, FIREHOSE_ERRORS_PREFIX, RAW_BACKUP_PREFIX } from "./components/aws/storage-tier";
export type { StorageTierArgs } from "./components/aws/storage-tier";
export { EventStream } from "./components/aws/event-stream";
export type { EventStreamArgs } from "./components/aws/event-stream";
export { RegistryTables, AUTHORIZATIONS_BY_APPLICATION_INDEX } from "./components/aws/registry-tables";
export type { RegistryTablesArgs } from "./components/aws/registry-tables";
export { ProcessingTier, GLUE_SCRIPT_KEY, rawEventsObjectPrefix, errorObjectPrefix } from "./components/aws/processing-tier";
export type { ProcessingTierArgs } from "./components/aws/processing-tier";
export { IngestTier, API_ROUTES, ACCESS_LOG_FORMAT } from "./components/aws/ingest-tier";
export type { IngestTierArgs, IngestDestination, ApiRoute } from "./components/aws/ingest-tier";
export { OperationsTier } from "./components/aws/operations-tier";
export type { OperationsTierArgs } from "./components/aws/operations-tier";
export { LambdaFunction } from "./components/aws/lambda-function";
export type { LambdaFunctionArgs } from "./components/aws/lambda-function";
export type { LogLevel } from "./components/aws/lambda-environment";
export { bundleFunction } from "./components/aws/bundle";
export type { PolicyStatement } from "./components/aws/iam";
export { readStackSettings, DEPLOYMENT_OPTION_KEYS } from "./stacks/settings";
export type { StackSettings, ConfigSource } from "./stacks/settings";
