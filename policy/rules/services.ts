/**
 * Rules AWS services enforce at create time (or silently at run time) that the mocks accept:
 * each one a defect a pre-deployment review found (issue 17), so a studio's own composition of
 * the tiers meets them at `pulumi preview`.
 */
import { parsePolicyDocument } from "./policy-documents";
import { label, ofType, refersTo } from "./relations";
import { ResourceFacts, ResourceRule, StackRule, TYPES, Violation } from "./types";

export const glueCrawlerNewFoldersOnlyLogs: ResourceRule = {
    name: "glue-crawler-new-folders-only-logs",
    description: "A crawler that crawls new folders only has the schema change policy LOG/LOG (Glue rejects any other: InvalidInputException, terraform-provider-aws #22868).",
    types: [TYPES.glueCrawler],
    check: ({ props }) => {
        if (props.recrawlPolicy?.recrawlBehavior !== "CRAWL_NEW_FOLDERS_ONLY") return [];
        // Glue's defaults are UPDATE_IN_DATABASE and DEPRECATE_IN_DATABASE.
        const update = props.schemaChangePolicy?.updateBehavior ?? "UPDATE_IN_DATABASE";
        const remove = props.schemaChangePolicy?.deleteBehavior ?? "DEPRECATE_IN_DATABASE";
        return update === "LOG" && remove === "LOG" ? [] : [
            `recrawlBehavior CRAWL_NEW_FOLDERS_ONLY with schemaChangePolicy updateBehavior ${update} / deleteBehavior ${remove}: Glue accepts only LOG for both ("The SchemaChangePolicy for \\"Crawl new folders only\\" Amazon S3 target can have only LOG DeleteBehavior value and LOG UpdateBehavior value")`,
        ];
    },
};

/** Whether a trust policy statement lets `service` assume the role. */
function trusts(principal: unknown, service: string): boolean {
    const services = (principal as { Service?: unknown } | undefined)?.Service;
    return (Array.isArray(services) ? services : [services]).includes(service);
}

export const firehoseTrustExternalId: ResourceRule = {
    name: "firehose-trust-external-id",
    description: "A role Firehose assumes is conditioned on sts:ExternalId = the account id, the condition Firehose documents (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#firehose-assume-role); aws:SourceAccount/aws:SourceArn make the stream's creation fail.",
    types: [TYPES.iamRole],
    check: ({ props }) => {
        let statements;
        try {
            statements = parsePolicyDocument(props.assumeRolePolicy);
        } catch {
            return [];
        }
        const problems: string[] = [];
        for (const s of statements.filter((st) => st.effect === "Allow" && trusts(st.principal, "firehose.amazonaws.com"))) {
            const keys = Object.values(s.condition ?? {}).flatMap((block) => Object.keys(block ?? {}));
            const unsupported = keys.filter((k) => k === "aws:SourceAccount" || k === "aws:SourceArn");
            if (unsupported.length > 0) problems.push(`trust policy conditions Firehose on ${unsupported.join(", ")}, which Firehose does not document for assuming a role: it could not assume the role and the stream's creation fails; use StringEquals sts:ExternalId = the account id`);
            if (!keys.includes("sts:ExternalId")) problems.push("trust policy lets Firehose assume the role without the documented sts:ExternalId = account id condition (confused deputy)");
        }
        return problems;
    },
};

/** Lambda application log levels above INFO, which drop JSON lines without a level (EMF metrics). */
const METRIC_DROPPING_LEVELS = ["WARN", "ERROR", "FATAL"];

export const lambdaLogLevelKeepsMetrics: ResourceRule = {
    name: "lambda-log-level-keeps-metrics",
    description: "A Lambda function's application log level filter is at most INFO: Lambda gives lines without a level INFO (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html), so WARN/ERROR drop every Embedded Metric Format line.",
    types: [TYPES.lambdaFunction],
    check: ({ props }) => {
        const level = props.loggingConfig?.applicationLogLevel;
        return typeof level === "string" && METRIC_DROPPING_LEVELS.includes(level.toUpperCase())
            ? [`loggingConfig.applicationLogLevel ${level} drops every EMF metric line (they carry no level, Lambda counts them INFO); keep the filter at INFO and filter in the logger (POWERTOOLS_LOG_LEVEL)`]
            : [];
    },
};

/** Whether `value` (an ARN or name input) designates `role`. */
function designatesRole(resource: ResourceFacts, property: string, role: ResourceFacts): boolean {
    if (refersTo(resource, property, role, [role.id, role.props.arn])) return true;
    const value = property.split(".").reduce<any>((v, key) => v?.[key], resource.props);
    return typeof value === "string" && typeof role.props.name === "string" && value.endsWith(`:role/${role.props.name}`);
}

/** The role property of each resource type that checks its role's permissions when created. */
const ROLE_PROPERTIES: Record<string, string> = {
    [TYPES.firehose]: "extendedS3Configuration.roleArn",
    [TYPES.glueJob]: "roleArn",
    [TYPES.glueCrawler]: "role",
};

export const createdAfterRolePolicy: StackRule = {
    name: "created-after-role-policy",
    description: "A Firehose stream, Glue job or crawler depends on its role's inline policies: the service checks the role's permissions when the resource is created.",
    check: (resources) => {
        const roles = ofType(resources, TYPES.iamRole);
        const policies = ofType(resources, TYPES.iamRolePolicy);
        const violations: Violation[] = [];
        // The engine always reports dependencies; facts built without them (plain captures) are not judged.
        for (const resource of resources.filter((r) => r.type in ROLE_PROPERTIES && r.dependencies !== undefined)) {
            const property = ROLE_PROPERTIES[resource.type]!;
            for (const role of roles.filter((r) => designatesRole(resource, property.split(".")[0]!, r) || designatesRole(resource, property, r))) {
                const ofRole = policies.filter((p) => refersTo(p, "role", role, [role.id, role.props.name]));
                const missing = ofRole.filter((p) => p.urn === undefined || !(resource.dependencies ?? []).includes(p.urn));
                if (missing.length > 0) {
                    violations.push({ urn: resource.urn, message: `${label(resource)}: does not depend on ${missing.map(label).join(", ")} of its role ${label(role)}; the service checks the permissions at creation and fails if the policy is not there yet (add it to dependsOn)` });
                }
            }
        }
        return violations;
    },
};

/** Worst delivery delay of a stream's buffers: 1.5x the S3 hint with dynamic partitioning, plus the processor's. */
function worstBufferingSeconds(firehose: ResourceFacts): number | undefined {
    const s3 = firehose.props.extendedS3Configuration;
    if (s3 === undefined) return undefined;
    const interval = Number(s3.bufferingInterval ?? 300);
    const factor = s3.dynamicPartitioningConfiguration?.enabled === true ? 1.5 : 1;
    const processor = (s3.processingConfiguration?.processors ?? []).flatMap((p: any) => p.parameters ?? [])
        .find((p: any) => p.parameterName === "BufferIntervalInSeconds");
    return factor * interval + (processor ? Number(processor.parameterValue) : 0);
}

export const firehoseFreshnessAlarmAboveBuffers: StackRule = {
    name: "firehose-freshness-alarm-above-buffers",
    description: "A DeliveryToS3.DataFreshness alarm's threshold is above the stream's worst buffering delay (1.5x the buffering interval with dynamic partitioning, https://docs.aws.amazon.com/firehose/latest/dev/buffering.html, plus the processor's buffer), or it fires on quiet traffic.",
    check: (resources) => {
        const streams = ofType(resources, TYPES.firehose);
        const violations: Violation[] = [];
        for (const alarm of ofType(resources, TYPES.metricAlarm).filter((a) => a.props.metricName === "DeliveryToS3.DataFreshness")) {
            const stream = streams.find((s) => s.props.name !== undefined && s.props.name === alarm.props.dimensions?.DeliveryStreamName);
            const worst = stream && worstBufferingSeconds(stream);
            if (worst !== undefined && !(Number(alarm.props.threshold) > worst)) {
                violations.push({ urn: alarm.urn, message: `${label(alarm)}: threshold ${alarm.props.threshold} s is not above the worst buffering delay of ${label(stream!)} (${worst} s): it alarms whenever traffic is quiet` });
            }
        }
        return violations;
    },
};
