/**
 * The pipeline's settings: one typed model for every option a stack can set, its defaults,
 * and the validation that runs before any resource is registered.
 *
 * Names follow Pulumi config style (camelCase). The guidance's keys map one to one
 * (see README "Configuration"): WORKLOAD_NAME -> workloadName, INGEST_MODE -> ingestMode, ...
 * ENABLE_APACHE_ICEBERG_SUPPORT becomes `tableFormat: HIVE | ICEBERG`.
 *
 * Cloud-neutral: the rules here hold on every cloud (and in the local mode). What only one cloud
 * accepts (CloudWatch's retention periods, Glue's `cron(...)` syntax on AWS) is checked by that
 * cloud's own validator (components/aws/settings.ts), which reports through the same SettingsError.
 */
import type { CloudName } from "./access";
import type { BatchSchedule } from "./common";
import { parseSchedule } from "./schedule";

export type { CloudName } from "./access";

/** How events travel from the API to storage. */
export type IngestMode = "KINESIS_DATA_STREAMS" | "DIRECT_BATCH";
/** Where events are stored for analytics. */
export type DataStack = "DATA_LAKE" | "REDSHIFT";
/** Table format of the data lake's events table. */
export type TableFormat = "HIVE" | "ICEBERG";

export const INGEST_MODES: readonly IngestMode[] = ["KINESIS_DATA_STREAMS", "DIRECT_BATCH"];
export const DATA_STACKS: readonly DataStack[] = ["DATA_LAKE", "REDSHIFT"];
export const TABLE_FORMATS: readonly TableFormat[] = ["HIVE", "ICEBERG"];
/** Where the real-time metrics go: CloudWatch custom metrics (EMF), or an OpenSearch Serverless collection (AWS). */
export type RealTimeDestination = "CLOUDWATCH" | "OPENSEARCH";
export const REALTIME_DESTINATIONS: readonly RealTimeDestination[] = ["CLOUDWATCH", "OPENSEARCH"];
/**
 * Largest `realtimeWatermarkSeconds`. The watermark delays every window by this much, and on AWS
 * the event-time state lives in Lambda's 900 s tumbling window (the carrier): the windows still open
 * at its end are emitted as they stand. 300 s (a third of the carrier, and the EventLagSeconds alarm
 * threshold) keeps most windows closed by the watermark rather than by the carrier's end.
 */
export const MAX_REALTIME_WATERMARK_SECONDS = 300;

/** Every cloud the settings name; a cloud is deployable once its implementation is in AVAILABLE_CLOUDS. */
export const CLOUD_NAMES: readonly CloudName[] = ["aws", "gcp"];
/** Clouds this version of the package deploys to (each has its folder under components/). */
export const AVAILABLE_CLOUDS: readonly CloudName[] = ["aws", "gcp"];

/** Longest log retention any cloud's validator may accept, in days (10 years). */
export const MAX_LOG_RETENTION_DAYS = 3653;

export interface PipelineSettings {
    /** Prefix of every physical name. `^[a-zA-Z][-a-zA-Z0-9]{0,127}$`. */
    workloadName: string;
    /** Cloud the pipeline deploys to (one of AVAILABLE_CLOUDS). @default "aws" */
    cloud: CloudName;
    /** @default "KINESIS_DATA_STREAMS" */
    ingestMode: IngestMode;
    /** Windowed real-time metrics over the event stream. Requires KINESIS_DATA_STREAMS. @default true */
    realTimeAnalytics: boolean;
    /**
     * Allowed out-of-orderness of event times, whole seconds (0-300): a 1-minute window is emitted
     * once the largest event time seen passes its end by this much; later events are LateEvents.
     * @default 5
     */
    realtimeWatermarkSeconds: number;
    /** Where the real-time metrics go; OPENSEARCH (AWS only) adds an OpenSearch Serverless collection and UI. @default "CLOUDWATCH" */
    realTimeDestination: RealTimeDestination;
    /** @default "DATA_LAKE" */
    dataStack: DataStack;
    /** @default "HIVE" */
    tableFormat: TableFormat;
    /**
     * Glue database name. On AWS, when unset, the pipeline derives `<workloadName>_events`
     * (components/storage-tier.ts defaultEventsDatabase) so two stacks of one account and region
     * never collide; the local mode (one stack per machine) keeps "game_events".
     * @default "game_events" locally, `<workloadName>_events` on AWS
     */
    eventsDatabase: string;
    /** Glue table of the events. @default "raw_events" */
    rawEventsTable: string;
    /** @default "raw_events" */
    rawEventsPrefix: string;
    /** @default "processed_events" */
    processedEventsPrefix: string;
    /** @default "glueetl-tmp" */
    glueTmpPrefix: string;
    /** Provisioned Kinesis capacity instead of on-demand. @default false */
    streamProvisioned: boolean;
    /** Shards when provisioned. @default 1 */
    streamShardCount: number;
    /** Retention of the Kinesis stream in hours (24-8760). @default 24 */
    streamRetentionHours: number;
    /** API Gateway stage name. @default "live" */
    apiStageName: string;
    /** Short buffers and destroyable storage. Production (false) keeps versioning and retains data. @default false */
    devMode: boolean;
    /** Firehose backup of the raw, untransformed records to S3. @default false */
    s3BackupMode: boolean;
    /** Email subscribed to the alarm topic. @default undefined (no subscription) */
    emailAddress?: string;
    /**
     * Retention of every log (log group), in days: 1 to 3653 here; each cloud may accept fewer
     * values (on AWS, one of CloudWatch Logs' retention periods). @default 30
     */
    cloudWatchRetentionDays: number;
    /** API Gateway authorizer result cache, seconds (0-3600). A disabled key stops working within this time. @default 60 */
    authorizerCacheTtlSeconds: number;
    /** Cache of application lookups in the transform Lambda, seconds (0-3600). @default 60 */
    applicationCacheTtlSeconds: number;
    /** Steady-state requests per second allowed on the API stage. @default 1000 */
    apiThrottlingRateLimit: number;
    /** Burst requests allowed on the API stage. @default 2000 */
    apiThrottlingBurstLimit: number;
    /** Origins allowed by CORS on the events route. @default ["*"] */
    corsAllowOrigins: string[];
    /**
     * Schedule of the batch (ETL) workflow, or none for on-demand: a neutral interval (config words
     * `every 1 hours`, `every 1 days at 02:00`, or an object; components/contracts/schedule.ts), or,
     * as before the interval existed, an expression of the cloud's own syntax (`cron(...)` on AWS),
     * which only that cloud accepts. @default undefined
     */
    etlSchedule?: BatchSchedule;
    /** Days after which raw event objects expire from the lake; 0 keeps them forever. @default 0 */
    dataRetentionDays: number;
    /** Days an Iceberg snapshot is kept (time travel reaches back this far; ICEBERG only). @default 5 */
    icebergSnapshotRetentionDays: number;
    /** Iceberg snapshots always kept, whatever their age (ICEBERG only). @default 1 */
    icebergSnapshotsToKeep: number;
    /** Days a file no Iceberg snapshot references is kept before deletion (ICEBERG only). @default 3 */
    icebergOrphanFileRetentionDays: number;
    /** Hours between Iceberg snapshot-retention and orphan-file runs (ICEBERG only). @default 24 */
    icebergMaintenanceRunHours: number;
    // --- Player authentication (OIDC issuer of the players' JWTs; issue 16). Unset = API keys only.
    // Read here as text; their rules (https, claims, combinations) are applied by
    // components/player-auth-settings.ts through functions/core/player-auth/oidc-settings.ts.
    /**
     * Issuer of the player tokens, compared exactly with their `iss`: an https URL; in the local
     * mode also http on 127.0.0.1/localhost, or `dev` to start the development issuer.
     * @default undefined (no player tokens)
     * @example "https://id.studio.example.com"
     */
    oidcIssuerUrl?: string;
    /** Audience(s) the token's `aud` must contain (comma-separated or a JSON list). @default undefined @example "gamebackend" */
    oidcAudience?: string;
    /** Claim holding the player id. @default "sub" @example "player_id" */
    oidcPlayerIdClaim?: string;
    /** Claim naming the application a token is for. @default undefined @example "app_id" */
    oidcApplicationClaim?: string;
    /** Application of tokens that name none (the seeds' tokens). @default undefined @example "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968" */
    oidcApplicationId?: string;
    /** Tolerance on `exp`/`nbf`, seconds (0-300). @default 60 @example 30 */
    oidcClockSkewSeconds?: number;
    /** JWKS URL; unset = the issuer's discovery document. @default undefined @example "https://id.studio.example.com/jwks" */
    oidcJwksUrl?: string;
    /** Accepted algorithms (asymmetric only, comma-separated). @default every asymmetric one @example "RS256,ES256" */
    oidcAlgorithms?: string;
}

export const DEFAULT_SETTINGS: Omit<PipelineSettings, "workloadName"> = {
    cloud: "aws",
    ingestMode: "KINESIS_DATA_STREAMS",
    realTimeAnalytics: true,
    realtimeWatermarkSeconds: 5,
    realTimeDestination: "CLOUDWATCH",
    dataStack: "DATA_LAKE",
    tableFormat: "HIVE",
    eventsDatabase: "game_events",
    rawEventsTable: "raw_events",
    rawEventsPrefix: "raw_events",
    processedEventsPrefix: "processed_events",
    glueTmpPrefix: "glueetl-tmp",
    streamProvisioned: false,
    streamShardCount: 1,
    streamRetentionHours: 24,
    apiStageName: "live",
    devMode: false,
    s3BackupMode: false,
    emailAddress: undefined,
    cloudWatchRetentionDays: 30,
    authorizerCacheTtlSeconds: 60,
    applicationCacheTtlSeconds: 60,
    apiThrottlingRateLimit: 1000,
    apiThrottlingBurstLimit: 2000,
    corsAllowOrigins: ["*"],
    etlSchedule: undefined,
    dataRetentionDays: 0,
    icebergSnapshotRetentionDays: 5,
    icebergSnapshotsToKeep: 1,
    icebergOrphanFileRetentionDays: 3,
    icebergMaintenanceRunHours: 24,
    oidcIssuerUrl: undefined,
    oidcAudience: undefined,
    oidcPlayerIdClaim: undefined,
    oidcApplicationClaim: undefined,
    oidcApplicationId: undefined,
    oidcClockSkewSeconds: undefined,
    oidcJwksUrl: undefined,
    oidcAlgorithms: undefined,
};

/** Every setting key, in the order the README documents them. */
export const SETTING_KEYS: readonly (keyof PipelineSettings)[] = [
    "workloadName", ...(Object.keys(DEFAULT_SETTINGS) as (keyof PipelineSettings)[]),
];

/** One broken rule: the config key, the value found and the rule it breaks. */
export interface SettingsProblem {
    key: string;
    value: unknown;
    rule: string;
}

/** Thrown when stack settings are invalid. Its message lists every problem, one per line. */
export class SettingsError extends Error {
    constructor(readonly problems: SettingsProblem[], namespace?: string) {
        super(
            "Invalid pipeline settings:\n" +
            problems.map((p) => `  - ${namespace ? `${namespace}:` : ""}${p.key} = ${JSON.stringify(p.value)}: ${p.rule}`).join("\n"),
        );
        this.name = "SettingsError";
    }
}

const NAME_PATTERN = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
const GLUE_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_]{0,254}$/;
const PREFIX_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_\-.]{0,127}$/;
const STAGE_PATTERN = /^[a-zA-Z0-9_]{1,128}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ORIGIN_PATTERN = /^(\*|https?:\/\/[^\s/]+)$/;
/** The oidc* text settings: one line of printable ASCII (their own rules come after, see PipelineSettings). */
const OIDC_TEXT_PATTERN = /^[\x21-\x7e][\x20-\x7e]{0,2047}$/;
const OIDC_TEXT_RULE = "must be one line of 1-2048 printable ASCII characters";

type Raw = Record<string, unknown>;

/**
 * Validates raw settings (strings as read from stack config, or typed values) and returns the full,
 * typed settings with defaults applied. Throws a {@link SettingsError} naming every bad key.
 *
 * @param raw values by key; `undefined` means "use the default".
 * @param namespace config namespace used in messages (e.g. "game-analytics").
 */
export function validateSettings(raw: Raw, namespace?: string): PipelineSettings {
    const { settings, problems } = checkSettings(raw);
    if (problems.length > 0) {
        throw new SettingsError(problems, namespace);
    }
    return settings;
}

/**
 * The neutral rules, without throwing: every problem found, and the settings with each bad value
 * replaced by its default (so that a cloud's validator can still look at the good ones and report
 * its own problems in the same SettingsError).
 * @example checkSettings({ workloadName: "g", ingestMode: "SQS" }).problems // [{ key: "ingestMode", ... }]
 */
export function checkSettings(raw: Raw): { settings: PipelineSettings; problems: SettingsProblem[] } {
    const problems: SettingsProblem[] = [];
    const known = new Set<string>(SETTING_KEYS as string[]);
    for (const key of Object.keys(raw)) {
        if (!known.has(key) && raw[key] !== undefined) {
            problems.push({ key, value: raw[key], rule: `unknown setting; known settings are ${SETTING_KEYS.join(", ")}` });
        }
    }
    const read = new SettingsReader(raw, problems);

    const s: PipelineSettings = {
        workloadName: read.string("workloadName", undefined, NAME_PATTERN,
            "required; must match ^[a-zA-Z][-a-zA-Z0-9]{0,127}$ (a letter, then letters, digits or hyphens)"),
        cloud: read.cloud(),
        ingestMode: read.choice("ingestMode", INGEST_MODES),
        realTimeAnalytics: read.boolean("realTimeAnalytics"),
        realtimeWatermarkSeconds: read.integer("realtimeWatermarkSeconds", 0, MAX_REALTIME_WATERMARK_SECONDS),
        realTimeDestination: read.choice("realTimeDestination", REALTIME_DESTINATIONS),
        dataStack: read.choice("dataStack", DATA_STACKS),
        tableFormat: read.choice("tableFormat", TABLE_FORMATS),
        eventsDatabase: read.string("eventsDatabase", DEFAULT_SETTINGS.eventsDatabase, GLUE_NAME_PATTERN,
            "must match ^[a-zA-Z0-9][a-zA-Z0-9_]{0,254}$"),
        rawEventsTable: read.string("rawEventsTable", DEFAULT_SETTINGS.rawEventsTable, GLUE_NAME_PATTERN,
            "must match ^[a-zA-Z0-9][a-zA-Z0-9_]{0,254}$"),
        rawEventsPrefix: read.string("rawEventsPrefix", DEFAULT_SETTINGS.rawEventsPrefix, PREFIX_PATTERN,
            "must be an S3 folder name matching ^[a-zA-Z0-9][a-zA-Z0-9_\\-.]{0,127}$ (no slashes)"),
        processedEventsPrefix: read.string("processedEventsPrefix", DEFAULT_SETTINGS.processedEventsPrefix, PREFIX_PATTERN,
            "must be an S3 folder name matching ^[a-zA-Z0-9][a-zA-Z0-9_\\-.]{0,127}$ (no slashes)"),
        glueTmpPrefix: read.string("glueTmpPrefix", DEFAULT_SETTINGS.glueTmpPrefix, PREFIX_PATTERN,
            "must be an S3 folder name matching ^[a-zA-Z0-9][a-zA-Z0-9_\\-.]{0,127}$ (no slashes)"),
        streamProvisioned: read.boolean("streamProvisioned"),
        streamShardCount: read.integer("streamShardCount", 1, 4096),
        streamRetentionHours: read.integer("streamRetentionHours", 24, 8760),
        apiStageName: read.string("apiStageName", DEFAULT_SETTINGS.apiStageName, STAGE_PATTERN,
            "must be 1-128 letters, digits or underscores"),
        devMode: read.boolean("devMode"),
        s3BackupMode: read.boolean("s3BackupMode"),
        emailAddress: read.optionalString("emailAddress", EMAIL_PATTERN, "must be an email address like ops@studio.com"),
        cloudWatchRetentionDays: read.integer("cloudWatchRetentionDays", 1, MAX_LOG_RETENTION_DAYS),
        authorizerCacheTtlSeconds: read.integer("authorizerCacheTtlSeconds", 0, 3600),
        applicationCacheTtlSeconds: read.integer("applicationCacheTtlSeconds", 0, 3600),
        apiThrottlingRateLimit: read.integer("apiThrottlingRateLimit", 1, 1_000_000),
        apiThrottlingBurstLimit: read.integer("apiThrottlingBurstLimit", 1, 1_000_000),
        corsAllowOrigins: read.stringList("corsAllowOrigins", ORIGIN_PATTERN,
            "each origin must be \"*\" or a scheme and host like https://game.example.com"),
        etlSchedule: read.schedule("etlSchedule"),
        dataRetentionDays: read.integer("dataRetentionDays", 0, 36500),
        icebergSnapshotRetentionDays: read.integer("icebergSnapshotRetentionDays", 1, 3653),
        icebergSnapshotsToKeep: read.integer("icebergSnapshotsToKeep", 1, 1000),
        icebergOrphanFileRetentionDays: read.integer("icebergOrphanFileRetentionDays", 1, 3653),
        icebergMaintenanceRunHours: read.integer("icebergMaintenanceRunHours", 3, 168),
        oidcIssuerUrl: read.optionalString("oidcIssuerUrl", OIDC_TEXT_PATTERN, OIDC_TEXT_RULE),
        oidcAudience: read.optionalString("oidcAudience", OIDC_TEXT_PATTERN, OIDC_TEXT_RULE),
        oidcPlayerIdClaim: read.optionalString("oidcPlayerIdClaim", OIDC_TEXT_PATTERN, OIDC_TEXT_RULE),
        oidcApplicationClaim: read.optionalString("oidcApplicationClaim", OIDC_TEXT_PATTERN, OIDC_TEXT_RULE),
        oidcApplicationId: read.optionalString("oidcApplicationId", OIDC_TEXT_PATTERN, OIDC_TEXT_RULE),
        oidcClockSkewSeconds: read.optionalInteger("oidcClockSkewSeconds", 0, 300),
        oidcJwksUrl: read.optionalString("oidcJwksUrl", OIDC_TEXT_PATTERN, OIDC_TEXT_RULE),
        oidcAlgorithms: read.optionalString("oidcAlgorithms", OIDC_TEXT_PATTERN, OIDC_TEXT_RULE),
    };

    // Forbidden combinations (REFERENCE section 1).
    if (s.ingestMode === "DIRECT_BATCH" && s.dataStack === "REDSHIFT") {
        problems.push({ key: "dataStack", value: s.dataStack,
            rule: "REDSHIFT requires ingestMode KINESIS_DATA_STREAMS (Redshift reads the stream); DIRECT_BATCH has no stream" });
    }
    if (s.ingestMode === "DIRECT_BATCH" && s.realTimeAnalytics) {
        problems.push({ key: "realTimeAnalytics", value: s.realTimeAnalytics,
            rule: "real-time analytics requires ingestMode KINESIS_DATA_STREAMS; set it to false with DIRECT_BATCH" });
    }
    if (s.realTimeDestination === "OPENSEARCH" && s.cloud !== "aws") {
        problems.push({ key: "realTimeDestination", value: s.realTimeDestination,
            rule: `OPENSEARCH (an OpenSearch Serverless collection) is built on aws only; use CLOUDWATCH on ${s.cloud} (Cloud Monitoring)` });
    }
    if (s.realTimeDestination === "OPENSEARCH" && !s.realTimeAnalytics) {
        problems.push({ key: "realTimeDestination", value: s.realTimeDestination,
            rule: "OPENSEARCH needs realTimeAnalytics true (there are no real-time metrics to send without it)" });
    }
    if (s.dataStack === "REDSHIFT" && s.tableFormat === "ICEBERG") {
        problems.push({ key: "tableFormat", value: s.tableFormat,
            rule: "ICEBERG applies to the DATA_LAKE data stack only; use HIVE (the default) with REDSHIFT" });
    }
    if (s.apiThrottlingBurstLimit < s.apiThrottlingRateLimit && raw.apiThrottlingBurstLimit !== undefined) {
        problems.push({ key: "apiThrottlingBurstLimit", value: s.apiThrottlingBurstLimit,
            rule: `must be at least apiThrottlingRateLimit (${s.apiThrottlingRateLimit})` });
    }
    if (!s.streamProvisioned && raw.streamShardCount !== undefined && s.streamShardCount !== 1) {
        problems.push({ key: "streamShardCount", value: raw.streamShardCount,
            rule: "applies only with streamProvisioned true; on-demand streams scale by themselves" });
    }

    return { settings: s, problems };
}

/** Reads one raw value at a time, converting config strings and recording problems. */
class SettingsReader {
    constructor(private readonly raw: Raw, private readonly problems: SettingsProblem[]) {}

    private fail(key: string, value: unknown, rule: string): void {
        this.problems.push({ key, value, rule });
    }

    private defaultOf<K extends keyof PipelineSettings>(key: K): PipelineSettings[K] {
        return (DEFAULT_SETTINGS as PipelineSettings)[key];
    }

    string(key: keyof PipelineSettings, fallback: string | undefined, pattern: RegExp, rule: string): string {
        const v = this.raw[key];
        if (v === undefined || v === "") {
            if (fallback === undefined) this.fail(key, v, rule);
            return fallback ?? "";
        }
        if (typeof v !== "string" || !pattern.test(v)) {
            this.fail(key, v, rule);
            return fallback ?? "";
        }
        return v;
    }

    optionalString(key: keyof PipelineSettings, pattern: RegExp, rule: string): string | undefined {
        const v = this.raw[key];
        if (v === undefined || v === "") return undefined;
        if (typeof v !== "string" || !pattern.test(v)) {
            this.fail(key, v, rule);
            return undefined;
        }
        return v;
    }

    optionalInteger(key: keyof PipelineSettings, min: number, max: number): number | undefined {
        const v = this.raw[key];
        if (v === undefined || v === "") return undefined;
        const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
        if (!Number.isInteger(n) || n < min || n > max) {
            this.fail(key, v, `must be a whole number from ${min} to ${max}`);
            return undefined;
        }
        return n;
    }

    choice<T extends string>(key: keyof PipelineSettings, choices: readonly T[]): T {
        const v = this.raw[key];
        const fallback = this.defaultOf(key) as T;
        if (v === undefined || v === "") return fallback;
        if (typeof v !== "string" || !(choices as readonly string[]).includes(v)) {
            this.fail(key, v, `must be one of ${choices.join(", ")}`);
            return fallback;
        }
        return v as T;
    }

    boolean(key: keyof PipelineSettings): boolean {
        const v = this.raw[key];
        const fallback = this.defaultOf(key) as boolean;
        if (v === undefined || v === "") return fallback;
        if (v === true || v === "true") return true;
        if (v === false || v === "false") return false;
        this.fail(key, v, "must be true or false");
        return fallback;
    }

    integer(key: keyof PipelineSettings, min: number, max: number): number {
        const v = this.raw[key];
        const fallback = this.defaultOf(key) as number;
        if (v === undefined || v === "") return fallback;
        const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
        if (!Number.isInteger(n) || n < min || n > max) {
            this.fail(key, v, `must be a whole number from ${min} to ${max}`);
            return fallback;
        }
        return n;
    }

    /** A neutral interval or a cloud's expression (components/contracts/schedule.ts). */
    schedule(key: keyof PipelineSettings): BatchSchedule | undefined {
        const { schedule, problem } = parseSchedule(this.raw[key]);
        if (problem !== undefined) this.fail(key, this.raw[key], problem);
        return schedule;
    }

    /** `cloud`: a known cloud whose implementation this version ships. */
    cloud(): CloudName {
        const v = this.raw.cloud;
        if (v === undefined || v === "") return DEFAULT_SETTINGS.cloud;
        if (typeof v === "string" && (CLOUD_NAMES as readonly string[]).includes(v) && !(AVAILABLE_CLOUDS as readonly string[]).includes(v)) {
            this.fail("cloud", v, `${v} is not available in this version of the package (its implementation is not shipped yet); use ${AVAILABLE_CLOUDS.join(" or ")}`);
            return DEFAULT_SETTINGS.cloud;
        }
        if (typeof v !== "string" || !(AVAILABLE_CLOUDS as readonly string[]).includes(v)) {
            this.fail("cloud", v, `must be one of ${AVAILABLE_CLOUDS.join(", ")}`);
            return DEFAULT_SETTINGS.cloud;
        }
        return v as CloudName;
    }

    stringList(key: keyof PipelineSettings, itemPattern: RegExp, rule: string): string[] {
        const v = this.raw[key];
        const fallback = this.defaultOf(key) as string[];
        if (v === undefined || v === "") return [...fallback];
        let list: unknown = v;
        if (typeof v === "string") {
            try {
                list = v.trim().startsWith("[") ? JSON.parse(v) : v.split(",").map((x) => x.trim());
            } catch {
                this.fail(key, v, "must be a JSON list of strings or a comma-separated list");
                return [...fallback];
            }
        }
        if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === "string" && itemPattern.test(x))) {
            this.fail(key, v, rule);
            return [...fallback];
        }
        return list as string[];
    }
}
