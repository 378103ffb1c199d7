/**
 * Existing deployments must not be replaced by a refactoring of the package: for every settings
 * combination, the set of resources (URNs with the full parent type chain, as the engine computes
 * them) and what each is registered with (inputs, and the options that change what `pulumi up`
 * does: protect, retainOnDelete, deleteBeforeReplace, ignoreChanges, replaceOnChanges, dependsOn)
 * must equal the recorded fixture.
 *
 * A change that is meant to change resources regenerates the fixture on purpose:
 *   GAP_UPDATE_RESOURCE_SNAPSHOT=1 npx mocha --no-config -r tsx/cjs --extension ts --exit test/components/resource-snapshot.test.ts
 * and the diff of test/components/fixtures/resource-snapshot.json shows what it changes.
 */
import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { GameAnalyticsPipeline, GameAnalyticsPipelineArgs } from "../../components/pipeline";
import { MockRecorder, valueOf } from "../support/pulumi-mocks";

const FIXTURE = path.join(__dirname, "fixtures", "resource-snapshot.json");
const UPDATE = process.env.GAP_UPDATE_RESOURCE_SNAPSHOT === "1";

/** Every combination of the settings that change which resources exist, plus one with every name at its limit. */
function cases(): Array<{ label: string; args: GameAnalyticsPipelineArgs }> {
    const out: Array<{ label: string; args: GameAnalyticsPipelineArgs }> = [];
    for (const ingestMode of ["KINESIS_DATA_STREAMS", "DIRECT_BATCH"] as const) {
        for (const devMode of [true, false]) {
            for (const s3BackupMode of [true, false]) {
                for (const realTimeAnalytics of ingestMode === "DIRECT_BATCH" ? [false] : [true, false]) {
                    out.push({
                        label: `${ingestMode} dev=${devMode} backup=${s3BackupMode} realtime=${realTimeAnalytics}`,
                        args: { workloadName: "game1", ingestMode, devMode, s3BackupMode, realTimeAnalytics },
                    });
                }
            }
        }
    }
    out.push({
        label: "128-character workload, every optional setting",
        args: {
            workloadName: `w${"x".repeat(127)}`, ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: true,
            emailAddress: "ops@studio.example.com", etlSchedule: "cron(0 * * * ? *)", dataRetentionDays: 400,
            streamProvisioned: true, streamShardCount: 2, corsAllowOrigins: ["https://game.example.com"],
            eventsDatabase: "studio_events", rawEventsTable: "events_v1", apiStageName: "prod", tracing: true, logLevel: "DEBUG",
        },
    });
    // aws.apiType HTTP (components/aws/http-api.ts) with the player routes and explicit CORS origins.
    out.push({
        label: "HTTP API, KINESIS_DATA_STREAMS, OIDC issuer, CORS origins",
        args: {
            workloadName: "game1", ingestMode: "KINESIS_DATA_STREAMS", realTimeAnalytics: false, aws: { apiType: "HTTP" },
            oidcIssuerUrl: "https://id.studio.example.com", oidcAudience: "gamebackend", oidcApplicationClaim: "app_id",
            corsAllowOrigins: ["https://game.example.com"],
        },
    });
    // The REDSHIFT data stack: warehouse, its network and monitor, the stream archiver (no Firehose).
    out.push({
        label: "REDSHIFT, provisioned one-shard stream",
        args: { workloadName: "game1", ingestMode: "KINESIS_DATA_STREAMS", dataStack: "REDSHIFT", realTimeAnalytics: false, streamProvisioned: true, streamShardCount: 1 },
    });
    // ICEBERG in both ingest modes: the Iceberg table, its optimizers and maintenance.
    for (const ingestMode of ["KINESIS_DATA_STREAMS", "DIRECT_BATCH"] as const) {
        out.push({ label: `ICEBERG, ${ingestMode}`, args: { workloadName: "game1", ingestMode, tableFormat: "ICEBERG", realTimeAnalytics: false } });
    }
    return out;
}

/** Sorted-key JSON, so that a hash depends on values only. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value !== null && typeof value === "object") {
        return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
    }
    return JSON.stringify(value) ?? "undefined";
}

interface Registration { urn: string; type: string; name: string; options: Record<string, unknown> }

/** Registers the pipeline with a transformation that records each resource's URN and options. */
async function snapshotOf(args: GameAnalyticsPipelineArgs): Promise<Record<string, string>> {
    const mocks = new MockRecorder();
    await mocks.install();
    const qualifiedType = new WeakMap<pulumi.Resource, string>();
    const registrations: Registration[] = [];
    const urnOf = (r: pulumi.Resource): string => `urn:pulumi:dev::game-analytics::${qualifiedType.get(r) ?? "?"}::${(r as unknown as { __name?: string }).__name ?? "?"}`;
    const record: pulumi.ResourceTransformation = ({ resource, type, name, opts }) => {
        const parent = opts.parent;
        const qualified = parent && qualifiedType.has(parent) ? `${qualifiedType.get(parent)}$${type}` : type;
        qualifiedType.set(resource, qualified);
        const dependsOn = opts.dependsOn === undefined ? [] : (Array.isArray(opts.dependsOn) ? opts.dependsOn : [opts.dependsOn]);
        registrations.push({
            urn: `urn:pulumi:dev::game-analytics::${qualified}::${name}`, type, name,
            options: {
                protect: opts.protect ?? false,
                retainOnDelete: opts.retainOnDelete ?? false,
                deleteBeforeReplace: (opts as pulumi.CustomResourceOptions).deleteBeforeReplace ?? false,
                ignoreChanges: opts.ignoreChanges ?? [],
                replaceOnChanges: opts.replaceOnChanges ?? [],
                dependsOn: (dependsOn as pulumi.Resource[]).map(urnOf).sort(),
            },
        });
        return undefined;
    };
    const pipeline = new GameAnalyticsPipeline("game1", args, { transformations: [record] });
    await valueOf(pipeline.dashboardUrl);
    const resources = await mocks.settle();
    const inputs = new Map(resources.map((r) => [`${r.type}::${r.name}`, r.inputs]));
    const snapshot: Record<string, string> = {};
    for (const r of registrations) {
        const body = canonical({ inputs: inputs.get(`${r.type}::${r.name}`) ?? null, options: r.options });
        snapshot[r.urn] = crypto.createHash("sha256").update(body).digest("hex").slice(0, 16);
    }
    return snapshot;
}

describe("resource snapshot: URNs, inputs and options of every settings combination", function () {
    this.timeout(120_000);
    const recorded: Record<string, Record<string, string>> = fs.existsSync(FIXTURE) ? JSON.parse(fs.readFileSync(FIXTURE, "utf8")) : {};
    const fresh: Record<string, Record<string, string>> = {};

    after(() => {
        if (UPDATE) {
            fs.mkdirSync(path.dirname(FIXTURE), { recursive: true });
            fs.writeFileSync(FIXTURE, `${JSON.stringify(fresh, null, 1)}\n`);
        }
    });

    it("records every combination in the fixture", () => {
        if (UPDATE) return;
        assert.deepEqual(Object.keys(recorded).sort(), cases().map((c) => c.label).sort());
    });

    for (const { label, args } of cases()) {
        it(label, async () => {
            const now = await snapshotOf(args);
            fresh[label] = now;
            if (UPDATE) return;
            const before = recorded[label];
            assert.ok(before, `no recorded snapshot for "${label}"`);
            const added = Object.keys(now).filter((u) => !(u in before));
            const removed = Object.keys(before).filter((u) => !(u in now));
            const changed = Object.keys(now).filter((u) => u in before && before[u] !== now[u]);
            assert.deepEqual({ added, removed, changed }, { added: [], removed: [], changed: [] },
                "resources differ from the recorded snapshot (an intended change regenerates it, see the file's header)");
        });
    }
});
