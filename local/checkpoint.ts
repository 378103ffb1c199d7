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

    private save(): void {
        this.state.delivered = [...this.deliveredAbove.entries()];
        writeFileDurably(this.file, JSON.stringify(this.state));
    }
}
