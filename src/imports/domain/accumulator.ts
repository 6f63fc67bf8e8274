// Collects parsed readings into one record per meter per settlement day, the shape the readings store
// writes (the day's half-hours, a day total, an estimated mask), and formats them for a bulk JSON insert.

import { dateOfEpochDay, epochDayOfIso, periodsInSettlementDay } from "../../time/settlement";

export type DayKind = "hh" | "daily";

export type MeterDay = {
  /** Canonical meter id: the 13-digit MPAN core or the MPRN. */
  meter: string;
  date: string;
  kind: DayKind;
  /** Half-hour kWh by period (index 0 = period 1); NaN where no reading came. Unused (all NaN) for daily days. */
  periods: Float64Array;
  /** Bit i (as 2^i: the mask can pass 32 bits, so use arithmetic, not bitwise operators) = period i+1 estimated; bit 0 for a daily value. */
  estimatedMask: number;
  /** kWh: the daily value, or the sum of the present periods of a half-hourly day. */
  total: number;
  /**
   * The periods as JSON text (one entry per settlement period, `null` where missing) when a wide row
   * gave the whole day in cells that are already JSON numbers in kWh: the writer sends the file's own
   * text rather than formatting 48 numbers again. Cleared by any later change to a single period.
   */
  periodsJson?: string;
};

/** 2^i for i = 0..49. */
export const BIT: readonly number[] = Array.from({ length: 50 }, (_, i) => 2 ** i);

export function isBitSet(mask: number, i: number): boolean {
  return Math.floor(mask / BIT[i]) % 2 === 1;
}

export function newPeriods(): Float64Array {
  return new Float64Array(50).fill(NaN);
}

/** Days' periods are views into shared blocks: one allocation per this many days rather than per day. */
const DAYS_PER_BLOCK = 1024;

/** The previous cumulative read of a meter (register imports), kept between chunks. */
export type RegisterRead = { epochDay: number; value: number; line: number };

export class DayAccumulator {
  /** Meter → epoch day → record: number keys, no key string built per row. */
  private readonly byMeter = new Map<string, Map<number, MeterDay>>();
  private lastMeter = "";
  private lastDay = NaN;
  private lastRecord: MeterDay | undefined;
  private readonly dates = new Map<number, string>();
  private block = new Float64Array(0);
  private blockUsed = 0;
  /** Register imports: each meter's latest read. */
  readonly registerReads = new Map<string, RegisterRead>();
  /** Narrow imports without offsets: local times of the repeated autumn hour already seen, by meter. */
  readonly repeatedHourSeen = new Set<string>();
  /** Stark DF2: the meter of the latest `#O` line and the sensor of the latest `#S` line. */
  starkMeter: string | undefined;
  starkSensor = 1;
  /** Sub-half-hour readings until `finishIntervals`: each day's interval values (NaN = not seen) and estimates. */
  private readonly intervals = new Map<MeterDay, { values: Float64Array; estimated: Uint8Array }>();
  private intervalsPerHalfHour = 1;

  get size(): number {
    let size = 0;
    for (const days of this.byMeter.values()) size += days.size;
    return size;
  }

  *days(): IterableIterator<MeterDay> {
    for (const days of this.byMeter.values()) yield* days.values();
  }

  get(meter: string, date: string): MeterDay | undefined {
    return this.byMeter.get(meter)?.get(epochDayOfIso(date));
  }

  dateOf(epochDay: number): string {
    let date = this.dates.get(epochDay);
    if (date === undefined) {
      date = dateOfEpochDay(epochDay);
      this.dates.set(epochDay, date);
    }
    return date;
  }

  /** 50 periods, all missing: a view into the current block (a typed array per day costs the GC dearly). */
  private blockPeriods(): Float64Array {
    if (this.blockUsed === this.block.length) {
      this.block = new Float64Array(50 * DAYS_PER_BLOCK).fill(NaN);
      this.blockUsed = 0;
    }
    const periods = this.block.subarray(this.blockUsed, this.blockUsed + 50);
    this.blockUsed += 50;
    return periods;
  }

  /** The record of a meter and day, created on first use (consecutive rows of one meter-day skip the lookup). */
  day(meter: string, epochDay: number, kind: DayKind): MeterDay {
    if (
      this.lastRecord !== undefined &&
      epochDay === this.lastDay &&
      meter === this.lastMeter &&
      this.lastRecord.kind === kind
    ) {
      return this.lastRecord;
    }
    let days = this.byMeter.get(meter);
    if (days === undefined) {
      days = new Map();
      this.byMeter.set(meter, days);
    }
    let record = days.get(epochDay);
    if (record === undefined || record.kind !== kind) {
      // A later row of another kind for the same meter-day replaces the earlier one.
      const date = this.dateOf(epochDay);
      record = { meter, date, kind, periods: this.blockPeriods(), estimatedMask: 0, total: 0 };
      days.set(epochDay, record);
    }
    this.lastMeter = meter;
    this.lastDay = epochDay;
    this.lastRecord = record;
    return record;
  }

  /** Sets one half-hour (1-based period); a repeated period replaces the earlier value. Returns true if it was already set. */
  setPeriod(record: MeterDay, period: number, kwh: number, estimated: boolean): boolean {
    const i = period - 1;
    const old = record.periods[i];
    const replaced = !Number.isNaN(old);
    if (replaced) record.total -= old;
    record.periods[i] = kwh;
    record.periodsJson = undefined;
    record.total += kwh;
    const set = isBitSet(record.estimatedMask, i);
    if (estimated && !set) record.estimatedMask += BIT[i];
    else if (!estimated && set) record.estimatedMask -= BIT[i];
    return replaced;
  }

  /**
   * Replaces a half-hourly day's periods wholesale (a wide row): `values` holds 50 entries, NaN = missing;
   * `json`, when given, is the same day as JSON text (see `MeterDay.periodsJson`).
   */
  setDay(record: MeterDay, values: Float64Array, estimatedMask: number, json?: string): void {
    let total = 0;
    for (let i = 0; i < 50; i++) {
      const v = values[i];
      record.periods[i] = v;
      if (!Number.isNaN(v)) total += v;
    }
    record.total = total;
    record.estimatedMask = estimatedMask;
    record.periodsJson = json;
  }

  /**
   * One reading of a sub-half-hour interval: `index` (0-based) of `perHalfHour` within `period`. Returns
   * true if that interval was already set (the later value replaces it).
   */
  setInterval(
    record: MeterDay,
    period: number,
    index: number,
    perHalfHour: number,
    kwh: number,
    estimated: boolean,
  ): boolean {
    this.intervalsPerHalfHour = perHalfHour;
    let day = this.intervals.get(record);
    if (day === undefined) {
      day = {
        values: new Float64Array(50 * perHalfHour).fill(NaN),
        estimated: new Uint8Array(50 * perHalfHour),
      };
      this.intervals.set(record, day);
    }
    const at = (period - 1) * perHalfHour + index;
    const replaced = !Number.isNaN(day.values[at]);
    day.values[at] = kwh;
    day.estimated[at] = estimated ? 1 : 0;
    return replaced;
  }

  /**
   * Sums sub-half-hour intervals into their half-hours: a half-hour is present only when every one of its
   * intervals is (else it stays missing). Returns the half-hours left out for want of an interval.
   */
  finishIntervals(): { meter: string; date: string; period: number; seen: number; of: number }[] {
    const k = this.intervalsPerHalfHour;
    const incomplete: { meter: string; date: string; period: number; seen: number; of: number }[] = [];
    for (const [record, day] of this.intervals) {
      for (let p = 0; p < 50; p++) {
        let sum = 0;
        let seen = 0;
        let estimated = false;
        for (let j = p * k; j < (p + 1) * k; j++) {
          const v = day.values[j];
          if (Number.isNaN(v)) continue;
          sum += v;
          seen++;
          if (day.estimated[j]) estimated = true;
        }
        if (seen === k) this.setPeriod(record, p + 1, sum, estimated);
        else if (seen > 0)
          incomplete.push({ meter: record.meter, date: record.date, period: p + 1, seen, of: k });
      }
    }
    this.intervals.clear();
    return incomplete;
  }

  /** Sets a daily value (a repeated day replaces the earlier value). */
  setDaily(record: MeterDay, kwh: number, estimated: boolean): void {
    record.total = kwh;
    record.estimatedMask = estimated ? 1 : 0;
  }
}

/**
 * `[meter, date, totalKwh, periodCount, estimatedMask, periods]`: `periods` has one entry per settlement
 * period of the day (46, 48 or 50), null for a missing one, or is that array's JSON text.
 */
export type HalfHourlyInsertRow<Id = string> = [
  Id,
  string,
  number,
  number,
  number,
  (number | null)[] | string,
  /** The calorific value a gas volume was converted with; absent for energy. */
  number?,
];
/** `[meter, date, totalKwh, estimatedMask, calorificValue?]`. */
export type DailyInsertRow<Id = string> = [Id, string, number, number, number?];

/**
 * The accumulator as compact arrays for a bulk `json_each` insert: half-hourly days as 6-element rows,
 * daily days as 4-element rows. `meterId` maps the canonical meter id to the stored one (the meters
 * table's id); without it the rows carry the canonical id.
 */
export function toInsertRows(acc: DayAccumulator): {
  halfHourly: HalfHourlyInsertRow[];
  daily: DailyInsertRow[];
};
export function toInsertRows<Id>(
  acc: DayAccumulator,
  meterId: (meter: string) => Id,
  calorificValue?: (meter: string) => number,
): { halfHourly: HalfHourlyInsertRow<Id>[]; daily: DailyInsertRow<Id>[] };
export function toInsertRows(
  acc: DayAccumulator,
  meterId: (meter: string) => unknown = (m) => m,
  calorificValue?: (meter: string) => number,
) {
  const halfHourly: HalfHourlyInsertRow<unknown>[] = [];
  const daily: DailyInsertRow<unknown>[] = [];
  acc.finishIntervals();
  for (const day of acc.days()) {
    if (day.kind === "daily") {
      const row: DailyInsertRow<unknown> = [meterId(day.meter), day.date, day.total, day.estimatedMask];
      if (calorificValue) row.push(calorificValue(day.meter));
      daily.push(row);
      continue;
    }
    // The parser rejects a value past the day's last period, so nothing is cut off here.
    const n = periodsInSettlementDay(day.date);
    const json = day.periodsJson;
    const periods = json === undefined ? new Array<number | null>(n) : null;
    let count = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = day.periods[i];
      if (Number.isNaN(v)) {
        if (periods) periods[i] = null;
      } else {
        if (periods) periods[i] = v;
        count++;
        total += v;
      }
    }
    const row: HalfHourlyInsertRow<unknown> = [
      meterId(day.meter),
      day.date,
      total,
      count,
      day.estimatedMask,
      periods ?? json!,
    ];
    if (calorificValue) row.push(calorificValue(day.meter));
    halfHourly.push(row);
  }
  return { halfHourly, daily };
}
