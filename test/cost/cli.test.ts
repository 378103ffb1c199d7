import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCostCli } from "../../cost/cli";

interface Run { code: number; stdout: string; stderr: string }

function run(argv: string[], cwd = os.tmpdir()): Run {
    let stdout = "";
    let stderr = "";
    const code = runCostCli(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd });
    return { code, stdout, stderr };
}

describe("npm run cost", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-cli-"));
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), [
            "config:",
            "  aws:region: eu-west-1",
            "  game-analytics:workloadName: studio-prod",
            "  game-analytics:ingestMode: DIRECT_BATCH",
            "  game-analytics:realTimeAnalytics: false",
            "  game-analytics:authorizerCacheTtlSeconds: \"300\"",
            "  game-analytics:emailAddress:",
            "    secure: AAABAJ1xyz",
            "",
        ].join("\n"));
        fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), "config:\n  game-analytics:ingestMode: FAST\n");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("prints one JSON object with the total, priced line items, the workload and the settings", () => {
        const r = run(["--json", "--ingest-mode", "DIRECT_BATCH"]);
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.deepEqual(Object.keys(out).slice(0, 4), ["totalUsdPerMonth", "lineItems", "workload", "settings"]);
        assert.ok(out.lineItems.length > 10);
        for (const l of out.lineItems) {
            assert.deepEqual(Object.keys(l).sort(), ["item", "note", "quantity", "service", "unit", "unitPriceUsd", "usdPerMonth"]);
            assert.equal(typeof l.usdPerMonth, "number");
            assert.ok(l.note.length > 0);
        }
        assert.equal(out.workload.eventsPerSecond, 100);
        assert.equal(out.settings.ingestMode, "DIRECT_BATCH");
        assert.equal(out.settings.realTimeAnalytics, false);
    });

    it("prices --table-format ICEBERG: Firehose's Iceberg delivery and the Glue optimizers instead of Parquet conversion and ETL", () => {
        const r = run(["--json", "--ingest-mode", "DIRECT_BATCH", "--table-format", "ICEBERG"]);
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        const items = out.lineItems.map((l: { item: string }) => l.item);
        assert.ok(items.includes("delivery to Apache Iceberg tables"));
        assert.ok(!items.includes("format conversion (JSON -> Parquet)"));
        assert.ok(!items.some((i: string) => /ETL|crawler/.test(i)));
        assert.equal(out.settings.tableFormat, "ICEBERG");
        assert.equal(out.design.firehosePacking, false, "one event per record in ICEBERG");
    });

    it("reads the game-analytics keys of Pulumi.<stack>.yaml, skips secrets and warns about another region", () => {
        const r = run(["--json", "--stack", "prod"], dir);
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.equal(out.settings.workloadName, "studio-prod");
        assert.equal(out.settings.authorizerCacheTtlSeconds, 300);
        assert.ok(out.notes.some((n: string) => n.includes("emailAddress is a secret")));
        assert.ok(out.notes.some((n: string) => n.includes("eu-west-1")));
    });

    it("uses the default settings with workload name \"cost\" when the stack file does not exist yet", () => {
        const r = run(["--json", "--stack", "nothere"], dir);
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.equal(out.settings.workloadName, "cost");
        assert.equal(out.settings.ingestMode, "KINESIS_DATA_STREAMS");
    });

    it("exits 2 naming the config key when the stack's settings are invalid", () => {
        const r = run(["--stack", "bad"], dir);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /game-analytics:ingestMode = "FAST": must be one of KINESIS_DATA_STREAMS, DIRECT_BATCH/);
    });

    for (const [argv, message] of [
        [["--frobnicate"], /--frobnicate: unknown flag/],
        [["--kinesis-packing"], /--kinesis-packing: unknown flag/],
        [["--events-per-second", "lots"], /--events-per-second: must be a number from/],
        [["--event-size", "1.5"], /--event-size: must be a whole number/],
        [["--event-size"], /--event-size: needs a value/],
        [["--api-type", "graphql"], /--api-type: must be one of rest, http/],
        [["--ingest-mode=DIRECT"], /--ingest-mode: must be one of KINESIS_DATA_STREAMS, DIRECT_BATCH/],
        [["--events-per-request", "10000", "--event-size", "2048"], /--events-per-request: .* at most 10 MB/],
        [["--json", "--json"], /--json: given twice/],
        [["--ingest-mode", "DIRECT_BATCH", "--real-time", "true"], /realTimeAnalytics .* requires ingestMode KINESIS_DATA_STREAMS/],
        [["--design", "guidance", "--api-type", "http"], /--api-type http applies to --design ours only/],
    ] as Array<[string[], RegExp]>) {
        it(`exits 2 with a clear message for ${argv.join(" ")}`, () => {
            const r = run(argv);
            assert.equal(r.code, 2);
            assert.equal(r.stdout, "");
            assert.match(r.stderr, message);
        });
    }

    it("runs as a process: `tsx cost/cli.ts` exits 2 on a bad flag and 0 with a table", () => {
        const repo = path.resolve(__dirname, "../..");
        const tsx = path.join(repo, "node_modules", ".bin", "tsx");
        const bad = spawnSync(tsx, ["cost/cli.ts", "--event-size", "-1"], { cwd: repo, encoding: "utf8" });
        assert.equal(bad.status, 2, bad.stderr);
        assert.match(bad.stderr, /--event-size/);
        const ok = spawnSync(tsx, ["cost/cli.ts", "--ingest-mode", "DIRECT_BATCH"], { cwd: repo, encoding: "utf8" });
        assert.equal(ok.status, 0, ok.stderr);
        assert.match(ok.stdout, /Total: \d+\.\d\d USD\/month/);
    });
});

describe("npm run cost --cloud gcp", () => {
    const repo = path.resolve(__dirname, "..", "..");

    it("prices the Google Cloud pipeline with estimateGcp (no AWS line), text and JSON", () => {
        const text = run(["--cloud", "gcp", "--ingest-mode", "DIRECT_BATCH"]);
        assert.equal(text.code, 0, text.stderr);
        assert.match(text.stdout, /^Cloud: gcp \(DIRECT_BATCH, BigQuery\)/);
        assert.match(text.stdout, /Total: \d+\.\d\d USD\/month \(Google Cloud list prices/);
        assert.doesNotMatch(text.stdout, /Lambda|Firehose|Kinesis|API Gateway/);
        const json = run(["--cloud", "gcp", "--json"]);
        assert.equal(json.code, 0, json.stderr);
        const e = JSON.parse(json.stdout);
        assert.equal(e.cloud, "gcp");
        assert.equal(e.settings.cloud, "gcp");
        assert.ok(e.totalUsdPerMonth > 0);
        assert.ok(e.lineItems.some((l: { service: string }) => l.service === "Cloud Run functions"));
    });

    it("reads cloud: gcp from Pulumi.gcp-dev.yaml, and --cloud aws overrides it", () => {
        const gcp = run(["--stack", "gcp-dev", "--json"], repo);
        assert.equal(gcp.code, 0, gcp.stderr);
        assert.equal(JSON.parse(gcp.stdout).cloud, "gcp");
        const aws = run(["--cloud", "aws", "--json"]);
        assert.equal(aws.code, 0, aws.stderr);
        assert.equal(JSON.parse(aws.stdout).cloud, undefined);
    });

    it("refuses a bad cloud and the AWS-only design flags on gcp", () => {
        const bad = run(["--cloud", "azure"]);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /--cloud: must be one of aws, gcp \(got "azure"\)/);
        const design = run(["--cloud", "gcp", "--design", "guidance"]);
        assert.equal(design.code, 2);
        assert.match(design.stderr, /--design.*prices AWS designs only/);
    });
});
