import * as assert from "node:assert/strict";
import { checkResources, RESOURCE_RULES, STACK_RULES } from "../../policy/rules";
import { GCP_RESOURCE_RULES, GCP_STACK_RULES } from "../../policy/rules/gcp-index";
import { ResourceFacts, TYPES } from "../../policy/rules/types";
import { compliantStack, named, urn } from "./compliant-stack";
import { REDSHIFT_CASES } from "./redshift-cases";
import { ICEBERG_CASES } from "./iceberg-cases";
import { ICEBERG_OPERATION_CASES } from "./iceberg-operations-cases";
import { OPENSEARCH_CASES } from "./opensearch-cases";
import { REDSHIFT_MONITORING_CASES } from "./redshift-monitoring-cases";
import { HTTP_API_CASES } from "./http-api-cases";
import { STREAM_CONSUMER_CASES } from "./stream-consumer-cases";

interface BreakingCase {
    rule: string;
    breaks: string;
    mutate(stack: ResourceFacts[]): void;
}

const doc = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const withoutType = (stack: ResourceFacts[], type: string) => stack.splice(0, stack.length, ...stack.filter((r) => r.type !== type));

/** A Lambda authorizer added to the compliant stack (issue 16 rules). */
const addAuthorizer = (s: ResourceFacts[], props: Record<string, unknown>) =>
    s.push({ type: TYPES.apiAuthorizer, name: "authz", urn: urn(TYPES.apiAuthorizer, "authz"), props: { type: "REQUEST", identitySource: "method.request.header.Authorization", ...props } });

const CASES: BreakingCase[] = [
    { rule: "api-authorizer-ttl-explicit", breaks: "a REQUEST authorizer without TTL (300 s by default)", mutate: (s) => addAuthorizer(s, { name: "api-key" }) },
    { rule: "player-token-authorizer-uncached", breaks: "the player-token authorizer cached 60 s", mutate: (s) => addAuthorizer(s, { name: "player-token", authorizerResultTtlInSeconds: 60 }) },
    { rule: "s3-bucket-encrypted-with-kms", breaks: "no encryption configuration", mutate: (s) => withoutType(s, TYPES.bucketEncryption) },
    { rule: "s3-bucket-encrypted-with-kms", breaks: "SSE-S3 instead of KMS", mutate: (s) => { named(s, "lake-encryption").props.rules[0].applyServerSideEncryptionByDefault = { sseAlgorithm: "AES256" }; } },
    { rule: "s3-bucket-encrypted-with-kms", breaks: "encryption of another bucket", mutate: (s) => { named(s, "lake-encryption").props.bucket = "other-bucket"; } },
    { rule: "s3-public-access-blocked", breaks: "no public access block", mutate: (s) => withoutType(s, TYPES.bucketPublicAccessBlock) },
    { rule: "s3-public-access-blocked", breaks: "restrictPublicBuckets false", mutate: (s) => { named(s, "lake-public-access").props.restrictPublicBuckets = false; } },
    { rule: "s3-tls-only", breaks: "no bucket policy", mutate: (s) => withoutType(s, TYPES.bucketPolicy) },
    { rule: "s3-tls-only", breaks: "deny on SecureTransport true", mutate: (s) => {
        named(s, "lake-tls-only").props.policy = doc([{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } }]);
    } },
    { rule: "s3-tls-only", breaks: "only s3:GetObject denied", mutate: (s) => {
        named(s, "lake-tls-only").props.policy = doc([{ Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }]);
    } },
    { rule: "dynamodb-pitr-and-kms", breaks: "PITR off", mutate: (s) => { named(s, "applications").props.pointInTimeRecovery = { enabled: false }; } },
    { rule: "dynamodb-pitr-and-kms", breaks: "SSE not set", mutate: (s) => { delete named(s, "applications").props.serverSideEncryption; } },
    { rule: "kinesis-stream-encrypted", breaks: "encryptionType NONE", mutate: (s) => { named(s, "events").props.encryptionType = "NONE"; } },
    { rule: "firehose-encrypted", breaks: "no SSE and no destination key", mutate: (s) => { delete named(s, "delivery").props.extendedS3Configuration.kmsKeyArn; } },
    { rule: "sns-topic-encrypted", breaks: "no KMS key", mutate: (s) => { delete named(s, "alarms").props.kmsMasterKeyId; } },
    { rule: "log-group-retention", breaks: "retention absent (never expires)", mutate: (s) => { delete named(s, "events-logs").props.retentionInDays; } },
    { rule: "lambda-log-group-managed", breaks: "function logs to an unmanaged group", mutate: (s) => { named(s, "events-function").props.loggingConfig.logGroup = "/aws/lambda/elsewhere"; } },
    { rule: "lambda-log-group-managed", breaks: "default log group not created", mutate: (s) => { delete named(s, "events-function").props.loggingConfig; named(s, "events-function").props.name = "renamed"; } },
    { rule: "api-stage-access-logging", breaks: "no access log settings", mutate: (s) => { delete named(s, "live").props.accessLogSettings; } },
    { rule: "api-stage-throttled", breaks: "no method settings", mutate: (s) => withoutType(s, TYPES.apiMethodSettings) },
    { rule: "api-stage-throttled", breaks: "throttling unlimited (-1)", mutate: (s) => { named(s, "live-throttling").props.settings.throttlingRateLimit = -1; } },
    { rule: "api-stage-throttled", breaks: "settings of another stage", mutate: (s) => { named(s, "live-throttling").props.stageName = "beta"; } },
    { rule: "api-method-authorized", breaks: "POST without authorization", mutate: (s) => { named(s, "post-events").props.authorization = "NONE"; } },
    { rule: "api-method-authorized", breaks: "OPTIONS NONE with a Lambda integration", mutate: (s) => { named(s, "options-events-mock").props.type = "AWS_PROXY"; } },
    { rule: "api-method-authorized", breaks: "GET NONE next to a MOCK OPTIONS", mutate: (s) => { named(s, "get-applications").props.authorization = "NONE"; named(s, "get-applications").props.resourceId = "events"; } },
    { rule: "api-openapi-operations-authorized", breaks: "OpenAPI operation without security", mutate: (s) => {
        named(s, "api").props.body = JSON.stringify({ openapi: "3.0.1", paths: { "/applications": { get: { "x-amazon-apigateway-integration": { type: "aws_proxy" } } } } });
    } },
    { rule: "iam-least-privilege", breaks: "service:* action", mutate: (s) => { named(s, "events-policy").props.policy = doc([{ Effect: "Allow", Action: "dynamodb:*", Resource: "arn:aws:dynamodb:us-east-1:111122223333:table/apps" }]); } },
    { rule: "iam-least-privilege", breaks: "* action", mutate: (s) => { named(s, "events-policy").props.policy = doc([{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::lake-1" }]); } },
    { rule: "iam-least-privilege", breaks: "prefix wildcard s3:Get*", mutate: (s) => { named(s, "events-policy").props.policy = doc([{ Effect: "Allow", Action: ["s3:Get*"], Resource: "arn:aws:s3:::lake-1/*" }]); } },
    { rule: "iam-least-privilege", breaks: "Resource * for a scoped action", mutate: (s) => { named(s, "events-policy").props.policy = doc([{ Effect: "Allow", Action: ["kinesis:PutRecords"], Resource: "*" }]); } },
    { rule: "iam-least-privilege", breaks: "Allow with NotAction", mutate: (s) => { named(s, "events-policy").props.policy = doc([{ Effect: "Allow", NotAction: ["iam:*"], Resource: "arn:aws:s3:::lake-1" }]); } },
    { rule: "iam-least-privilege", breaks: "wildcard in a role's inline policy", mutate: (s) => { named(s, "events-role").props.inlinePolicies = [{ name: "extra", policy: doc([{ Effect: "Allow", Action: "s3:*", Resource: "*" }]) }]; } },
    { rule: "iam-least-privilege", breaks: "managed policy with Resource * for GetItem", mutate: (s) => {
        s.push({ type: TYPES.iamPolicy, name: "managed", urn: urn(TYPES.iamPolicy, "managed"), props: { policy: doc([{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" }]) } });
    } },
    { rule: "iam-no-broad-managed-policies", breaks: "AdministratorAccess attached", mutate: (s) => { named(s, "events-basic").props.policyArn = "arn:aws:iam::aws:policy/AdministratorAccess"; } },
    { rule: "iam-no-broad-managed-policies", breaks: "AmazonS3FullAccess in managedPolicyArns", mutate: (s) => { named(s, "events-role").props.managedPolicyArns = ["arn:aws:iam::aws:policy/AmazonS3FullAccess"]; } },
    // Issue 17: rules AWS enforces that mocks accept.
    { rule: "glue-crawler-new-folders-only-logs", breaks: "new folders only with UPDATE_IN_DATABASE", mutate: (s) => { named(s, "crawler").props.schemaChangePolicy.updateBehavior = "UPDATE_IN_DATABASE"; } },
    { rule: "glue-crawler-new-folders-only-logs", breaks: "new folders only with Glue's default policy", mutate: (s) => { delete named(s, "crawler").props.schemaChangePolicy; } },
    { rule: "firehose-trust-external-id", breaks: "aws:SourceAccount instead of sts:ExternalId", mutate: (s) => {
        named(s, "delivery-role").props.assumeRolePolicy = doc([{ Effect: "Allow", Principal: { Service: "firehose.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } }]);
    } },
    { rule: "firehose-trust-external-id", breaks: "no condition at all", mutate: (s) => {
        named(s, "delivery-role").props.assumeRolePolicy = doc([{ Effect: "Allow", Principal: { Service: ["firehose.amazonaws.com"] }, Action: "sts:AssumeRole" }]);
    } },
    { rule: "lambda-log-level-keeps-metrics", breaks: "applicationLogLevel WARN", mutate: (s) => { named(s, "events-function").props.loggingConfig.applicationLogLevel = "WARN"; } },
    { rule: "lambda-log-level-keeps-metrics", breaks: "applicationLogLevel ERROR", mutate: (s) => { named(s, "events-function").props.loggingConfig.applicationLogLevel = "ERROR"; } },
    { rule: "athena-projection-bounded", breaks: "years 2000-2100 (37,572 partitions)", mutate: (s) => {
        Object.assign(named(s, "events-table").props.parameters, { "projection.year.type": "integer", "projection.year.range": "2000,2100" });
    } },
    { rule: "athena-projection-bounded", breaks: "NOW-100YEARS", mutate: (s) => { named(s, "events-table").props.parameters["projection.year.range"] = "NOW-100YEARS,NOW"; } },
    { rule: "s3-lifecycle-explicit-filter", breaks: "deprecated empty filter {}", mutate: (s) => { named(s, "lake-lifecycle").props.rules[0].filter = {}; } },
    { rule: "s3-lifecycle-explicit-filter", breaks: "no filter", mutate: (s) => { delete named(s, "lake-lifecycle").props.rules[1].filter; } },
    { rule: "s3-versioned-bucket-expires-noncurrent", breaks: "non-current versions expire only under a prefix", mutate: (s) => { named(s, "lake-lifecycle").props.rules[2].filter = { prefix: "tmp/" }; } },
    { rule: "s3-versioned-bucket-expires-noncurrent", breaks: "no expired delete marker cleanup", mutate: (s) => { delete named(s, "lake-lifecycle").props.rules[2].expiration; } },
    { rule: "fixed-name-delete-before-replace", breaks: "Firehose with a fixed name created before deleted", mutate: (s) => { named(s, "delivery").opts = { deleteBeforeReplace: false }; } },
    { rule: "fixed-name-delete-before-replace", breaks: "Lambda with a fixed name, deleteBeforeReplace unset", mutate: (s) => { named(s, "events-function").opts = { protect: false }; } },
    { rule: "stateful-never-deleted-before-replace", breaks: "table deleted before its replacement", mutate: (s) => { named(s, "applications").opts = { deleteBeforeReplace: true }; } },
    { rule: "created-after-role-policy", breaks: "Firehose not after its role policy", mutate: (s) => { named(s, "delivery").dependencies = []; } },
    { rule: "created-after-role-policy", breaks: "crawler not after its role policy", mutate: (s) => { named(s, "crawler").dependencies = [urn(TYPES.iamRole, "etl-role")]; } },
    { rule: "firehose-freshness-alarm-above-buffers", breaks: "1200 s under 1.5 x 900 s + 60 s", mutate: (s) => { named(s, "freshness").props.threshold = 1200; } },
    { rule: "api-deployment-covers-stage", breaks: "gateway response not in the deployment's dependencies", mutate: (s) => {
        named(s, "deployment").dependencies = named(s, "deployment").dependencies!.filter((d) => !d.endsWith("::unauthorized"));
    } },
    { rule: "api-deployment-covers-stage", breaks: "no redeploy triggers", mutate: (s) => { delete named(s, "deployment").props.triggers; } },
    { rule: "api-execution-log-group-managed", breaks: "execution logging without the stack's log group", mutate: (s) => {
        named(s, "live-throttling").dependencies = [urn(TYPES.apiAccount, "account")];
    } },
    { rule: "api-logging-after-account-role", breaks: "stage logging before the account role is set", mutate: (s) => { named(s, "live").dependencies = []; } },
    // Cases of its own in glue-schedule.test.ts; the compliant stack has an on-demand workflow only.
    { rule: "glue-schedule-supported", breaks: "a trigger on rate(1 hour)", mutate: (s) => {
        s.push({ type: "aws:glue/trigger:Trigger", name: "etl-start", urn: urn("aws:glue/trigger:Trigger", "etl-start"), props: { type: "SCHEDULED", schedule: "rate(1 hour)" } });
    } },
];

const violationsOf = (stack: ResourceFacts[], rule: string) => checkResources(stack).filter((v) => v.rule === rule);

describe("policy rules", () => {
    it("the compliant stack breaks no rule", () => {
        assert.deepEqual(checkResources(compliantStack()), []);
    });

    it("every rule of the pack has at least one breaking example", () => {
        // The Redshift and Iceberg rules break stacks of their own (redshift-rules.test.ts, iceberg-rules.test.ts);
        // the GCP rules' breaking examples are in test/gcp/policy-rules.test.ts (a GCP stack); the HTTP API
        // rules break the pipeline's own HTTP API stack (test/components/http-api.test.ts).
        const covered = new Set([...CASES, ...REDSHIFT_CASES, ...REDSHIFT_MONITORING_CASES, ...ICEBERG_CASES, ...ICEBERG_OPERATION_CASES, ...OPENSEARCH_CASES, ...HTTP_API_CASES, ...STREAM_CONSUMER_CASES].map((c) => c.rule));
        const gcp = new Set<unknown>([...GCP_RESOURCE_RULES, ...GCP_STACK_RULES]);
        const uncovered = [...RESOURCE_RULES, ...STACK_RULES].filter((r) => !gcp.has(r)).map((r) => r.name).filter((name) => !covered.has(name));
        assert.deepEqual(uncovered, []);
    });

    for (const c of CASES) {
        it(`${c.rule} reports: ${c.breaks}`, () => {
            const stack = compliantStack();
            assert.deepEqual(violationsOf(stack, c.rule), [], "passes before the change");
            c.mutate(stack);
            const found = violationsOf(stack, c.rule);
            assert.ok(found.length > 0, `expected a ${c.rule} violation`);
            assert.ok(found.every((v) => v.message.length > 20 && v.urn !== undefined), JSON.stringify(found));
        });
    }

    it("relates resources by recorded dependencies when IDs are unknown (preview)", () => {
        const stack = compliantStack();
        const bucket = named(stack, "lake");
        delete bucket.props.bucket;
        delete bucket.props.arn;
        for (const name of ["lake-encryption", "lake-public-access", "lake-tls-only"]) {
            const config = named(stack, name);
            delete config.props.bucket;
            config.propertyDependencies = { bucket: [bucket.urn!] };
        }
        assert.deepEqual(checkResources(stack), []);
        named(stack, "lake-public-access").propertyDependencies = { bucket: ["urn:pulumi:dev::game-analytics::aws:s3/bucket:Bucket::other"] };
        assert.equal(violationsOf(stack, "s3-public-access-blocked").length, 1);
    });

    it("allows Resource \"*\" for the listed actions without resource-level permissions only", () => {
        const stack = compliantStack();
        named(stack, "events-policy").props.policy = doc([{ Effect: "Allow", Action: ["cloudwatch:PutMetricData", "kinesis:ListStreams"], Resource: "*" }]);
        assert.deepEqual(violationsOf(stack, "iam-least-privilege"), []);
    });

    it("ignores wildcards in Deny statements", () => {
        const stack = compliantStack();
        named(stack, "events-policy").props.policy = doc([{ Effect: "Deny", Action: "*", Resource: "*" }]);
        assert.deepEqual(violationsOf(stack, "iam-least-privilege"), []);
    });

    it("accepts an OpenAPI API whose operations use SigV4 and a Lambda authorizer, with a MOCK preflight", () => {
        const stack = compliantStack();
        named(stack, "api").props.body = JSON.stringify({
            openapi: "3.0.1",
            components: { securitySchemes: {
                sigv4: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "awsSigv4" },
                apiKey: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "custom" },
            } },
            paths: {
                "/applications": { get: { security: [{ sigv4: [] }] } },
                "/applications/{applicationId}/events": {
                    post: { security: [{ apiKey: [] }] },
                    options: { "x-amazon-apigateway-integration": { type: "mock" } },
                },
            },
        });
        assert.deepEqual(violationsOf(stack, "api-openapi-operations-authorized"), []);
    });

    it("accepts a bucket-wide expiration without versioning, and a crawler that recrawls everything with UPDATE_IN_DATABASE", () => {
        const stack = compliantStack();
        withoutType(stack, TYPES.bucketVersioning);
        named(stack, "lake-lifecycle").props.rules.pop();
        named(stack, "crawler").props.recrawlPolicy = { recrawlBehavior: "CRAWL_EVERYTHING" };
        named(stack, "crawler").props.schemaChangePolicy = { updateBehavior: "UPDATE_IN_DATABASE", deleteBehavior: "DEPRECATE_IN_DATABASE" };
        assert.deepEqual(checkResources(stack), []);
    });

    it("reports an unparseable identity policy instead of passing it", () => {
        const stack = compliantStack();
        named(stack, "events-policy").props.policy = "{not json";
        assert.match(violationsOf(stack, "iam-least-privilege")[0]?.message ?? "", /not a valid policy document/);
    });
});
