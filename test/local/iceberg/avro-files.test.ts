import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadMetadata, localPath } from "../../../local/iceberg/metadata";
import { IcebergTableWriter } from "../../../local/iceberg/writer";
import { tempDir } from "../helpers";
import { avrocat, avrocatAvailable, avroHeader, sampleRows } from "./iceberg-helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Fields of an Avro record schema by name. */
function fieldsOf(schema: any): Map<string, any> {
    return new Map((schema.fields as any[]).map((f) => [f.name, f]));
}

describe("local Iceberg table: Avro manifests decoded independently", () => {
    let dir: string;
    let tableDir: string;

    before(async () => {
        dir = tempDir("iceberg-avro");
        tableDir = path.join(dir, "raw_events");
        const writer = await IcebergTableWriter.open(tableDir);
        try {
            await writer.appendRows(sampleRows(40, "av1", 2, 2), "spool-0000000000000001");
            await writer.appendRows(sampleRows(10, "av2", 1, 1), "spool-0000000000000002");
        } finally {
            await writer.close();
        }
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("writes the spec's schemas with field ids into the Avro headers, with the partition spec and format version", () => {
        const snapshot = loadMetadata(tableDir)!.metadata.snapshots[1];
        const listHeader = avroHeader(localPath(snapshot["manifest-list"]));
        assert.equal(listHeader["format-version"], "2");
        assert.equal(listHeader["snapshot-id"], String(snapshot["snapshot-id"]));
        assert.equal(listHeader["parent-snapshot-id"], String(snapshot["parent-snapshot-id"]));
        const listFields = fieldsOf(JSON.parse(listHeader["avro.schema"]));
        assert.deepEqual(["manifest_path", "manifest_length", "partition_spec_id", "content", "sequence_number", "min_sequence_number", "added_snapshot_id"]
            .map((n) => listFields.get(n)["field-id"]), [500, 501, 502, 517, 515, 516, 503]);

        const manifestPath = fs.readdirSync(path.join(tableDir, "metadata")).find((f) => f.endsWith("-m0.avro"))!;
        const header = avroHeader(path.join(tableDir, "metadata", manifestPath));
        assert.equal(header["format-version"], "2");
        assert.equal(header.content, "data");
        assert.deepEqual(JSON.parse(header["partition-spec"]).map((f: any) => [f.name, f.transform, f["field-id"]]),
            [["event_timestamp_day", "day", 1000], ["application_id", "identity", 1001]]);
        assert.deepEqual(JSON.parse(header.schema).fields.slice(-3).map((f: any) => [f.id, f.name]), [[10, "metadata"], [11, "player_id"], [12, "source_event_id"]]);
        assert.equal(header["schema-id"], "1");
        const entry = fieldsOf(JSON.parse(header["avro.schema"]));
        assert.equal(entry.get("status")["field-id"], 0);
        assert.equal(entry.get("data_file")["field-id"], 2);
        const dataFile = fieldsOf(entry.get("data_file").type);
        assert.deepEqual(["content", "file_path", "file_format", "partition", "record_count", "file_size_in_bytes"].map((n) => dataFile.get(n)["field-id"]),
            [134, 100, 101, 102, 103, 104]);
        const partition = fieldsOf(dataFile.get("partition").type);
        assert.deepEqual([partition.get("event_timestamp_day")["field-id"], partition.get("application_id")["field-id"]], [1000, 1001]);
    });

    it("writes manifest lists and manifests that avrocat (Apache Avro's C tools) decodes to the table's files", function () {
        if (!avrocatAvailable()) {
            console.log("      skipped: avrocat not installed (Debian package avro-bin: apt-get install -y avro-bin)");
            this.skip();
        }
        const { metadata } = loadMetadata(tableDir)!;
        const current = metadata.snapshots.find((s) => s["snapshot-id"] === metadata["current-snapshot-id"])!;
        const list = avrocat(localPath(current["manifest-list"])) as any[];
        assert.equal(list.length, 2, "the second append carries the first one's manifest");
        assert.deepEqual(list.map((m) => m.sequence_number).sort(), [1, 2]);
        assert.deepEqual(list.map((m) => m.added_snapshot_id).sort(), metadata.snapshots.map((s) => s["snapshot-id"]).sort());
        let records = 0;
        for (const manifest of list) {
            assert.equal(manifest.manifest_length, fs.statSync(localPath(manifest.manifest_path)).size);
            const entries = avrocat(localPath(manifest.manifest_path)) as any[];
            assert.equal(entries.length, manifest.added_files_count);
            for (const entry of entries) {
                assert.equal(entry.status, 1);
                const file = localPath(entry.data_file.file_path);
                assert.equal(entry.data_file.file_size_in_bytes, fs.statSync(file).size);
                const day = new Date(entry.data_file.partition.event_timestamp_day.int * 86_400_000).toISOString().slice(0, 10);
                assert.ok(file.includes(`event_timestamp_day=${day}/application_id=${entry.data_file.partition.application_id.string}/`), file);
                records += entry.data_file.record_count;
            }
        }
        assert.equal(records, 50);
    });
});
