// The one module that owns time: Europe/London settlement days and their half-hour periods.
// Pure arithmetic (no Intl): UK summer time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC
// on the last Sunday of October, so a settlement day has 46, 48 or 50 periods. Dates are "YYYY-MM-DD".

export const MS_PER_MINUTE = 60_000;
export const MS_PER_PERIOD = 30 * MS_PER_MINUTE;
export const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;
/** Mean Gregorian year: close enough to pick the year whose clock changes matter (they are far from 1 January). */
const MS_PER_MEAN_YEAR = 31_556_952_000;

export type SettlementPeriod = {
  date: string;
  /** 1-based period of the settlement day that contains the instant. */
  period: number;
  /** Milliseconds from the period's start to the instant: 0 when the instant is on a half-hour boundary. */
  msIntoPeriod: number;
};

// ---------------------------------------------------------------------------------------------
// calendar arithmetic (days since 1970-01-01, proleptic Gregorian)

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
export function epochDayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1];
}

const pad2 = (n: number) => (n < 10 ? "0" + n : String(n));

/** "YYYY-MM-DD" of a day number (days since 1970-01-01). */
export function dateOfEpochDay(epochDay: number): string {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const y = year >= 1000 && year <= 9999 ? String(year) : String(year).padStart(4, "0");
  return y + "-" + pad2(month) + "-" + pad2(day);
}

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;

/** Day number of a "YYYY-MM-DD" date, or NaN when the string is not a real date in that form. */
export function epochDayOfIso(date: string): number {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return NaN;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = digit(date, i);
    if (d < 0 || d > 9) return NaN;
    year = year * 10 + d;
  }
  const m1 = digit(date, 5);
  const m2 = digit(date, 6);
  const d1 = digit(date, 8);
  const d2 = digit(date, 9);
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return NaN;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  return epochDayOf(year, month, day);
}

function requireDay(date: string): number {
  const day = epochDayOfIso(date);
  if (Number.isNaN(day)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return day;
}

export function isValidIsoDate(date: string): boolean {
  return !Number.isNaN(epochDayOfIso(date));
}

export function addDays(date: string, n: number): string {
  return dateOfEpochDay(requireDay(date) + n);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return requireDay(to) - requireDay(from);
}

// ---------------------------------------------------------------------------------------------
// UK summer time

/** Day number of the last Sunday of a month. 1970-01-01 was a Thursday (weekday 4, Sunday = 0). */
function lastSunday(year: number, month: number): number {
  const last = epochDayOf(year, month, daysInMonth(year, month));
  const weekday = (((last + 4) % 7) + 7) % 7;
  return last - weekday;
}

let cachedYear = NaN;
let cachedSpringDay = 0;
let cachedAutumnDay = 0;

function loadYear(year: number): void {
  if (year === cachedYear) return;
  cachedSpringDay = lastSunday(year, 3);
  cachedAutumnDay = lastSunday(year, 10);
  cachedYear = year;
}

/** The year a day number falls in, give or take a day at New Year (which never matters for clock changes). */
const approxYearOfDay = (epochDay: number) => 1970 + Math.floor((epochDay * MS_PER_DAY) / MS_PER_MEAN_YEAR);

/** Day number of the last Sunday of March (46 periods) and of October (50 periods) in a year. */
export function clockChangeDays(year: number): { spring: number; autumn: number } {
  loadYear(year);
  return { spring: cachedSpringDay, autumn: cachedAutumnDay };
}

/** Minutes Europe/London is ahead of UTC at an instant: 60 in summer time, else 0. */
export function utcOffsetMinutesAt(utcMs: number): 0 | 60 {
  loadYear(1970 + Math.floor(utcMs / MS_PER_MEAN_YEAR));
  const start = cachedSpringDay * MS_PER_DAY + MS_PER_HOUR;
  const end = cachedAutumnDay * MS_PER_DAY + MS_PER_HOUR;
  return utcMs >= start && utcMs < end ? 60 : 0;
}

/** Whether local midnight starting a day is in summer time (clocks change at 01:00 UTC, never at midnight). */
function bstAtMidnight(epochDay: number): boolean {
  loadYear(approxYearOfDay(epochDay));
  return epochDay > cachedSpringDay && epochDay <= cachedAutumnDay;
}

/** Epoch ms (UTC) of local 00:00 starting the settlement day with this day number. */
export function dayStartUtcOfEpochDay(epochDay: number): number {
  return epochDay * MS_PER_DAY - (bstAtMidnight(epochDay) ? MS_PER_HOUR : 0);
}

/** 46, 48 or 50 for a day number. */
export function periodsInEpochDay(epochDay: number): 46 | 48 | 50 {
  loadYear(approxYearOfDay(epochDay));
  if (epochDay === cachedSpringDay) return 46;
  if (epochDay === cachedAutumnDay) return 50;
  return 48;
}

// ---------------------------------------------------------------------------------------------
// settlement days and periods

export function periodsInSettlementDay(date: string): 46 | 48 | 50 {
  return periodsInEpochDay(requireDay(date));
}

/** Epoch ms of local 00:00 that starts the settlement day. */
export function settlementDayStartUtc(date: string): number {
  return dayStartUtcOfEpochDay(requireDay(date));
}

function checkPeriod(day: number, period: number): void {
  const n = periodsInEpochDay(day);
  if (!Number.isInteger(period) || period < 1 || period > n) {
    throw new RangeError(`period ${period} is outside 1–${n} of ${dateOfEpochDay(day)}`);
  }
}

/** Epoch ms at which a 1-based period of a settlement day starts. Throws on a period the day does not have. */
export function periodStartUtc(date: string, period: number): number {
  const day = requireDay(date);
  checkPeriod(day, period);
  return dayStartUtcOfEpochDay(day) + (period - 1) * MS_PER_PERIOD;
}

/** Epoch ms at which a 1-based period ends (the next period's start). */
export function periodEndUtc(date: string, period: number): number {
  return periodStartUtc(date, period) + MS_PER_PERIOD;
}

/**
 * The settlement slot of an instant packed in one number, for hot loops that must not allocate:
 * `epochDay * 64 + (period - 1)`, or -1 when the instant is not on a half-hour boundary.
 * Decode with `Math.floor(slot / 64)` and `slot % 64`.
 */
export function settlementSlotAt(utcMs: number): number {
  if (utcMs % MS_PER_PERIOD !== 0) return -1;
  const localMs = utcMs + utcOffsetMinutesAt(utcMs) * MS_PER_MINUTE;
  const day = Math.floor(localMs / MS_PER_DAY);
  return day * 64 + (utcMs - dayStartUtcOfEpochDay(day)) / MS_PER_PERIOD;
}

/**
 * The settlement day and period an instant falls in. Instants off a half-hour boundary are not an
 * error: `msIntoPeriod` says how far into the period they are (0 means aligned).
 */
export function settlementPeriodAt(utcMs: number): SettlementPeriod {
  const localMs = utcMs + utcOffsetMinutesAt(utcMs) * MS_PER_MINUTE;
  const day = Math.floor(localMs / MS_PER_DAY);
  const sinceStart = utcMs - dayStartUtcOfEpochDay(day);
  const index = Math.floor(sinceStart / MS_PER_PERIOD);
  return { date: dateOfEpochDay(day), period: index + 1, msIntoPeriod: sinceStart - index * MS_PER_PERIOD };
}

/**
 * The instant of a Europe/London wall-clock time given as a day number and minutes after local
 * midnight (0–1440; 1440 is the next midnight). Null when the clocks skip it (01:00–01:59 on the
 * spring day). In the repeated autumn hour, occurrence 0 is the first (BST), 1 the second (GMT).
 */
export function londonLocalEpochDayToUtc(
  epochDay: number,
  minutesOfDay: number,
  occurrence: 0 | 1 = 0,
): number | null {
  const naive = epochDay * MS_PER_DAY + minutesOfDay * MS_PER_MINUTE;
  const asBst = naive - MS_PER_HOUR;
  const bstValid = utcOffsetMinutesAt(asBst) === 60;
  const gmtValid = utcOffsetMinutesAt(naive) === 0;
  if (bstValid && gmtValid) return occurrence === 0 ? asBst : naive;
  if (bstValid) return asBst;
  if (gmtValid) return naive;
  return null;
}

/** As `londonLocalEpochDayToUtc`, for a "YYYY-MM-DD" date. */
export function londonLocalToUtc(date: string, minutesOfDay: number, occurrence: 0 | 1 = 0): number | null {
  return londonLocalEpochDayToUtc(requireDay(date), minutesOfDay, occurrence);
}

/** Whether a local wall-clock time occurs twice (the 01:00–01:59 hour on the autumn clock-change day). */
export function isRepeatedLocalTime(epochDay: number, minutesOfDay: number): boolean {
  if (minutesOfDay < 60 || minutesOfDay >= 120) return false;
  loadYear(approxYearOfDay(epochDay));
  return epochDay === cachedAutumnDay;
}
