/**
 * The Google Cloud part of the settings rules: which of the neutral settings mean something on
 * Google Cloud, and which are AWS-only and refused with what to do instead. Called on the raw
 * pipeline arguments (deployment options included) after the neutral validation.
 */
import { namespaceObject } from "../contracts/namespace";
import type { PipelineSettings, SettingsProblem } from "../contracts/settings";

/** Longest retention of a Cloud Logging bucket, days. */
export const GCP_MAX_LOG_RETENTION_DAYS = 3650;
/** Longest message retention of a Pub/Sub topic, hours (31 days). */
export const GCP_MAX_TOPIC_RETENTION_HOURS = 744;

const given = (raw: Record<string, unknown>, key: string) => raw[key] !== undefined && raw[key] !== "";

/**
 * Problems of settings on Google Cloud: empty when the settings build there.
 * @param raw the pipeline arguments as given (to tell explicit values from defaults)
 * @param s the validated settings
 * @example validateGcpSettings({ workloadName: "g", etlSchedule: "cron(0 * * * ? *)" }, validated)
 */
export function validateGcpSettings(raw: Record<string, unknown>, s: PipelineSettings): SettingsProblem[] {
    const problems: SettingsProblem[] = [];
    const refuse = (key: string, rule: string) => problems.push({ key, value: raw[key], rule });
    if (given(raw, "apiAccessLogging")) refuse("apiAccessLogging", "is an API Gateway setting (AWS only); on gcp, Cloud Run request logs are always written to the stack's log bucket: remove it");
    if (raw.tracing === true || raw.tracing === "true") refuse("tracing", "X-Ray tracing is AWS only; on gcp, Cloud Run traces requests into Cloud Trace by itself: remove it");
    if (given(raw, "etlSchedule")) refuse("etlSchedule", "is a Glue workflow schedule (cron(...) syntax, AWS only); on gcp the BigQuery table and views are queried directly, no ETL runs: remove it");
    if (s.dataStack === "REDSHIFT") refuse("dataStack", "REDSHIFT is AWS only; on gcp the events land in BigQuery, which serves the sample views: use DATA_LAKE");
    if (s.tableFormat === "ICEBERG") refuse("tableFormat", "ICEBERG is not implemented on gcp (BigQuery native table); use HIVE (the default), which means the BigQuery table there");
    if (s.streamProvisioned) refuse("streamProvisioned", "Pub/Sub has no provisioned capacity (it scales by itself): remove it");
    if (given(raw, "streamShardCount")) refuse("streamShardCount", "Pub/Sub has no shards: remove it");
    if (s.streamRetentionHours > GCP_MAX_TOPIC_RETENTION_HOURS) {
        refuse("streamRetentionHours", `must be at most ${GCP_MAX_TOPIC_RETENTION_HOURS} on gcp (a Pub/Sub topic keeps messages 31 days at most)`);
    }
    if (s.cloudWatchRetentionDays > GCP_MAX_LOG_RETENTION_DAYS) {
        refuse("cloudWatchRetentionDays", `must be at most ${GCP_MAX_LOG_RETENTION_DAYS} on gcp (the longest retention of a Cloud Logging bucket)`);
    }
    for (const key of ["apiThrottlingRateLimit", "apiThrottlingBurstLimit"]) {
        if (given(raw, key)) refuse(key, "API Gateway stage throttling is AWS only; on gcp the events function's instance limit (100) bounds the load: remove it");
    }
    for (const key of ["processedEventsPrefix", "glueTmpPrefix"]) {
        if (given(raw, key)) refuse(key, "is a folder of the Glue jobs (AWS only); no batch job runs on gcp: remove it");
    }
    return problems;
}

/**
 * The Google Cloud-only options as one namespaced object, `game-analytics:gcp` in a stack file
 * (Pulumi structured config) or `gcp` in the pipeline's arguments.
 */
export interface GcpSettings {
    /**
     * Region of every resource of the pipeline.
     * @default the `gcp:region` provider config, else "us-central1"
     * @example "europe-west1"
     */
    region?: string;
}

/** Name of the Google Cloud namespace among the settings (the cloud's name). */
export const GCP_NAMESPACE = "gcp";

/** A Google Cloud region name. */
const REGION_PATTERN = /^[a-z]+-[a-z]+[0-9]+$/;

/**
 * Reads the `gcp` namespace (an object, or the JSON text Pulumi config gives for one), recording
 * a problem for each bad or unknown option under its namespaced name (`gcp.region`).
 * @example readGcpSettings({ gcp: { region: "europe-west1" } }, problems) // { region: "europe-west1" }
 */
export function readGcpSettings(raw: Record<string, unknown>, problems: SettingsProblem[]): GcpSettings {
    const o = namespaceObject(GCP_NAMESPACE, raw[GCP_NAMESPACE], problems, "{ region: europe-west1 }");
    const settings: GcpSettings = {};
    for (const [key, v] of Object.entries(o)) {
        if (key === "region") {
            if (typeof v === "string" && REGION_PATTERN.test(v)) settings.region = v;
            else problems.push({ key: `${GCP_NAMESPACE}.region`, value: v, rule: "must be a Google Cloud region like europe-west1" });
        } else {
            problems.push({ key: `${GCP_NAMESPACE}.${key}`, value: v, rule: "unknown Google Cloud option; the known one is region" });
        }
    }
    return settings;
}
