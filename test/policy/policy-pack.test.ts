import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { SECURITY_POLICIES } from "../../policy/policies";
import { TYPES } from "../../policy/rules/types";

const byName = (name: string) => {
    const policy = SECURITY_POLICIES.find((p) => p.name === name);
    if (policy === undefined) throw new Error(`no policy ${name}`);
    return policy;
};

describe("policy pack", () => {
    it("makes every policy mandatory", () => {
        assert.deepEqual(SECURITY_POLICIES.filter((p) => p.enforcementLevel !== "mandatory").map((p) => p.name), []);
    });

    it("reports a resource rule's violation through the engine callback", async () => {
        const policy = byName("kinesis-stream-encrypted") as ResourceValidationPolicy;
        const reported: string[] = [];
        const args = { type: TYPES.kinesisStream, name: "events", urn: "urn:x", props: { encryptionType: "NONE" } } as unknown as ResourceValidationArgs;
        const validate = policy.validateResource;
        if (typeof validate !== "function") throw new Error("validateResource is not a function");
        await validate(args, (message) => reported.push(message));
        assert.equal(reported.length, 1);
        assert.match(reported[0]!, /encryptionType "KMS"/);
    });

    it("relates stack resources through the engine's property dependencies", async () => {
        const policy = byName("s3-public-access-blocked") as StackValidationPolicy;
        const bucket = { type: TYPES.bucket, name: "lake", urn: "urn:bucket", props: {}, propertyDependencies: {}, dependencies: [] } as unknown as PolicyResource;
        const block = {
            type: TYPES.bucketPublicAccessBlock, name: "lake-pab", urn: "urn:pab",
            props: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: false },
            propertyDependencies: { bucket: [bucket] }, dependencies: [bucket],
        } as unknown as PolicyResource;
        const reported: { message: string; urn?: string }[] = [];
        await policy.validateStack({ resources: [bucket, block] } as unknown as StackValidationArgs, (message, urn) => reported.push({ message, urn }));
        assert.deepEqual(reported.map((r) => r.urn), ["urn:bucket"]);
        assert.match(reported[0]!.message, /restrictPublicBuckets/);
    });

    it("ships the files `pulumi preview --policy-pack policy` needs", () => {
        const dir = path.resolve(__dirname, "../../policy");
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        assert.ok(manifest.version, "the policy SDK requires a version in package.json");
        assert.match(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8"), /^\s+name: nodejs$/m);
        assert.match(fs.readFileSync(path.join(dir, "index.ts"), "utf8"), /new PolicyPack\("game-analytics-security"/);
    });
});
