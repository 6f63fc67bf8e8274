// Figures an import range computes itself: a complete half-hourly day written under `replace` is stored
// exactly as the range holds it, so its figures are known before it is written, and the range writes them
// in the day's own row insert (readings.figures; see importedFigureStatements for what goes with them).
// Partial days, daily totals and `keep` imports merge with what is stored, so they stay pending for the
// aggregation (aggregate.ts). Pure apart from the one read of sites' working hours.
import { periodStartUtc, periodsInSettlementDay } from "../time/settlement";
import { BASELOAD_HALF_HOURS, halfHourKw, LowestValues } from "./figures";
import { DEFAULT_WORKING_HOURS, HoursMasks, type WorkingHours } from "./hours";
import { spansOf } from "../readings/store";
import { figuresJson, type FigureRow } from "./store";

/** A day as an import range holds it (imports/domain MeterDay): half-hour kWh by period, NaN = none. */
export type ImportedDay = {
  meter: string;
  date: string;
  kind: "hh" | "daily";
  periods: Float64Array;
  estimatedMask: number;
};

/** What one queue batch reads once and reuses: each meter's site working hours (JSON text, null = default), and masks. */
export type ImportFigureCache = {
  hours: Map<number, string | null>;
  parsed: Map<string, WorkingHours>;
  masks: HoursMasks;
  lowest: LowestValues;
};

export async function importFigureCache(db: D1Database): Promise<ImportFigureCache> {
  const rows = await db
    .prepare("SELECT m.id, s.working_hours FROM meters m JOIN sites s ON s.id = m.site_id")
    .raw<[number, string | null]>();
  return {
    hours: new Map(rows),
    parsed: new Map(),
    masks: new HoursMasks(),
    lowest: new LowestValues(BASELOAD_HALF_HOURS),
  };
}

/**
 * The figures of the half-hourly days among `days`, in their order: JSON text (figuresJson) for a day with
 * every period present (the stored row is then exactly this one under `replace`) whose meter's hours are
 * known (a meter created during the batch is left to the aggregation), null for the rest; with each
 * meter's first and last day that has figures, and the hours each meter's were computed with.
 */
export function importedDayFigures(
  cache: ImportFigureCache,
  days: Iterable<ImportedDay>,
  meterId: (meter: string) => number,
): { figures: (string | null)[]; spans: [number, string, string][]; hoursUsed: [number, string | null][] } {
  const figures: (string | null)[] = [];
  const rows: FigureRow[] = [];
  const hoursUsed = new Map<number, string | null>();
  for (const day of days) {
    if (day.kind !== "hh") continue;
    const id = meterId(day.meter);
    const hoursText = cache.hours.get(id);
    const row = hoursText === undefined ? null : dayRow(cache, id, day, hoursText);
    figures.push(row === null ? null : figuresJson(row));
    if (row === null) continue;
    rows.push(row);
    hoursUsed.set(id, hoursText!);
  }
  return { figures, spans: spansOf(rows), hoursUsed: [...hoursUsed] };
}

function dayRow(cache: ImportFigureCache, id: number, day: ImportedDay, hoursText: string | null) {
  const n = periodsInSettlementDay(day.date);
  const key = hoursText ?? "default";
  let hours = cache.parsed.get(key);
  if (!hours) {
    hours = hoursText ? (JSON.parse(hoursText) as WorkingHours) : DEFAULT_WORKING_HOURS;
    cache.parsed.set(key, hours);
  }
  return completeDayRow(id, day, n, cache.masks.get(day.date, hours, key), cache.lowest);
}

/**
 * The stored figures of a day whose `n` periods are all present (null when one is missing): dayFigures'
 * definitions computed in one pass over the numbers, with no object per day. An import computes this for
 * every day it writes (365,000 for a 1,000-meter year), where dayFigures' four passes, its typed-array
 * view and its objects showed as about 0.6 s of the Worker's time. Equal to dayFigures bit for bit, as
 * the aggregation computes it from the stored row (the same sums in the same order; the test
 * "completeDayRow" in test/analytics/figures.test.ts compares them): the total in period order, as the
 * readings writer sums it (toInsertRows), so the stored row and its figures agree; the 8 lowest through
 * the same LowestValues as baseloadKw; out-of-hours in period order; the first of equal peaks.
 */
export function completeDayRow(
  meterId: number,
  day: Pick<ImportedDay, "date" | "periods" | "estimatedMask">,
  n: number,
  inHours: readonly boolean[],
  lowest: LowestValues,
): FigureRow | null {
  const periods = day.periods;
  let total = 0;
  let ooh = 0;
  let peak = 0;
  let peakIndex = -1;
  lowest.reset();
  for (let i = 0; i < n; i++) {
    const v = periods[i];
    if (Number.isNaN(v)) return null;
    total += v;
    if (!inHours[i]) ooh += v;
    if (peakIndex < 0 || v > peak) {
      peak = v;
      peakIndex = i;
    }
    lowest.offer(v);
  }
  return [
    meterId,
    day.date,
    total,
    n,
    n,
    day.estimatedMask !== 0 ? 1 : 0,
    lowest.size < BASELOAD_HALF_HOURS ? null : halfHourKw(lowest.mean()),
    peakIndex < 0 ? null : peak,
    peakIndex < 0 ? null : periodStartUtc(day.date, peakIndex + 1),
    ooh,
  ];
}
