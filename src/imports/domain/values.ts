// Hand-rolled cell parsers for the hot loop: numbers, dates and times without regexes or allocation.
// Date/time results go into the fields of the DateTimeReader that parsed them.

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

/** 10^0 … 10^22: every power of ten a double holds exactly. */
export const POW10: number[] = [];
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

function isSep(c: number): boolean {
  return c === 45 || c === 47 || c === 46 || c === 32; // - / . space
}

function fullYear(y: number, digits: number): number {
  return digits === 2 ? 2000 + y : y;
}

/**
 * Parses date and time cells without regexes or allocation. Results land in its own fields (read them
 * straight after a call) and the cursor over the cell is its own state, so each parse context (a range's
 * parser, a sniff of a file's head) owns one reader and no call can disturb another context's result.
 */
export class DateTimeReader implements ParsedDateTime {
  epochDay = 0;
  hasTime = false;
  minutes = 0;
  seconds = 0;
  offsetMinutes = NaN;
  /** How numeric dates with a 1–2 digit first field read: 0 day-first (UK), 1 month-first (US), 2 year-first (YY/MM/DD). */
  order: 0 | 1 | 2 = 0;
  // The cursor over the cell being read.
  private str = "";
  private pos = 0;
  private len = 0;
  private numDigits = 0;

  private readInt(): number {
    let n = 0;
    this.numDigits = 0;
    while (this.pos < this.len) {
      const c = this.str.charCodeAt(this.pos);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
      this.numDigits++;
      this.pos++;
    }
    return n;
  }

  private readMonthName(): number {
    const start = this.pos;
    while (this.pos < this.len) {
      const c = this.str.charCodeAt(this.pos) | 32;
      if (c < 97 || c > 122) break;
      this.pos++;
    }
    if (this.pos === start) return 0;
    return MONTHS[this.str.slice(start, this.pos).toLowerCase()] ?? 0;
  }

  private isDigitAt(i: number): boolean {
    const c = this.str.charCodeAt(i);
    return c >= 48 && c <= 57;
  }

  /** Points the cursor at the cell without its surrounding spaces; false for a blank cell. */
  private begin(cell: string): boolean {
    this.str = cell;
    this.pos = 0;
    this.len = cell.length;
    while (this.pos < this.len && cell.charCodeAt(this.pos) === 32) this.pos++;
    while (this.len > this.pos && cell.charCodeAt(this.len - 1) === 32) this.len--;
    return this.pos < this.len;
  }

  /** Checks and stores a civil date; false for impossible dates. */
  private setDate(year: number, month: number, day: number): boolean {
    if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
      return false;
    this.epochDay = epochDayOf(year, month, day);
    return true;
  }

  /**
   * Parses a date with an optional time: `YYYY-MM-DD`, `YYYY/MM/DD`, `DD/MM/YYYY`, `DD/MM/YY`, `DD-MM-YYYY`,
   * `DD.MM.YYYY`, `26 Aug 2019`, `26-Aug-2019`, `Nov 13 2019`, then optionally ` HH:MM[:SS[.fff]]` or
   * `THH:MM…`, `AM`/`PM`, and `Z`/`UTC`/`±HH:MM`/`±HHMM`. Returns false when the cell is not such a date or
   * names an impossible one; the result is in this reader's fields.
   */
  parseDateTime(cell: string): boolean {
    if (!this.begin(cell)) return false;
    let year: number;
    let month: number;
    let day: number;
    if (this.isDigitAt(this.pos)) {
      const first = this.readInt();
      const firstDigits = this.numDigits;
      if (this.pos >= this.len) return false;
      const sep = this.str.charCodeAt(this.pos);
      if (!isSep(sep)) return false;
      this.pos++;
      if (firstDigits === 4) {
        year = first;
        month = this.readInt();
        if (this.numDigits === 0 || this.numDigits > 2 || this.str.charCodeAt(this.pos) !== sep) return false;
        this.pos++;
        day = this.readInt();
        if (this.numDigits === 0 || this.numDigits > 2) return false;
      } else if (firstDigits <= 2) {
        day = first;
        while (sep === 32 && this.pos < this.len && this.str.charCodeAt(this.pos) === 32) this.pos++;
        const numeric = this.isDigitAt(this.pos);
        if (numeric) {
          month = this.readInt();
          if (this.numDigits > 2) return false;
        } else {
          month = this.readMonthName();
        }
        if (month === 0 || this.pos >= this.len || this.str.charCodeAt(this.pos) !== sep) return false;
        this.pos++;
        const y = this.readInt();
        if (this.numDigits !== 2 && this.numDigits !== 4) return false;
        year = fullYear(y, this.numDigits);
        if (numeric && this.order === 1) {
          day = month;
          month = first;
        } else if (numeric && this.order === 2) {
          if (firstDigits !== 2 || this.numDigits !== 2) return false;
          year = 2000 + first;
          day = y;
        }
      } else {
        return false;
      }
    } else {
      // "Nov 13 2019" or "Nov 13, 2019"
      month = this.readMonthName();
      if (month === 0 || this.str.charCodeAt(this.pos) !== 32) return false;
      while (this.pos < this.len && this.str.charCodeAt(this.pos) === 32) this.pos++;
      day = this.readInt();
      if (this.numDigits === 0 || this.numDigits > 2) return false;
      if (this.str.charCodeAt(this.pos) === 44) this.pos++;
      if (this.str.charCodeAt(this.pos) !== 32) return false;
      while (this.pos < this.len && this.str.charCodeAt(this.pos) === 32) this.pos++;
      const y = this.readInt();
      if (this.numDigits !== 4) return false;
      year = y;
    }
    if (!this.setDate(year, month, day)) return false;
    this.hasTime = false;
    this.minutes = 0;
    this.seconds = 0;
    this.offsetMinutes = NaN;
    if (this.pos >= this.len) return true;
    const c = this.str.charCodeAt(this.pos);
    if (c === 84 || c === 116) this.pos++;
    else if (c === 32) while (this.pos < this.len && this.str.charCodeAt(this.pos) === 32) this.pos++;
    else return false;
    if (!this.readTime()) return false;
    this.hasTime = true;
    return true;
  }

  /** Reads `H[H]:MM[:SS[.fff]][ ][AM|PM][ ][Z|UTC|GMT|±HH[:]MM]` up to the end of the cell. */
  private readTime(): boolean {
    let hour = this.readInt();
    let minute: number;
    if (this.numDigits === 4) {
      // "0030"
      minute = hour % 100;
      hour = Math.floor(hour / 100);
    } else {
      if (this.numDigits === 0 || this.numDigits > 2) return false;
      const sepc = this.str.charCodeAt(this.pos);
      if (sepc !== 58 && sepc !== 46) return false;
      this.pos++;
      minute = this.readInt();
      if (this.numDigits !== 2) return false;
    }
    let second = 0;
    if (this.str.charCodeAt(this.pos) === 58) {
      this.pos++;
      second = this.readInt();
      if (this.numDigits !== 2) return false;
      if (this.str.charCodeAt(this.pos) === 46) {
        this.pos++;
        const frac = this.readInt();
        if ((this.numDigits as number) === 0) return false;
        if (frac !== 0) second += 0.5; // any fraction: off the half-hour grid
      }
    }
    while (this.pos < this.len && this.str.charCodeAt(this.pos) === 32) this.pos++;
    const a = this.str.charCodeAt(this.pos) | 32;
    if ((a === 97 || a === 112) && (this.str.charCodeAt(this.pos + 1) | 32) === 109) {
      if (hour < 1 || hour > 12) return false;
      if (a === 97 && hour === 12) hour = 0;
      else if (a === 112 && hour !== 12) hour += 12;
      this.pos += 2;
      while (this.pos < this.len && this.str.charCodeAt(this.pos) === 32) this.pos++;
    }
    if (minute > 59 || second >= 60 || hour > 24 || (hour === 24 && (minute !== 0 || second !== 0)))
      return false;
    this.minutes = hour * 60 + minute;
    this.seconds = second;
    this.offsetMinutes = NaN;
    if (this.pos >= this.len) return true;
    const z = this.str.charCodeAt(this.pos);
    if (z === 90 || z === 122) {
      this.offsetMinutes = 0;
      return this.pos + 1 === this.len;
    }
    if (this.len - this.pos === 3) {
      const word = this.str.slice(this.pos, this.len).toUpperCase();
      if (word === "UTC" || word === "GMT") {
        this.offsetMinutes = 0;
        return true;
      }
      if (word === "BST") {
        this.offsetMinutes = 60;
        return true;
      }
    }
    if (z === 43 || z === 45) {
      this.pos++;
      const start = this.pos;
      const oh = this.readInt();
      let om = 0;
      let offsetHours = oh;
      if (this.numDigits === 4) {
        offsetHours = Math.floor(oh / 100);
        om = oh % 100;
      } else if (this.numDigits === 2) {
        if (this.str.charCodeAt(this.pos) === 58) {
          this.pos++;
          om = this.readInt();
          if (this.numDigits !== 2) return false;
        }
      } else return false;
      if (this.pos !== this.len || this.pos === start || offsetHours > 14 || om > 59) return false;
      this.offsetMinutes = (z === 45 ? -1 : 1) * (offsetHours * 60 + om);
      return true;
    }
    return false;
  }

  /** Parses a time-of-day cell (`HH:MM[:SS]`, `H:MM AM`, `0030`, `24:00`) into `this.minutes/seconds/offsetMinutes`. */
  parseTimeOfDay(cell: string): boolean {
    if (!this.begin(cell)) return false;
    return this.readTime();
  }
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

/** m³ per unit of a gas volume unit name (m3, m³, ft3, ft³, hcf, ccf), or NaN. */
export function cubicMetresOf(unit: string): number {
  const u = unit.trim().toLowerCase();
  if (u === "m3" || u === "m³") return 1;
  if (u === "ft3" || u === "ft³" || u === "cf") return 0.0283168;
  if (u === "hcf" || u === "ccf") return 2.83168;
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

const NUMERIC_DATE = /^\s*(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})(?!\d)/;

/**
 * What one date cell says about the order of day and month: a first field above 12 proves day-first, a
 * second above 12 month-first; "ambiguous" when both are 12 or less; undefined when it is not a numeric
 * dd/mm/yy-style date (ISO dates and month names need no order).
 */
export function dateOrderEvidence(cell: string): "dmy" | "mdy" | "ambiguous" | undefined {
  const m = NUMERIC_DATE.exec(cell);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a > 12 && b <= 12) return "dmy";
  if (b > 12 && a <= 12) return "mdy";
  return a <= 12 && b <= 12 ? "ambiguous" : undefined;
}
