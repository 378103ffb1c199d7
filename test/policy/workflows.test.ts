/**
 * The GitHub workflows, parsed: every npm script they run exists, every path they name exists,
 * AWS access goes through OIDC role assumption only, and prod deploys only after dev, behind the
 * protected `production` environment.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "../..");
const WORKFLOWS = path.join(ROOT, ".github/workflows");

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; name?: string }
interface Job { needs?: string | string[]; environment?: string | { name: string }; steps: Step[]; strategy?: { matrix?: Record<string, unknown[]> } }
interface Workflow { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> }

const load = (file: string): Workflow => parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
const files = fs.readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml"));
const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

/** npm scripts a shell line runs: `npm run x`, `npm test`, `npm start`. */
function npmScripts(line: string): string[] {
    const names = [...line.matchAll(/npm run(?:-script)?\s+([\w:.-]+)/g)].map((m) => m[1]!);
    for (const m of line.matchAll(/npm (test|start)\b/g)) names.push(m[1]!);
    return names;
}

/** Stack names a job deploys or previews: literal suffix of stack-name, expanded over the matrix. */
function stacksOf(job: Job): string[] {
    return job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@")).flatMap((s) => {
        const name = String(s.with?.["stack-name"]).replace(/\$\{\{\s*vars\.PULUMI_STACK_PREFIX\s*\}\}/, "");
        const matrix = name.match(/^\$\{\{\s*matrix\.(\w+)\s*\}\}$/);
        return matrix ? (job.strategy?.matrix?.[matrix[1]!] ?? []).map(String) : [name];
    });
}

describe("GitHub workflows", () => {
    it("exist: pull-request.yml and deploy.yml", () => {
        assert.deepEqual(["deploy.yml", "pull-request.yml"].filter((f) => !files.includes(f)), []);
    });

    for (const file of files) {
        describe(file, () => {
            const workflow = load(file);

            it("runs only npm scripts that package.json defines", () => {
                const used = steps(workflow).flatMap((s) => (s.run ? npmScripts(s.run) : []));
                assert.ok(used.length > 0 || file !== "pull-request.yml");
                assert.deepEqual(used.filter((name) => scripts[name] === undefined), []);
            });

            it("names policy packs and stacks that exist in the repository", () => {
                const missing: string[] = [];
                for (const step of steps(workflow)) {
                    const pack = step.with?.policyPacks;
                    if (pack !== undefined && !fs.existsSync(path.join(ROOT, String(pack), "PulumiPolicy.yaml"))) missing.push(`policy pack ${pack}`);
                }
                for (const job of Object.values(workflow.jobs)) {
                    for (const stack of stacksOf(job)) if (!fs.existsSync(path.join(ROOT, `Pulumi.${stack}.yaml`))) missing.push(`Pulumi.${stack}.yaml`);
                }
                assert.deepEqual(missing, []);
            });

            it("runs every Pulumi command with the security policy pack", () => {
                const pulumiSteps = steps(workflow).filter((s) => s.uses?.startsWith("pulumi/actions@"));
                assert.ok(pulumiSteps.length > 0);
                assert.ok(pulumiSteps.every((s) => s.with?.policyPacks === "policy"));
            });

            it("gets AWS credentials by OIDC role assumption only, never stored keys", () => {
                assert.equal(workflow.permissions?.["id-token"], "write");
                const awsSteps = steps(workflow).filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
                assert.ok(awsSteps.length > 0);
                assert.ok(awsSteps.every((s) => typeof s.with?.["role-to-assume"] === "string" && s.with["aws-access-key-id"] === undefined && s.with["aws-secret-access-key"] === undefined));
                assert.doesNotMatch(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"), /AWS_SECRET_ACCESS_KEY|aws-secret-access-key/);
            });

            it("pins every action to a version", () => {
                assert.deepEqual(steps(workflow).filter((s) => s.uses !== undefined && !/@v?\d/.test(s.uses)).map((s) => s.uses), []);
            });
        });
    }

    it("pull requests test, then preview every stack with a PR comment", () => {
        const workflow = load("pull-request.yml");
        assert.ok("pull_request" in workflow.on);
        assert.ok(steps(workflow).some((s) => s.run?.startsWith("npm ci")));
        const preview = workflow.jobs.preview!;
        assert.equal(preview.needs, "test");
        assert.deepEqual(stacksOf(preview).sort(), ["dev", "prod"]);
        assert.ok(preview.steps.some((s) => s.with?.command === "preview" && s.with["comment-on-pr"] === true));
    });

    it("pushes to main deploy dev, then prod behind the protected production environment", () => {
        const workflow = load("deploy.yml");
        assert.deepEqual((workflow.on.push as { branches: string[] }).branches, ["main"]);
        const prod = workflow.jobs.prod!;
        assert.equal(prod.needs, "dev");
        assert.equal(typeof prod.environment === "string" ? prod.environment : prod.environment?.name, "production");
        assert.deepEqual(stacksOf(workflow.jobs.dev!), ["dev"]);
        assert.deepEqual(stacksOf(prod), ["prod"]);
        assert.ok([workflow.jobs.dev!, prod].every((j) => j.steps.some((s) => s.with?.command === "up")));
    });
});
