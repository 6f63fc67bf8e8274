// The bill calculator: prices every half-hour of a meter's readings at the rate that applied to it.
// Pure and allocation-light, because a switching analysis prices the same readings under many tariffs:
// `prepareReadings` lays a window's readings out once (kWh and the wall-clock key of each half-hour),
// then `priceReadings` runs per tariff over those arrays. Amounts are carried unrounded; `roundPence`
// rounds once, on output. Rates exclude VAT; VAT is charged on units + standing charge + CCL. At the
// end, bills added up: a site's meters per fuel (siteCosts) and the cost report (costReport).
import type { Fuel } from "../enums";
import {
  dateOfEpochDay,
  dayStartUtcOfEpochDay,
  epochDayOfIso,
  MS_PER_DAY,
  MS_PER_MINUTE,
  MS_PER_PERIOD,
  periodsInEpochDay,
  utcOffsetMinutesAt,
} from "../time/settlement";
import { cclPencePerKwh } from "./ccl";
import { bandPlan, planKey, type Tariff } from "./model";
import type { PricedMeter } from "./store";

/** Rounds to 0.01 p, half away from zero. Sums of floats land a hair off a half; within 1e-9 p counts as one. */
export function roundPence(pence: number): number {
  const hundredths = Math.abs(pence) * 100;
  let whole = Math.floor(hundredths);
  if (hundredths - whole >= 0.5 - 1e-7) whole += 1;
  const rounded = whole / 100;
  return pence < 0 ? -rounded : rounded;
}

/** A stored meter-day: half-hours (null = missing) or, for a daily-total import, only its total. */
export type ReadingDay = { date: string; kwh: number; periods: readonly (number | null)[] | null };

const NO_DATA = 0;
const HALF_HOURLY = 1;
const DAILY_TOTAL = 2;

/** A window's readings laid out for pricing: one entry per settlement period of every day in the window. */
export type PreparedReadings = {
  from: string;
  to: string;
  dates: string[];
  /** Index of each day's first half-hour in the arrays below. */
  dayFirst: Int32Array;
  dayPeriods: Int32Array;
  dayKind: Uint8Array;
  /** kWh of each day (a daily total, or the sum of present half-hours). */
  dayKwh: Float64Array;
  /** kWh per half-hour; NaN when missing (or the day is a daily total). */
  kwh: Float64Array;
  /** planKey of each half-hour's start on the local (Europe/London) and on the UTC wall clock. */
  localKey: Uint16Array;
  utcKey: Uint16Array;
  expectedPeriods: number;
  presentPeriods: number;
  missingPeriods: number;
  missingDays: number;
};

const monthOfEpochDay = (day: number) => Number(dateOfEpochDay(day).slice(5, 7));

function wallKey(wallMs: number, months: Map<number, number>): number {
  const day = Math.floor(wallMs / MS_PER_DAY);
  let month = months.get(day);
  if (month === undefined) months.set(day, (month = monthOfEpochDay(day)));
  const weekday = (((day + 3) % 7) + 7) % 7;
  return planKey(weekday, month, Math.floor((wallMs - day * MS_PER_DAY) / MS_PER_PERIOD));
}

/** The half-hours of a window, readings aside: shared by every meter priced over the same window. */
export type WindowLayout = Pick<
  PreparedReadings,
  "from" | "to" | "dates" | "dayFirst" | "dayPeriods" | "localKey" | "utcKey" | "expectedPeriods"
>;

/**
 * Layouts of recent windows, kept by the isolate: a layout is a pure function of its dates and is never
 * written to once made, and an analysis of a meter-year spends a few ms building one.
 */
const layouts = new Map<string, WindowLayout>();

export function windowLayout(from: string, to: string): WindowLayout {
  const key = from + "/" + to;
  const kept = layouts.get(key);
  if (kept) return kept;
  const layout = buildLayout(from, to);
  if (layouts.size >= 8) layouts.delete(layouts.keys().next().value!);
  layouts.set(key, layout);
  return layout;
}

function buildLayout(from: string, to: string): WindowLayout {
  const first = epochDayOfIso(from);
  const n = epochDayOfIso(to) - first + 1;
  const dayFirst = new Int32Array(n);
  const dayPeriods = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    dayFirst[i] = total;
    dayPeriods[i] = periodsInEpochDay(first + i);
    total += dayPeriods[i];
  }
  const layout: WindowLayout = {
    from,
    to,
    dates: [],
    dayFirst,
    dayPeriods,
    localKey: new Uint16Array(total),
    utcKey: new Uint16Array(total),
    expectedPeriods: total,
  };
  const months = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    layout.dates.push(dateOfEpochDay(first + i));
    const start = dayStartUtcOfEpochDay(first + i);
    for (let p = 0, j = dayFirst[i]; p < dayPeriods[i]; p++, j++) {
      const utc = start + p * MS_PER_PERIOD;
      layout.utcKey[j] = wallKey(utc, months);
      layout.localKey[j] = wallKey(utc + utcOffsetMinutesAt(utc) * MS_PER_MINUTE, months);
    }
  }
  return layout;
}

/** Lays out the readings of [from, to] (settlement dates, inclusive); days without a row count as missing. */
export function prepareReadings(
  from: string,
  to: string,
  days: readonly ReadingDay[],
  layout: WindowLayout = windowLayout(from, to),
): PreparedReadings {
  const n = layout.dates.length;
  const prepared: PreparedReadings = {
    ...layout,
    dayKind: new Uint8Array(n),
    dayKwh: new Float64Array(n),
    kwh: new Float64Array(layout.expectedPeriods).fill(NaN),
    presentPeriods: 0,
    missingPeriods: 0,
    missingDays: n,
  };
  const base = epochDayOfIso(from);
  for (const day of days) {
    const i = epochDayOfIso(day.date) - base;
    if (!(i >= 0 && i < n) || prepared.dayKind[i] !== NO_DATA) continue;
    prepared.missingDays--;
    const periods = layout.dayPeriods[i];
    if (day.periods === null || day.periods.length === 0) {
      prepared.dayKind[i] = DAILY_TOTAL;
      prepared.dayKwh[i] = day.kwh;
      prepared.presentPeriods += periods; // a daily total accounts for the whole day, as in analytics
      continue;
    }
    prepared.dayKind[i] = HALF_HOURLY;
    let sum = 0;
    for (let p = 0, j = layout.dayFirst[i]; p < periods; p++, j++) {
      const v = day.periods[p];
      if (v === null || v === undefined) {
        prepared.missingPeriods++;
        continue;
      }
      prepared.kwh[j] = v;
      sum += v;
      prepared.presentPeriods++;
    }
    prepared.dayKwh[i] = sum;
  }
  return prepared;
}

/** A price series as stored: settlement date → one price per period (null = none published). */
export type DayPrices = ReadonlyMap<string, readonly (number | null)[]>;

/** A tariff with what the loop needs to price it: its band plan, and for a dynamic tariff its prices. */
export type PricedTariff = {
  tariff: Tariff;
  /** Dynamic: pence per half-hour by settlement date, one entry per period (null or absent = no price). */
  prices?: DayPrices;
};

type Compiled = {
  tariff: Tariff;
  bandNames: string[];
  bandRates: Float64Array;
  plan: Int8Array | null;
  prices: DayPrices | null;
};

const compiledPlans = new WeakMap<Tariff, Compiled>();

function compile(t: PricedTariff): Compiled {
  const cached = compiledPlans.get(t.tariff);
  if (cached && cached.prices === (t.prices ?? null)) return cached;
  const { tariff } = t;
  let compiled: Compiled;
  if (tariff.type === "tou" && tariff.bands?.length) {
    const plan = bandPlan(tariff.bands);
    if (!(plan instanceof Int8Array)) throw new RangeError(`tariff ${tariff.id}: ${plan.message}`);
    compiled = {
      tariff,
      plan,
      prices: null,
      bandNames: tariff.bands.map((b) => b.name),
      bandRates: Float64Array.from(tariff.bands, (b) => b.pencePerKwh),
    };
  } else if (tariff.type === "dynamic") {
    compiled = {
      tariff,
      plan: null,
      prices: t.prices ?? new Map(),
      bandNames: ["Dynamic"],
      bandRates: new Float64Array(1),
    };
  } else {
    compiled = {
      tariff,
      plan: null,
      prices: null,
      bandNames: ["Unit rate"],
      bandRates: Float64Array.of(tariff.unitRatePence ?? 0),
    };
  }
  compiledPlans.set(tariff, compiled);
  return compiled;
}

/** A dated stretch of the window priced under one tariff (from a meter's assignments); dates inclusive. */
export type TariffSpan = PricedTariff & { from: string; to: string };

/** Per-day amounts (pence, unrounded) of one pricing run, for buckets and totals. */
export type PricedDays = {
  kwh: Float64Array;
  units: Float64Array;
  standing: Float64Array;
  ccl: Float64Array;
  vat: Float64Array;
  /** kWh and pence by band name. */
  bands: Map<string, { kwh: number; pence: number }>;
  /** Half-hours with kWh but no price (a dynamic price missing), and daily-total days a time-of-use tariff cannot price. */
  unpriced: { periods: number; days: number; kwh: number };
  /** Days of the window no tariff covered: no standing charge, no units. */
  uncoveredDays: number;
  /** Per day, 1 when its cost is not whole: no tariff covered it, or some of its kWh had no price. */
  dayUnpriced: Uint8Array;
  /** Units pence per band name and day, when asked for (the costs routes chart them; the analyser does not). */
  dayBands?: Map<string, Float64Array>;
  spans: { tariffId: number; from: string; to: string }[];
};

/**
 * Prices a window's readings under tariffs by date (spans need not cover the whole window, and must not
 * overlap). Every covered day pays the standing charge, every kWh the CCL (when the tariff has it), even
 * where a unit price is missing; VAT is the tariff's rate on units + standing + CCL of the day.
 */
export function priceReadings(
  r: PreparedReadings,
  spans: readonly TariffSpan[],
  fuel: Fuel,
  { dayBands = false }: { dayBands?: boolean } = {},
): PricedDays {
  const n = r.dates.length;
  const out: PricedDays = {
    kwh: Float64Array.from(r.dayKwh),
    units: new Float64Array(n),
    standing: new Float64Array(n),
    ccl: new Float64Array(n),
    vat: new Float64Array(n),
    bands: new Map(),
    unpriced: { periods: 0, days: 0, kwh: 0 },
    uncoveredDays: 0,
    dayUnpriced: new Uint8Array(n),
    dayBands: dayBands ? new Map() : undefined,
    spans: [],
  };
  const base = epochDayOfIso(r.from);
  const ordered = [...spans].sort((a, b) => (a.from < b.from ? -1 : 1));
  const covered = new Uint8Array(n);
  for (const span of ordered) {
    const firstDay = Math.max(0, epochDayOfIso(span.from) - base);
    const lastDay = Math.min(n - 1, epochDayOfIso(span.to) - base);
    if (firstDay > lastDay) continue;
    out.spans.push({ tariffId: span.tariff.id, from: r.dates[firstDay], to: r.dates[lastDay] });
    const c = compile(span);
    const bandKwh = new Float64Array(c.bandNames.length);
    const bandPence = new Float64Array(c.bandNames.length);
    // A day's pence per band is what priceDay added to the running sums: read off only when asked for.
    const before = out.dayBands ? new Float64Array(c.bandNames.length) : null;
    const perDay = out.dayBands ? c.bandNames.map((name) => dayBandRow(out.dayBands!, name, n)) : [];
    for (let d = firstDay; d <= lastDay; d++) {
      covered[d] = 1;
      const unpricedBefore = out.unpriced.periods + out.unpriced.days;
      before?.set(bandPence);
      priceDay(r, d, c, bandKwh, bandPence, out);
      if (before) for (let b = 0; b < perDay.length; b++) perDay[b][d] += bandPence[b] - before[b];
      if (out.unpriced.periods + out.unpriced.days !== unpricedBefore) out.dayUnpriced[d] = 1;
      out.standing[d] = c.tariff.standingChargePence;
      out.ccl[d] = c.tariff.ccl ? r.dayKwh[d] * cclPencePerKwh(fuel, r.dates[d]) : 0;
      out.vat[d] = (out.units[d] + out.standing[d] + out.ccl[d]) * c.tariff.vatRate;
    }
    for (let b = 0; b < c.bandNames.length; b++) {
      const entry = out.bands.get(c.bandNames[b]) ?? { kwh: 0, pence: 0 };
      entry.kwh += bandKwh[b];
      entry.pence += bandPence[b];
      out.bands.set(c.bandNames[b], entry);
    }
  }
  for (let d = 0; d < n; d++)
    if (!covered[d]) {
      out.uncoveredDays++;
      out.dayUnpriced[d] = 1;
    }
  return out;
}

function dayBandRow(rows: Map<string, Float64Array>, name: string, days: number): Float64Array {
  let row = rows.get(name);
  if (!row) rows.set(name, (row = new Float64Array(days)));
  return row;
}

/** One day's units under one tariff: the hot loop, specialised by type. */
function priceDay(
  r: PreparedReadings,
  d: number,
  c: Compiled,
  bandKwh: Float64Array,
  bandPence: Float64Array,
  out: PricedDays,
): void {
  const kind = r.dayKind[d];
  if (kind === NO_DATA) return;
  if (kind === DAILY_TOTAL) {
    if (c.tariff.type === "flat") {
      const pence = r.dayKwh[d] * c.bandRates[0];
      out.units[d] = pence;
      bandKwh[0] += r.dayKwh[d];
      bandPence[0] += pence;
    } else {
      out.unpriced.days++;
      out.unpriced.kwh += r.dayKwh[d];
    }
    return;
  }
  const start = r.dayFirst[d];
  const end = start + r.dayPeriods[d];
  const kwh = r.kwh;
  let units = 0;
  if (c.plan) {
    const keys = c.tariff.clock === "utc" ? r.utcKey : r.localKey;
    const plan = c.plan;
    const rates = c.bandRates;
    for (let j = start; j < end; j++) {
      const v = kwh[j];
      if (v !== v) continue; // NaN: missing
      const b = plan[keys[j]];
      const pence = v * rates[b];
      units += pence;
      bandKwh[b] += v;
      bandPence[b] += pence;
    }
  } else if (c.prices) {
    const prices = c.prices.get(r.dates[d]);
    for (let j = start; j < end; j++) {
      const v = kwh[j];
      if (v !== v) continue;
      const price = prices?.[j - start];
      if (price === undefined || price === null) {
        out.unpriced.periods++;
        out.unpriced.kwh += v;
        continue;
      }
      units += v * price;
      bandKwh[0] += v;
      bandPence[0] += v * price;
    }
  } else {
    // Flat: the day's kWh (the sum of its present half-hours, made once by prepareReadings) × the rate.
    const sum = r.dayKwh[d];
    units = sum * c.bandRates[0];
    bandKwh[0] += sum;
    bandPence[0] += units;
  }
  out.units[d] = units;
}

export type Amounts = {
  kwh: number;
  unitsPence: number;
  standingPence: number;
  cclPence: number;
  vatPence: number;
  totalPence: number;
};

/** Sums of days [first, last] (indexes), unrounded. */
export function sumDays(p: PricedDays, first = 0, last = p.kwh.length - 1): Amounts {
  const a = { kwh: 0, unitsPence: 0, standingPence: 0, cclPence: 0, vatPence: 0, totalPence: 0 };
  for (let d = first; d <= last; d++) {
    a.kwh += p.kwh[d];
    a.unitsPence += p.units[d];
    a.standingPence += p.standing[d];
    a.cclPence += p.ccl[d];
    a.vatPence += p.vat[d];
  }
  a.totalPence = a.unitsPence + a.standingPence + a.cclPence + a.vatPence;
  return a;
}

/** A run with nothing priced, to add others into. */
export function emptyPricedDays(days: number): PricedDays {
  return {
    kwh: new Float64Array(days),
    units: new Float64Array(days),
    standing: new Float64Array(days),
    ccl: new Float64Array(days),
    vat: new Float64Array(days),
    bands: new Map(),
    unpriced: { periods: 0, days: 0, kwh: 0 },
    uncoveredDays: 0,
    dayUnpriced: new Uint8Array(days),
    spans: [],
  };
}

/** Adds one run's per-day amounts into another's (a site: the sum of its meters). */
export function addPricedDays(into: PricedDays, more: PricedDays): void {
  for (let d = 0; d < into.kwh.length; d++) {
    into.kwh[d] += more.kwh[d];
    into.units[d] += more.units[d];
    into.standing[d] += more.standing[d];
    into.ccl[d] += more.ccl[d];
    into.vat[d] += more.vat[d];
    into.dayUnpriced[d] |= more.dayUnpriced[d];
  }
  if (more.dayBands) {
    into.dayBands ??= new Map();
    for (const [name, row] of more.dayBands) {
      const sum = dayBandRow(into.dayBands, name, row.length);
      for (let d = 0; d < row.length; d++) sum[d] += row[d];
    }
  }
  for (const [name, b] of more.bands) {
    const entry = into.bands.get(name) ?? { kwh: 0, pence: 0 };
    entry.kwh += b.kwh;
    entry.pence += b.pence;
    into.bands.set(name, entry);
  }
  into.unpriced.periods += more.unpriced.periods;
  into.unpriced.days += more.unpriced.days;
  into.unpriced.kwh += more.unpriced.kwh;
  into.uncoveredDays += more.uncoveredDays;
  into.spans.push(...more.spans);
}

/** Amounts rounded for output: every field to 0.01 p (kWh to 0.001), each from its unrounded value. */
export function roundAmounts(a: Amounts): Amounts {
  return {
    kwh: Math.round(a.kwh * 1000) / 1000,
    unitsPence: roundPence(a.unitsPence),
    standingPence: roundPence(a.standingPence),
    cclPence: roundPence(a.cclPence),
    vatPence: roundPence(a.vatPence),
    totalPence: roundPence(a.totalPence),
  };
}

/** What a costs answer says of the data behind it: one meter's window, or several meters' summed. */
export type Coverage = Pick<
  PreparedReadings,
  "dates" | "expectedPeriods" | "presentPeriods" | "missingPeriods" | "missingDays"
>;

/** Several meters' coverage of one window (a site): half-hours and days summed, meter by meter. */
export function combinedCoverage(readings: readonly PreparedReadings[]): Coverage {
  const sum = (f: (r: PreparedReadings) => number) => readings.reduce((n, r) => n + f(r), 0);
  return {
    dates: readings[0].dates,
    expectedPeriods: sum((r) => r.expectedPeriods),
    presentPeriods: sum((r) => r.presentPeriods),
    missingPeriods: sum((r) => r.missingPeriods),
    missingDays: sum((r) => r.missingDays),
  };
}

/** Share of the window's half-hours with data (a daily-total day counts whole), 0–1. */
export const completenessOf = (r: Coverage) =>
  r.expectedPeriods === 0 ? 0 : r.presentPeriods / r.expectedPeriods;

/** The costs answer of a priced window: buckets of days or months, totals, bands, gaps, tariffs. */
export function costSummary(r: Coverage, p: PricedDays, granularity: "day" | "month") {
  const data: (Amounts & { from: string; to: string; bands?: { name: string; pence: number }[] })[] = [];
  /** Units of days [d, last] by band, each rounded once from its unrounded sum. */
  const bandsOf = (d: number, last: number) =>
    p.dayBands &&
    [...p.dayBands].map(([name, row]) => {
      let pence = 0;
      for (let i = d; i <= last; i++) pence += row[i];
      return { name, pence: roundPence(pence) };
    });
  for (let d = 0; d < r.dates.length;) {
    const key = granularity === "day" ? r.dates[d] : r.dates[d].slice(0, 7);
    let last = d;
    while (last + 1 < r.dates.length && granularity === "month" && r.dates[last + 1].slice(0, 7) === key)
      last++;
    const bands = bandsOf(d, last);
    data.push({
      from: r.dates[d],
      to: r.dates[last],
      ...roundAmounts(sumDays(p, d, last)),
      ...(bands && { bands }),
    });
    d = last + 1;
  }
  return {
    data,
    total: roundAmounts(sumDays(p)),
    byBand: [...p.bands].map(([name, b]) => ({
      name,
      kwh: Math.round(b.kwh * 1000) / 1000,
      pence: roundPence(b.pence),
    })),
    missing: { periods: r.missingPeriods, days: r.missingDays },
    unpriced: {
      periods: p.unpriced.periods,
      days: p.unpriced.days,
      kwh: Math.round(p.unpriced.kwh * 1000) / 1000,
    },
    uncoveredDays: p.uncoveredDays,
    completeness: Math.round(completenessOf(r) * 10000) / 10000,
    tariffs: p.spans,
  };
}

// ---------------------------------------------------------------------------------------------
// Bills added up: a site's meters per fuel, and the cost report's sites, suppliers and total.

/** What pricing.ts's meterInputs gathers for one meter. */
type Input = { meter: PricedMeter; prepared: PreparedReadings; spans: (TariffSpan & { tariff: Tariff })[] };

/**
 * A site's bill: each meter priced under its own assignments, and per fuel the sums of its meters'
 * unrounded amounts, rounded once. The meters' tariff spans say nothing of the site as a whole: left out.
 */
export function siteCosts(inputs: readonly Input[], granularity: "day" | "month") {
  const byFuel = new Map<Fuel, { readings: PreparedReadings[]; days: PricedDays }>();
  const meters = inputs.map(({ meter, prepared, spans }) => {
    const priced = priceReadings(prepared, spans, meter.fuel, { dayBands: true });
    let fuel = byFuel.get(meter.fuel);
    if (!fuel)
      byFuel.set(meter.fuel, (fuel = { readings: [], days: emptyPricedDays(prepared.dates.length) }));
    fuel.readings.push(prepared);
    addPricedDays(fuel.days, priced);
    return { mpan: meter.mpan, fuel: meter.fuel, totalPence: roundPence(sumDays(priced).totalPence) };
  });
  const withoutSpans = ({ tariffs: _, ...summary }: ReturnType<typeof costSummary>) => summary;
  const fuels: Partial<Record<Fuel, ReturnType<typeof withoutSpans>>> = {};
  for (const [fuel, { readings, days }] of byFuel)
    fuels[fuel] = withoutSpans(costSummary(combinedCoverage(readings), days, granularity));
  return { fuels, meters };
}

type Group = { id: number | null; name: string; meters: Set<number>; days: PricedDays };

/**
 * The cost report over `days` settlement days: each meter's assigned spans priced once, then added to
 * its site, its tariff's supplier and the total; rows by name, amounts rounded once.
 */
export function costReport(
  meters: readonly (PricedMeter & { site: string })[],
  inputs: readonly Input[],
  days: number,
) {
  const sites = new Map<number, Group>();
  const suppliers = new Map<number | null, Group>();
  const total = emptyPricedDays(days);
  const group = <K>(groups: Map<K, Group>, key: K, id: number | null, name: string) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { id, name, meters: new Set(), days: emptyPricedDays(days) }));
    return g;
  };
  for (const [i, input] of inputs.entries()) {
    const meter = meters[i];
    const site = group(sites, meter.siteId, meter.siteId, meter.site);
    for (const span of input.spans) {
      const priced = priceReadings(input.prepared, [span], meter.fuel);
      const supplierId = span.tariff.supplierId;
      const supplier = group(suppliers, supplierId, supplierId, span.tariff.supplierName ?? "No supplier");
      for (const g of [site, supplier]) {
        g.meters.add(meter.id);
        addPricedDays(g.days, priced);
      }
      addPricedDays(total, priced);
    }
  }
  const rows = (groups: Map<unknown, Group>) =>
    [...groups.values()]
      .map((g) => ({ id: g.id, name: g.name, meters: g.meters.size, ...roundAmounts(sumDays(g.days)) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  return { sites: rows(sites), suppliers: rows(suppliers), total: roundAmounts(sumDays(total)) };
}
