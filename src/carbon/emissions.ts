// Emissions, pure. Location-based: every half-hour's kWh × the grid intensity of that half-hour (the
// site's region's figure, else the national actual, else the national forecast). Fixed-factor: a day's kWh ×
// the UK government conversion factor of its year and fuel, for annual reporting. No I/O.
import { bucketOf } from "../analytics/calendar";
import type { Fuel } from "../enums";
import { periodStartUtc, MS_PER_PERIOD } from "../time/settlement";

export const BASES = ["regional", "national_actual", "national_forecast", "fixed_factor"] as const;
export type Basis = (typeof BASES)[number];
/** What a span's figure rests on: one basis, `mixed` (see its shares) or `none` when nothing matched. */
export type BasisLabel = Basis | "mixed" | "none";
export type Shares = Record<Basis, number>;

export const EMISSION_GRANULARITIES = ["hh", "day", "week", "month", "year"] as const;
export type EmissionGranularity = (typeof EMISSION_GRANULARITIES)[number];

/** A meter-day as readings store it: the half-hours (null = missing), or only the day's total. */
export type MeterDay = { date: string; totalKwh: number; periods: (number | null)[] };

/** The intensities known for a span: gCO2/kWh by half-hour start (epoch ms). */
export type Intensities = {
  regional: Map<number, number>;
  national: Map<number, { actual: number | null; forecast: number | null }>;
};

/** kgCO2e per kWh by year, per fuel: the government factors table. */
export type Factors = Record<Fuel, Map<number, number>>;

/**
 * The factor for a year: that year's, else the latest year before it, else the earliest known (a
 * reporting year whose factors are not published yet uses the last published ones).
 */
export function factorFor(factors: Factors, fuel: Fuel, year: number): number | null {
  const byYear = factors[fuel];
  let best: number | null = null;
  let earliest: [number, number] | null = null;
  for (const [y, f] of byYear) {
    if (y <= year && (best === null || y > (best as number))) best = y;
    if (earliest === null || y < earliest[0]) earliest = [y, f];
  }
  if (best !== null) return byYear.get(best)!;
  return earliest ? earliest[1] : null;
}

/** The intensity a half-hour meets, and on what basis. */
export function intensityAt(start: number, known: Intensities): { grams: number; basis: Basis } | null {
  const regional = known.regional.get(start);
  if (regional !== undefined) return { grams: regional, basis: "regional" };
  const national = known.national.get(start);
  if (national?.actual !== null && national?.actual !== undefined)
    return { grams: national.actual, basis: "national_actual" };
  if (national?.forecast !== null && national?.forecast !== undefined)
    return { grams: national.forecast, basis: "national_forecast" };
  return null;
}

export type EmissionSpan = {
  from: string;
  to: string;
  kwh: number;
  gco2: number;
  unmatchedKwh: number;
  basis: BasisLabel;
  /** Share of the matched kWh on each basis (0–1). */
  shares: Shares;
};

export type EmissionTotal = {
  kwh: number;
  kgco2: number;
  unmatchedKwh: number;
  fixedFactorKgco2: number;
  basis: BasisLabel;
  shares: Shares;
};

type Tally = { from: string; to: string; kwh: number; gco2: number; unmatched: number; byBasis: Shares };

const emptyShares = (): Shares => ({
  regional: 0,
  national_actual: 0,
  national_forecast: 0,
  fixed_factor: 0,
});
const tally = (from: string, to: string): Tally => ({
  from,
  to,
  kwh: 0,
  gco2: 0,
  unmatched: 0,
  byBasis: emptyShares(),
});

function basisOf(byBasis: Shares): { basis: BasisLabel; shares: Shares } {
  const matched = BASES.reduce((sum, b) => sum + byBasis[b], 0);
  const shares = emptyShares();
  if (matched <= 0) return { basis: "none", shares };
  for (const b of BASES) shares[b] = byBasis[b] / matched;
  const only = BASES.filter((b) => byBasis[b] > 0);
  return { basis: only.length === 1 ? only[0] : "mixed", shares };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A meter's emissions over its days, in buckets of `granularity` (`hh`: one per half-hour present, with
 * UTC from/to; others: settlement days grouped as consumption analytics groups them, from/to dates).
 * Electricity half-hours meet the grid; a day known only by its total cannot, so its kWh is unmatched.
 * Gas has no grid figure: its location-based figure is its fixed factor (`basis: fixed_factor`).
 */
export function meterEmissions(
  days: MeterDay[],
  fuel: Fuel,
  known: Intensities,
  factors: Factors,
  granularity: EmissionGranularity,
): { data: EmissionSpan[]; total: EmissionTotal } {
  const buckets = new Map<string, Tally>();
  const total = tally("", "");
  let fixedKg = 0;
  const add = (t: Tally, kwh: number, matched: { grams: number; basis: Basis } | null) => {
    t.kwh += kwh;
    if (matched) {
      t.gco2 += kwh * matched.grams;
      t.byBasis[matched.basis] += kwh;
    } else t.unmatched += kwh;
  };
  for (const day of days) {
    const year = Number(day.date.slice(0, 4));
    const factor = factorFor(factors, fuel, year);
    if (factor !== null) fixedKg += day.totalKwh * factor;
    const gasMatch = factor === null ? null : { grams: factor * 1000, basis: "fixed_factor" as const };
    const dayBucket = () => {
      const b = bucketOf(day.date, granularity === "hh" ? "day" : granularity);
      const key = b.period;
      let t = buckets.get(key);
      if (!t) buckets.set(key, (t = tally(b.from, b.to)));
      return t;
    };
    if (day.periods.length === 0) {
      // Only the day's total: gas still meets its factor; electricity cannot meet half-hours.
      const match = fuel === "gas" ? gasMatch : null;
      add(total, day.totalKwh, match);
      if (granularity !== "hh") add(dayBucket(), day.totalKwh, match);
      continue;
    }
    const bucket = granularity === "hh" ? null : dayBucket();
    for (let i = 0; i < day.periods.length; i++) {
      const kwh = day.periods[i];
      if (kwh === null || kwh === undefined) continue;
      const start = periodStartUtc(day.date, i + 1);
      const match = fuel === "gas" ? gasMatch : intensityAt(start, known);
      add(total, kwh, match);
      if (bucket) add(bucket, kwh, match);
      else {
        const t = tally(iso(start), iso(start + MS_PER_PERIOD));
        add(t, kwh, match);
        buckets.set(String(start), t);
      }
    }
  }
  return finished([...buckets.values()], total, fixedKg);
}

/** Several meters' emissions added together, bucket by bucket (a site's or the portfolio's, per fuel). */
export function sumEmissions(parts: { data: EmissionSpan[]; total: EmissionTotal }[]) {
  const buckets = new Map<string, Tally>();
  const total = tally("", "");
  let fixedKg = 0;
  const merge = (t: Tally, s: { kwh: number; gco2: number; unmatchedKwh: number; shares: Shares }) => {
    t.kwh += s.kwh;
    t.gco2 += s.gco2;
    t.unmatched += s.unmatchedKwh;
    const matched = s.kwh - s.unmatchedKwh;
    for (const b of BASES) t.byBasis[b] += s.shares[b] * matched;
  };
  for (const part of parts) {
    for (const span of part.data) {
      const key = span.from;
      let t = buckets.get(key);
      if (!t) buckets.set(key, (t = tally(span.from, span.to)));
      merge(t, span);
    }
    merge(total, { ...part.total, gco2: part.total.kgco2 * 1000 });
    fixedKg += part.total.fixedFactorKgco2;
  }
  const ordered = [...buckets.values()].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return finished(ordered, total, fixedKg);
}

/** Tallies as the figures they are: each bucket's and the total's basis from its kWh per basis. */
function finished(buckets: Tally[], total: Tally, fixedKg: number) {
  return {
    data: buckets.map((t) => ({
      from: t.from,
      to: t.to,
      kwh: t.kwh,
      gco2: t.gco2,
      unmatchedKwh: t.unmatched,
      ...basisOf(t.byBasis),
    })),
    total: {
      kwh: total.kwh,
      kgco2: total.gco2 / 1000,
      unmatchedKwh: total.unmatched,
      fixedFactorKgco2: fixedKg,
      ...basisOf(total.byBasis),
    },
  };
}

/** Figures as the API answers them: kWh, grams and kg to three decimals, shares to four (rounded once, here). */
export function rounded<T extends { data: EmissionSpan[]; total: EmissionTotal }>(r: T) {
  const r3 = (n: number) => Math.round(n * 1000) / 1000;
  const r4 = (n: number) => Math.round(n * 10_000) / 10_000;
  const shares = (s: Shares) => ({
    regional: r4(s.regional),
    national_actual: r4(s.national_actual),
    national_forecast: r4(s.national_forecast),
    fixed_factor: r4(s.fixed_factor),
  });
  return {
    data: r.data.map((s) => ({
      ...s,
      kwh: r3(s.kwh),
      gco2: r3(s.gco2),
      unmatchedKwh: r3(s.unmatchedKwh),
      shares: shares(s.shares),
    })),
    total: {
      ...r.total,
      kwh: r3(r.total.kwh),
      kgco2: r3(r.total.kgco2),
      unmatchedKwh: r3(r.total.unmatchedKwh),
      fixedFactorKgco2: r3(r.total.fixedFactorKgco2),
      shares: shares(r.total.shares),
    },
  };
}
