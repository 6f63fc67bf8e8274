// Reading the head of a supplier file (the first ~64 KB) to plan its import: delimiter, decimal comma,
// the header row after any preamble, which column plays which role, the layout and the unit.

import { canonicalMeterId } from "./meter";
import {
  normaliseHeader,
  periodLabelOf,
  periodStatusOf,
  roleOfHeader,
  ROLES,
  unitFactorInHeader,
  type PeriodLabel,
  type Role,
} from "./headers";
import type { ImportFormat, ImportPlan, PeriodColumn, PlanColumns, SniffOptions, SniffResult } from "./types";
import { DateTimeReader } from "./values";

/** How many lines from the top (after BOM and `sep=`) may hold the header row. */
export const HEADER_SCAN_LINES = 30;
/** Data lines after the header sampled to tell daily from half-hourly and spot decimal commas. */
const SAMPLE_LINES = 50;
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
  score: number;
  viable: boolean;
  missingExplicit: string[];
};

function analyseHeader(cells: string[], options: SniffOptions): HeaderAnalysis {
  const roles: Partial<Record<Role, number>> = {};
  const periods: { index: number; label: PeriodLabel }[] = [];
  const explicit = new Map<number, Role>();
  const missingExplicit: string[] = [];
  for (const [role, name] of Object.entries(options.columns ?? {})) {
    const wanted = name.trim().toLowerCase();
    let at = cells.findIndex((c) => c.trim().toLowerCase() === wanted);
    if (at < 0) at = cells.findIndex((c) => normaliseHeader(c) === normaliseHeader(name));
    if (at < 0) missingExplicit.push(name);
    else explicit.set(at, role as Role);
  }
  for (let i = 0; i < cells.length; i++) {
    const mapped = explicit.get(i);
    if (mapped !== undefined) {
      roles[mapped] = i;
      continue;
    }
    const role = roleOfHeader(cells[i]);
    if (role) {
      // The first column with a role keeps it, unless an explicit mapping named another.
      if (roles[role] === undefined && ![...explicit.values()].includes(role)) roles[role] = i;
      continue;
    }
    const label = periodLabelOf(cells[i]);
    if (label) periods.push({ index: i, label });
  }
  const wide = periods.length >= MIN_WIDE_PERIODS;
  const hasMeter = roles.meter !== undefined || options.meter !== undefined;
  const hasWhen = roles.date !== undefined || roles.timestamp !== undefined || roles.start !== undefined;
  const hasValue =
    roles.value !== undefined || roles.register !== undefined || roles.total !== undefined || wide;
  const validRoles = Object.keys(roles).filter((r) => (ROLES as string[]).includes(r)).length;
  return {
    cells,
    roles,
    periods,
    score: validRoles + (wide ? 10 : 0) + (options.columns && missingExplicit.length === 0 ? 100 : 0),
    viable: hasMeter && hasWhen && hasValue && missingExplicit.length === 0,
    missingExplicit,
  };
}

/** Plans an import from the head of a file. See index.ts for the layouts this recognises. */
export function sniff(headText: string, options: SniffOptions = {}): SniffResult {
  const text = headText.charCodeAt(0) === 0xfeff ? headText.slice(1) : headText;
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  if (lines.every(isBlankLine)) return fail("empty_file", "the file is empty");

  let firstLine = 0;
  let delimiters = DELIMITERS;
  const sep = /^sep=(.)\s*$/i.exec(lines[0]);
  if (sep) {
    const d = sep[1] as Delimiter;
    if (DELIMITERS.includes(d)) delimiters = [d];
    firstLine = 1;
  }

  let best: { analysis: HeaderAnalysis; line: number; delimiter: Delimiter } | undefined;
  let bestAny: { analysis: HeaderAnalysis; line: number; rank: number } | undefined;
  const lastScan = Math.min(lines.length, firstLine + HEADER_SCAN_LINES);
  for (const delimiter of delimiters) {
    for (let i = firstLine; i < lastScan; i++) {
      if (isBlankLine(lines[i])) continue;
      const cells = splitLine(lines[i], delimiter);
      const analysis = analyseHeader(cells, options);
      // For the error message: the likeliest header is the best-scoring line, then the wordiest.
      const rank = analysis.score * 1000 + cells.filter((c) => /[a-z]/i.test(c)).length;
      if (!bestAny || rank > bestAny.rank) bestAny = { analysis, line: i, rank };
      if (analysis.viable && (!best || analysis.score > best.analysis.score))
        best = { analysis, line: i, delimiter };
    }
  }

  if (!best) {
    const seen = bestAny?.analysis.cells ?? splitLine(lines.find((l) => !isBlankLine(l)) ?? "", ",");
    if (options.columns && bestAny && bestAny.analysis.missingExplicit.length > 0) {
      return fail(
        "unknown_column",
        `the columns mapping names ${bestAny.analysis.missingExplicit.map((h) => `"${h}"`).join(", ")}, not found in the header row; headers seen: ${seen.map((h) => `"${h.trim()}"`).join(", ")}`,
      );
    }
    const a = bestAny?.analysis;
    if (a && a.roles.meter === undefined && options.meter === undefined) {
      const hasWhen =
        a.roles.date !== undefined || a.roles.timestamp !== undefined || a.roles.start !== undefined;
      const hasValue =
        a.roles.value !== undefined ||
        a.roles.register !== undefined ||
        a.roles.total !== undefined ||
        a.periods.length >= MIN_WIDE_PERIODS;
      if (hasWhen && hasValue) {
        return fail(
          "meter_required",
          "the file has no meter column: choose the meter these readings belong to (the meter option)",
        );
      }
    }
    return fail(
      "unrecognised_headers",
      `could not find a header row with a meter, a date or time and a value; headers seen: ${seen.map((h) => `"${h.trim()}"`).join(", ")}. ` +
        `Supply a columns mapping from role to header name, e.g. {"meter":"M1_Code1","date":"Date"} ` +
        `(roles: meter, date, time, timestamp, start, end, period, value, register, status, total, unit)`,
    );
  }

  const { analysis, delimiter } = best;
  const headerLine = best.line + 1; // 1-based; the BOM does not add a line
  const sample: string[][] = [];
  for (let i = best.line + 1; i < lines.length && sample.length < SAMPLE_LINES; i++) {
    if (!isBlankLine(lines[i])) sample.push(splitLine(lines[i], delimiter));
  }
  // The last line of a 64 KB head may be cut short.
  if (sample.length > 1 && lines.length > 0 && !headText.endsWith("\n")) sample.pop();

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

  const unitSources = [columns.value, columns.total, columns.periods?.[0]?.index].filter(
    (i): i is number => i !== undefined,
  );
  let unitFactor = 1;
  for (const i of unitSources) {
    const f = unitFactorInHeader(analysis.cells[i]);
    if (f !== undefined) {
      unitFactor = f;
      break;
    }
  }

  const valueIndexes = format === "wide" ? (columns.periods ?? []).map((p) => p.index) : [columns.value!];
  const decimalComma =
    delimiter !== "," &&
    sample.some((row) => valueIndexes.some((i) => /^\s*-?\d+,\d+\s*$/.test(row[i] ?? "")));

  // An end column alone (no start) labels each reading by its end.
  const timestampLabels =
    format === "narrow" && columns.timestamp !== undefined && columns.timestamp === r.end
      ? "end"
      : (options.timestampLabels ?? "start");

  const plan: ImportPlan = {
    format,
    delimiter,
    decimalComma,
    headerLine,
    headers: analysis.cells,
    columns,
    unitFactor,
    periodLabelling,
    timestampLabels,
  };
  if (fixedMeter !== undefined) plan.fixedMeter = fixedMeter;
  return { ok: true, plan };
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
