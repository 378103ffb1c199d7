/**
 * A real full disk under the running server (data folder on a small tmpfs, as root): requests are
 * answered 200 (stored) or 503 with Retry-After (nothing stored); once space is back the server
 * goes on by itself, and the lake holds exactly the events answered Ok.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { startLocalPipeline } from "../../../local/pipeline";
import { Spool } from "../../../local/spool";
import { validateSettings } from "../../../components/contracts/settings";
import { SyntheticEventGenerator } from "../../../tools/synthetic-events";
import { call, queryLake } from "../helpers";
import { mountSmallDisk } from "./small-disk";

describe("local server on a full disk", function () {
    this.timeout(180_000);
    let disk: ReturnType<typeof mountSmallDisk>;
    before(function () {
        disk = mountSmallDisk("16m");
        if (!disk) this.skip();
    });
    after(() => disk?.unmount());

    it("answers 503 with Retry-After for what it could not store, never for what it stored, and recovers when space is back", async function () {
        const logs: string[] = [];
        const pipeline = await startLocalPipeline({
            dataRoot: disk!.dir, stack: "full", port: 0, bufferMs: 100, bufferBytes: 64 * 1024,
            settings: validateSettings({ workloadName: "full", ingestMode: "DIRECT_BATCH", realTimeAnalytics: false }),
            log: (m) => logs.push(m),
        });
        const filler = path.join(disk!.dir, "filler");
        try {
            const { applicationId, apiKeyValue } = pipeline.credentials;
            const url = `${pipeline.url}/applications/${applicationId}/events`;
            const generator = new SyntheticEventGenerator({ seed: 5 });
            const ok: string[] = [];
            const refused: string[] = [];
            const post = async (): Promise<number> => {
                const events = generator.batch(100).map((g) => g.event);
                const answer = await call("POST", url, { events }, { Authorization: apiKeyValue });
                const ids = events.map((e) => String(e.event_id));
                if (answer.status === 200) {
                    assert.equal(answer.body.FailedRecordCount, 0, JSON.stringify(answer.body).slice(0, 300));
                    ok.push(...ids);
                } else {
                    assert.equal(answer.status, 503, JSON.stringify(answer.body).slice(0, 300));
                    assert.ok(Number(answer.headers.get("retry-after")) >= 1, "503 carries Retry-After");
                    refused.push(...ids);
                }
                return answer.status;
            };
            for (let i = 0; i < 5; i++) assert.equal(await post(), 200);
            const free = fs.statfsSync(disk!.dir);
            fs.writeFileSync(filler, Buffer.alloc(Math.max(0, free.bavail * free.bsize - 96 * 1024)));
            let refusals = 0;
            for (let i = 0; i < 200 && refusals < 5; i++) if ((await post()) === 503) refusals++;
            assert.equal(refusals, 5, `the disk filled (${ok.length} Ok, ${refused.length} refused)`);
            fs.rmSync(filler);
            for (let i = 0; i < 5; i++) assert.equal(await post(), 200, "stores again once space is back, without a restart");
            await pipeline.stop();
            const rows = await queryLake(pipeline.paths.lakeDir, "SELECT event_id, count(*) AS n FROM game_events.raw_events GROUP BY 1");
            const copies = new Map(rows.map((r) => [String(r.event_id), Number(r.n)]));
            assert.deepEqual({
                okMissing: ok.filter((id) => copies.get(id) !== 1).length,
                refusedStored: refused.filter((id) => copies.has(id)).length,
                rows: copies.size,
            }, { okMissing: 0, refusedStored: 0, rows: ok.length });
            // What a restart would replay: the spool holds exactly the events answered Ok (no torn
            // frame cutting off the later ones, nothing of the refused requests).
            const spool = await Spool.open(pipeline.paths.spoolDir, { log: () => undefined });
            const spooled = [...spool.readFrom(0)].flatMap((e) => e.data.toString().trim().split("\n").map((l) => String(JSON.parse(l).event.event_id)));
            await spool.close();
            assert.deepEqual({ count: spooled.length, sameSet: new Set(spooled).size === ok.length && ok.every((id) => spooled.includes(id)) }, { count: ok.length, sameSet: true });
            console.log(`      (${ok.length} events answered Ok, ${refused.length} answered 503; all Ok ones in the lake once, no 503 one)`);
        } finally {
            fs.rmSync(filler, { force: true });
            await pipeline.stop();
        }
    });
});
