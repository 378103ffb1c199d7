import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { generatedBlock, withGeneratedBlock } from "../../cost/docs-tables";

describe("docs/cost.md", () => {
    it("carries the tables the model generates today (run `npx tsx cost/docs-tables.ts --write` after changing prices or assumptions)", () => {
        const markdown = fs.readFileSync(path.resolve(__dirname, "../../docs/cost.md"), "utf8");
        assert.ok(markdown.includes(generatedBlock()), "docs/cost.md is out of date with the cost model");
        assert.equal(withGeneratedBlock(markdown), markdown);
    });
});
