// Turning rows of a planned file into meter-day records, one chunk of rows at a time. Each row is
// validated as a whole: a row with any bad cell is rejected with its file line and a reason.

import {
  MS_PER_DAY,
  MS_PER_MINUTE,
  MS_PER_PERIOD,
  isRepeatedLocalTime,
  londonLocalEpochDayToUtc,
  periodsInEpochDay,
  settlementSlotAt,
} from "../../time/settlement";
import { BIT, DayAccumulator, newPeriods } from "./accumulator";
import { isBooleanStatusHeader, kwhPerCubicMetre, DEFAULT_CALORIFIC_VALUE } from "./headers";
import { canonicalMeterId } from "./meter";
import {
  MAX_DAY_KWH,
  MAX_HALF_HOUR_KWH,
  type ImportPlan,
  type ParseResult,
  type RowError,
  type RowErrorCode,
} from "./types";
import {
  DateTimeReader,
  cubicMetresOf,
  isBlank,
  isEstimatedStatus,
  parseNumber,
  unitFactorOf,
} from "./values";
import { starkMeterOf } from "./sniff";
import { PLAIN, type FastSplit } from "./split";

/** What parsing needs from outside the file: each gas meter's calorific value (MJ/m³) for volume files. */
export type ParseEnv = { calorificValue?: (meter: string) => number };

/** Sums of wide periods may differ from a Total column by float noise; more than this is a warning. */
export const TOTAL_TOLERANCE_KWH = 0.001;

class RowRejected {
  constructor(
    readonly code: RowErrorCode,
    readonly message: string,
  ) {}
}

const reject = (code: RowErrorCode, message: string) => new RowRejected(code, message);

type Context = {
  plan: ImportPlan;
  acc: DayAccumulator;
  meters: Map<string, string | RowRejected>;
  /** The meter cell meterOf read last (never blank) and what it gave. */
  lastMeterCell: string | undefined;
  lastMeter: string | RowRejected | undefined;
  warnings: RowError[];
  booleanStatus: boolean;
  line: number;
  /** This parse's own date/time reader: its fields hold the cell just read. */
  dt: DateTimeReader;
  env: ParseEnv;
  /** Each meter's first line in this chunk. */
  meterLines: Map<string, number>;
  /** The fast split that made these rows (wide files), whose period cells may be PLAIN. */
  split: FastSplit | undefined;
  /** The current row's index in the chunk. */
  index: number;
};

function isBlankRow(row: string[]): boolean {
  for (let i = 0; i < row.length; i++) if (!isBlank(row[i])) return false;
  return true;
}

function meterOf(ctx: Context, row: string[]): string | RowRejected {
  const column = ctx.plan.columns.meter;
  if (column === undefined) {
    const meter = ctx.plan.dialect === "stark-df2" ? ctx.acc.starkMeter : ctx.plan.fixedMeter!;
    if (meter === undefined) return reject("missing_meter", "no #O line names the meter before this row");
    if (!ctx.meterLines.has(meter)) ctx.meterLines.set(meter, ctx.line);
    return meter;
  }
  const raw = row[column];
  // Rows come in runs naming one meter (a narrow file names each 17,520 times a year in a row): comparing
  // the cell with the last one is cheaper than hashing it for the map, which was 8 % of a narrow import.
  if (raw !== undefined && raw === ctx.lastMeterCell) return ctx.lastMeter!;
  if (raw === undefined || isBlank(raw)) return reject("missing_meter", "no meter identifier");
  let id = ctx.meters.get(raw);
  if (id === undefined) {
    const check = canonicalMeterId(raw);
    id = check.ok ? check.id : reject("bad_mpan", check.reason);
    ctx.meters.set(raw, id);
    if (typeof id === "string" && !ctx.meterLines.has(id)) ctx.meterLines.set(id, ctx.line);
  }
  ctx.lastMeterCell = raw;
  ctx.lastMeter = id;
  return id;
}

/** kWh per m³ of a gas meter: its calorific value (or the import's), else the default 39.5 MJ/m³. */
function kwhPerM3(ctx: Context, meter: string): number {
  return kwhPerCubicMetre(ctx.env.calorificValue?.(meter) ?? DEFAULT_CALORIFIC_VALUE);
}

/** The cell's kWh (value × unit), or a rejection; `blank` is returned for an empty cell. */
const BLANK = reject("missing_value", "no value");

function kwhOf(
  ctx: Context,
  cell: string | undefined,
  factor: number,
  max: number,
  what: string,
): number | RowRejected {
  if (cell === undefined || isBlank(cell)) return BLANK;
  const v = parseNumber(cell, ctx.plan.decimalComma);
  if (Number.isNaN(v)) return reject("not_a_number", `${what}: "${cell.trim()}" is not a number`);
  if (v < 0) return reject("negative_value", `${what}: ${cell.trim()} is negative`);
  return boundedKwh(v, factor, max, what);
}

/** A non-negative number's kWh (× the unit), or a rejection beyond the sanity bound `max`. */
function boundedKwh(v: number, factor: number, max: number, what: string): number | RowRejected {
  const kwh = v * factor;
  if (kwh > max)
    return reject("value_out_of_range", `${what}: ${kwh} kWh is beyond the ${max} kWh sanity bound`);
  return kwh;
}

/** kWh per file unit for this row: the plan's (a gas volume through the meter's calorific value) or a unit column's. */
function unitFactorOfRow(ctx: Context, row: string[], meter: string): number | RowRejected {
  const column = ctx.plan.columns.unit;
  const cell = column === undefined ? undefined : row[column];
  if (cell === undefined || isBlank(cell)) {
    const m3 = ctx.plan.m3PerUnit;
    return m3 === undefined ? ctx.plan.unitFactor : m3 * kwhPerM3(ctx, meter);
  }
  const f = unitFactorOf(cell);
  if (!Number.isNaN(f)) return f;
  const m3 = cubicMetresOf(cell);
  if (!Number.isNaN(m3)) return m3 * kwhPerM3(ctx, meter);
  return reject("bad_unit", `unit "${cell.trim()}" is not Wh, kWh, MWh, m3, ft3 or hcf`);
}

function estimatedOf(ctx: Context, row: string[]): boolean {
  const column = ctx.plan.columns.status;
  return (
    column !== undefined && row[column] !== undefined && isEstimatedStatus(row[column], ctx.booleanStatus)
  );
}

function dateOf(ctx: Context, cell: string | undefined, what = "date"): number | RowRejected {
  if (cell === undefined || isBlank(cell)) return reject("bad_date", `no ${what}`);
  if (!ctx.dt.parseDateTime(cell)) return reject("bad_date", `${what} "${cell.trim()}" is not a valid date`);
  return ctx.dt.epochDay;
}

// ---------------------------------------------------------------------------------------------
// narrow: one reading per row

/** UTC ms of the local or offset time now in `ctx.dt`, counting repeats of the autumn hour per meter. */
function instantOfParsed(ctx: Context, meter: string, what: string, tag = ""): number | RowRejected {
  if (ctx.dt.seconds !== 0) return reject("misaligned_time", `${what} is not on a half-hour boundary`);
  const day = ctx.dt.epochDay;
  const minutes = ctx.dt.minutes;
  if (!Number.isNaN(ctx.dt.offsetMinutes)) {
    return day * MS_PER_DAY + (minutes - ctx.dt.offsetMinutes) * MS_PER_MINUTE;
  }
  let occurrence: 0 | 1 = 0;
  if (isRepeatedLocalTime(day, minutes)) {
    const key = tag + meter + "|" + day + "|" + minutes;
    if (ctx.acc.repeatedHourSeen.has(key)) occurrence = 1;
    else ctx.acc.repeatedHourSeen.add(key);
  }
  const utc = londonLocalEpochDayToUtc(day, minutes, occurrence);
  if (utc === null)
    return reject("nonexistent_time", `${what}: the clocks skip this local time (spring clock change)`);
  return utc;
}

/**
 * The instant in a start or end column: a date and time, or (beside a date column) a time of day; an
 * end time of 00:00 beside a date is the next midnight.
 */
function instantOfColumn(
  ctx: Context,
  row: string[],
  column: number,
  meter: string,
  what: "start" | "end",
): number | RowRejected {
  const cell = row[column];
  const dateColumn = ctx.plan.columns.date;
  if (dateColumn !== undefined) {
    const day = dateOf(ctx, row[dateColumn]);
    if (day instanceof RowRejected) return day;
    if (cell !== undefined && ctx.dt.parseTimeOfDay(cell)) {
      ctx.dt.epochDay = day;
      if (what === "end" && ctx.dt.minutes === 0) ctx.dt.minutes = 1440;
      return instantOfParsed(ctx, meter, what, what);
    }
  }
  if (cell === undefined || !ctx.dt.parseDateTime(cell)) return timeCellRejected(cell, what);
  if (!ctx.dt.hasTime) return reject("bad_time", `${what} "${cell.trim()}" has no time of day`);
  return instantOfParsed(ctx, meter, what, what);
}

function timeCellRejected(cell: string | undefined, what: string): RowRejected {
  return cell === undefined || isBlank(cell)
    ? reject("bad_date", `no ${what}`)
    : reject("bad_date", `${what} "${cell.trim()}" is not a valid date and time`);
}

function narrowRow(ctx: Context, row: string[]): RowRejected | undefined {
  const { plan, acc } = ctx;
  const c = plan.columns;
  const meter = meterOf(ctx, row);
  if (meter instanceof RowRejected) return meter;
  let startUtc: number;
  if (c.start !== undefined) {
    const s = instantOfColumn(ctx, row, c.start, meter, "start");
    if (s instanceof RowRejected) return s;
    startUtc = s;
    if (c.end !== undefined) {
      const e = instantOfColumn(ctx, row, c.end, meter, "end");
      if (e instanceof RowRejected) return e;
      if (e - startUtc !== plan.intervalMinutes * MS_PER_MINUTE) {
        return reject(
          "misaligned_time",
          `start to end is ${(e - startUtc) / MS_PER_MINUTE} minutes, not ${describeInterval(plan.intervalMinutes)}`,
        );
      }
    }
  } else if (c.timestamp !== undefined) {
    const cell = row[c.timestamp];
    if (cell === undefined || !ctx.dt.parseDateTime(cell)) return timeCellRejected(cell, "timestamp");
    if (!ctx.dt.hasTime) return reject("bad_time", `timestamp "${cell.trim()}" has no time of day`);
    const s = instantOfParsed(ctx, meter, "timestamp");
    if (s instanceof RowRejected) return s;
    startUtc = plan.timestampLabels === "end" ? s - plan.intervalMinutes * MS_PER_MINUTE : s;
  } else if (c.time !== undefined) {
    const day = dateOf(ctx, row[c.date!]);
    if (day instanceof RowRejected) return day;
    const cell = row[c.time];
    if (cell === undefined || !ctx.dt.parseTimeOfDay(cell))
      return reject("bad_time", `time "${(cell ?? "").trim()}" is not a time of day`);
    ctx.dt.epochDay = day;
    const s = instantOfParsed(ctx, meter, "time");
    if (s instanceof RowRejected) return s;
    startUtc = plan.timestampLabels === "end" ? s - plan.intervalMinutes * MS_PER_MINUTE : s;
  } else {
    // date + settlement period number
    const day = dateOf(ctx, row[c.date!]);
    if (day instanceof RowRejected) return day;
    const cell = row[c.period!] ?? "";
    const period = parseNumber(cell, false);
    const n = periodsInEpochDay(day);
    if (!Number.isInteger(period) || period < 1 || period > n) {
      return reject("too_many_periods", `period "${cell.trim()}" is not one of 1–${n} on ${acc.dateOf(day)}`);
    }
    return storeReading(ctx, row, meter, day * 64 + period - 1);
  }
  const interval = plan.intervalMinutes;
  if (interval < 30) return storeInterval(ctx, row, meter, startUtc, interval);
  const slot = settlementSlotAt(startUtc);
  if (slot < 0) return reject("misaligned_time", "the time is not on a half-hour boundary");
  if (interval === 60) {
    // An hour's reading: half in each of its half-hours, both estimated (how it split is unknown).
    const next = settlementSlotAt(startUtc + MS_PER_PERIOD);
    return storeReading(ctx, row, meter, slot, 0.5) ?? storeReading(ctx, row, meter, next, 0.5);
  }
  return storeReading(ctx, row, meter, slot);
}

const describeInterval = (minutes: number) =>
  minutes === 60 ? "an hour" : minutes === 30 ? "a half-hour" : `${minutes} minutes`;

/** A 1-, 5-, 10- or 15-minute reading: kept by its half-hour until every interval of that half-hour is in. */
function storeInterval(
  ctx: Context,
  row: string[],
  meter: string,
  startUtc: number,
  interval: number,
): RowRejected | undefined {
  const halfHourStart = Math.floor(startUtc / MS_PER_PERIOD) * MS_PER_PERIOD;
  const offset = (startUtc - halfHourStart) / (interval * MS_PER_MINUTE);
  if (!Number.isInteger(offset))
    return reject("misaligned_time", `the time is not on the file's ${interval}-minute grid`);
  const slot = settlementSlotAt(halfHourStart);
  if (slot < 0) return reject("misaligned_time", "the time is not on a half-hour boundary");
  const factor = unitFactorOfRow(ctx, row, meter);
  if (factor instanceof RowRejected) return factor;
  const kwh = kwhOf(ctx, row[ctx.plan.columns.value!], factor, MAX_HALF_HOUR_KWH, "value");
  if (kwh instanceof RowRejected) return kwh;
  const day = Math.floor(slot / 64);
  const period = (slot % 64) + 1;
  const record = ctx.acc.day(meter, day, "hh");
  if (ctx.acc.setInterval(record, period, offset, 30 / interval, kwh, estimatedOf(ctx, row))) {
    ctx.warnings.push({
      line: ctx.line,
      code: "duplicate_reading",
      message: `meter ${meter}: this ${interval}-minute reading of period ${period} of ${record.date} appeared before; this later value replaces it`,
    });
  }
  return undefined;
}

/** Stores a half-hour; `share` < 1 stores that share of the value, estimated (an hour split in two). */
function storeReading(
  ctx: Context,
  row: string[],
  meter: string,
  slot: number,
  share = 1,
): RowRejected | undefined {
  const factor = unitFactorOfRow(ctx, row, meter);
  if (factor instanceof RowRejected) return factor;
  const kwh = kwhOf(ctx, row[ctx.plan.columns.value!], factor * share, MAX_HALF_HOUR_KWH, "value");
  if (kwh instanceof RowRejected) return kwh;
  const day = Math.floor(slot / 64);
  const period = (slot % 64) + 1;
  const record = ctx.acc.day(meter, day, "hh");
  if (ctx.acc.setPeriod(record, period, kwh, share < 1 || estimatedOf(ctx, row))) {
    ctx.warnings.push({
      line: ctx.line,
      code: "duplicate_reading",
      message: `meter ${meter} period ${period} of ${record.date} appeared before; this later value replaces it`,
    });
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// daily totals and register reads

/** The meter, date and unit factor every daily or register row starts with. */
function dayRowHead(
  ctx: Context,
  row: string[],
): { meter: string; day: number; factor: number } | RowRejected {
  const meter = meterOf(ctx, row);
  if (meter instanceof RowRejected) return meter;
  const day = dateOf(ctx, row[ctx.plan.columns.date!]);
  if (day instanceof RowRejected) return day;
  const factor = unitFactorOfRow(ctx, row, meter);
  if (factor instanceof RowRejected) return factor;
  return { meter, day, factor };
}

function dailyRow(ctx: Context, row: string[]): RowRejected | undefined {
  const head = dayRowHead(ctx, row);
  if (head instanceof RowRejected) return head;
  const kwh = kwhOf(ctx, row[ctx.plan.columns.value!], head.factor, MAX_DAY_KWH, "value");
  if (kwh instanceof RowRejected) return kwh;
  ctx.acc.setDaily(ctx.acc.day(head.meter, head.day, "daily"), kwh, estimatedOf(ctx, row));
  return undefined;
}

/** The register's wrap point: the next power of ten above a read (99 950 wraps at 100 000). */
export function registerWrap(previous: number): number {
  let wrap = 1;
  while (wrap <= previous) wrap *= 10;
  return wrap;
}

/**
 * A cumulative read: consumption is the rise since the meter's previous read (through a roll-over when
 * the read is lower), spread evenly over the days after the previous read up to this read's date
 * (estimated when spread over more than one day). The first read of a meter is only a baseline.
 */
function registerRow(ctx: Context, row: string[]): RowRejected | undefined {
  const { acc } = ctx;
  const head = dayRowHead(ctx, row);
  if (head instanceof RowRejected) return head;
  const { meter, day, factor } = head;
  const read = kwhOf(ctx, row[ctx.plan.columns.value!], 1, Number.POSITIVE_INFINITY, "register read");
  if (read instanceof RowRejected) return read;
  const previous = acc.registerReads.get(meter);
  if (previous === undefined) {
    acc.registerReads.set(meter, { epochDay: day, value: read, line: ctx.line });
    return undefined;
  }
  if (day <= previous.epochDay) {
    return reject(
      "register_backwards",
      `read dated ${acc.dateOf(day)} is not after the previous read of ${meter} (${acc.dateOf(previous.epochDay)}, line ${previous.line})`,
    );
  }
  const rise =
    read >= previous.value ? read - previous.value : registerWrap(previous.value) - previous.value + read;
  const days = day - previous.epochDay;
  const perDay = (rise * factor) / days;
  if (perDay > MAX_DAY_KWH) {
    return reject(
      "value_out_of_range",
      `${perDay} kWh a day since the previous read is beyond the ${MAX_DAY_KWH} kWh sanity bound`,
    );
  }
  for (let d = previous.epochDay + 1; d <= day; d++)
    acc.setDaily(acc.day(meter, d, "daily"), perDay, days > 1);
  acc.registerReads.set(meter, { epochDay: day, value: read, line: ctx.line });
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// wide: one meter-day per row

type WideLayout = {
  /** Column index per period column, in header order, with its period and its status column (-1 = none). */
  columns: Int32Array;
  periods: Int32Array;
  statusColumns: Int32Array;
  /** Each period column's header as error messages name it. */
  labels: string[];
  positional: boolean;
  /** The k-th period column is period k + 1. */
  sequential: boolean;
};

const wideLayouts = new WeakMap<ImportPlan, WideLayout>();

function wideLayout(plan: ImportPlan): WideLayout {
  let layout = wideLayouts.get(plan);
  if (layout) return layout;
  const periods = plan.columns.periods ?? [];
  const statusByPeriod = new Map((plan.columns.periodStatus ?? []).map((s) => [s.period, s.index]));
  layout = {
    columns: Int32Array.from(periods.map((p) => p.index)),
    periods: Int32Array.from(periods.map((p) => p.period)),
    statusColumns: Int32Array.from(periods.map((p) => statusByPeriod.get(p.period) ?? -1)),
    labels: periods.map((p) => (plan.headers[p.index] ?? `column ${p.index + 1}`).trim()),
    positional: plan.periodLabelling !== "number",
    sequential: periods.every((p, k) => p.period === k + 1),
  };
  wideLayouts.set(plan, layout);
  return layout;
}

const rowValues = newPeriods();
/** The current wide row's cells by period, "null" where missing: one array per day length. */
const rowCells = new Map([46, 48, 50].map((n) => [n, new Array<string>(n).fill("null")]));
/** A comma-separated list of JSON numbers and nulls (strict JSON: no `+`, no leading zeros, no spaces). */
const JSON_NUMBER = String.raw`(?:null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)`;
const JSON_NUMBER_LIST = new RegExp(`^${JSON_NUMBER}(?:,${JSON_NUMBER})*$`);

/**
 * Wide rows. Numbered columns are periods by number. Time-labelled columns are nominal periods 1–48
 * and, on clock-change days: 46-period day, the first 46 non-blank cells in order are periods 1–46;
 * 50-period day, a header with 50 or more period columns is positional, while a 48-column header is
 * mapped by clock time (01:00 and 01:30 are the first, BST, occurrence: periods 3–4; 02:00 onwards are
 * periods 7–50), which leaves the GMT repeat (periods 5–6) missing, with a warning.
 */
function wideRow(ctx: Context, row: string[]): RowRejected | undefined {
  const { plan, acc } = ctx;
  const meter = meterOf(ctx, row);
  if (meter instanceof RowRejected) return meter;
  const day = dateOf(ctx, row[plan.columns.date!]);
  if (day instanceof RowRejected) return day;
  const factor = unitFactorOfRow(ctx, row, meter);
  if (factor instanceof RowRejected) return factor;
  const rowEstimated = estimatedOf(ctx, row);
  const n = periodsInEpochDay(day);
  const layout = wideLayout(plan);
  const count = layout.columns.length;
  const clockMapped = layout.positional && n === 50 && count < 50;
  rowValues.fill(NaN);
  // Without the fast split the cells are kept, to be the day's JSON if they are plain numbers.
  const split = ctx.split;
  const cells = split ? undefined : rowCells.get(n)!.fill("null");
  let mask = 0;
  let sum = 0;
  let present = 0;
  const plainAt = split ? ctx.index * split.stride : 0;
  for (let k = 0; k < count; k++) {
    const column = layout.columns[k];
    const cell = row[column];
    if (cell === undefined || isBlank(cell)) continue;
    const label = layout.labels[k];
    const kwh =
      split && cell === PLAIN
        ? boundedKwh(split.values[plainAt + column], factor, MAX_HALF_HOUR_KWH, label)
        : kwhOf(ctx, cell, factor, MAX_HALF_HOUR_KWH, label);
    if (kwh instanceof RowRejected) return kwh;
    let period = layout.periods[k];
    if (layout.positional && n === 46) period = present + 1;
    else if (clockMapped && period >= 5) period += 2;
    if (period > n) {
      let values = 0;
      for (let j = 0; j < count; j++) if (!isBlank(row[layout.columns[j]])) values++;
      const why = tooManyPeriods(acc.dateOf(day), n);
      return reject(
        "too_many_periods",
        layout.positional
          ? `${why}: this row has values for ${values}`
          : `${label}: ${why}: this row has a value for period ${period}`,
      );
    }
    rowValues[period - 1] = kwh;
    if (cells) cells[period - 1] = cell;
    sum += kwh;
    present++;
    const statusColumn = layout.statusColumns[k];
    const estimated =
      rowEstimated ||
      (statusColumn >= 0 && row[statusColumn] !== undefined && isEstimatedStatus(row[statusColumn], false));
    if (estimated) mask += BIT[period - 1];
  }
  if (sum > MAX_DAY_KWH)
    return reject("value_out_of_range", `the day's ${sum} kWh is beyond the ${MAX_DAY_KWH} kWh sanity bound`);
  if (plan.columns.total !== undefined) {
    const cell = row[plan.columns.total];
    if (cell !== undefined && !isBlank(cell)) {
      const total = parseNumber(cell, plan.decimalComma) * factor;
      if (Number.isNaN(total) || Math.abs(total - sum) > TOTAL_TOLERANCE_KWH) {
        ctx.warnings.push({
          line: ctx.line,
          code: "total_mismatch",
          message: `the periods sum to ${round(sum)} kWh but the total column says ${cell.trim()}`,
        });
      }
    }
  }
  if (clockMapped && present > 0) {
    ctx.warnings.push({
      line: ctx.line,
      code: "repeated_hour_missing",
      message: `${acc.dateOf(day)} has 50 periods but the file has ${count} period columns: the repeated 01:00–02:00 GMT hour (periods 5–6) is missing`,
    });
  }
  if (present === 0) return undefined;
  // The cells themselves are the day's JSON when they are plain kWh numbers (most supplier files).
  let json: string | undefined;
  if (split) {
    // Every period present, from a run of the first n period columns (any columns after them are blank:
    // a value there is a period past the day's last, rejected above).
    if (factor === 1 && present === n && split.jsonCells[ctx.index] === n && layout.sequential)
      json = `[${split.text.slice(split.jsonStart[ctx.index], split.jsonEnd[ctx.index])}]`;
  } else if (cells && factor === 1 && !plan.decimalComma) {
    const text = cells.join(",");
    if (JSON_NUMBER_LIST.test(text)) json = `[${text}]`;
  }
  acc.setDay(acc.day(meter, day, "hh"), rowValues, mask, json);
  return undefined;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "29 Mar 2026 has 46 half-hours (clocks go forward)". */
function tooManyPeriods(date: string, n: number): string {
  const [y, m, d] = date.split("-");
  const day = `${Number(d)} ${MONTH_NAMES[Number(m) - 1]} ${y}`;
  const why = n === 46 ? " (clocks go forward)" : n === 50 ? " (clocks go back)" : "";
  return `${day} has ${n} half-hours${why}`;
}

// ---------------------------------------------------------------------------------------------

const HANDLERS = { narrow: narrowRow, daily: dailyRow, register: registerRow, wide: wideRow } as const;

/**
 * Parses one chunk of data rows (papaparse output, header excluded) into `acc`. `firstLine` is the
 * 1-based file line of `rows[0]`; blank rows are skipped without counting.
 */
export function parseRows(
  plan: ImportPlan,
  rows: string[][],
  firstLine: number,
  acc: DayAccumulator,
  env: ParseEnv = {},
  /** The FastSplit that made `rows`, if one did (not papaparse). */
  split?: FastSplit,
): ParseResult {
  const errors: RowError[] = [];
  const dt = new DateTimeReader();
  dt.order = plan.dateOrder === "mdy" ? 1 : plan.dateOrder === "ymd" ? 2 : 0;
  const ctx: Context = {
    plan,
    acc,
    meters: new Map(),
    lastMeterCell: undefined,
    lastMeter: undefined,
    warnings: [],
    booleanStatus:
      plan.columns.status !== undefined && isBooleanStatusHeader(plan.headers[plan.columns.status] ?? ""),
    line: firstLine,
    dt,
    env,
    meterLines: new Map(),
    split,
    index: 0,
  };
  const handle = HANDLERS[plan.format];
  const stark = plan.dialect === "stark-df2";
  let rowsProcessed = 0;
  let rowsValid = 0;
  let lastValidLine = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (isBlankRow(row)) continue;
    ctx.line = firstLine + i;
    ctx.index = i;
    if (stark && starkControl(ctx, row)) continue;
    rowsProcessed++;
    const problem = handle(ctx, row);
    if (problem === undefined) {
      rowsValid++;
      lastValidLine = ctx.line;
    } else errors.push({ line: ctx.line, code: problem.code, message: problem.message });
  }
  return {
    rowsProcessed,
    rowsValid,
    errors,
    warnings: ctx.warnings,
    lastValidLine,
    meterLines: ctx.meterLines,
  };
}

/**
 * Stark DF2 control lines: `#O` names the meter of the rows that follow, `#S` the sensor (1 = active
 * import, the only one stored; rows of other sensors are skipped with one warning per `#S` line). True
 * when the row is not a reading (a control line, or a reading of another sensor).
 */
function starkControl(ctx: Context, row: string[]): boolean {
  const first = row[0].trim();
  if (first.startsWith("#")) {
    if (first.startsWith("#O")) {
      const check = canonicalMeterId(starkMeterOf(first));
      ctx.acc.starkMeter = check.ok ? check.id : undefined;
      ctx.acc.starkSensor = 1;
    } else if (first.startsWith("#S")) {
      ctx.acc.starkSensor = Number(first.slice(2).trim());
      if (ctx.acc.starkSensor !== 1)
        ctx.warnings.push({
          line: ctx.line,
          code: "sensor_skipped",
          message: `sensor ${first.slice(2).trim()} is not active import (sensor 1): its rows are skipped`,
        });
    }
    return true;
  }
  return ctx.acc.starkSensor !== 1;
}
