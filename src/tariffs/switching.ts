// The switching analysis: a meter's (or a site's meters') bill under its current tariffs, from their
// dated assignments, against every other active tariff of the same fuel, ranked by saving. Pure: the
// route reads readings, assignments and prices, this prices them.
import type { Fuel } from "../enums";
import {
  addPricedDays,
  priceReadings,
  roundAmounts,
  roundPence,
  sumDays,
  type PreparedReadings,
  type PricedDays,
  type PricedTariff,
  type TariffSpan,
} from "./bill";

export type MeterInput = { prepared: PreparedReadings; current: TariffSpan[] };

const round2 = (x: number) => Math.round(x * 100) / 100;

function breakdownOf(p: PricedDays) {
  return {
    ...roundAmounts(sumDays(p)),
    byBand: [...p.bands].map(([name, b]) => ({
      name,
      kwh: Math.round(b.kwh * 1000) / 1000,
      pence: roundPence(b.pence),
    })),
    unpriced: {
      periods: p.unpriced.periods,
      days: p.unpriced.days,
      kwh: Math.round(p.unpriced.kwh * 1000) / 1000,
    },
  };
}

/** One tariff (or the current assignments) priced over every meter, summed. */
function priceAll(meters: MeterInput[], fuel: Fuel, spansOf: (m: MeterInput) => TariffSpan[]): PricedDays {
  let total: PricedDays | null = null;
  for (const m of meters) {
    const priced = priceReadings(m.prepared, spansOf(m), fuel);
    if (total === null) total = priced;
    else addPricedDays(total, priced);
  }
  return total!;
}

/**
 * Ranks `alternatives` (already the active tariffs of `fuel`) against the current bill. Saving = current
 * total − alternative total (positive: cheaper), in pence and % of the current total; the annualised
 * saving is the best alternative's saving scaled from the window's days to 365.
 */
export function switchingAnalysis(meters: MeterInput[], fuel: Fuel, alternatives: PricedTariff[]) {
  const window = meters[0].prepared;
  const days = window.dates.length;
  const current = priceAll(meters, fuel, (m) => m.current);
  const currentIds = [...new Set(meters.flatMap((m) => m.current.map((s) => s.tariff.id)))];
  const currentTariffs = meters.flatMap((m) => m.current.map((s) => s.tariff));
  const assigned = currentIds.length > 0;
  const currentTotal = sumDays(current).totalPence;
  const ranked = alternatives
    .filter((t) => t.tariff.fuel === fuel && !(currentIds.length === 1 && t.tariff.id === currentIds[0]))
    .map((t) => {
      // Priced over the days the current tariffs cover (the whole window for a meter without one), so
      // both bills count the same standing charges.
      const priced = priceAll(meters, fuel, (m) =>
        m.current.length
          ? m.current.map((s) => ({ ...t, from: s.from, to: s.to }))
          : [{ ...t, from: m.prepared.from, to: m.prepared.to }],
      );
      const total = sumDays(priced).totalPence;
      const saving = assigned ? currentTotal - total : null;
      return {
        tariffId: t.tariff.id,
        name: t.tariff.name,
        supplier: t.tariff.supplierName,
        type: t.tariff.type,
        total,
        saving,
        breakdown: breakdownOf(priced),
      };
    })
    .sort((a, b) => a.total - b.total || a.tariffId - b.tariffId);
  const best = ranked[0];
  const expected = meters.reduce((n, m) => n + m.prepared.expectedPeriods, 0);
  const present = meters.reduce((n, m) => n + m.prepared.presentPeriods, 0);
  return {
    from: window.from,
    to: window.to,
    fuel,
    days,
    meters: meters.length,
    current: {
      tariffId: currentIds.length === 1 ? currentIds[0] : null,
      name:
        currentIds.length === 0
          ? "No tariff assigned"
          : currentIds.length === 1
            ? currentTariffs[0].name
            : `${currentIds.length} tariffs`,
      totalPence: assigned ? roundPence(currentTotal) : null,
      uncoveredDays: current.uncoveredDays,
      breakdown: breakdownOf(current),
    },
    alternatives: ranked.map((a) => ({
      tariffId: a.tariffId,
      name: a.name,
      supplier: a.supplier,
      type: a.type,
      totalPence: roundPence(a.total),
      savingPence: a.saving === null ? null : roundPence(a.saving),
      savingPct: a.saving === null || currentTotal === 0 ? null : round2((a.saving / currentTotal) * 100),
      breakdown: a.breakdown,
    })),
    annualisedSavingPence: best && best.saving !== null ? roundPence((best.saving * 365) / days) : null,
    annualisedNote: `the best saving over ${days} day${days === 1 ? "" : "s"}, scaled to 365 days`,
    completeness: {
      ratio: expected === 0 ? 0 : Math.round((present / expected) * 10000) / 10000,
      expectedPeriods: expected,
      presentPeriods: present,
      missing: {
        periods: meters.reduce((n, m) => n + m.prepared.missingPeriods, 0),
        days: meters.reduce((n, m) => n + m.prepared.missingDays, 0),
      },
    },
  };
}

export type SwitchingResult = ReturnType<typeof switchingAnalysis>;
