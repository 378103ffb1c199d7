/**
 * `npm run cost -- --stack <stack>` reads the stack's `aws.apiType` (issue 12): a stack that
 * deploys the HTTP API is priced with the HTTP API (as `--api-type http`), the flag wins over the
 * stack, the guidance's design stays a REST API, and a bad value is refused naming aws.apiType.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCostCli } from "../../cost/cli";

function run(argv: string[], cwd: string): { code: number; stdout: string; stderr: string } {
    let stdout = "";
    let stderr = "";
    const code = runCostCli(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd });
    return { code, stdout, stderr };
}

const stack = (apiType: string) => [
    "config:",
    "  game-analytics:workloadName: studio",
    "  game-analytics:ingestMode: DIRECT_BATCH",
    "  game-analytics:realTimeAnalytics: \"false\"",
    "  game-analytics:tableFormat: ICEBERG",
    "  game-analytics:aws:",
    "    tracing: false",
    `    apiType: ${apiType}`,
    "",
].join("\n");

describe("npm run cost --stack with aws.apiType", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-api-type-"));
        fs.writeFileSync(path.join(dir, "Pulumi.http.yaml"), stack("HTTP"));
        fs.writeFileSync(path.join(dir, "Pulumi.rest.yaml"), stack("REST"));
        fs.writeFileSync(path.join(dir, "Pulumi.graphql.yaml"), stack("GRAPHQL"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const json = (argv: string[]) => {
        const r = run([...argv, "--json"], dir);
        assert.equal(r.code, 0, r.stderr);
        return JSON.parse(r.stdout) as { totalUsdPerMonth: number; design: { apiType: string }; notes: string[]; lineItems: Array<{ service: string; item: string; unitPriceUsd: number }> };
    };

    it("prices a stack with apiType HTTP as the HTTP API: 1.00 USD per million requests, 6.48 USD/month under REST at the reference workload", () => {
        const http = json(["--stack", "http"]);
        const rest = json(["--stack", "rest"]);
        assert.equal(http.design.apiType, "http");
        assert.equal(rest.design.apiType, "rest");
        assert.ok(http.notes.some((n) => n.includes("aws.apiType is HTTP")), JSON.stringify(http.notes));
        assert.equal(Math.round((rest.totalUsdPerMonth - http.totalUsdPerMonth) * 100) / 100, 6.48);
        const requests = http.lineItems.find((l) => l.service === "API Gateway")!;
        assert.deepEqual([requests.item, requests.unitPriceUsd], ["HTTP API requests", 1], "USD per million requests");
        const text = run(["--stack", "http"], dir);
        assert.match(text.stdout, /^Design: ours \(HTTP API\)/);
    });

    it("lets --api-type win over the stack, and keeps the guidance's design a REST API", () => {
        assert.equal(json(["--stack", "http", "--api-type", "rest"]).design.apiType, "rest");
        assert.equal(json(["--stack", "rest", "--api-type", "http"]).design.apiType, "http");
        const guidance = json(["--stack", "http", "--design", "guidance"]);
        assert.equal(guidance.design.apiType, "rest");
        assert.ok(guidance.notes.some((n) => n.includes("not applied to --design guidance")));
    });

    it("refuses another apiType naming aws.apiType and the accepted values (exit 2)", () => {
        const r = run(["--stack", "graphql"], dir);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /aws\.apiType = "GRAPHQL": must be REST or HTTP/);
    });
});
