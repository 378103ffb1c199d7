/** CloudWatch (logs, alarms, dashboard, custom metrics), SNS alarm topic, KMS keys. */
import { ASSUMPTIONS } from "../assumptions";
import type { CostContext } from "../context";
import { count, line, type LineItem } from "../line-item";
import { PRICES } from "../prices";
import { GIB } from "../units";
import { firstMonthAverageBytes } from "./lake";

export function operationsLines(c: CostContext): LineItem[] {
    const d = c.design;
    const s = c.settings;
    const platform = ASSUMPTIONS.platformLogBytesPerInvocation;
    const handler = d.name === "ours" ? ASSUMPTIONS.handlerLogBytesPerInvocation : 0;
    const lambdaLogBytes = c.authorizerInvocations * platform
        + (d.ingest ? c.requests * (platform + handler) : 0)
        + c.transformInvocations * (platform + handler);
    const accessLogBytes = c.requests * d.accessLogBytesPerRequest;
    const ingested = lambdaLogBytes + accessLogBytes;
    const items: LineItem[] = [
        line("CloudWatch", "logs ingestion", ingested / GIB, PRICES.cloudWatch.logsIngestion,
            `Lambda platform${handler ? " + handler summary/EMF" : ""} logs${accessLogBytes ? ` + API access logs (${d.accessLogBytesPerRequest} B/request)` : ""}`),
    ];
    const retention = d.lambdaLogsExpire ? s.cloudWatchRetentionDays : 0;
    const stored = firstMonthAverageBytes((ingested * ASSUMPTIONS.logsCompressionRatio) / c.days, c.days, retention);
    items.push(line("CloudWatch", "logs storage", stored / GIB, PRICES.cloudWatch.logsStorage,
        d.lambdaLogsExpire ? `first-month average, ${retention}-day retention on every log group` : "first-month average; Lambda log groups never expire (grows every month)"));
    items.push(line("CloudWatch", "alarms", d.alarmMetrics, PRICES.cloudWatch.alarmMetric, "alarm metrics of the operations tier (REFERENCE section 6)"));
    items.push(line("CloudWatch", "dashboard", 1, PRICES.cloudWatch.dashboard, "one operations dashboard"));
    if (d.customMetrics > 0) {
        items.push(line("CloudWatch", "handler custom metrics", d.customMetrics, PRICES.cloudWatch.customMetric, "EMF metrics of the handlers (Powertools)"));
    }

    const notifications = ASSUMPTIONS.alarmNotificationsPerMonth;
    items.push(line("SNS", "alarm publishes", notifications / 1e6, PRICES.sns.publishes, `${notifications} alarm state changes`));
    if (s.emailAddress) {
        items.push(line("SNS", "email notifications", notifications / 1e5, PRICES.sns.emailNotifications, `to ${s.emailAddress}`));
    }

    const queries = c.workload.athenaQueriesPerDay * c.days;
    const objectsTouched = c.deliveredObjects + queries * (c.deliveredObjects / c.days) * c.workload.athenaQueryDays;
    const perObject = d.s3BucketKeys ? ASSUMPTIONS.kmsRequestShareWithBucketKeys : 1;
    const kmsRequests = ASSUMPTIONS.kmsBaselineRequests + objectsTouched * perObject;
    items.push(line("KMS", "customer managed keys", d.kmsKeys, PRICES.kms.keyMonth, d.kmsKeys > 1 ? "lake key + alarm topic key" : "one key"));
    items.push(line("KMS", "requests", kmsRequests / 1e4, PRICES.kms.requests,
        d.s3BucketKeys
            ? `${count(kmsRequests)}: S3 Bucket Keys: ${ASSUMPTIONS.kmsRequestShareWithBucketKeys * 100} % of one request per object written or read (AWS's measured saving), plus ${count(ASSUMPTIONS.kmsBaselineRequests)} for the other services`
            : `${count(kmsRequests)}: one request per object written or read, plus ${count(ASSUMPTIONS.kmsBaselineRequests)} for the other services`));
    return items;
}
