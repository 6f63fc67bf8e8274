// Hand-rolled cell parsers for the hot loop: numbers, dates and times without regexes or allocation.
// Date/time results go into the exported `parsed` scratch object, overwritten by every call.

import { daysInMonth, epochDayOf } from "../../time/settlement";

/**
 * Parses a decimal number: optional sign, digits, one decimal separator (`.` or, with decimalComma,
 * `,`), optional exponent; surrounding spaces allowed. NaN when the cell is anything else.
 */
export function parseNumber(s: string, decimalComma: boolean): number {
  let i = 0;
  let end = s.length;
  while (i < end && s.charCodeAt(i) === 32) i++;
  while (end > i && s.charCodeAt(end - 1) === 32) end--;
  if (i === end) return NaN;
  let negative = false;
  let c = s.charCodeAt(i);
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  const point = decimalComma ? 44 : 46;
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let seenPoint = false;
  for (; i < end; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (seenPoint) fraction++;
    } else if (c === point && !seenPoint) {
      seenPoint = true;
    } else if (c === 101 || c === 69) {
      break;
    } else {
      return NaN;
    }
  }
  if (digits === 0) return NaN;
  let value: number;
  if (digits <= 15 && fraction <= 22) {
    // Both operands are exact doubles, so one division gives the correctly rounded result.
    value = fraction === 0 ? mantissa : mantissa / POW10[fraction];
  } else {
    const text = s.slice(0, end).trim();
    value = Number(decimalComma ? text.replace(",", ".") : text);
    return Number.isFinite(value) ? value : NaN;
  }
  if (i < end) {
    // exponent
    i++;
    let expNegative = false;
    c = s.charCodeAt(i);
    if (c === 45 || c === 43) {
      expNegative = c === 45;
      i++;
    }
    let exp = 0;
    let expDigits = 0;
    for (; i < end; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) return NaN;
      exp = exp * 10 + (c - 48);
      expDigits++;
    }
    if (expDigits === 0) return NaN;
    value = expNegative ? value / 10 ** exp : value * 10 ** exp;
  }
  return negative ? -value : value;
}

const POW10: number[] = [];
for (let k = 0; k <= 22; k++) POW10.push(10 ** k);

// ---------------------------------------------------------------------------------------------
// dates and times

export type ParsedDateTime = {
  /** Days since 1970-01-01 of the date as written. */
  epochDay: number;
  /** Whether a time of day followed the date. */
  hasTime: boolean;
  /** Minutes after midnight (0–1440; 24:00 is 1440). */
  minutes: number;
  seconds: number;
  /** Minutes ahead of UTC when the cell carried `Z` or an offset; NaN for a local (Europe/London) time. */
  offsetMinutes: number;
};

/** Scratch output of `parseDateTime` and `parseTimeOfDay`; read it straight after the call. */
export const parsed: ParsedDateTime = {
  epochDay: 0,
  hasTime: false,
  minutes: 0,
  seconds: 0,
  offsetMinutes: NaN,
};

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
};

// A tiny cursor over the cell, kept in module state so parsing allocates nothing.
let str = "";
let pos = 0;
let len = 0;
let numDigits = 0;

function readInt(): number {
  let n = 0;
  numDigits = 0;
  while (pos < len) {
    const c = str.charCodeAt(pos);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
    numDigits++;
    pos++;
  }
  return n;
}

function readMonthName(): number {
  const start = pos;
  while (pos < len) {
    const c = str.charCodeAt(pos) | 32;
    if (c < 97 || c > 122) break;
    pos++;
  }
  if (pos === start) return 0;
  return MONTHS[str.slice(start, pos).toLowerCase()] ?? 0;
}

const isDigitAt = (i: number) => {
  const c = str.charCodeAt(i);
  return c >= 48 && c <= 57;
};

function isSep(c: number): boolean {
  return c === 45 || c === 47 || c === 46 || c === 32; // - / . space
}

function fullYear(y: number, digits: number): number {
  return digits === 2 ? 2000 + y : y;
}

/** Checks and stores a civil date; false for impossible dates. */
function setDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return false;
  parsed.epochDay = epochDayOf(year, month, day);
  return true;
}

/**
 * Parses a date with an optional time: `YYYY-MM-DD`, `YYYY/MM/DD`, `DD/MM/YYYY`, `DD/MM/YY`, `DD-MM-YYYY`,
 * `DD.MM.YYYY`, `26 Aug 2019`, `26-Aug-2019`, `Nov 13 2019`, then optionally ` HH:MM[:SS[.fff]]` or
 * `THH:MM…`, `AM`/`PM`, and `Z`/`UTC`/`±HH:MM`/`±HHMM`. Returns false when the cell is not such a date or
 * names an impossible one; the result is in `parsed`.
 */
export function parseDateTime(cell: string): boolean {
  str = cell;
  pos = 0;
  len = cell.length;
  while (pos < len && str.charCodeAt(pos) === 32) pos++;
  while (len > pos && str.charCodeAt(len - 1) === 32) len--;
  if (pos >= len) return false;
  let year: number;
  let month: number;
  let day: number;
  if (isDigitAt(pos)) {
    const first = readInt();
    const firstDigits = numDigits;
    if (pos >= len) return false;
    const sep = str.charCodeAt(pos);
    if (!isSep(sep)) return false;
    pos++;
    if (firstDigits === 4) {
      year = first;
      month = readInt();
      if (numDigits === 0 || numDigits > 2 || str.charCodeAt(pos) !== sep) return false;
      pos++;
      day = readInt();
      if (numDigits === 0 || numDigits > 2) return false;
    } else if (firstDigits <= 2) {
      day = first;
      while (sep === 32 && pos < len && str.charCodeAt(pos) === 32) pos++;
      if (isDigitAt(pos)) {
        month = readInt();
        if (numDigits > 2) return false;
      } else {
        month = readMonthName();
      }
      if (month === 0 || pos >= len || str.charCodeAt(pos) !== sep) return false;
      pos++;
      const y = readInt();
      if (numDigits !== 2 && numDigits !== 4) return false;
      year = fullYear(y, numDigits);
    } else {
      return false;
    }
  } else {
    // "Nov 13 2019" or "Nov 13, 2019"
    month = readMonthName();
    if (month === 0 || str.charCodeAt(pos) !== 32) return false;
    while (pos < len && str.charCodeAt(pos) === 32) pos++;
    day = readInt();
    if (numDigits === 0 || numDigits > 2) return false;
    if (str.charCodeAt(pos) === 44) pos++;
    if (str.charCodeAt(pos) !== 32) return false;
    while (pos < len && str.charCodeAt(pos) === 32) pos++;
    const y = readInt();
    if (numDigits !== 4) return false;
    year = y;
  }
  if (!setDate(year, month, day)) return false;
  parsed.hasTime = false;
  parsed.minutes = 0;
  parsed.seconds = 0;
  parsed.offsetMinutes = NaN;
  if (pos >= len) return true;
  const c = str.charCodeAt(pos);
  if (c === 84 || c === 116) pos++;
  else if (c === 32) while (pos < len && str.charCodeAt(pos) === 32) pos++;
  else return false;
  if (!readTime()) return false;
  parsed.hasTime = true;
  return true;
}

/** Reads `H[H]:MM[:SS[.fff]][ ][AM|PM][ ][Z|UTC|GMT|±HH[:]MM]` up to the end of the cell. */
function readTime(): boolean {
  let hour = readInt();
  let minute: number;
  if (numDigits === 4) {
    // "0030"
    minute = hour % 100;
    hour = Math.floor(hour / 100);
  } else {
    if (numDigits === 0 || numDigits > 2) return false;
    const sepc = str.charCodeAt(pos);
    if (sepc !== 58 && sepc !== 46) return false;
    pos++;
    minute = readInt();
    if (numDigits !== 2) return false;
  }
  let second = 0;
  if (str.charCodeAt(pos) === 58) {
    pos++;
    second = readInt();
    if (numDigits !== 2) return false;
    if (str.charCodeAt(pos) === 46) {
      pos++;
      const frac = readInt();
      if ((numDigits as number) === 0) return false;
      if (frac !== 0) second += 0.5; // any fraction: off the half-hour grid
    }
  }
  while (pos < len && str.charCodeAt(pos) === 32) pos++;
  const a = str.charCodeAt(pos) | 32;
  if ((a === 97 || a === 112) && (str.charCodeAt(pos + 1) | 32) === 109) {
    if (hour < 1 || hour > 12) return false;
    if (a === 97 && hour === 12) hour = 0;
    else if (a === 112 && hour !== 12) hour += 12;
    pos += 2;
    while (pos < len && str.charCodeAt(pos) === 32) pos++;
  }
  if (minute > 59 || second >= 60 || hour > 24 || (hour === 24 && (minute !== 0 || second !== 0)))
    return false;
  parsed.minutes = hour * 60 + minute;
  parsed.seconds = second;
  parsed.offsetMinutes = NaN;
  if (pos >= len) return true;
  const z = str.charCodeAt(pos);
  if (z === 90 || z === 122) {
    parsed.offsetMinutes = 0;
    return pos + 1 === len;
  }
  if (len - pos === 3) {
    const word = str.slice(pos, len).toUpperCase();
    if (word === "UTC" || word === "GMT") {
      parsed.offsetMinutes = 0;
      return true;
    }
    if (word === "BST") {
      parsed.offsetMinutes = 60;
      return true;
    }
  }
  if (z === 43 || z === 45) {
    pos++;
    const start = pos;
    const oh = readInt();
    let om = 0;
    let offsetHours = oh;
    if (numDigits === 4) {
      offsetHours = Math.floor(oh / 100);
      om = oh % 100;
    } else if (numDigits === 2) {
      if (str.charCodeAt(pos) === 58) {
        pos++;
        om = readInt();
        if (numDigits !== 2) return false;
      }
    } else return false;
    if (pos !== len || pos === start || offsetHours > 14 || om > 59) return false;
    parsed.offsetMinutes = (z === 45 ? -1 : 1) * (offsetHours * 60 + om);
    return true;
  }
  return false;
}

/** Parses a time-of-day cell (`HH:MM[:SS]`, `H:MM AM`, `0030`, `24:00`) into `parsed.minutes/seconds/offsetMinutes`. */
export function parseTimeOfDay(cell: string): boolean {
  str = cell;
  pos = 0;
  len = cell.length;
  while (pos < len && str.charCodeAt(pos) === 32) pos++;
  while (len > pos && str.charCodeAt(len - 1) === 32) len--;
  if (pos >= len) return false;
  return readTime();
}

/** True for a blank cell (empty or spaces only). */
export function isBlank(cell: string | undefined): boolean {
  if (cell === undefined) return true;
  for (let i = 0; i < cell.length; i++) if (cell.charCodeAt(i) !== 32) return false;
  return true;
}

/** kWh per unit of a unit name (Wh, kWh, MWh, case-insensitive), or NaN. */
export function unitFactorOf(unit: string): number {
  const u = unit.trim().toLowerCase();
  if (u === "kwh") return 1;
  if (u === "wh") return 0.001;
  if (u === "mwh") return 1000;
  return NaN;
}

/**
 * Whether a status cell marks an estimate: E, Est, Estimate(d), or (for a yes/no "Estimated" column,
 * `boolean` = true) Y, Yes, True, 1.
 */
export function isEstimatedStatus(cell: string, boolean: boolean): boolean {
  const s = cell.trim().toLowerCase();
  if (s === "") return false;
  if (boolean)
    return s === "y" || s === "yes" || s === "true" || s === "1" || s === "e" || s.startsWith("est");
  return s === "e" || s.startsWith("est");
}
