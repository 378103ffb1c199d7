/** One line of an estimate and how lines are built. */
import type { UnitPrice } from "./prices";
import { tidy } from "./units";

/** A priced line: `quantity` units of `unit` at `unitPriceUsd` each. */
export interface LineItem {
    service: string;
    item: string;
    quantity: number;
    unit: string;
    unitPriceUsd: number;
    usdPerMonth: number;
    note: string;
}

/** A line priced with one unit price. */
export function line(service: string, item: string, quantity: number, price: UnitPrice, note: string): LineItem {
    return {
        service,
        item,
        quantity: tidy(quantity),
        unit: price.unit,
        unitPriceUsd: price.usd,
        usdPerMonth: tidy(quantity * price.usd),
        note,
    };
}

/** A line whose cost was computed elsewhere (tiered prices); the unit price shown is the blended one. */
export function blendedLine(service: string, item: string, quantity: number, unit: string, usd: number, note: string): LineItem {
    return {
        service,
        item,
        quantity: tidy(quantity),
        unit,
        unitPriceUsd: quantity > 0 ? tidy(usd / quantity) : 0,
        usdPerMonth: tidy(usd),
        note,
    };
}

/** Formats a count for notes: 259200000 -> "259.2 M". */
export function count(n: number): string {
    if (n >= 1e9) return `${+(n / 1e9).toFixed(3)} B`;
    if (n >= 1e6) return `${+(n / 1e6).toFixed(3)} M`;
    if (n >= 1e3) return `${+(n / 1e3).toFixed(2)} k`;
    return `${+n.toFixed(2)}`;
}
