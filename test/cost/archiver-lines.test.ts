/**
 * The stream archiver's lines of the cost model (cost/lines/archiver.ts): batches cut by the 6 MB
 * invocation payload, invocations and objects from them, and the lines that follow the objects
 * (S3 PUTs, KMS requests, no Glue schema reads). DATA_LAKE estimates keep Firehose.
 */
import { strict as assert } from "node:assert";
import { validateSettings } from "../../components/contracts/settings";
import { buildContext } from "../../cost/context";
import { designFor } from "../../cost/design";
import { estimate, serviceTotal } from "../../cost/estimate";
import { ARCHIVER_PROFILE, archiverVolume, ESM_PAYLOAD_LIMIT_BYTES, esmRecordBytes } from "../../cost/lines/archiver";
import { DEFAULT_WORKLOAD } from "../../cost/workload";
import { ARCHIVER_BATCH_SIZE, ARCHIVER_BATCHING_WINDOW_SECONDS, ARCHIVER_MEMORY_MB } from "../../components/aws/stream-archiver";

const settings = (extra: Record<string, string> = {}) => validateSettings({ workloadName: "cost", dataStack: "REDSHIFT", realTimeAnalytics: "false", streamProvisioned: "true", streamShardCount: "1", ...extra });
const contextOf = (s: ReturnType<typeof settings>, workload = DEFAULT_WORKLOAD) => buildContext(s, workload, designFor("ours", s, {}));

describe("cost model: the stream archiver (REDSHIFT raw copy)", () => {
    it("sizes a record in the invocation payload as Lambda sends it: base64 data in the record envelope", () => {
        // A 1,214-byte one-event record: 1,620 bytes of base64 plus ~600 of envelope.
        assert.equal(esmRecordBytes(1214), 2215);
        assert.equal(esmRecordBytes(3) - esmRecordBytes(0), 4);
    });

    it("cuts batches at the 6 MB payload at the reference workload: 2,840 records, 91,268 invocations and objects a month", () => {
        const c = contextOf(settings());
        assert.equal(c.kinesis!.bytes / c.kinesis!.records, 1214);
        assert.deepEqual(archiverVolume(c), { recordsPerInvocation: Math.floor(ESM_PAYLOAD_LIMIT_BYTES / 2215), invocations: 91_268, objects: 91_268 });
        assert.equal(Math.floor(ESM_PAYLOAD_LIMIT_BYTES / 2215), 2840);
    });

    it("cuts them at the 300 s window when traffic is low (and never above 10,000 records)", () => {
        const quiet = { ...DEFAULT_WORKLOAD, eventsPerSecond: 1 };
        assert.equal(archiverVolume(contextOf(settings(), quiet)).recordsPerInvocation, 300);
        assert.equal(ARCHIVER_BATCHING_WINDOW_SECONDS, 300);
        assert.equal(ARCHIVER_BATCH_SIZE, 10_000);
    });

    it("prices the function as the component builds it, and its objects in the S3 and KMS lines", () => {
        assert.deepEqual([ARCHIVER_PROFILE.architecture, ARCHIVER_PROFILE.memoryMb], ["arm64", ARCHIVER_MEMORY_MB]);
        const e = estimate(settings(), DEFAULT_WORKLOAD);
        const line = (item: string) => e.lineItems.find((l) => l.item === item)!;
        assert.equal(line("stream archiver requests").quantity, 91_268 / 1e6);
        assert.match(line("PUT requests").note, /91.27 k stream archiver objects/);
        assert.equal(line("Data Catalog requests").quantity, 300 * 4 / 1e6, "Athena's catalog calls only: the archiver reads no Glue schema");
        assert.ok(e.lineItems.every((l) => l.service !== "Data Firehose"));
    });

    it("leaves DATA_LAKE estimates on Firehose", () => {
        const lake = estimate(validateSettings({ workloadName: "cost", realTimeAnalytics: "false" }), DEFAULT_WORKLOAD);
        assert.ok(serviceTotal(lake, "Data Firehose") > 0);
        assert.ok(!lake.lineItems.some((l) => l.item.startsWith("stream archiver")));
    });
});
