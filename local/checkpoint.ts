/**
 * The delivery checkpoint: which spool frames already reached the lake, and the batch being written.
 *
 * A batch is written in three durable steps: (1) `begin` records its frames and id, (2) the lake
 * files are written under names derived from the id (temp file + rename, so a rewrite replaces),
 * (3) `commit` marks the frames delivered. After a crash between (1) and (3) the same batch is
 * redone with the same id, replacing any file it had written: no row is lost and none is doubled.
 */
import * as fs from "node:fs";
import { writeFileDurably } from "./durable-files";
import type { Spool, SpoolEntry } from "./spool";

/** A half-open range of spool offsets [offset, end): one frame. */
export type FrameRange = [offset: number, end: number];

/** A batch whose lake files may be partly written. */
export interface InFlightBatch {
    /** Names the batch's files: the smallest frame offset, 16 digits. */
    batchId: string;
    /** Epoch ms when the batch was first started (names the error output's time folder). */
    startedAt: number;
    frames: FrameRange[];
}

interface CheckpointFile {
    spoolEpoch: string;
    /** Every frame before this offset is delivered. */
    watermark: number;
    /** Delivered frames at or after the watermark. */
    delivered: FrameRange[];
    inFlight: InFlightBatch | null;
}

export class DeliveryCheckpoint {
    private readonly deliveredAbove = new Map<number, number>();

    private constructor(private readonly file: string, private state: CheckpointFile) {
        for (const [offset, end] of state.delivered) this.deliveredAbove.set(offset, end);
    }

    /**
     * Loads the checkpoint of the spool named `spoolEpoch`; a missing file, or one written for
     * another spool, starts from offset 0.
     */
    static load(file: string, spoolEpoch: string): DeliveryCheckpoint {
        let state: CheckpointFile = { spoolEpoch, watermark: 0, delivered: [], inFlight: null };
        if (fs.existsSync(file)) {
            const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as CheckpointFile;
            if (parsed.spoolEpoch === spoolEpoch) state = parsed;
        }
        return new DeliveryCheckpoint(file, state);
    }

    get watermark(): number {
        return this.state.watermark;
    }

    get inFlight(): InFlightBatch | null {
        return this.state.inFlight;
    }

    /** Whether the frame at `offset` is already in the lake. */
    isDelivered(offset: number): boolean {
        return offset < this.state.watermark || this.deliveredAbove.has(offset);
    }

    /** Durably records the batch about to be written. */
    begin(batch: InFlightBatch): void {
        this.state.inFlight = batch;
        this.save();
    }

    /** Durably marks the in-flight batch's frames delivered; returns the new watermark. */
    commit(): number {
        const batch = this.state.inFlight;
        if (batch) {
            for (const [offset, end] of batch.frames) this.deliveredAbove.set(offset, end);
        }
        let watermark = this.state.watermark;
        while (this.deliveredAbove.has(watermark)) {
            const next = this.deliveredAbove.get(watermark)!;
            this.deliveredAbove.delete(watermark);
            watermark = next;
        }
        for (const offset of [...this.deliveredAbove.keys()]) {
            if (offset < watermark) this.deliveredAbove.delete(offset);
        }
        this.state.watermark = watermark;
        this.state.inFlight = null;
        this.save();
        return watermark;
    }

    /** The highest offset the checkpoint knows of (watermark, delivered and in-flight frames). */
    get knownEnd(): number {
        let end = this.state.watermark;
        for (const frameEnd of this.deliveredAbove.values()) end = Math.max(end, frameEnd);
        for (const [, frameEnd] of this.state.inFlight?.frames ?? []) end = Math.max(end, frameEnd);
        return end;
    }

    /**
     * Clamps the checkpoint to the frames the spool holds (`present`: every frame at or after the
     * watermark; `spoolEnd`: the next frame's offset), like Kafka's recovery point: the watermark
     * moves to the first undelivered frame present (or the spool's end), delivered frames below it
     * are forgotten, in-flight frames no longer present are dropped. Returns what changed (empty
     * when nothing did).
     */
    reconcile(present: readonly SpoolEntry[], spoolEnd: number): string[] {
        const notes: string[] = [];
        const offsets = new Set(present.map((e) => e.offset));
        const inFlight = this.state.inFlight;
        if (inFlight) {
            const kept = inFlight.frames.filter(([offset]) => offsets.has(offset));
            if (kept.length < inFlight.frames.length) {
                notes.push(`${inFlight.frames.length - kept.length} frame(s) of in-flight batch ${inFlight.batchId} are no longer in the spool`);
                this.state.inFlight = kept.length > 0 ? { ...inFlight, frames: kept } : null;
            }
        }
        const firstUndelivered = present.find((e) => !this.isDelivered(e.offset));
        const watermark = Math.max(this.state.watermark, firstUndelivered?.offset ?? spoolEnd);
        if (watermark !== this.state.watermark) {
            notes.push(`watermark moved from ${this.state.watermark} to ${watermark} (no undelivered frame between them)`);
            this.state.watermark = watermark;
        }
        const before = this.deliveredAbove.size;
        for (const offset of [...this.deliveredAbove.keys()]) if (offset < watermark) this.deliveredAbove.delete(offset);
        if (this.deliveredAbove.size < before) notes.push(`${before - this.deliveredAbove.size} delivered frame(s) below the watermark forgotten`);
        if (notes.length > 0) this.save();
        return notes;
    }

    private save(): void {
        this.state.delivered = [...this.deliveredAbove.entries()];
        writeFileDurably(this.file, JSON.stringify(this.state));
    }
}

/** What recovery found: the batch to redo (if any) and the records to deliver again. */
export interface SpoolRecovery {
    /** The batch left in flight by a crash, with its entries (frames lost to corruption left out). */
    redo: { batch: InFlightBatch; entries: SpoolEntry[] } | undefined;
    /** Undelivered records outside the in-flight batch, in offset order. */
    replay: SpoolEntry[];
}

/**
 * Aligns the checkpoint with the spool at start. When the checkpoint knows offsets past the spool's
 * end (the spool lost its tail: corruption, deleted segments), the spool skips ahead so new
 * records never get an offset the checkpoint counts as delivered, nor a lake file name already
 * used; then the checkpoint is clamped to the frames present (see {@link DeliveryCheckpoint.reconcile}).
 * Every adjustment is logged as a warning.
 */
export async function recoverSpool(spool: Spool, checkpoint: DeliveryCheckpoint, log: (message: string) => void): Promise<SpoolRecovery> {
    const knownEnd = checkpoint.knownEnd;
    if (spool.endOffset < knownEnd) {
        log(`checkpoint: WARNING the delivery checkpoint reaches offset ${knownEnd} but the spool ends at ${spool.endOffset} ` +
            `(its tail was lost); new records start at ${knownEnd}`);
        await spool.skipTo(knownEnd);
    }
    const present = [...spool.readFrom(checkpoint.watermark)];
    for (const note of checkpoint.reconcile(present, spool.endOffset)) log(`checkpoint: WARNING ${note}`);
    const inFlight = checkpoint.inFlight;
    const inFlightOffsets = new Set(inFlight?.frames.map(([offset]) => offset) ?? []);
    return {
        redo: inFlight ? { batch: inFlight, entries: present.filter((e) => inFlightOffsets.has(e.offset)) } : undefined,
        replay: present.filter((e) => !inFlightOffsets.has(e.offset) && !checkpoint.isDelivered(e.offset)),
    };
}
