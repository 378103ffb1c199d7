/**
 * renameDurably (local/durable-files.ts), through which the Hive lake writer and the Iceberg data
 * files publish their Parquet: the finished temporary file replaces the target whole, and a
 * missing temporary file fails loudly, leaving the target as it was.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { renameDurably } from "../../local/durable-files";
import { tempDir } from "./helpers";

describe("renameDurably", () => {
    it("puts the temporary file at the target, replacing the old content, and leaves no temporary file", () => {
        const dir = tempDir("durable");
        const target = path.join(dir, "part-0.parquet");
        fs.writeFileSync(target, "old");
        fs.writeFileSync(`${target}.1.tmp`, "new");
        renameDurably(`${target}.1.tmp`, target);
        assert.equal(fs.readFileSync(target, "utf8"), "new");
        assert.deepEqual(fs.readdirSync(dir), ["part-0.parquet"]);
    });

    it("throws when the temporary file is missing and leaves the target untouched", () => {
        const dir = tempDir("durable");
        const target = path.join(dir, "part-0.parquet");
        fs.writeFileSync(target, "old");
        assert.throws(() => renameDurably(`${target}.1.tmp`, target), { code: "ENOENT" });
        assert.equal(fs.readFileSync(target, "utf8"), "old");
    });
});
