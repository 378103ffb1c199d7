/**
 * The shared simulator helper of the Iceberg IAM tests (test/security/support/iceberg-simulation.ts)
 * can fail: it names what a policy wrongly denies and wrongly allows, and it decides kms: requests
 * under the lake key's own policy (a key policy that does not delegate to IAM would deny them).
 */
import * as assert from "node:assert/strict";
import { BUCKET_ARN, KEY_ARN, assertDecisions, decide, unknownActions } from "./support/iceberg-simulation";

const policy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
        { Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${BUCKET_ARN}/iceberg/*`] },
        { Effect: "Allow", Action: ["kms:Decrypt"], Resource: [KEY_ARN] },
    ],
});

describe("Iceberg IAM simulation helper", function () {
    this.timeout(120_000);

    it("names the requests a policy wrongly denies and wrongly allows", async () => {
        await assertDecisions(policy, [["s3:GetObject", `${BUCKET_ARN}/iceberg/x`]], [["s3:GetObject", `${BUCKET_ARN}/raw_events/x`]]);
        await assert.rejects(
            assertDecisions(policy, [["s3:PutObject", `${BUCKET_ARN}/iceberg/x`]], [["s3:GetObject", `${BUCKET_ARN}/iceberg/y`]]),
            (e: Error) => e.message.includes(`s3:PutObject on ${BUCKET_ARN}/iceberg/x`) && e.message.includes(`s3:GetObject on ${BUCKET_ARN}/iceberg/y`),
        );
    });

    it("decides kms: requests under the lake key's policy", async () => {
        assert.equal(await decide(policy, ["kms:Decrypt", KEY_ARN]), "Allowed");
        assert.notEqual(await decide(policy, ["kms:Encrypt", KEY_ARN]), "Allowed");
    });

    it("lists the actions the IAM service reference does not know", async () => {
        const made = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjekt"], Resource: ["*"] }] });
        assert.deepEqual(await unknownActions(made), ["s3:GetObjekt"]);
    });
});
