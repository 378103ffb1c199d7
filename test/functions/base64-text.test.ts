import { strict as assert } from "node:assert";
import fc from "fast-check";
import { base64OfText, textOfBase64 } from "../../functions/aws/base64-text";

describe("base64-text: the transform's scratch-buffer conversions", () => {
    it("encodes any text exactly as Buffer.from(text).toString('base64'), from tiny to larger than the scratch buffer", () => {
        fc.assert(
            fc.property(fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }), fc.string({ minLength: 70_000, maxLength: 140_000 })), (text) => {
                assert.equal(base64OfText(text), Buffer.from(text, "utf8").toString("base64"));
            }),
            { numRuns: 300 },
        );
    });

    it("decodes any base64 (and any string at all) exactly as Buffer.from(data, 'base64').toString('utf8')", () => {
        const base64OfBytes = fc.uint8Array({ maxLength: 200_000 }).map((bytes) => Buffer.from(bytes).toString("base64"));
        fc.assert(
            fc.property(fc.oneof(base64OfBytes, fc.string(), fc.string({ unit: "binary" })), (data) => {
                assert.equal(textOfBase64(data), Buffer.from(data, "base64").toString("utf8"));
            }),
            { numRuns: 300 },
        );
    });

    it("returns strings that do not change when the scratch buffer is reused", () => {
        const first = textOfBase64(Buffer.from("first record").toString("base64"));
        base64OfText("x".repeat(10_000));
        textOfBase64(Buffer.from("second").toString("base64"));
        assert.equal(first, "first record");
    });
});
