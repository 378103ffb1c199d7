/** Byte units as AWS bills them (binary) and small arithmetic helpers of the cost model. */

export const KIB = 1024;
export const MIB = 1024 * KIB;
export const GIB = 1024 * MIB;
export const TIB = 1024 * GIB;

/** Rounds `bytes` up to a whole number of `increment`s, as per-record billing does. */
export function roundUpTo(bytes: number, increment: number): number {
    return Math.ceil(bytes / increment) * increment;
}

/** Rounds to cents for display and totals. */
export function roundCents(usd: number): number {
    return Math.round(usd * 100) / 100;
}

/** Rounds to 6 significant decimals, enough for JSON output without float noise. */
export function tidy(value: number): number {
    return Number(value.toPrecision(10));
}
