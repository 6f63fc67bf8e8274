// Reading the head of a supplier file (the first ~64 KB) to plan its import: delimiter, decimal comma,
// the header row after any preamble, which column plays which role, the layout and the unit.

import type { DateOrder, ImportUnit } from "../../enums";
import { canonicalMeterId } from "./meter";
import { parseMpan } from "../../meters/mpan";
import {
  ENERGY_UNIT_KWH,
  normaliseHeader,
  periodLabelOf,
  periodStatusOf,
  roleOfHeader,
  ROLES,
  unitInHeader,
  VOLUME_UNIT_M3,
  type PeriodLabel,
  type Role,
} from "./headers";
import type { ImportFormat, ImportPlan, PeriodColumn, PlanColumns, SniffOptions, SniffResult } from "./types";
import { DateTimeReader, dateOrderEvidence, parseNumber } from "./values";

/** How many lines from the top (after BOM and `sep=`) may hold the header row. */
export const HEADER_SCAN_LINES = 30;
/** Data lines after the header sampled to tell daily from half-hourly and spot decimal commas. */
const SAMPLE_LINES = 50;
/** Data lines after a header candidate read to find a meter column by its values. */
const CONTENT_LINES = 20;
/** Reading intervals in minutes the import understands (sub-half-hours are summed, hours split). */
const INTERVALS = [1, 5, 10, 15, 30, 60];
/** A wide file has at least this many period columns. */
const MIN_WIDE_PERIODS = 12;

type Delimiter = ImportPlan["delimiter"];
const DELIMITERS: Delimiter[] = [",", ";", "\t"];

/** Splits one line into cells, honouring double quotes ("" inside quotes is a quote). */
export function splitLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      cells.push(cell);
      cell = "";
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

const isBlankLine = (line: string) => line.trim() === "" || /^[,;\t\s]*$/.test(line);

type HeaderAnalysis = {
  cells: string[];
  roles: Partial<Record<Role, number>>;
  periods: { index: number; label: PeriodLabel }[];
  /** Wide files mapped by number: the first half-hour column. */
  firstValue?: number;
  score: number;
  viable: boolean;
  missingExplicit: string[];
  /** Columns that could each hold the readings when no value column is named (their headers). */
  valueCandidates: string[];
  /** The line is data (headerless file): its mapped date column holds a date. */
  isData: boolean;
};

const dateProbe = new DateTimeReader();
const isDateCell = (cell: string | undefined) => cell !== undefined && dateProbe.parseDateTime(cell);
const isNumberCell = (cell: string | undefined) =>
  cell !== undefined && cell.trim() !== "" && !Number.isNaN(parseNumber(cell, false));
const isMpanCell = (cell: string | undefined) => {
  const compact = (cell ?? "").replace(/[\s-]/g, "");
  return (compact.length === 13 || compact.length === 21) && parseMpan(compact).ok;
};

/**
 * Roles of a header row: explicit `columns` (names or 1-based numbers) first, then aliases, then a column
 * whose values (in `rows`, the lines after it) are all valid MPANs, whatever its header.
 */
function analyseHeader(cells: string[], options: SniffOptions, rows: () => string[][]): HeaderAnalysis {
  const roles: Partial<Record<Role, number>> = {};
  const periods: { index: number; label: PeriodLabel }[] = [];
  const explicit = new Map<number, Role>();
  const missingExplicit: string[] = [];
  let firstValue: number | undefined;
  for (const [role, ref] of Object.entries(options.columns ?? {})) {
    let at: number;
    if (typeof ref === "number") at = ref <= cells.length ? ref - 1 : -1;
    else {
      const wanted = ref.trim().toLowerCase();
      at = cells.findIndex((c) => c.trim().toLowerCase() === wanted);
      if (at < 0) at = cells.findIndex((c) => normaliseHeader(c) === normaliseHeader(ref));
    }
    if (at < 0) missingExplicit.push(typeof ref === "number" ? `column ${ref}` : ref);
    else if (role === "firstValue") firstValue = at;
    else explicit.set(at, role as Role);
  }
  for (let i = 0; i < cells.length; i++) {
    const mapped = explicit.get(i);
    if (mapped !== undefined) {
      roles[mapped] = i;
      continue;
    }
    if (firstValue !== undefined && i >= firstValue) continue;
    const role = roleOfHeader(cells[i]);
    if (role) {
      // The first column with a role keeps it, unless an explicit mapping named another.
      if (roles[role] === undefined && ![...explicit.values()].includes(role)) roles[role] = i;
      continue;
    }
    const label = periodLabelOf(cells[i]);
    if (label) periods.push({ index: i, label });
  }
  if (firstValue !== undefined) {
    periods.length = 0;
    for (let i = firstValue; i < cells.length && periods.length < 50; i++)
      periods.push({ index: i, label: { kind: "number", period: periods.length + 1 } });
  }
  const wide = periods.length >= MIN_WIDE_PERIODS;
  const hasWhen = roles.date !== undefined || roles.timestamp !== undefined || roles.start !== undefined;
  const whenColumn = roles.timestamp ?? roles.start ?? roles.date;
  const isData = whenColumn !== undefined && isDateCell(cells[whenColumn]);
  const taken = new Set<number>([...Object.values(roles), ...periods.map((p) => p.index)]);
  if (roles.meter === undefined && options.meter === undefined && hasWhen && !isData) {
    const sample = rows();
    if (sample.length > 0) {
      for (let i = 0; i < cells.length; i++) {
        if (taken.has(i)) continue;
        if (sample.every((row) => isMpanCell(row[i]))) {
          roles.meter = i;
          taken.add(i);
          break;
        }
      }
    }
  }
  let valueCandidates: string[] = [];
  if (roles.value === undefined && roles.register === undefined && roles.total === undefined && !wide) {
    // Headers that name a unit ("gas_usage_kwh") could each be the readings: one is taken, several are asked about.
    const withUnit = cells
      .map((c, i) => i)
      .filter((i) => !taken.has(i) && unitInHeader(cells[i]) !== undefined);
    if (withUnit.length === 1) roles.value = withUnit[0];
    else valueCandidates = withUnit.map((i) => cells[i].trim());
  }
  const hasMeter = roles.meter !== undefined || options.meter !== undefined;
  const hasValue =
    roles.value !== undefined || roles.register !== undefined || roles.total !== undefined || wide;
  const validRoles = Object.keys(roles).filter((r) => (ROLES as string[]).includes(r)).length;
  return {
    cells,
    roles,
    periods,
    firstValue,
    score: validRoles + (wide ? 10 : 0) + (options.columns && missingExplicit.length === 0 ? 100 : 0),
    viable: hasMeter && hasWhen && hasValue && missingExplicit.length === 0 && !isData,
    missingExplicit,
    valueCandidates,
    isData,
  };
}

/**
 * A headerless file read by content from its first data line: a column of valid MPANs is the meter, a
 * date with a time a timestamp, a plain date the date, then 12+ numbers after the date are half-hours
 * (wide), else the first number after the date or timestamp is the value. Explicit column numbers win.
 */
function analyseContent(cells: string[], options: SniffOptions): HeaderAnalysis | undefined {
  const columns = options.columns ?? {};
  if (Object.values(columns).some((ref) => typeof ref !== "number")) return undefined;
  const at = (ref: number | string | undefined) => (typeof ref === "number" ? ref - 1 : undefined);
  const roles: Partial<Record<Role, number>> = {};
  for (const [role, ref] of Object.entries(columns)) if (role !== "firstValue") roles[role as Role] = at(ref);
  let firstValue = at(columns.firstValue);
  const dt = new DateTimeReader();
  if (roles.meter === undefined && options.meter === undefined) {
    const i = cells.findIndex(isMpanCell);
    if (i >= 0) roles.meter = i;
  }
  if (roles.date === undefined && roles.timestamp === undefined) {
    for (let i = 0; i < cells.length; i++) {
      if (i === roles.meter || !dt.parseDateTime(cells[i])) continue;
      if (dt.hasTime) roles.timestamp = i;
      else roles.date = i;
      break;
    }
  }
  const when = roles.timestamp ?? roles.date;
  if (when === undefined) return undefined;
  let numbers = 0;
  for (let i = when + 1; i < cells.length && isNumberCell(cells[i]); i++) numbers++;
  if (firstValue === undefined && roles.value === undefined) {
    if (roles.date !== undefined && numbers >= MIN_WIDE_PERIODS) firstValue = roles.date + 1;
    else if (numbers >= 1) roles.value = when + 1;
  }
  const headers = cells.map((_, i) => `column ${i + 1}`);
  const periods: HeaderAnalysis["periods"] = [];
  if (firstValue !== undefined)
    for (let i = firstValue; i < cells.length && periods.length < 50; i++)
      periods.push({ index: i, label: { kind: "number", period: periods.length + 1 } });
  const viable =
    (roles.meter !== undefined || options.meter !== undefined) &&
    (roles.value !== undefined || periods.length >= MIN_WIDE_PERIODS);
  return {
    cells: headers,
    roles,
    periods,
    firstValue,
    score: 0,
    viable,
    missingExplicit: [],
    valueCandidates: [],
    isData: true,
  };
}

/** Plans an import from the head of a file. See index.ts for the layouts this recognises. */
export function sniff(headText: string, options: SniffOptions = {}): SniffResult {
  const text = headText.charCodeAt(0) === 0xfeff ? headText.slice(1) : headText;
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  if (lines.every(isBlankLine)) return fail("empty_file", "the file is empty");
  // The last line of a head may be cut short (the pipeline adds a newline when the head is the whole file).
  const complete =
    headText.endsWith("\n") || lines.filter((l) => !isBlankLine(l)).length <= 2 ? lines : lines.slice(0, -1);
  if (
    lines
      .find((l) => !isBlankLine(l))
      ?.trim()
      .startsWith("#F2")
  )
    return sniffStarkDf2(complete, options);

  let firstLine = 0;
  let delimiters = DELIMITERS;
  const sep = /^sep=(.)\s*$/i.exec(lines[0]);
  if (sep) {
    const d = sep[1] as Delimiter;
    if (DELIMITERS.includes(d)) delimiters = [d];
    firstLine = 1;
  }

  const rowsAfter = (line: number, delimiter: Delimiter, max: number) => {
    const rows: string[][] = [];
    for (let i = line + 1; i < complete.length && rows.length < max; i++)
      if (!isBlankLine(complete[i])) rows.push(splitLine(complete[i], delimiter));
    return rows;
  };
  let best: { analysis: HeaderAnalysis; line: number; delimiter: Delimiter } | undefined;
  let bestAny: { analysis: HeaderAnalysis; line: number; rank: number; delimiter: Delimiter } | undefined;
  const lastScan = Math.min(lines.length, firstLine + HEADER_SCAN_LINES);
  for (const delimiter of delimiters) {
    for (let i = firstLine; i < lastScan; i++) {
      if (isBlankLine(lines[i])) continue;
      const cells = splitLine(lines[i], delimiter);
      const analysis = analyseHeader(cells, options, () => rowsAfter(i, delimiter, CONTENT_LINES));
      // For the error message: the likeliest header is the best-scoring line, then the wordiest.
      const rank = analysis.score * 1000 + cells.filter((c) => /[a-z]/i.test(c)).length;
      if (!bestAny || rank > bestAny.rank) bestAny = { analysis, line: i, rank, delimiter };
      if (analysis.viable && (!best || analysis.score > best.analysis.score))
        best = { analysis, line: i, delimiter };
    }
  }
  // No header row: a file that starts with data is read by its content (or by column numbers).
  let headerless = false;
  if (!best) {
    const first = lines.findIndex((l, i) => i >= firstLine && !isBlankLine(l));
    for (const delimiter of delimiters) {
      const cells = splitLine(lines[first], delimiter);
      if (cells.length < 2) continue;
      const analysis = analyseContent(cells, options);
      if (analysis?.viable) {
        best = { analysis, line: first - 1, delimiter };
        headerless = true;
        break;
      }
    }
  }

  if (!best) return noHeaderFound(lines, bestAny, options, rowsAfter);

  const { analysis, delimiter } = best;
  const headerLine = best.line + 1; // 1-based; the BOM does not add a line; 0 for a headerless file
  const all = rowsAfter(best.line, delimiter, Number.POSITIVE_INFINITY);
  const sample = all.slice(0, SAMPLE_LINES);

  const r = analysis.roles;
  const columns: PlanColumns = {};
  if (r.meter !== undefined) columns.meter = r.meter;
  if (r.unit !== undefined) columns.unit = r.unit;

  let fixedMeter: string | undefined;
  if (r.meter === undefined) {
    const check = canonicalMeterId(options.meter ?? "");
    if (!check.ok) return fail("bad_mpan", `the meter option is not valid: ${check.reason}`);
    fixedMeter = check.id;
  }

  const requested = options.format ?? "auto";
  const wide = analysis.periods.length >= MIN_WIDE_PERIODS;
  let format: ImportFormat;
  if (requested === "wide" || (requested === "auto" && wide)) {
    if (!wide)
      return fail(
        "no_period_columns",
        "format=wide, but no period columns (00:00…23:30, 1…48, HH01…) were found",
      );
    format = "wide";
  } else if (requested === "register" || (requested === "auto" && r.register !== undefined)) {
    format = "register";
  } else if (requested === "daily" || requested === "narrow") {
    format = requested;
  } else {
    format = looksHalfHourly(r, sample) ? "narrow" : "daily";
  }

  let periodLabelling: ImportPlan["periodLabelling"] = "number";
  const when = r.timestamp ?? r.start ?? r.date;
  if (format === "wide") {
    columns.date = r.date ?? r.timestamp ?? r.start;
    if (r.total !== undefined) columns.total = r.total;
    const wideColumns = widePeriodColumns(analysis);
    columns.periods = wideColumns.periods;
    if (analysis.firstValue !== undefined) columns.firstValue = analysis.firstValue;
    if (wideColumns.periodStatus.length > 0) columns.periodStatus = wideColumns.periodStatus;
    if (r.status !== undefined && !wideColumns.statusIndexes.has(r.status)) columns.status = r.status;
    periodLabelling = wideColumns.labelling;
  } else {
    if (r.status !== undefined) columns.status = r.status;
    const value = format === "register" ? (r.register ?? r.value) : (r.value ?? r.total ?? r.register);
    if (value === undefined)
      return fail(
        "unrecognised_headers",
        `no value column found; headers seen: ${analysis.cells.map((h) => `"${h.trim()}"`).join(", ")}`,
      );
    columns.value = value;
    if (format === "narrow") {
      if (r.start !== undefined) {
        columns.start = r.start;
        if (r.end !== undefined) columns.end = r.end;
        if (r.date !== undefined && r.time === undefined) columns.date = r.date;
      } else if (r.timestamp !== undefined) columns.timestamp = r.timestamp;
      else if (r.date !== undefined && (r.time !== undefined || r.period !== undefined)) {
        columns.date = r.date;
        if (r.time !== undefined) columns.time = r.time;
        else columns.period = r.period;
      } else if (r.date !== undefined) columns.timestamp = r.date;
      else if (r.end !== undefined) columns.timestamp = r.end;
    } else {
      columns.date = when ?? r.end;
    }
  }
  if (format !== "narrow" && columns.date === undefined) {
    return fail(
      "unrecognised_headers",
      `no date column found; headers seen: ${analysis.cells.map((h) => `"${h.trim()}"`).join(", ")}`,
    );
  }

  // The unit: the option, else a header ("Consumption (m³)"), else kWh.
  let unit: ImportUnit = options.unit ?? "kWh";
  if (!options.unit) {
    const unitSources = [columns.value, columns.total, columns.periods?.[0]?.index].filter(
      (i): i is number => i !== undefined,
    );
    for (const i of unitSources) {
      const u = headerless ? undefined : unitInHeader(analysis.cells[i]);
      if (u !== undefined) {
        unit = u;
        break;
      }
    }
  }
  const isVolume = unit === "m3" || unit === "ft3" || unit === "hcf";
  const unitFactor = isVolume ? 1 : ENERGY_UNIT_KWH[unit as "kWh" | "Wh" | "MWh"];

  const valueIndexes = format === "wide" ? (columns.periods ?? []).map((p) => p.index) : [columns.value!];
  const decimalComma =
    delimiter !== "," &&
    sample.some((row) => valueIndexes.some((i) => /^\s*-?\d+,\d+\s*$/.test(row[i] ?? "")));

  // Date order, from every date in the head (the pipeline reads on through the file when none told).
  const dateColumn =
    format === "narrow" ? (columns.date ?? columns.timestamp ?? columns.start) : columns.date;
  let dateOrder: DateOrder = options.dateOrder ?? "dmy";
  let dateOrderSource: ImportPlan["dateOrderSource"] = options.dateOrder ? "option" : "assumed";
  if (!options.dateOrder && dateColumn !== undefined) {
    const evidence = dateOrderOfCells(all.map((row) => row[dateColumn]));
    if (evidence.conflict) return fail("date_order_conflict", evidence.conflict);
    if (evidence.order) {
      dateOrder = evidence.order;
      dateOrderSource = "file";
    } else if (!evidence.ambiguous) dateOrderSource = "file"; // ISO dates or month names: no order to decide
  }

  // An end column alone (no start) labels each reading by its end.
  const endOnly = format === "narrow" && columns.timestamp !== undefined && columns.timestamp === r.end;
  const plan: ImportPlan = {
    format,
    delimiter,
    decimalComma,
    headerLine,
    headers: analysis.cells,
    columns,
    unitFactor,
    unit,
    periodLabelling,
    timestampLabels: endOnly ? "end" : (options.timestampLabels ?? "start"),
    timestampLabelsSource: endOnly || options.timestampLabels ? "option" : "default",
    dateOrder,
    dateOrderSource,
    intervalMinutes: format === "narrow" ? 30 : format === "wide" ? 30 : 1440,
    notes: [],
  };
  if (isVolume) plan.m3PerUnit = VOLUME_UNIT_M3[unit as "m3" | "ft3" | "hcf"];
  if (fixedMeter !== undefined) plan.fixedMeter = fixedMeter;
  if (format === "narrow") detectTiming(plan, all, options);
  if (plan.dateOrderSource === "assumed")
    plan.notes.push({ code: "date_order_assumed", message: DATE_ORDER_ASSUMED });
  if (plan.intervalMinutes === 60)
    plan.notes.push({
      code: "hourly_split",
      message: "the readings are hourly: each hour is split evenly into two half-hours, flagged estimated",
    });
  return { ok: true, plan };
}

export const DATE_ORDER_ASSUMED =
  "no date in the file has a day or month above 12, so dates are read day-first (UK: 01/02 is 1 February); set dateOrder if they are month-first";

/** What the dates of a column say about their order, with the first cells that prove each order. */
export function dateOrderOfCells(cells: (string | undefined)[]): {
  order?: "dmy" | "mdy";
  ambiguous: boolean;
  conflict?: string;
} {
  let dmy: string | undefined;
  let mdy: string | undefined;
  let ambiguous = false;
  for (const cell of cells) {
    if (cell === undefined) continue;
    const e = dateOrderEvidence(cell);
    if (e === "dmy") dmy ??= cell.trim();
    else if (e === "mdy") mdy ??= cell.trim();
    else if (e === "ambiguous") ambiguous = true;
  }
  if (dmy && mdy)
    return {
      ambiguous,
      conflict: `the dates disagree on their order: "${dmy}" is day-first and "${mdy}" month-first; set dateOrder (dmy, mdy or ymd)`,
    };
  return { order: dmy ? "dmy" : mdy ? "mdy" : undefined, ambiguous };
}

/** Why no header row was found, as helpfully as the file allows. */
function noHeaderFound(
  lines: string[],
  bestAny: { analysis: HeaderAnalysis; line: number; delimiter: Delimiter } | undefined,
  options: SniffOptions,
  rowsAfter: (line: number, delimiter: Delimiter, max: number) => string[][],
): SniffResult {
  const seen = bestAny?.analysis.cells ?? splitLine(lines.find((l) => !isBlankLine(l)) ?? "", ",");
  const quoted = (cells: string[]) => cells.map((h) => `"${h.trim()}"`).join(", ");
  if (options.columns && bestAny && bestAny.analysis.missingExplicit.length > 0) {
    return fail(
      "unknown_column",
      `the columns mapping names ${bestAny.analysis.missingExplicit.map((h) => (h.startsWith("column ") ? h : `"${h}"`)).join(", ")}, not found in the header row; headers seen: ${quoted(seen)}`,
    );
  }
  const a = bestAny?.analysis;
  if (a) {
    const hasWhen =
      a.roles.date !== undefined || a.roles.timestamp !== undefined || a.roles.start !== undefined;
    const hasValue =
      a.roles.value !== undefined ||
      a.roles.register !== undefined ||
      a.roles.total !== undefined ||
      a.periods.length >= MIN_WIDE_PERIODS;
    if (hasWhen && !hasValue && a.valueCandidates.length > 1) {
      return fail(
        "ambiguous_value_column",
        `${a.valueCandidates.length} columns could hold the readings: ${quoted(a.valueCandidates)}; choose one with the columns option, e.g. {"value":"${a.valueCandidates[0]}"}`,
      );
    }
    if (a.roles.meter === undefined && options.meter === undefined && hasWhen && hasValue) {
      // Wide and daily rows are one per meter-day: several rows on one date means several meters.
      const date = a.roles.date ?? a.roles.timestamp;
      const dates =
        date === undefined || a.roles.time !== undefined || a.roles.period !== undefined
          ? []
          : rowsAfter(bestAny!.line, bestAny!.delimiter, SAMPLE_LINES).map((row) => row[date]?.trim());
      if (new Set(dates).size < dates.length) {
        return fail(
          "meter_required",
          `the file has several rows per date but no meter column was recognised (no column holds only valid MPANs); name it with the columns option, e.g. {"meter":"${seen[0]?.trim() ?? "Meter"}"}; headers seen: ${quoted(seen)}`,
        );
      }
      return fail(
        "meter_required",
        "the file has no meter column: choose the meter these readings belong to (the meter option)",
      );
    }
  }
  return fail(
    "unrecognised_headers",
    `could not find a header row with a meter, a date or time and a value; headers seen: ${quoted(seen)}. ` +
      `Supply a columns mapping from role to header name or column number, e.g. {"meter":"M1_Code1","date":"Date"} ` +
      `or {"meter":1,"date":3,"firstValue":4} (roles: meter, date, time, timestamp, start, end, period, value, firstValue, register, status, total, unit)`,
  );
}

/**
 * Narrow files: the reading interval (from start/end columns, else the smallest step between a meter's
 * consecutive readings) and, unless the option says, whether timestamps label the end of each interval:
 * so when each meter's runs start at one interval past midnight and end at midnight (00:30 … 00:00).
 */
function detectTiming(plan: ImportPlan, rows: string[][], options: SniffOptions): void {
  const c = plan.columns;
  const dt = new DateTimeReader();
  dt.order = plan.dateOrder === "mdy" ? 1 : plan.dateOrder === "ymd" ? 2 : 0;
  /** Local minutes since the epoch of a cell (with the date column when the cell is a time of day). */
  const minutesOf = (row: string[], column: number): number | undefined => {
    const cell = row[column];
    if (cell === undefined) return undefined;
    if (c.date !== undefined && column !== c.date && dt.parseTimeOfDay(cell)) {
      const time = dt.minutes;
      if (!dt.parseDateTime(row[c.date] ?? "")) return undefined;
      return dt.epochDay * 1440 + time;
    }
    if (!dt.parseDateTime(cell) || !dt.hasTime) return undefined;
    return dt.epochDay * 1440 + dt.minutes - (Number.isNaN(dt.offsetMinutes) ? 0 : dt.offsetMinutes);
  };
  if (c.period !== undefined) return;
  if (c.start !== undefined && c.end !== undefined) {
    for (const row of rows) {
      const s = minutesOf(row, c.start);
      const e = minutesOf(row, c.end);
      if (s === undefined || e === undefined) continue;
      let step = e - s;
      if (step <= 0) step += 1440; // an end time of 00:00 beside the date is the next midnight
      if (INTERVALS.includes(step)) plan.intervalMinutes = step;
      break;
    }
    return;
  }
  const column = c.timestamp ?? c.time ?? c.start;
  if (column === undefined) return;
  // `midnights`: readings at 00:00 that follow the reading one interval before (a run through midnight).
  type Run = { meter: string; first: number; last: number; count: number; midnights: number };
  const runs: Run[] = [];
  let step = Number.POSITIVE_INFINITY;
  let onTheHour = true;
  for (const row of rows) {
    const t = minutesOf(row, column);
    if (t === undefined) continue;
    if (t % 60 !== 0) onTheHour = false;
    const meter = c.meter === undefined ? "" : (row[c.meter] ?? "").trim();
    const run = runs[runs.length - 1];
    if (run && run.meter === meter) {
      const gap = t - run.last;
      if (gap > 0 && gap < step) step = gap;
      if (t % 1440 === 0 && gap > 0 && gap <= 60) run.midnights++;
      run.last = t;
      run.count++;
    } else runs.push({ meter, first: t, last: t, count: 1, midnights: 0 });
  }
  // An hour between readings is hourly data only when every reading is on the hour (not a half-hourly
  // file with gaps); a shorter step is proof of shorter intervals.
  if (step === 60 && !onTheHour) step = 30;
  if (INTERVALS.includes(step)) plan.intervalMinutes = step;
  if (options.timestampLabels || plan.timestampLabelsSource === "option" || runs.length === 0) return;
  const interval = plan.intervalMinutes;
  // The last run may be cut off by the end of the head: only the runs before it must end at midnight.
  const endLabelled =
    runs.every((run) => run.first % 1440 === interval && run.count > 1) &&
    runs.slice(0, -1).every((run) => run.last % 1440 === 0) &&
    runs.some((run) => run.midnights > 0);
  if (endLabelled) {
    plan.timestampLabels = "end";
    plan.timestampLabelsSource = "detected";
  }
}

/**
 * Stark DF2: `#F2`, then for each meter `#O <MPAN core>-<ref>` and `#S <sensor>` lines, then rows of
 * `DD/MM/YYYY,HH:MM,kWh,status` whose time ends its half-hour (sensor 1 is active import; others are
 * skipped). The parser follows the `#O` lines, so the plan's fixed meter is only the first.
 */
function sniffStarkDf2(lines: string[], options: SniffOptions): SniffResult {
  const outstation = lines.find((l) => /^#O\b/.test(l.trim()));
  if (!outstation) return fail("meter_required", "a Stark DF2 file needs an #O line naming the meter");
  const check = canonicalMeterId(starkMeterOf(outstation));
  if (!check.ok) return fail("bad_mpan", `the #O line does not name a valid meter: ${check.reason}`);
  return {
    ok: true,
    plan: {
      format: "narrow",
      delimiter: ",",
      decimalComma: false,
      headerLine: 0,
      headers: ["date", "time", "kWh", "status"],
      columns: { date: 0, time: 1, value: 2, status: 3 },
      unitFactor: 1,
      unit: "kWh",
      periodLabelling: "number",
      timestampLabels: options.timestampLabels ?? "end",
      timestampLabelsSource: options.timestampLabels ? "option" : "detected",
      dateOrder: options.dateOrder ?? "dmy",
      dateOrderSource: options.dateOrder ? "option" : "file",
      intervalMinutes: 30,
      dialect: "stark-df2",
      fixedMeter: check.id,
      notes: [],
    },
  };
}

/** The meter of a DF2 `#O` line: the core before the `-<ref>` suffix. */
export function starkMeterOf(line: string): string {
  return line.trim().slice(2).trim().split("-")[0].trim();
}

function fail(code: Extract<SniffResult, { ok: false }>["error"]["code"], message: string): SniffResult {
  return { ok: false, error: { code, message } };
}

/** A time, time-stamped or period column, or a date column whose sampled cells carry times off midnight. */
function looksHalfHourly(r: Partial<Record<Role, number>>, sample: string[][]): boolean {
  if (r.time !== undefined || r.period !== undefined) return true;
  const when = r.timestamp ?? r.start ?? r.date ?? r.end;
  if (when === undefined) return false;
  const dt = new DateTimeReader();
  for (const row of sample) {
    const cell = row[when];
    if (
      cell !== undefined &&
      dt.parseDateTime(cell) &&
      dt.hasTime &&
      // A time off midnight, or any time with a UTC offset ("…T00:00:00Z"): daily totals carry neither.
      (dt.minutes % 1440 !== 0 || dt.seconds !== 0 || !Number.isNaN(dt.offsetMinutes))
    )
      return true;
  }
  return false;
}

function widePeriodColumns(analysis: HeaderAnalysis): {
  periods: PeriodColumn[];
  periodStatus: PeriodColumn[];
  statusIndexes: Set<number>;
  labelling: ImportPlan["periodLabelling"];
} {
  const found = analysis.periods;
  const numbered = found.filter((p) => p.label.kind === "number").length;
  const labelling: ImportPlan["periodLabelling"] =
    numbered * 2 > found.length
      ? "number"
      : (() => {
          const times = found
            .filter((p) => p.label.kind === "time")
            .map((p) => (p.label as { minutes: number }).minutes);
          if (found.some((p) => p.label.kind === "time" && p.label.explicitStart)) return "start";
          if (times.includes(1440) || times[0] === 30) return "end";
          return "start";
        })();
  const kind = labelling === "number" ? "number" : "time";
  const periods: PeriodColumn[] = [];
  for (const p of found) {
    if (p.label.kind !== kind) continue;
    const period = p.label.kind === "number" ? p.label.period : periods.length + 1;
    periods.push({ index: p.index, period, label: analysis.cells[p.index] });
  }

  // Status columns: beside their value column, or naming their period ("HH03 Status", "Flag 3").
  const byIndex = new Map(periods.map((p) => [p.index, p]));
  const periodStatus: PeriodColumn[] = [];
  const statusIndexes = new Set<number>();
  const reserved = new Set(Object.values(analysis.roles).filter((i) => i !== analysis.roles.status));
  for (let i = 0; i < analysis.cells.length; i++) {
    if (byIndex.has(i) || reserved.has(i)) continue;
    const status = periodStatusOf(analysis.cells[i]);
    if (!status) continue;
    let target: PeriodColumn | undefined;
    const label = status.rest ? periodLabelOf(status.rest) : undefined;
    if (label?.kind === "number" && kind === "number")
      target = periods.find((p) => p.period === label.period);
    else if (label?.kind === "time") {
      target = periods.find((p) => {
        const l = periodLabelOf(p.label);
        return l?.kind === "time" && l.minutes === label.minutes;
      });
    }
    if (!target) target = byIndex.get(i - 1);
    if (target) {
      periodStatus.push({ index: i, period: target.period, label: analysis.cells[i] });
      statusIndexes.add(i);
    }
  }
  return { periods, periodStatus, statusIndexes, labelling };
}
