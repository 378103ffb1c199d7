/**
 * The steps of startLocalPipeline (local/pipeline-steps.ts) that carry their own rules: what was
 * opened is closed in reverse order, a failing close is logged and does not stop the others, and a
 * second closeAll closes nothing again. (The steps together are covered by the end-to-end,
 * crash-recovery and fault tests through startLocalPipeline.)
 */
import { strict as assert } from "node:assert";
import { Closers } from "../../local/pipeline-steps";

describe("local pipeline steps: Closers", () => {
    it("closes in reverse order, logs a failing close and goes on, and closes each once", async () => {
        const logs: string[] = [];
        const closed: string[] = [];
        const closers = new Closers((m) => logs.push(m));
        closers.push(() => { closed.push("dynamodb"); });
        closers.push(async () => { closed.push("spool"); throw new Error("spool busy"); });
        closers.push(async () => { closed.push("writer"); });
        await closers.closeAll();
        await closers.closeAll();
        assert.deepEqual({ closed, logs }, { closed: ["writer", "spool", "dynamodb"], logs: ["while stopping: spool busy"] });
    });
});
