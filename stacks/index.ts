/**
 * The Pulumi program: read and validate the stack's configuration (before any resource), build
 * the pipeline, export its outputs. Configure with `pulumi config set game-analytics:<key> <value>`
 * (README.md "Configuration").
 */
import { GameAnalyticsPipeline } from "../components/pipeline";
import { readStackSettings, stackConfig } from "./settings";

const config = stackConfig();
const { settings, options } = readStackSettings(config);
// Only the settings the stack sets (validated values): an unset one takes the pipeline's default
// (eventsDatabase derived from workloadName), and a cloud refuses only keys the stack sets
// (gcp refuses AWS-only keys such as etlSchedule, whose defaults mean nothing there).
const given = Object.fromEntries(Object.entries(settings).filter(([key]) => {
    const v = config.get(key);
    return v !== undefined && v !== "";
}));
const pipeline = new GameAnalyticsPipeline(settings.workloadName, {
    ...given,
    workloadName: settings.workloadName,
    ...options,
    configNamespace: config.name,
});

export const apiUrl = pipeline.apiUrl;
export const eventsEndpoint = pipeline.eventsEndpoint;
export const adminPolicyArn = pipeline.adminPolicyArn;
export const adminPolicyName = pipeline.adminPolicyName;
export const analyticsBucketName = pipeline.analyticsBucketName;
export const eventsDatabase = pipeline.eventsDatabase;
export const rawEventsTable = pipeline.rawEventsTable;
export const athenaWorkgroup = pipeline.athenaWorkgroup;
export const streamName = pipeline.streamName;
export const deliveryStreamName = pipeline.deliveryStreamName;
export const applicationsTableName = pipeline.applicationsTableName;
export const authorizationsTableName = pipeline.authorizationsTableName;
export const alarmTopicArn = pipeline.alarmTopicArn;
export const dashboardUrl = pipeline.dashboardUrl;
export const glueWorkflowName = pipeline.glueWorkflowName;
export const realTimeMetricsNamespace = pipeline.realTime?.metricsNamespace;
export const realTimeDashboardName = pipeline.realTime?.dashboardName;
/** OPENSEARCH destination: the collection endpoint (VPC endpoint only) and the OpenSearch UI. */
export const realTimeSearchEndpoint = pipeline.realTime?.searchEndpoint;
export const realTimeSearchUiUrl = pipeline.realTime?.searchUiUrl;
export const warehouseEndpoint = pipeline.warehouse?.endpoint;
export const warehouseDatabase = pipeline.warehouse?.database;
export const warehouseSecretArn = pipeline.warehouse?.secretArn;
export const warehouseQueryEditorUrl = pipeline.warehouse?.queryEditorUrl;
