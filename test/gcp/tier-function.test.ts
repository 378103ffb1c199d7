/**
 * tierFunction (components/gcp/tier-function.ts), through which the ingest, processing and
 * real-time tiers build their functions: the workload name, region, sources bucket and build
 * account come from the tier's arguments, the rest from the tier's choice for that function.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { tierFunction } from "../../components/gcp/tier-function";
import { GcpMockRecorder, REGION } from "./support/gcp-mocks";

class Tier extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:Tier", name, {}, {});
    }
}

const BUILD = "projects/studio-analytics/serviceAccounts/mygame-build@studio-analytics.iam.gserviceaccount.com";

describe("GCP tierFunction", function () {
    this.timeout(60_000);

    it("builds the function in the tier's region from the tier's bucket, with its build account and the function's own settings", async () => {
        const mocks = new GcpMockRecorder();
        await mocks.install();
        const tier = new Tier("t");
        const fn = tierFunction("t-admin", { workloadName: "mygame", region: REGION, sourceBucket: "mygame-sources", buildServiceAccount: BUILD }, {
            shortName: "admin", entry: "functions/gcp/handlers/admin.ts", ingress: "ALLOW_INTERNAL_ONLY", maxInstances: 10, environment: { LOG_LEVEL: "INFO" },
        }, { parent: tier });
        await mocks.settle();
        const recorded = mocks.one("gcp:cloudfunctionsv2/function:Function", "t-admin-function").inputs;
        assert.equal(recorded.name, "mygame-admin");
        assert.equal(recorded.location, REGION);
        assert.deepEqual(
            { serviceAccount: recorded.buildConfig.serviceAccount, bucket: recorded.buildConfig.source.storageSource.bucket },
            { serviceAccount: BUILD, bucket: "mygame-sources" },
        );
        assert.deepEqual(
            { ingress: recorded.serviceConfig.ingressSettings, max: recorded.serviceConfig.maxInstanceCount, env: recorded.serviceConfig.environmentVariables },
            { ingress: "ALLOW_INTERNAL_ONLY", max: 10, env: { LOG_LEVEL: "INFO" } },
        );
        assert.equal(mocks.one("gcp:storage/bucketObject:BucketObject", "t-admin-source").inputs.bucket, "mygame-sources");
        assert.equal(mocks.one("gcp:serviceaccount/account:Account", "t-admin-identity").inputs.accountId, "mygame-admin");
        assert.equal(await new Promise((r) => fn.functionName.apply(r)), "mygame-admin");
    });

    it("leaves the build to the project's default account when the tier names none", async () => {
        const mocks = new GcpMockRecorder();
        await mocks.install();
        tierFunction("t-events", { workloadName: "mygame", region: REGION, sourceBucket: "mygame-sources" }, { shortName: "events", entry: "functions/gcp/handlers/events.ts" }, { parent: new Tier("t") });
        await mocks.settle();
        assert.equal("serviceAccount" in mocks.one("gcp:cloudfunctionsv2/function:Function", "t-events-function").inputs.buildConfig, false);
    });
});
