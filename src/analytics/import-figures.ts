// Figures an import range computes itself: a complete half-hourly day written under `replace` is stored
// exactly as the range holds it, so its figures are known before it is written, and the range writes them
// in the same transaction as the day (see importedFigureStatements). Partial days, daily totals and
// `keep` imports merge with what is stored, so they stay pending for the aggregation (aggregate.ts).
// Pure apart from the one read of sites' working hours.
import { periodsInSettlementDay } from "../time/settlement";
import { dayFigures, LowestValues } from "./figures";
import { DEFAULT_WORKING_HOURS, HoursMasks, type WorkingHours } from "./hours";
import { figureRow, type FigureRow } from "./store";

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
  return { hours: new Map(rows), parsed: new Map(), masks: new HoursMasks(), lowest: new LowestValues(8) };
}

/**
 * Whether a written half-hourly row's figures come with it: every period of the day present (the stored
 * row is then exactly this one under `replace`) and the meter's hours known (a meter created during the
 * batch is left to the aggregation).
 */
export const settlesOnImport = (
  cache: ImportFigureCache,
  meterId: number,
  date: string,
  periodCount: number,
) => periodCount === periodsInSettlementDay(date) && cache.hours.has(meterId);

/** The figures of the days `settlesOnImport` picks, with the hours each meter's were computed with. */
export function importedDayFigures(
  cache: ImportFigureCache,
  days: Iterable<ImportedDay>,
  meterId: (meter: string) => number,
): { rows: FigureRow[]; hoursUsed: [number, string | null][] } {
  const rows: FigureRow[] = [];
  const hoursUsed = new Map<number, string | null>();
  for (const day of days) {
    if (day.kind !== "hh") continue;
    const id = meterId(day.meter);
    const hoursText = cache.hours.get(id);
    if (hoursText === undefined) continue;
    const n = periodsInSettlementDay(day.date);
    // The day's total as the readings writer sums it (toInsertRows: in period order), so the stored
    // figures equal those the aggregation computes from the stored row, bit for bit.
    let total = 0;
    let i = 0;
    for (; i < n && !Number.isNaN(day.periods[i]); i++) total += day.periods[i];
    if (i < n) continue;
    const key = hoursText ?? "default";
    let hours = cache.parsed.get(key);
    if (!hours) {
      hours = hoursText ? (JSON.parse(hoursText) as WorkingHours) : DEFAULT_WORKING_HOURS;
      cache.parsed.set(key, hours);
    }
    const stored = {
      date: day.date,
      totalKwh: total,
      periods: day.periods.subarray(0, n),
      estimatedMask: day.estimatedMask,
    };
    rows.push(figureRow(id, dayFigures(stored, cache.masks.get(day.date, hours, key), cache.lowest)));
    hoursUsed.set(id, hoursText);
  }
  return { rows, hoursUsed: [...hoursUsed] };
}
