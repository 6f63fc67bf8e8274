// The read side of consumption analytics: stored meter-days and meter-months combined into the figures
// the API answers (a meter's buckets and summary, a site's or the portfolio's fuels, the report). Each
// figure comes from figures.ts; this module only picks rows, sums them and rounds for the wire.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { FUELS, type Fuel } from "../enums";
import { addDays } from "../time/settlement";
import {
  bucketsOf,
  expectedPeriods,
  lastYearSpan,
  previousSpan,
  spanParts,
  type Granularity,
  type Span,
} from "./calendar";
import {
  addDay,
  compare,
  completeness,
  emptySums,
  halfHourKw,
  spanFigures,
  type Comparison,
  type DayFigures,
} from "./figures";
import { gasVolumesByMeter } from "../readings/store";
import { sumSpans, type MeterRef, type SiteRef } from "./store";

const roundTo = (digits: number) => {
  const f = 10 ** digits;
  return (v: number) => Math.round(v * f) / f;
};
/** kWh and kW: six decimals, as the readings endpoint. */
export const r6 = roundTo(6);
const r4 = roundTo(4);
const r2 = roundTo(2);
const maybe = <T, U>(v: T | null, f: (v: T) => U): U | null => (v === null ? null : f(v));
const isoAt = (ms: number | null) => maybe(ms, (v) => new Date(v).toISOString());

// ---------------------------------------------------------------------------------------------
// one meter

/** A stored day as the `day` granularity of the readings endpoint shows it. */
export function dayRow(d: DayFigures) {
  return {
    date: d.date,
    kwh: r6(d.kwh),
    periods: d.periods,
    expectedPeriods: d.expected,
    estimated: d.estimated,
    baseloadKw: maybe(d.baseloadKw, r6),
    peakKw: maybe(d.peakKwh, (v) => r6(halfHourKw(v))),
    peakAt: isoAt(d.peakAt),
    completeness: r4(completeness(d.periods ?? d.expected, d.expected)),
  };
}

/** The figures of a span from its stored days (in date order) and its own dates, rounded for the API. */
export function figuresOf(days: DayFigures[], span: Span) {
  const sums = emptySums();
  for (const d of days) addDay(sums, d);
  const f = spanFigures(sums, expectedPeriods(span));
  return {
    kwh: r6(f.kwh),
    periods: f.periods,
    expectedPeriods: f.expectedPeriods,
    completeness: r4(f.completeness),
    baseloadKw: maybe(f.baseloadKw, r6),
    peakKw: maybe(f.peakKw, r6),
    peakAt: isoAt(f.peakAt),
    loadFactor: maybe(f.loadFactor, r4),
    outOfHoursKwh: maybe(f.outOfHoursKwh, r6),
    /** Unrounded, for comparisons. */
    raw: f,
  };
}

/** Every week, month or year bucket of the range (clipped to it) with its figures; empty buckets say so (completeness 0). */
export function bucketRows(days: DayFigures[], span: Span, granularity: Exclude<Granularity, "day">) {
  let i = 0;
  return bucketsOf(span, granularity).map((b) => {
    const inBucket: DayFigures[] = [];
    while (i < days.length && days[i].date <= b.to) {
      if (days[i].date >= b.from) inBucket.push(days[i]);
      i++;
    }
    const { kwh, periods, expectedPeriods, completeness, baseloadKw, peakKw, peakAt, loadFactor } = figuresOf(
      inBucket,
      b,
    );
    return {
      period: b.period,
      from: b.from,
      to: b.to,
      kwh,
      periods,
      expectedPeriods,
      completeness,
      baseloadKw,
      peakKw,
      peakAt,
      loadFactor,
    };
  });
}

/** A comparison rounded for the API. */
function comparisonOf(kwh: number, other: Span, otherKwh: number, otherCompleteness: number): Comparison {
  const c = compare(kwh, { ...other, kwh: otherKwh, completeness: otherCompleteness });
  return {
    from: c.from,
    to: c.to,
    kwh: r6(c.kwh),
    changeKwh: r6(c.changeKwh),
    changePct: maybe(c.changePct, r2),
    partial: c.partial,
  };
}

/** The spans a meter summary reads: the range, the previous span and the same span a year earlier. */
export const comparedSpans = (span: Span): [Span, Span, Span] => [
  span,
  previousSpan(span),
  lastYearSpan(span),
];

/** A meter's summary from the stored days of its range, previous span and last year's span. */
export function meterSummary(
  meter: MeterRef,
  spans: [Span, Span, Span],
  days: [DayFigures[], DayFigures[], DayFigures[]],
) {
  const [span, prev, last] = spans;
  const { raw, ...current } = figuresOf(days[0], span);
  const p = figuresOf(days[1], prev).raw;
  const l = figuresOf(days[2], last).raw;
  return {
    mpan: meter.mpan,
    fuel: meter.fuel,
    from: span.from,
    to: span.to,
    ...current,
    previous: comparisonOf(raw.kwh, prev, p.kwh, p.completeness),
    lastYear: comparisonOf(raw.kwh, last, l.kwh, l.completeness),
  };
}

// ---------------------------------------------------------------------------------------------
// sites and the portfolio: sums over meters, per fuel

type Totals = { kwh: number; periods: number };
/** The spans an estate's figures sum: the range, its previous span, last year's. */
const TAGS = ["cur", "prev", "last"] as const;
const add = (t: Totals | undefined, kwh: number, periods: number): Totals => ({
  kwh: (t?.kwh ?? 0) + kwh,
  periods: (t?.periods ?? 0) + periods,
});

/** Per-m² and per-normaliser figures: kWh over the sites that have the divisor ÷ the sum of their divisors. */
function normalised(kwhBySite: Map<number, number>, sites: SiteRef[]) {
  let area = 0;
  let areaKwh = 0;
  const byName = new Map<string, { value: number; kwh: number }>();
  for (const s of sites) {
    if (!kwhBySite.has(s.id)) continue;
    const kwh = kwhBySite.get(s.id)!;
    if (s.floorAreaM2) {
      area += s.floorAreaM2;
      areaKwh += kwh;
    }
    for (const n of s.normalisers) {
      const t = byName.get(n.name) ?? { value: 0, kwh: 0 };
      t.value += n.value;
      t.kwh += kwh;
      byName.set(n.name, t);
    }
  }
  return {
    ...(area > 0 ? { perM2: r6(areaKwh / area) } : {}),
    ...(byName.size > 0
      ? { perNormaliser: Object.fromEntries([...byName].map(([name, t]) => [name, r6(t.kwh / t.value)])) }
      : {}),
  };
}

export type EstateScope = { meters: SQL; sites: SQL };

/** Conditions picking the meters and sites of one site, or of every site `visible` (a condition on a site id) allows. */
export function estateScope(visibleSite: (column: SQL) => SQL, siteId: number | null): EstateScope {
  const only = (column: SQL) => (siteId === null ? sql`1 = 1` : sql`${column} = ${siteId}`);
  return {
    meters: sql`${visibleSite(sql`meters.site_id`)} AND ${only(sql`meters.site_id`)}`,
    sites: sql`${visibleSite(sql`sites.id`)} AND ${only(sql`sites.id`)}`,
  };
}

/**
 * A site's or the portfolio's consumption over a range: per fuel (never added together) the kWh, a
 * series at the granularity, the previous span and last year, per-m² and per-normaliser figures; the
 * meters with their share of their fuel; and each site's kWh per fuel with its change.
 */
export async function estateConsumption(db: Db, scope: EstateScope, span: Span, granularity: Granularity) {
  const [prev, last] = [previousSpan(span), lastYearSpan(span)];
  const buckets = bucketsOf(span, granularity);
  const [sums, volumes] = await Promise.all([
    // Per meter only the range itself (the meters' shares); every other total from the site roll-ups.
    sumSpans(db, scope, buckets.map(spanParts), [span, prev, last].map(spanParts), 1, span),
    gasVolumesByMeter(db, scope.meters, span.from, span.to),
  ]);
  const baseloads = sums.baseloads;
  /** Gas in m³ where known: the days imported from a volume, and the kWh they hold (rounded once, here). */
  const gasVolume = () => {
    let m3 = 0;
    let kwh = 0;
    for (const v of volumes.values()) {
      m3 += v.m3;
      kwh += v.kwh;
    }
    return volumes.size > 0 ? { m3: r6(m3), m3Kwh: r6(kwh) } : {};
  };
  /** A bucket's baseload: the mean over its days that have one of the fuel's meters' baseloads summed. */
  const bucketBaseload = (b: Span, fuel: Fuel) => {
    let sum = 0;
    let days = 0;
    for (let d = b.from; d <= b.to; d = addDays(d, 1)) {
      const kw = baseloads.get(`${d}|${fuel}`);
      if (kw !== undefined) {
        sum += kw;
        days++;
      }
    }
    return days > 0 ? r6(sum / days) : null;
  };
  const { meters, sites } = sums;
  // Totals by span tag: per meter, per (site, fuel), per fuel.
  const perMeter = new Map<string, Totals>();
  const perSiteFuel = new Map<string, Totals>();
  const perFuel = new Map<string, Totals>();
  for (const m of meters) perMeter.set(`cur|${m.id}`, add(undefined, m.spans[0][0], m.spans[0][1]));
  for (const s of sites) {
    s.spans.forEach((byFuel, i) => {
      const tag = TAGS[i];
      for (const fuel of FUELS) {
        const [kwh, periods] = byFuel[fuel];
        perSiteFuel.set(`${tag}|${s.id}|${fuel}`, add(undefined, kwh, periods));
        perFuel.set(`${tag}|${fuel}`, add(perFuel.get(`${tag}|${fuel}`), kwh, periods));
      }
    });
  }
  const meterCount = (fuel: Fuel) => meters.filter((m) => m.fuel === fuel).length;
  const expected = { cur: expectedPeriods(span), prev: expectedPeriods(prev), last: expectedPeriods(last) };

  const fuels: Partial<Record<Fuel, ReturnType<typeof fuelBlock>>> = {};
  function fuelBlock(fuel: Fuel) {
    const n = meterCount(fuel);
    const total = (tag: "cur" | "prev" | "last") => perFuel.get(`${tag}|${fuel}`) ?? { kwh: 0, periods: 0 };
    const cur = total("cur");
    const other = (tag: "prev" | "last", s: Span) =>
      comparisonOf(cur.kwh, s, total(tag).kwh, completeness(total(tag).periods, n * expected[tag]));
    const kwhBySite = new Map<number, number>();
    for (const m of meters) {
      if (m.fuel !== fuel) continue;
      kwhBySite.set(m.siteId, perSiteFuel.get(`cur|${m.siteId}|${fuel}`)?.kwh ?? 0);
    }
    return {
      kwh: r6(cur.kwh),
      completeness: r4(completeness(cur.periods, n * expected.cur)),
      series: buckets.map((b, i) => {
        const [kwh, periods] = sums.series[i][fuel];
        return {
          period: b.period,
          from: b.from,
          to: b.to,
          kwh: r6(kwh),
          completeness: r4(completeness(periods, n * expectedPeriods(b))),
          baseloadKw: bucketBaseload(b, fuel),
        };
      }),
      previous: other("prev", prev),
      lastYear: other("last", last),
      ...normalised(kwhBySite, sites),
      ...(fuel === "gas" ? gasVolume() : {}),
    };
  }
  for (const fuel of FUELS) if (meterCount(fuel) > 0) fuels[fuel] = fuelBlock(fuel);

  const fuelTotal = (fuel: Fuel) => perFuel.get(`cur|${fuel}`)?.kwh ?? 0;
  const meterRows = meters
    .map((m) => {
      const kwh = perMeter.get(`cur|${m.id}`)?.kwh ?? 0;
      const total = fuelTotal(m.fuel);
      const volume = volumes.get(m.id);
      return {
        mpan: m.mpan,
        fuel: m.fuel,
        kwh: r6(kwh),
        share: total > 0 ? r4(kwh / total) : 0,
        ...(volume ? { m3: r6(volume.m3), m3Kwh: r6(volume.kwh) } : {}),
        raw: kwh,
      };
    })
    .sort((a, b) =>
      a.fuel < b.fuel ? -1 : a.fuel > b.fuel ? 1 : b.raw - a.raw || (a.mpan < b.mpan ? -1 : 1),
    )
    .map(({ raw: _raw, ...row }) => row);

  const siteRows = sites.map((s) => {
    const kwhOf = (tag: string, fuel: Fuel) => perSiteFuel.get(`${tag}|${s.id}|${fuel}`)?.kwh ?? 0;
    const has = (fuel: Fuel) => meters.some((m) => m.siteId === s.id && m.fuel === fuel);
    // A site's change is its electricity's, or its gas's when it has no electricity meter: fuels are never added.
    const fuel: Fuel = has("electricity") || !has("gas") ? "electricity" : "gas";
    const before = kwhOf("prev", fuel);
    return {
      id: s.id,
      name: s.name,
      electricityKwh: r6(kwhOf("cur", "electricity")),
      gasKwh: r6(kwhOf("cur", "gas")),
      changePct: before > 0 ? r2(((kwhOf("cur", fuel) - before) / before) * 100) : null,
    };
  });
  siteRows.sort(
    (a, b) => b.electricityKwh - a.electricityKwh || b.gasKwh - a.gasKwh || (a.name < b.name ? -1 : 1),
  );
  return { fuels, meters: meterRows, sites: siteRows, updatedAt: sums.updatedAt, found: sites.length > 0 };
}

/**
 * The consumption report: one row per site with meters of the fuel: kWh, the previous span's kWh, the
 * change, kWh per m² or per the named normaliser, and completeness.
 */
export async function consumptionReport(
  db: Db,
  scope: EstateScope,
  span: Span,
  fuel: Fuel,
  normaliser: string,
) {
  const prev = previousSpan(span);
  const { meters, sites } = await sumSpans(
    db,
    { meters: sql`${scope.meters} AND meters.fuel = ${fuel}`, sites: scope.sites },
    [],
    [span, prev].map(spanParts),
    0,
  );
  const totals = new Map<string, Totals>();
  for (const s of sites) {
    s.spans.forEach((byFuel, i) => {
      const [kwh, periods] = byFuel[fuel];
      totals.set(`${TAGS[i]}|${s.id}`, add(undefined, kwh, periods));
    });
  }
  const expected = expectedPeriods(span);
  const rows = sites
    .filter((s) => meters.some((m) => m.siteId === s.id))
    .map((s) => {
      const cur = totals.get(`cur|${s.id}`) ?? { kwh: 0, periods: 0 };
      const before = totals.get(`prev|${s.id}`)?.kwh ?? 0;
      const n = meters.filter((m) => m.siteId === s.id).length;
      const divisor =
        normaliser === "floorArea"
          ? s.floorAreaM2
          : (s.normalisers.find((x) => x.name === normaliser)?.value ?? null);
      return {
        siteId: s.id,
        site: s.name,
        kwh: r6(cur.kwh),
        previousKwh: r6(before),
        changePct: before > 0 ? r2(((cur.kwh - before) / before) * 100) : null,
        normalised: divisor ? r6(cur.kwh / divisor) : null,
        completeness: r4(completeness(cur.periods, n * expected)),
      };
    });
  return { from: span.from, to: span.to, fuel, normaliser, previous: prev, rows };
}
