/**
 * Fault injection on the spool: a real full disk (a small tmpfs, as root), byte flips at every byte of
 * a frame, failed segment rotations (EACCES, ENOSPC, EMFILE through the spool's file port). Each
 * asserts that every acknowledged record is read back exactly once and nothing rejected was stored.
 */
import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { NODE_SPOOL_FILES, Spool, SpoolEntry, SpoolFileSystem, SpoolUnavailableError } from "../../../local/spool";
import { tempDir } from "../helpers";
import { mountSmallDisk } from "./small-disk";

const payload = (i: number, bytes = 900): Buffer => Buffer.from(`record-${i}-` + crypto.randomBytes(bytes).toString("hex").slice(0, bytes));

describe("spool under faults", function () {
    this.timeout(60_000);

    describe("a full disk (tmpfs of 192 KiB)", function () {
        let disk: ReturnType<typeof mountSmallDisk>;
        before(function () {
            disk = mountSmallDisk("192k");
            if (!disk) this.skip();
        });
        after(() => disk?.unmount());

        it("rejects what it could not store (SpoolUnavailableError), cuts the torn frame back, keeps every acknowledged record", async function () {
            const dir = path.join(disk!.dir, "spool");
            const logs: string[] = [];
            const spool = await Spool.open(dir, { log: (m) => logs.push(m) });
            const filler = path.join(disk!.dir, "filler");
            fs.writeFileSync(filler, Buffer.alloc(48 * 1024));
            const acknowledged: string[] = [];
            let rejected = 0;
            let i = 0;
            // Concurrent appends of 3 records each until 20 were refused: the disk fills mid-write.
            while (rejected < 20 && i < 5000) {
                const batch = [payload(i++), payload(i++), payload(i++)];
                const results = await Promise.allSettled([spool.append(batch.slice(0, 2)), spool.append(batch.slice(2))]);
                results.forEach((r, k) => {
                    const records = k === 0 ? batch.slice(0, 2) : batch.slice(2);
                    if (r.status === "fulfilled") acknowledged.push(...records.map((b) => b.toString()));
                    else {
                        assert.ok(r.reason instanceof SpoolUnavailableError, String(r.reason));
                        rejected += 1;
                    }
                });
            }
            assert.ok(rejected >= 20 && acknowledged.length > 50, `acknowledged ${acknowledged.length}, rejected ${rejected}`);
            assert.ok(logs.some((m) => m.includes("the disk is full")), logs.join("\n"));
            // Space comes back: appends work again without a restart.
            fs.rmSync(filler);
            const later = [payload(i++), payload(i++)];
            await spool.append(later);
            acknowledged.push(...later.map((b) => b.toString()));
            await spool.close();

            const reopened = await Spool.open(dir, { log: () => undefined });
            const stored = [...reopened.readFrom(0)].map((e) => e.data.toString());
            await reopened.close();
            assert.equal(stored.length, acknowledged.length, "stored exactly the acknowledged records (none of the refused ones)");
            assert.deepEqual(stored, acknowledged);
            assert.equal(reopened.faults.corruptRegions, 0);
        });
    });

    describe("a flipped byte", function () {
        let dir: string;
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        /** Writes `count` records (one append each), two segments; returns their entries and the spool folder. */
        async function filled(count: number): Promise<SpoolEntry[]> {
            dir = tempDir("spool-flip");
            const spool = await Spool.open(dir, { maxSegmentBytes: 600, log: () => undefined });
            const entries: SpoolEntry[] = [];
            for (let i = 0; i < count; i++) entries.push(...await spool.append([payload(i, 60)]));
            await spool.close();
            return entries;
        }

        function segmentOf(offset: number): { file: string; position: number } {
            const segments = fs.readdirSync(dir).filter((f) => f.startsWith("segment-")).sort();
            const base = (name: string): number => Number(/\d{16}/.exec(name)![0]);
            const name = segments.filter((s) => base(s) <= offset).pop()!;
            return { file: path.join(dir, name), position: offset - base(name) };
        }

        for (const which of ["first", "middle", "last of the first segment", "last of the last segment"] as const) {
            it(`anywhere in the ${which} frame: loses only that frame, counts it and logs the segment and byte`, async function () {
                const entries = await filled(12);
                const perSegment = entries.filter((e) => segmentOf(e.offset).file === segmentOf(entries[0].offset).file).length;
                const index = which === "first" ? 0 : which === "middle" ? 2 : which === "last of the first segment" ? perSegment - 1 : entries.length - 1;
                const target = entries[index];
                const { file, position } = segmentOf(target.offset);
                const original = fs.readFileSync(file);
                for (let byte = 0; byte < target.end - target.offset; byte++) {
                    const damaged = Buffer.from(original);
                    damaged[position + byte] ^= 0xff;
                    fs.writeFileSync(file, damaged);
                    const logs: string[] = [];
                    const spool = await Spool.open(dir, { maxSegmentBytes: 600, log: (m) => logs.push(m) });
                    const read = [...spool.readFrom(0)];
                    await spool.close();
                    const others = entries.filter((e) => e !== target);
                    const where = `byte ${byte} of frame ${index}`;
                    // Every other frame is intact; the damaged one is gone, or intact when the flip hit
                    // only its arrival time (not covered by the CRC) and left it plausible.
                    const got = read.map((e) => e.data.toString());
                    const survivor = read.find((e) => e.offset === target.offset);
                    assert.deepEqual(got.filter((d) => d !== target.data.toString()), others.map((e) => e.data.toString()), where);
                    if (survivor) {
                        assert.ok(byte >= 8 && byte < 16 && survivor.data.equals(target.data), where);
                    } else if (which !== "last of the last segment" || !logs.some((m) => m.includes("torn frame"))) {
                        assert.equal(spool.faults.corruptRegions, 1, where);
                        const name = path.basename(file);
                        assert.ok(logs.some((m) => m.includes(name) && m.includes(`byte ${position}`)), `${where}: ${logs.join("\n")}`);
                    }
                    fs.writeFileSync(file, original);
                }
            });
        }
    });

    describe("a failed segment rotation", function () {
        for (const code of ["EACCES", "ENOSPC", "EMFILE"]) {
            it(`(${code}) keeps the current segment in use, acknowledges what it stored, and rotates again once the cause is gone`, async function () {
                const dir = tempDir("spool-rotate-fault");
                try {
                    let failing = false;
                    let refused = 0;
                    const files: SpoolFileSystem = {
                        openForAppend: async (file) => {
                            if (failing) {
                                refused++;
                                throw Object.assign(new Error(`${code}: injected, open '${file}'`), { code });
                            }
                            return NODE_SPOOL_FILES.openForAppend(file);
                        },
                    };
                    const logs: string[] = [];
                    const spool = await Spool.open(dir, { maxSegmentBytes: 500, files, log: (m) => logs.push(m) });
                    failing = true;
                    const acknowledged: string[] = [];
                    for (let i = 0; i < 40; i++) {
                        const record = payload(i, 100);
                        await spool.append([record]); // must not reject: the record is stored
                        acknowledged.push(record.toString());
                    }
                    assert.ok(refused > 0 && spool.faults.failedRotations > 0, "the rotation was attempted and failed");
                    assert.equal(fs.readdirSync(dir).filter((f) => f.startsWith("segment-")).length, 1);
                    failing = false;
                    for (let i = 40; i < 50; i++) {
                        const record = payload(i, 100);
                        await spool.append([record]);
                        acknowledged.push(record.toString());
                    }
                    assert.ok(fs.readdirSync(dir).filter((f) => f.startsWith("segment-")).length > 1, "rotates again by itself");
                    assert.ok(logs.some((m) => m.includes("rotation works again")), logs.join("\n"));
                    await spool.close();
                    const reopened = await Spool.open(dir, { log: () => undefined });
                    assert.deepEqual([...reopened.readFrom(0)].map((e) => e.data.toString()), acknowledged);
                    await reopened.close();
                } finally {
                    fs.rmSync(dir, { recursive: true, force: true });
                }
            });
        }
    });
});
