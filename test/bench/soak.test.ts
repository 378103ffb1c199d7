import { strict as assert } from "node:assert";
import { processRssMiB, slope, summarizeSamples, type RssSample } from "../../bench/soak";

describe("soak benchmark: RSS samples and their slope (no timing assertions)", function () {
    it("fits the least-squares slope, and 0 when there is nothing to fit", function () {
        assert.equal(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }]), 2);
        assert.equal(slope([{ x: 0, y: 10 }, { x: 1, y: 12 }, { x: 2, y: 10 }, { x: 3, y: 12 }]), 0.4);
        assert.equal(slope([{ x: 1, y: 1 }]), 0);
        assert.equal(slope([{ x: 1, y: 1 }, { x: 1, y: 9 }]), 0);
    });

    it("reads start, half-way, end of send, idle and the second half's slope per million events", function () {
        // 100 MiB at start, +300 MiB per million events, then idle at 350.
        const sending: RssSample[] = Array.from({ length: 11 }, (_, i) => ({ seconds: i, sent: i * 100_000, rssMiB: 100 + i * 30 }));
        const samples = [...sending, { seconds: 20, sent: 1_000_000, rssMiB: 350 }];
        const rss = summarizeSamples(samples, sending, 1_000_000);
        assert.deepEqual(
            [rss.start, rss.middle, rss.endOfSend, rss.idle, rss.peak, Math.round(rss.secondHalfSlope), Math.round(rss.wholeSlope)],
            [100, 250, 400, 350, 400, 300, 300],
        );
        // Level after the warm-up: the second half is flat, the whole send is not.
        const levelled = sending.map((s) => ({ ...s, rssMiB: Math.min(s.rssMiB, 220) }));
        const flat = summarizeSamples(levelled, levelled, 1_000_000);
        assert.equal(flat.secondHalfSlope, 0);
        assert.ok(flat.wholeSlope > 100);
        assert.throws(() => summarizeSamples([], [], 10), /no RSS sample/);
    });

    it("reads a live process's resident set, and nothing for a process that is not there", function () {
        const own = processRssMiB(process.pid);
        if (process.platform === "linux") assert.ok(own !== undefined && own > 10 && own < 100_000, String(own));
        assert.equal(processRssMiB(undefined), undefined);
        assert.equal(processRssMiB(2 ** 30), undefined);
    });
});
