// The spans analytics reports over: ISO weeks, calendar months and years by settlement date, the buckets
// of a range, and the spans a range is compared with. Day arithmetic and period counts are asked of
// src/time/settlement.ts. Dates are "YYYY-MM-DD"; every span is inclusive at both ends.
import {
  addDays,
  dateOfEpochDay,
  daysInMonth,
  epochDayOf,
  epochDayOfIso,
  periodsInEpochDay,
} from "../time/settlement";

export const GRANULARITIES = ["day", "week", "month", "year"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export type Span = { from: string; to: string };
/** A bucket of a range: `period` names it ("2025-01-02", "2025-W02", "2025-01", "2025"). */
export type Bucket = Span & { period: string };

const pad2 = (n: number) => (n < 10 ? "0" + n : String(n));
const pad4 = (n: number) => String(n).padStart(4, "0");

function day(date: string): number {
  const d = epochDayOfIso(date);
  if (Number.isNaN(d)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return d;
}

const yearOf = (date: string) => Number(date.slice(0, 4));
const monthOf = (date: string) => Number(date.slice(5, 7));

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
const weekdayOfEpochDay = (d: number) => ((((d + 3) % 7) + 7) % 7) + 1;

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return weekdayOfEpochDay(day(date));
}

/** The ISO week a date falls in: the week's Thursday decides its year (`2025-W01` starts 30 Dec 2024). */
export function isoWeekOf(date: string): { year: number; week: number } {
  const d = day(date);
  const thursday = d - weekdayOfEpochDay(d) + 4;
  const year = yearOf(dateOfEpochDay(thursday));
  return { year, week: Math.floor((thursday - epochDayOf(year, 1, 1)) / 7) + 1 };
}

/** Monday of an ISO week: week 1 is the week holding 4 January. */
export function isoWeekMonday(year: number, week: number): string {
  const jan4 = epochDayOf(year, 1, 4);
  return dateOfEpochDay(jan4 - weekdayOfEpochDay(jan4) + 1 + (week - 1) * 7);
}

/** 52 or 53: 28 December always falls in a year's last ISO week. */
export function isoWeeksInYear(year: number): number {
  return isoWeekOf(`${pad4(year)}-12-28`).week;
}

export const isoWeekLabel = (w: { year: number; week: number }) => `${pad4(w.year)}-W${pad2(w.week)}`;

/** Days in a span, both ends counted. */
export function spanDays(span: Span): number {
  return day(span.to) - day(span.from) + 1;
}

const monthStart = (date: string) => date.slice(0, 8) + "01";
const monthEnd = (date: string) => date.slice(0, 8) + pad2(daysInMonth(yearOf(date), monthOf(date)));

/** Settlement periods the days of a span should hold (46, 48 or 50 a day, from src/time/settlement.ts). */
export function expectedPeriods(span: Span): number {
  let n = 0;
  for (let d = day(span.from), last = day(span.to); d <= last; d++) n += periodsInEpochDay(d);
  return n;
}

/** The bucket of a granularity that holds a date, unclipped. */
export function bucketOf(date: string, granularity: Granularity): Bucket {
  switch (granularity) {
    case "day":
      return { period: date, from: date, to: date };
    case "week": {
      const monday = addDays(date, 1 - isoWeekday(date));
      return { period: isoWeekLabel(isoWeekOf(date)), from: monday, to: addDays(monday, 6) };
    }
    case "month":
      return { period: date.slice(0, 7), from: monthStart(date), to: monthEnd(date) };
    case "year":
      return { period: date.slice(0, 4), from: date.slice(0, 4) + "-01-01", to: date.slice(0, 4) + "-12-31" };
  }
}

/** Every bucket of a range in order, the first and last clipped to the range. */
export function bucketsOf(span: Span, granularity: Granularity): Bucket[] {
  const buckets: Bucket[] = [];
  for (let date = span.from; date <= span.to;) {
    const b = bucketOf(date, granularity);
    buckets.push({ period: b.period, from: date, to: b.to < span.to ? b.to : span.to });
    date = addDays(b.to, 1);
  }
  return buckets;
}

/** What kind of span a range is, which decides what it is compared with. */
export type SpanKind = "day" | "week" | "month" | "year" | "days";

export function spanKind(span: Span): SpanKind {
  if (span.from === span.to) return "day";
  if (isoWeekday(span.from) === 1 && addDays(span.from, 6) === span.to) return "week";
  if (span.from === monthStart(span.from) && span.to === monthEnd(span.from)) return "month";
  if (span.from.endsWith("-01-01") && span.to === span.from.slice(0, 4) + "-12-31") return "year";
  return "days";
}

/**
 * The previous span: the previous day, ISO week, calendar month or calendar year for those spans;
 * for any other span, the same number of days just before it.
 */
export function previousSpan(span: Span): Span {
  switch (spanKind(span)) {
    case "month": {
      const start = monthStart(addDays(span.from, -1));
      return { from: start, to: monthEnd(start) };
    }
    case "year": {
      const y = pad4(yearOf(span.from) - 1);
      return { from: `${y}-01-01`, to: `${y}-12-31` };
    }
    default: {
      const n = spanDays(span);
      return { from: addDays(span.from, -n), to: addDays(span.from, -1) };
    }
  }
}

/** The same date a year earlier; 29 February maps to 28 February. */
export function sameDateLastYear(date: string): string {
  const y = yearOf(date) - 1;
  const m = monthOf(date);
  const d = Math.min(Number(date.slice(8, 10)), daysInMonth(y, m));
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

/**
 * The same span a year earlier: the same ISO week number for a week (week 53 becomes the earlier year's
 * last week when it has only 52), the same calendar month or year, else the same dates.
 */
export function lastYearSpan(span: Span): Span {
  switch (spanKind(span)) {
    case "week": {
      const { year, week } = isoWeekOf(span.from);
      const monday = isoWeekMonday(year - 1, Math.min(week, isoWeeksInYear(year - 1)));
      return { from: monday, to: addDays(monday, 6) };
    }
    case "month": {
      const start = sameDateLastYear(span.from);
      return { from: start, to: monthEnd(start) };
    }
    default:
      return { from: sameDateLastYear(span.from), to: sameDateLastYear(span.to) };
  }
}

/**
 * A span cut where stored sums can serve it: the run of whole calendar months it holds (null if none) and
 * the days before and after them (none, one or two runs).
 */
export function spanParts(span: Span): { months: [string, string] | null; days: [string, string][] } {
  const firstMonth = span.from === monthStart(span.from) ? span.from : addDays(monthEnd(span.from), 1);
  const lastMonthEnd = span.to === monthEnd(span.to) ? span.to : addDays(monthStart(span.to), -1);
  if (firstMonth > lastMonthEnd) return { months: null, days: [[span.from, span.to]] };
  const days: [string, string][] = [];
  if (span.from < firstMonth) days.push([span.from, addDays(firstMonth, -1)]);
  if (lastMonthEnd < span.to) days.push([addDays(lastMonthEnd, 1), span.to]);
  return { months: [firstMonth.slice(0, 7), lastMonthEnd.slice(0, 7)], days };
}
