// The Climate Change Levy main rates, by fuel and date: the one table the bill calculator reads and the
// README shows. Figures from gov.uk (see /shared/reference/uk-energy.md), in pence per kWh, excluding VAT.
import type { Fuel } from "../enums";

export type CclRate = { fuel: Fuel; from: string; pencePerKwh: number };

/** Each row applies from its date until the next row of the same fuel. Keep rows in date order. */
export const CCL_RATES: readonly CclRate[] = [
  { fuel: "electricity", from: "2022-04-01", pencePerKwh: 0.775 },
  { fuel: "electricity", from: "2026-04-01", pencePerKwh: 0.801 },
  { fuel: "gas", from: "2022-04-01", pencePerKwh: 0.568 },
  { fuel: "gas", from: "2023-04-01", pencePerKwh: 0.672 },
  { fuel: "gas", from: "2024-04-01", pencePerKwh: 0.775 },
  { fuel: "gas", from: "2026-04-01", pencePerKwh: 0.801 },
];

/**
 * The levy on one kWh of a fuel consumed on a settlement date. Dates before the table's first row take
 * its earliest rate (the product holds no earlier figures; add rows above if older bills matter).
 */
export function cclPencePerKwh(fuel: Fuel, date: string): number {
  let rate = NaN;
  for (const row of CCL_RATES) {
    if (row.fuel !== fuel) continue;
    if (Number.isNaN(rate) || row.from <= date) rate = row.pencePerKwh;
    if (row.from > date) break;
  }
  return Number.isNaN(rate) ? 0 : rate;
}
