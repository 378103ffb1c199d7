import { strict as assert } from "node:assert";
import { ingestionIdGenerator } from "../../functions/core/ingestion-id";

const UUID_V4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

describe("ingestionIdGenerator", () => {
    it("gives ids unique within a generator and across generators, as a random UUID v4 plus a hex counter", () => {
        const generators = [ingestionIdGenerator(), ingestionIdGenerator(), ingestionIdGenerator()];
        const ids = generators.flatMap((next) => Array.from({ length: 10_000 }, () => next()));
        assert.equal(new Set(ids).size, ids.length, "no id twice");
        assert.ok(ids.every((id) => new RegExp(`^${UUID_V4}-[0-9a-f]+$`).test(id)), "shape <uuid v4>-<hex>");
        assert.equal(new Set(ids.map((id) => id.slice(0, 36))).size, generators.length, "one random prefix per generator");
    });

    it("counts from 0 after the given prefix", () => {
        const next = ingestionIdGenerator("p");
        assert.deepEqual([next(), next(), ...Array.from({ length: 15 }, next)].slice(-3), ["p-e", "p-f", "p-10"]);
    });
});
