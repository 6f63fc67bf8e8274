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
import { isBooleanStatusHeader } from "./headers";
import { canonicalMeterId } from "./meter";
import {
  MAX_DAY_KWH,
  MAX_HALF_HOUR_KWH,
  type ImportPlan,
  type ParseResult,
  type RowError,
  type RowErrorCode,
} from "./types";
import { DateTimeReader, isBlank, isEstimatedStatus, parseNumber, unitFactorOf } from "./values";

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
  warnings: RowError[];
  booleanStatus: boolean;
  line: number;
  /** This parse's own date/time reader: its fields hold the cell just read. */
  dt: DateTimeReader;
};

function isBlankRow(row: string[]): boolean {
  for (let i = 0; i < row.length; i++) if (!isBlank(row[i])) return false;
  return true;
}

function meterOf(ctx: Context, row: string[]): string | RowRejected {
  const column = ctx.plan.columns.meter;
  if (column === undefined) return ctx.plan.fixedMeter!;
  const raw = row[column];
  if (raw === undefined || isBlank(raw)) return reject("missing_meter", "no meter identifier");
  let id = ctx.meters.get(raw);
  if (id === undefined) {
    const check = canonicalMeterId(raw);
    id = check.ok ? check.id : reject("bad_mpan", check.reason);
    ctx.meters.set(raw, id);
  }
  return id;
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
  const kwh = v * factor;
  if (kwh > max)
    return reject("value_out_of_range", `${what}: ${kwh} kWh is beyond the ${max} kWh sanity bound`);
  return kwh;
}

function unitFactorOfRow(ctx: Context, row: string[]): number | RowRejected {
  const column = ctx.plan.columns.unit;
  if (column === undefined) return ctx.plan.unitFactor;
  const cell = row[column];
  if (cell === undefined || isBlank(cell)) return ctx.plan.unitFactor;
  const f = unitFactorOf(cell);
  return Number.isNaN(f) ? reject("bad_unit", `unit "${cell.trim()}" is not Wh, kWh or MWh`) : f;
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
      if (e - startUtc !== MS_PER_PERIOD) {
        return reject(
          "misaligned_time",
          `start to end is ${(e - startUtc) / MS_PER_MINUTE} minutes, not a half-hour`,
        );
      }
    }
  } else if (c.timestamp !== undefined) {
    const cell = row[c.timestamp];
    if (cell === undefined || !ctx.dt.parseDateTime(cell)) return timeCellRejected(cell, "timestamp");
    if (!ctx.dt.hasTime) return reject("bad_time", `timestamp "${cell.trim()}" has no time of day`);
    const s = instantOfParsed(ctx, meter, "timestamp");
    if (s instanceof RowRejected) return s;
    startUtc = plan.timestampLabels === "end" ? s - MS_PER_PERIOD : s;
  } else if (c.time !== undefined) {
    const day = dateOf(ctx, row[c.date!]);
    if (day instanceof RowRejected) return day;
    const cell = row[c.time];
    if (cell === undefined || !ctx.dt.parseTimeOfDay(cell))
      return reject("bad_time", `time "${(cell ?? "").trim()}" is not a time of day`);
    ctx.dt.epochDay = day;
    const s = instantOfParsed(ctx, meter, "time");
    if (s instanceof RowRejected) return s;
    startUtc = plan.timestampLabels === "end" ? s - MS_PER_PERIOD : s;
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
  const slot = settlementSlotAt(startUtc);
  if (slot < 0) return reject("misaligned_time", "the time is not on a half-hour boundary");
  return storeReading(ctx, row, meter, slot);
}

function storeReading(ctx: Context, row: string[], meter: string, slot: number): RowRejected | undefined {
  const factor = unitFactorOfRow(ctx, row);
  if (factor instanceof RowRejected) return factor;
  const kwh = kwhOf(ctx, row[ctx.plan.columns.value!], factor, MAX_HALF_HOUR_KWH, "value");
  if (kwh instanceof RowRejected) return kwh;
  const day = Math.floor(slot / 64);
  const period = (slot % 64) + 1;
  const record = ctx.acc.day(meter, day, "hh");
  if (ctx.acc.setPeriod(record, period, kwh, estimatedOf(ctx, row))) {
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
  const factor = unitFactorOfRow(ctx, row);
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
  const factor = unitFactorOfRow(ctx, row);
  if (factor instanceof RowRejected) return factor;
  const rowEstimated = estimatedOf(ctx, row);
  const n = periodsInEpochDay(day);
  const layout = wideLayout(plan);
  const count = layout.columns.length;
  const clockMapped = layout.positional && n === 50 && count < 50;
  rowValues.fill(NaN);
  const cells = rowCells.get(n)!.fill("null");
  let mask = 0;
  let sum = 0;
  let present = 0;
  for (let k = 0; k < count; k++) {
    const column = layout.columns[k];
    const cell = row[column];
    if (cell === undefined || isBlank(cell)) continue;
    const label = layout.labels[k];
    const kwh = kwhOf(ctx, cell, factor, MAX_HALF_HOUR_KWH, label);
    if (kwh instanceof RowRejected) return kwh;
    let period = layout.periods[k];
    if (layout.positional && n === 46) period = present + 1;
    else if (clockMapped && period >= 5) period += 2;
    if (period > n) {
      return reject(
        "too_many_periods",
        `${label}: ${acc.dateOf(day)} has ${n} periods, but this row has a value for period ${period}`,
      );
    }
    rowValues[period - 1] = kwh;
    cells[period - 1] = cell;
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
  if (factor === 1 && !plan.decimalComma) {
    const text = cells.join(",");
    if (JSON_NUMBER_LIST.test(text)) json = `[${text}]`;
  }
  acc.setDay(acc.day(meter, day, "hh"), rowValues, mask, json);
  return undefined;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

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
): ParseResult {
  const errors: RowError[] = [];
  const ctx: Context = {
    plan,
    acc,
    meters: new Map(),
    warnings: [],
    booleanStatus:
      plan.columns.status !== undefined && isBooleanStatusHeader(plan.headers[plan.columns.status] ?? ""),
    line: firstLine,
    dt: new DateTimeReader(),
  };
  const handle = HANDLERS[plan.format];
  let rowsProcessed = 0;
  let rowsValid = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (isBlankRow(row)) continue;
    rowsProcessed++;
    ctx.line = firstLine + i;
    const problem = handle(ctx, row);
    if (problem === undefined) rowsValid++;
    else errors.push({ line: ctx.line, code: problem.code, message: problem.message });
  }
  return { rowsProcessed, rowsValid, errors, warnings: ctx.warnings };
}
