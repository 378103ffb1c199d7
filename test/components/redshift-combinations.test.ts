/** The combinations the REDSHIFT data stack forbids still fail validation, naming the setting and the rule. */
import * as assert from "node:assert/strict";
import { validateSettings } from "../../components/contracts/settings";

describe("settings: forbidden REDSHIFT combinations", () => {
    it("refuses DIRECT_BATCH with REDSHIFT (Redshift reads the stream)", () => {
        assert.throws(() => validateSettings({ workloadName: "g1", ingestMode: "DIRECT_BATCH", dataStack: "REDSHIFT", realTimeAnalytics: false }),
            /dataStack = "REDSHIFT": REDSHIFT requires ingestMode KINESIS_DATA_STREAMS/);
    });
    it("refuses ICEBERG with REDSHIFT", () => {
        assert.throws(() => validateSettings({ workloadName: "g1", dataStack: "REDSHIFT", tableFormat: "ICEBERG", realTimeAnalytics: false }),
            /tableFormat = "ICEBERG": ICEBERG applies to the DATA_LAKE data stack only/);
    });
    it("accepts REDSHIFT with the stream and HIVE", () => {
        assert.equal(validateSettings({ workloadName: "g1", dataStack: "REDSHIFT", realTimeAnalytics: false }).dataStack, "REDSHIFT");
    });
});
