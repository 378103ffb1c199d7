/**
 * The README's table of forbidden combinations quotes the messages validation really gives: each
 * quoted prefix is the start of the problem `validateSettings` reports for that combination.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { validateSettings } from "../../components/contracts/settings";

const README = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");

function messageOf(raw: Record<string, unknown>): string {
    try {
        validateSettings({ workloadName: "g1", ...raw });
    } catch (error) {
        return (error as Error).message;
    }
    return "";
}

describe("README: forbidden combinations", () => {
    const rows: [string, Record<string, unknown>][] = [
        ["`ingestMode: DIRECT_BATCH` + `dataStack: REDSHIFT`", { ingestMode: "DIRECT_BATCH", dataStack: "REDSHIFT", realTimeAnalytics: false }],
        ["`dataStack: REDSHIFT` + `tableFormat: ICEBERG`", { dataStack: "REDSHIFT", tableFormat: "ICEBERG", realTimeAnalytics: false }],
    ];
    for (const [combination, raw] of rows) {
        it(`${combination}: the README quotes the message validation gives, naming the field`, () => {
            const row = README.split("\n").find((l) => l.startsWith(`| ${combination} |`));
            assert.ok(row, `README has a row for ${combination}`);
            const quoted = /\| `([^`]+?) \.\.\.` \|/.exec(row!)?.[1];
            assert.ok(quoted, row);
            const message = messageOf(raw);
            assert.ok(message.includes(`  - ${quoted}`), `${quoted}\nnot in\n${message}`);
            assert.match(quoted!, /^(dataStack|tableFormat) = /, "names the field");
        });
    }
});
