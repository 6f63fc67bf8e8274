// The data-quality rules: pure functions from a meter's stored days to findings. No bindings, no I/O;
// src/quality/run.ts feeds them from D1 and keeps the issues table current with what they find.
//
// Each finding has a `key`, its identity within the meter and rule (the day, the start of a run, the
// first missing day), so a re-run finds the same issue again instead of adding one.
import type { QualitySeverity, QualityType } from "../enums";
import {
  addDays,
  daysBetween,
  epochDayOfIso,
  MS_PER_MINUTE,
  periodEndUtc,
  periodsInSettlementDay,
  periodStartUtc,
  utcOffsetMinutesAt,
} from "../time/settlement";

/** A stored settlement day of one meter, as readings hold it. */
export type StoredReading = {
  date: string;
  /** One entry per settlement period (null = missing); null for a day known only by its daily total. */
  periods: (number | null)[] | null;
  estimatedMask: number;
};

export type Finding = {
  type: QualityType;
  key: string;
  from: string;
  to: string;
  /**
   * The affected settlement periods: for missing_periods and outlier the periods of the day `from`; for
   * zero_run and flatline `[first, last]`, the first on `from` and the last on `to`; null otherwise.
   */
  periods: number[] | null;
  severity: QualitySeverity;
  detail: string;
};

/** The rules' thresholds (README: Data quality). zeroRun is switched off per meter. */
export type RuleSettings = {
  zeroRunPeriods: number;
  zeroRun: boolean;
  flatlinePeriods: number;
  outlierSigmas: number;
  outlierWeeks: number;
  outlierMinWeeks: number;
  staleDays: number;
  estimatedShare: number;
};

export const DEFAULT_RULES: RuleSettings = {
  zeroRunPeriods: 6,
  zeroRun: true,
  flatlinePeriods: 12,
  outlierSigmas: 3,
  outlierWeeks: 8,
  outlierMinWeeks: 4,
  staleDays: 3,
  estimatedShare: 0.5,
};

/** Days of history before a checked day that the rules read (the outlier rule's weeks). */
export const HISTORY_DAYS = DEFAULT_RULES.outlierWeeks * 7;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const kwh = (v: number) => `${Number(v.toFixed(3))} kWh`;

/** "HH:MM" London time of an instant. */
function clock(utcMs: number): string {
  const local = new Date(utcMs + utcOffsetMinutesAt(utcMs) * MS_PER_MINUTE);
  return local.toISOString().slice(11, 16);
}
/** A period's start, or its end (24:00 for the day's last), in London time. */
const startClock = (date: string, period: number) => clock(periodStartUtc(date, period));
function endClock(date: string, period: number): string {
  return period === periodsInSettlementDay(date) ? "24:00" : clock(periodEndUtc(date, period));
}

/** Counts the set bits of a mask below `n` bits (estimated flags of the present periods). */
function estimatedCount(day: StoredReading): { estimated: number; present: number } {
  if (!day.periods) return { estimated: day.estimatedMask & 1 ? 1 : 0, present: 1 };
  let estimated = 0;
  let present = 0;
  day.periods.forEach((v, i) => {
    if (v === null) return;
    present++;
    // Bits past 31 need division: masks are up to 50 bits, beyond JavaScript's bitwise operators.
    if (Math.floor(day.estimatedMask / 2 ** i) % 2 === 1) estimated++;
  });
  return { estimated, present };
}

/** missing_periods: a day with fewer half-hours than its 46, 48 or 50. */
export function missingPeriods(day: StoredReading): Finding | null {
  if (!day.periods) return null; // a daily total has no half-hours to miss
  const expected = periodsInSettlementDay(day.date);
  const missing: number[] = [];
  for (let p = 1; p <= expected; p++) if (day.periods[p - 1] == null) missing.push(p);
  if (missing.length === 0) return null;
  const severity: QualitySeverity =
    missing.length <= 2 ? "info" : missing.length * 2 >= expected ? "critical" : "warning";
  const first = missing[0];
  const last = missing[missing.length - 1];
  return {
    type: "missing_periods",
    key: day.date,
    from: day.date,
    to: day.date,
    periods: missing,
    severity,
    detail: `${expected - missing.length} of ${expected} half-hours present; ${missing.length} missing between ${startClock(day.date, first)} and ${endClock(day.date, last)}`,
  };
}

/** estimated: a day whose estimated share is over the threshold (50 %). */
export function estimatedDay(day: StoredReading, rules = DEFAULT_RULES): Finding | null {
  const { estimated, present } = estimatedCount(day);
  if (present === 0 || estimated / present <= rules.estimatedShare) return null;
  const pct = Math.round((estimated / present) * 100);
  return {
    type: "estimated",
    key: day.date,
    from: day.date,
    to: day.date,
    periods: null,
    severity: estimated === present ? "warning" : "info",
    detail: day.periods
      ? `${estimated} of ${present} half-hours estimated (${pct} %)`
      : "the daily total is estimated",
  };
}

type Slot = { date: string; period: number; value: number | null };

/** The half-hours of consecutive stored days in order; a day with no row or only a total breaks them. */
function* slotsOf(days: readonly StoredReading[]): Generator<Slot | null> {
  let previous: string | null = null;
  for (const day of days) {
    if (previous !== null && addDays(previous, 1) !== day.date) yield null;
    previous = day.date;
    if (!day.periods) {
      yield null;
      continue;
    }
    for (let p = 1; p <= day.periods.length; p++)
      yield { date: day.date, period: p, value: day.periods[p - 1] };
  }
}

type Run = { start: Slot; end: Slot; length: number; value: number };

/** Runs of consecutive half-hours with the same value (nulls and gaps end a run). */
function runsOf(days: readonly StoredReading[], keep: (run: Run) => boolean): Run[] {
  const runs: Run[] = [];
  let run: Run | null = null;
  const close = () => {
    if (run && keep(run)) runs.push(run);
    run = null;
  };
  for (const slot of slotsOf(days)) {
    if (!slot || slot.value === null) {
      close();
      continue;
    }
    if (run && run.value === slot.value) {
      run.end = slot;
      run.length++;
    } else {
      close();
      run = { start: slot, end: slot, length: 1, value: slot.value };
    }
  }
  close();
  return runs;
}

function runSpan(run: Run): string {
  const from = startClock(run.start.date, run.start.period);
  const to = endClock(run.end.date, run.end.period);
  return run.start.date === run.end.date
    ? `from ${from} to ${to}`
    : `from ${from} on ${run.start.date} to ${to} on ${run.end.date}`;
}

const overlaps = (from: string, to: string, window: Window) => from <= window.to && to >= window.from;

/** The days a run checks findings for; the days around them are context. */
export type Window = { from: string; to: string };

/**
 * zero_run (≥ 6 consecutive zero half-hours, unless switched off for the meter) and flatline (the same
 * non-zero value for ≥ 12) over consecutive days, across midnight; findings that touch the window.
 */
export function runFindings(
  days: readonly StoredReading[],
  window: Window,
  rules = DEFAULT_RULES,
): Finding[] {
  const findings: Finding[] = [];
  const runs = runsOf(days, (r) =>
    r.value === 0 ? rules.zeroRun && r.length >= rules.zeroRunPeriods : r.length >= rules.flatlinePeriods,
  );
  for (const run of runs) {
    if (!overlaps(run.start.date, run.end.date, window)) continue;
    const zero = run.value === 0;
    findings.push({
      type: zero ? "zero_run" : "flatline",
      key: `${run.start.date}#${run.start.period}`,
      from: run.start.date,
      to: run.end.date,
      periods: [run.start.period, run.end.period],
      severity: run.length >= 48 ? "critical" : "warning",
      detail: zero
        ? `${run.length} zero half-hours ${runSpan(run)}`
        : `${run.length} half-hours of exactly ${kwh(run.value)} ${runSpan(run)}`,
    });
  }
  return findings;
}

/**
 * outlier: a half-hour beyond 3 standard deviations (sample) of the same meter's same half-hour of
 * the week over the previous 8 weeks, when at least 4 of those weeks have it. Clock-change days (46 or
 * 50 periods) are neither checked nor used as history, since their periods are not the same times of
 * day; a history with no spread (σ = 0) says nothing about spread and flags nothing.
 */
export function outlierFindings(
  days: readonly StoredReading[],
  window: Window,
  rules = DEFAULT_RULES,
): Finding[] {
  if (days.length === 0) return [];
  // Days by their number from the first one, so a week back is an index step, not date arithmetic.
  const first = epochDayOfIso(days[0].date);
  const byDay: ((number | null)[] | undefined)[] = [];
  for (const d of days)
    if (d.periods && d.periods.length === 48) byDay[epochDayOfIso(d.date) - first] = d.periods;
  const findings: Finding[] = [];
  const history: (number | null)[][] = [];
  for (const day of days) {
    const { date } = day;
    const index = epochDayOfIso(date) - first;
    const periods = byDay[index];
    if (!periods || date < window.from || date > window.to) continue;
    history.length = 0;
    for (let w = 1; w <= rules.outlierWeeks; w++) {
      const past = index - 7 * w >= 0 ? byDay[index - 7 * w] : undefined;
      if (past) history.push(past);
    }
    if (history.length < rules.outlierMinWeeks) continue;
    const flagged: { period: number; value: number; mean: number; sd: number }[] = [];
    for (let i = 0; i < 48; i++) {
      const v = periods[i];
      if (v === null) continue;
      let n = 0;
      let sum = 0;
      let sumSq = 0;
      for (const h of history) {
        const x = h[i];
        if (x === null) continue;
        n++;
        sum += x;
        sumSq += x * x;
      }
      if (n < rules.outlierMinWeeks) continue;
      const mean = sum / n;
      // The sample standard deviation (n − 1): a few weeks' spread understates the meter's own.
      const sd = Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1)));
      if (sd > 0 && Math.abs(v - mean) > rules.outlierSigmas * sd)
        flagged.push({ period: i + 1, value: v, mean, sd });
    }
    if (flagged.length === 0) continue;
    const worst = Math.max(...flagged.map((f) => Math.abs(f.value - f.mean) / f.sd));
    const shown = flagged
      .slice(0, 3)
      .map((f) => `${startClock(date, f.period)} ${kwh(f.value)} (mean ${kwh(f.mean)}, σ ${kwh(f.sd)})`)
      .join("; ");
    findings.push({
      type: "outlier",
      key: date,
      from: date,
      to: date,
      periods: flagged.map((f) => f.period),
      severity: worst > 10 ? "critical" : "warning",
      detail: `${plural(flagged.length, "half-hour")} beyond ${rules.outlierSigmas} σ of the same half-hour over the previous ${rules.outlierWeeks} weeks: ${shown}${flagged.length > 3 ? "; …" : ""}`,
    });
  }
  return findings;
}

/** Every rule that looks at the days themselves, for the days of the window. */
export function dayFindings(
  days: readonly StoredReading[],
  window: Window,
  rules = DEFAULT_RULES,
): Finding[] {
  const findings: Finding[] = [];
  for (const day of days) {
    if (day.date < window.from || day.date > window.to) continue;
    const missing = missingPeriods(day);
    if (missing) findings.push(missing);
    const estimated = estimatedDay(day, rules);
    if (estimated) findings.push(estimated);
  }
  return findings.concat(runFindings(days, window, rules), outlierFindings(days, window, rules));
}

/** missing_days: one finding per run of days with no reading between two stored days. */
export function missingDays(gaps: readonly { before: string; after: string }[]): Finding[] {
  return gaps.map(({ before, after }) => {
    const from = addDays(before, 1);
    const to = addDays(after, -1);
    const n = daysBetween(before, after) - 1;
    return {
      type: "missing_days",
      key: from,
      from,
      to,
      periods: null,
      severity: n >= 7 ? "critical" : "warning",
      detail: n === 1 ? `no reading on ${from}` : `${n} days with no reading from ${from} to ${to}`,
    };
  });
}

/** stale: an active meter whose last reading is more than `staleDays` days before today. */
export function staleMeter(lastDate: string, today: string, rules = DEFAULT_RULES): Finding | null {
  const age = daysBetween(lastDate, today);
  if (age <= rules.staleDays) return null;
  return {
    type: "stale",
    key: "stale",
    from: addDays(lastDate, 1),
    to: today,
    periods: null,
    severity: age > 14 ? "critical" : "warning",
    detail: `no reading for ${age} days: the last is for ${lastDate}`,
  };
}

/** Why an issue that is no longer found was resolved: the note it gets. */
export const RESOLVED_NOTE: Record<QualityType, string> = {
  missing_periods: "resolved automatically: the day now has all its half-hours",
  missing_days: "resolved automatically: a later import filled the days",
  zero_run: "resolved automatically: the zero half-hours were replaced",
  flatline: "resolved automatically: the repeated values were replaced",
  outlier: "resolved automatically: the half-hours are no longer outliers",
  stale: "resolved automatically: new readings arrived",
  estimated: "resolved automatically: actual readings replaced the estimates",
};
