/**
 * Ingestion ids of the events processing (`metadata.ingestion_id`): unique per row without a
 * random UUID per event (a fresh `randomUUID()` per event was ~5 % of the transform, bench/transform).
 * A generator draws one random UUID v4 when it is created (once per Lambda container) and appends
 * a counter: `<uuid v4>-<sequence number, hex>`, e.g. `5f0c...-9d1e-0`, `5f0c...-9d1e-1`, ...
 * Ids of one generator differ by their counter; ids of two generators by their 122 random bits.
 */
import { randomUUID } from "node:crypto";

/**
 * A new id generator with its own random prefix.
 * @param prefix the random part (default: a fresh UUID v4); tests pass a fixed one.
 * @example const newId = ingestionIdGenerator(); newId() // "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968-0"
 */
export function ingestionIdGenerator(prefix: string = randomUUID()): () => string {
    const head = `${prefix}-`;
    let sequence = 0;
    return () => head + (sequence++).toString(16);
}
