// Consumption figures. Each definition is part of the API contract (README "Consumption analytics") and
// lives here once: the aggregation job computes every meter-day with dayFigures, and the read side
// combines stored days and months into spans with SpanSums. Pure: no bindings, no I/O.
import { periodStartUtc, periodsInSettlementDay } from "../time/settlement";

/** A comparison is partial when the other span is less complete than this. */
export const PARTIAL_BELOW = 0.9;

/** kW of a half-hour: its kWh over half an hour. */
export const halfHourKw = (kwh: number) => 2 * kwh;

/**
 * The k smallest values offered since the last reset, kept sorted; a buffer its caller owns and reuses
 * (the import offers every half-hour it writes: a typed array, no allocation per day).
 */
export class LowestValues {
  private readonly values: Float64Array;
  private count = 0;
  constructor(readonly k: number) {
    this.values = new Float64Array(k);
  }

  reset(): void {
    this.count = 0;
  }

  offer(v: number): void {
    // Insertion in place (after any equal value): no splice, which showed in the import's profile.
    const vs = this.values;
    let i: number;
    if (this.count === this.k) {
      if (v >= vs[this.k - 1]) return;
      i = this.k - 1;
    } else {
      i = this.count++;
    }
    while (i > 0 && vs[i - 1] > v) {
      vs[i] = vs[i - 1];
      i--;
    }
    vs[i] = v;
  }

  get size(): number {
    return this.count;
  }

  /** Their mean, summed smallest first (a fixed order, so the same values give the same bits). */
  mean(): number {
    let sum = 0;
    for (let i = 0; i < this.count; i++) sum += this.values[i];
    return sum / this.count;
  }
}

/** Half-hours a day's baseload is the mean of. */
export const BASELOAD_HALF_HOURS = 8;

/** baseloadKw of a day: 2 × the mean of its 8 lowest half-hour kWh values; none with fewer than 8 half-hours. */
export function baseloadKw(
  halfHours: ArrayLike<number | null>,
  lowest: LowestValues = new LowestValues(BASELOAD_HALF_HOURS),
): number | null {
  lowest.reset();
  for (let i = 0; i < halfHours.length; i++) {
    const v = halfHours[i];
    if (v !== null) lowest.offer(v);
  }
  return lowest.size < BASELOAD_HALF_HOURS ? null : halfHourKw(lowest.mean());
}

/** The peak half-hour: the largest kWh value and its 0-based index, the first if tied; none without half-hours. */
export function peakHalfHour(halfHours: ArrayLike<number | null>): { kwh: number; index: number } | null {
  let index = -1;
  for (let i = 0; i < halfHours.length; i++) {
    const v = halfHours[i];
    if (v !== null && (index < 0 || v > halfHours[index]!)) index = i;
  }
  return index < 0 ? null : { kwh: halfHours[index]!, index };
}

/** outOfHoursKwh of a day: the kWh of its half-hours that start outside working hours (`inHours[i]` false). */
export function outOfHoursKwh(halfHours: ArrayLike<number | null>, inHours: readonly boolean[]): number {
  let sum = 0;
  for (let i = 0; i < halfHours.length; i++) {
    const v = halfHours[i];
    if (v !== null && !inHours[i]) sum += v;
  }
  return sum;
}

/** completeness = periods present ÷ periods expected (0 when none are expected). */
export const completeness = (periods: number, expected: number) => (expected > 0 ? periods / expected : 0);

/** loadFactor = the mean kW over the half-hours present ÷ peakKw; none without half-hours or with a zero peak. */
export function loadFactor(halfHourKwh: number, halfHours: number, peakKw: number | null): number | null {
  if (halfHours === 0 || !peakKw) return null;
  return halfHourKw(halfHourKwh / halfHours) / peakKw;
}

/**
 * A meter-day as read from `readings` (periods null for a daily total), or as an import holds it before
 * writing (a complete day's half-hours, e.g. a Float64Array).
 */
export type StoredDay = {
  date: string;
  totalKwh: number;
  periods: ArrayLike<number | null> | null;
  estimatedMask: number;
};

/** One meter-day's figures, as the aggregation stores them. */
export type DayFigures = {
  date: string;
  kwh: number;
  /** Half-hours present; null for a day known only by its daily total. */
  periods: number | null;
  /** 46, 48 or 50. */
  expected: number;
  estimated: boolean;
  baseloadKw: number | null;
  peakKwh: number | null;
  /** Epoch ms (UTC) at which the peak half-hour starts. */
  peakAt: number | null;
  outOfHoursKwh: number | null;
};

/**
 * A day's figures. A day with only a daily total counts as complete for kWh and has no half-hour
 * figures (periods, baseload, peak, out-of-hours are null).
 */
export function dayFigures(day: StoredDay, inHours: readonly boolean[], lowest: LowestValues): DayFigures {
  const expected = periodsInSettlementDay(day.date);
  const estimated = day.estimatedMask !== 0;
  const hh = day.periods;
  if (hh === null) {
    return {
      date: day.date,
      kwh: day.totalKwh,
      periods: null,
      expected,
      estimated,
      baseloadKw: null,
      peakKwh: null,
      peakAt: null,
      outOfHoursKwh: null,
    };
  }
  let present = 0;
  for (let i = 0; i < hh.length; i++) if (hh[i] !== null) present++;
  const peak = peakHalfHour(hh);
  return {
    date: day.date,
    kwh: day.totalKwh,
    periods: present,
    expected,
    estimated,
    baseloadKw: baseloadKw(hh, lowest),
    peakKwh: peak?.kwh ?? null,
    peakAt: peak ? periodStartUtc(day.date, peak.index + 1) : null,
    outOfHoursKwh: outOfHoursKwh(hh, inHours),
  };
}

/** What a span's figures are made of: sums over its days, which add up over days, months and meters. */
export type SpanSums = {
  days: number;
  kwh: number;
  /** Half-hours present, plus the expected periods of each day known only by its daily total. */
  periods: number;
  /** kWh and count of the half-hours present (days with half-hours only). */
  halfHourKwh: number;
  halfHours: number;
  baseloadSum: number;
  baseloadDays: number;
  peakKwh: number | null;
  peakAt: number | null;
  outOfHoursKwh: number;
  /** Days with half-hours, over which out-of-hours kWh is known. */
  halfHourDays: number;
};

export const emptySums = (): SpanSums => ({
  days: 0,
  kwh: 0,
  periods: 0,
  halfHourKwh: 0,
  halfHours: 0,
  baseloadSum: 0,
  baseloadDays: 0,
  peakKwh: null,
  peakAt: null,
  outOfHoursKwh: 0,
  halfHourDays: 0,
});

/** Adds a day to the sums; the peak stays the earlier one when tied. Days must be added in date order. */
export function addDay(s: SpanSums, d: DayFigures): SpanSums {
  s.days++;
  s.kwh += d.kwh;
  s.periods += d.periods ?? d.expected;
  if (d.periods !== null) {
    s.halfHourKwh += d.kwh;
    s.halfHours += d.periods;
    s.outOfHoursKwh += d.outOfHoursKwh ?? 0;
    s.halfHourDays++;
  }
  if (d.baseloadKw !== null) {
    s.baseloadSum += d.baseloadKw;
    s.baseloadDays++;
  }
  if (d.peakKwh !== null && (s.peakKwh === null || d.peakKwh > s.peakKwh)) {
    s.peakKwh = d.peakKwh;
    s.peakAt = d.peakAt;
  }
  return s;
}

/** A span's figures from its sums and the periods its days should hold (see calendar.expectedPeriods). */
export function spanFigures(s: SpanSums, expectedPeriods: number) {
  const peakKw = s.peakKwh === null ? null : halfHourKw(s.peakKwh);
  return {
    kwh: s.kwh,
    periods: s.periods,
    expectedPeriods,
    completeness: completeness(s.periods, expectedPeriods),
    /** The mean of the days' baseloads. */
    baseloadKw: s.baseloadDays > 0 ? s.baseloadSum / s.baseloadDays : null,
    peakKw,
    peakAt: s.peakAt,
    loadFactor: loadFactor(s.halfHourKwh, s.halfHours, peakKw),
    outOfHoursKwh: s.halfHourDays > 0 ? s.outOfHoursKwh : null,
  };
}

export type Comparison = {
  from: string;
  to: string;
  kwh: number;
  changeKwh: number;
  changePct: number | null;
  partial: boolean;
};

/**
 * This span against another: changeKwh = this span's kWh − the other's; changePct = changeKwh ÷ the
 * other's kWh × 100 (none when the other used nothing); partial when the other is under 90 % complete.
 */
export function compare(
  kwh: number,
  other: { from: string; to: string; kwh: number; completeness: number },
): Comparison {
  const changeKwh = kwh - other.kwh;
  return {
    from: other.from,
    to: other.to,
    kwh: other.kwh,
    changeKwh,
    changePct: other.kwh > 0 ? (changeKwh / other.kwh) * 100 : null,
    partial: other.completeness < PARTIAL_BELOW,
  };
}
