/** The data lake component under Pulumi mocks: catalog table, projection, lifecycle, Athena. */
import * as assert from "node:assert/strict";
import { NAMED_QUERIES } from "../../analytics/named-queries";
import { defaultEventsDatabase, lifecycleRules, StorageTier } from "../../components/aws/storage-tier";
import { EVENT_COLUMNS } from "../../functions/core/contracts";
import { MockRecorder, valueOf } from "../support/pulumi-mocks";

describe("StorageTier", () => {
    const mocks = new MockRecorder();
    before(async () => {
        await mocks.install();
        const storage = new StorageTier("lake", { workloadName: "Game1", devMode: false, dataRetentionDays: 365 });
        await valueOf(storage.workgroupName);
        await mocks.settle();
    });

    it("declares the events table with the contract's columns and string date partitions, as Parquet", () => {
        const table = mocks.one("aws:glue/catalogTable:CatalogTable", "-raw-events-table").inputs;
        assert.deepEqual(table.storageDescriptor.columns, EVENT_COLUMNS.map((c) => ({ name: c.name, type: c.glueType })));
        // Appended after the first ten columns: Glue updates the table in place, old files read them as null.
        assert.deepEqual(table.storageDescriptor.columns.map((c: { name: string }) => c.name), [
            "event_id", "event_type", "event_name", "event_version", "event_timestamp", "app_version", "application_id", "application_name",
            "event_data", "metadata", "player_id", "source_event_id",
        ]);
        assert.deepEqual(table.storageDescriptor.columns.slice(-2), [{ name: "player_id", type: "string" }, { name: "source_event_id", type: "string" }]);
        assert.deepEqual(table.partitionKeys, [{ name: "year", type: "string" }, { name: "month", type: "string" }, { name: "day", type: "string" }]);
        assert.equal(table.storageDescriptor.serDeInfo.serializationLibrary, "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
    });

    it("projects year/month/day partitions onto the folders Firehose writes", () => {
        const bucket = mocks.one("aws:s3/bucket:Bucket", "-bucket").id;
        const p = mocks.one("aws:glue/catalogTable:CatalogTable", "-raw-events-table").inputs.parameters;
        assert.deepEqual(
            [p["projection.enabled"], p["projection.year.range"], p["projection.month.digits"], p["projection.day.digits"], p["projection.day.range"]],
            ["true", "NOW-1YEARS,NOW+1YEARS", "2", "2", "1,31"]);
        // The year is a date projection relative to the query's time (365-day retention: one year back).
        assert.deepEqual([p["projection.year.type"], p["projection.year.format"], p["projection.year.interval"], p["projection.year.interval.unit"]],
            ["date", "yyyy", "1", "YEARS"]);
        assert.equal(p["storage.location.template"], `s3://${bucket}/raw_events/year=\${year}/month=\${month}/day=\${day}/`);
    });

    it("names the bucket after the workload, lowercased", () => {
        assert.equal(mocks.one("aws:s3/bucket:Bucket", "-bucket").inputs.bucketPrefix, "game1-lake-");
    });

    it("expires temporary folders and, with a retention, raw data", () => {
        const rules = mocks.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "-bucket-lifecycle").inputs.rules;
        const byPrefix = Object.fromEntries(rules.filter((r: any) => r.expiration?.days).map((r: any) => [r.filter.prefix, r.expiration.days]));
        assert.deepEqual(byPrefix, { "athena_query_results/": 30, "glueetl-tmp/": 7, "raw_events/": 365, "raw_backup/": 365, "firehose-errors/": 365 });
        assert.ok(rules.some((r: any) => r.abortIncompleteMultipartUpload?.daysAfterInitiation === 1));
    });

    it("gives every bucket-wide rule an explicit empty prefix, never the deprecated filter {}", () => {
        const rules = mocks.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "-bucket-lifecycle").inputs.rules;
        assert.ok(rules.every((r: any) => typeof r.filter?.prefix === "string"), JSON.stringify(rules.map((r: any) => r.filter)));
        assert.equal(rules.find((r: any) => r.id === "abort-incomplete-multipart-uploads").filter.prefix, "");
    });

    it("expires non-current versions and expired delete markers bucket-wide in production, not in development", () => {
        const rules = mocks.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "-bucket-lifecycle").inputs.rules;
        const bucketWide = rules.filter((r: any) => r.filter.prefix === "" && r.noncurrentVersionExpiration);
        assert.deepEqual(bucketWide.map((r: any) => [r.noncurrentVersionExpiration.noncurrentDays, r.expiration?.expiredObjectDeleteMarker, r.expiration?.days]), [[30, true, undefined]]);
        const dev = lifecycleRules({ glueTmpPrefix: "tmp", rawEventsPrefix: "raw", dataRetentionDays: 0, devMode: true });
        assert.ok(dev.every((r) => (r.filter as any)?.prefix !== "" || !r.noncurrentVersionExpiration));
    });

    it("derives the default Glue database from the workload name (two stacks never share one)", async () => {
        assert.equal(mocks.one("aws:glue/catalogDatabase:CatalogDatabase", "-database").inputs.name, "game1_events");
        assert.equal(defaultEventsDatabase("studio-a"), "studio_a_events");
        assert.notEqual(defaultEventsDatabase("studio-a"), defaultEventsDatabase("studio-b"));
    });

    it("enforces an encrypted, cut-off Athena workgroup writing results to the bucket", () => {
        const bucket = mocks.one("aws:s3/bucket:Bucket", "-bucket").id;
        const config = mocks.one("aws:athena/workgroup:Workgroup", "-workgroup").inputs.configuration;
        assert.deepEqual(
            [config.enforceWorkgroupConfiguration, config.resultConfiguration.outputLocation, config.resultConfiguration.encryptionConfiguration.encryptionOption, config.bytesScannedCutoffPerQuery],
            [true, `s3://${bucket}/athena_query_results/`, "SSE_KMS", 10 * 1024 ** 3]);
    });

    it("creates one Athena named query per sample query, over the configured table", () => {
        const queries = mocks.ofType("aws:athena/namedQuery:NamedQuery");
        assert.deepEqual(queries.map((q) => q.inputs.name), NAMED_QUERIES.map((q) => q.name));
        assert.ok(queries.every((q) => q.inputs.query.includes(`"game1_events"."raw_events"`)));
    });

    it("rotates the lake key", () => {
        assert.equal(mocks.one("aws:kms/key:Key", "-key").inputs.enableKeyRotation, true);
    });
});
