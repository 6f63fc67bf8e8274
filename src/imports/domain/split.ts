// The fast split of plain CSV text (no quotes), which most supplier files are. For wide files (one
// meter-day per line, ~48 kWh cells) papaparse would make ~50 strings a row (17.5 M for a 1,000-meter
// year) only for each to be parsed into a number and dropped; this reads the period cells' numbers
// straight out of the line. Other files (narrow, daily, register) get their cells as text, as papaparse
// gives them, three times faster in workerd (14 against 43 ms for 100,000 narrow lines): papaparse checks
// every field for quotes it will not find. It is written by hand because it is the hot path of the
// largest imports and no library splits and parses at once. Anything it does not handle exactly as
// papaparse would (quotes, a lone CR, a byte-order mark) is left to papaparse, and
// `test/imports/domain/split.test.ts` checks both give the same rows and readings.

import type { ImportPlan } from "./types";
import { POW10 } from "./values";

/**
 * Stands in a row for a period cell that was a plain non-negative decimal (JSON syntax, at most 15
 * digits): its number is in `FastSplit.values`. Never equal to a cell read from a file (a file's text
 * is split at line ends, and this holds one).
 */
export const PLAIN = "\n";

/** The fast split serves files whose period columns are among the first 256 (all real ones). */
const MAX_CELLS = 256;

/**
 * Splits pieces of a file into rows as papaparse would (same rows, same cells), except that a wide file's
 * period cells holding plain numbers are `PLAIN` with the number kept here. It owns its buffers: the numbers of
 * the piece last split, and each row's span of leading plain period cells when the period columns are
 * adjacent (the day's JSON array without its brackets, when that run holds every period of the day).
 */
export class FastSplit {
  /** The number of row r's cell c, at r × stride + c (only where the row holds PLAIN). */
  values = new Float64Array(0);
  /**
   * Row r's first `jsonCells[r]` period cells, all PLAIN, as text (start, end), which mean nothing when
   * that count is 0. A file with columns for 50 periods leaves the last two blank on a 48-period day:
   * those days' runs are their JSON too.
   */
  jsonStart = new Int32Array(0);
  jsonEnd = new Int32Array(0);
  jsonCells = new Int32Array(0);
  /** The text the spans point into: the piece last split. */
  text = "";
  private readonly isPeriod: Uint8Array;
  private readonly delimiter: string;
  /** Cells a row keeps numbers for: up to its last period column. */
  readonly stride: number;
  private readonly first: number;
  private readonly last: number;
  private readonly adjacent: boolean;

  /** `periodColumns` empty: every cell stays text. */
  private constructor(delimiter: string, periodColumns: number[]) {
    this.delimiter = delimiter;
    this.first = periodColumns.length === 0 ? -1 : Math.min(...periodColumns);
    this.last = periodColumns.length === 0 ? -1 : Math.max(...periodColumns);
    this.stride = this.last + 1;
    this.isPeriod = new Uint8Array(this.stride);
    for (const c of periodColumns) this.isPeriod[c] = 1;
    // A row's cells can be its JSON only when the period columns run in order with nothing between.
    this.adjacent =
      periodColumns.length > 0 &&
      delimiter === "," &&
      this.last - this.first + 1 === periodColumns.length &&
      periodColumns.every((c, k) => c === this.first + k);
  }

  /** A splitter reading period numbers, for a plan it can serve: wide, no decimal comma. */
  static forPlan(plan: ImportPlan): FastSplit | undefined {
    const periods = (plan.columns.periods ?? []).map((p) => p.index);
    if (plan.format !== "wide" || plan.decimalComma || periods.length === 0) return undefined;
    if (periods.some((c) => c >= MAX_CELLS)) return undefined;
    return new FastSplit(plan.delimiter, periods);
  }

  /** A splitter of any plan's lines into text cells only (no PLAIN). */
  static cellsOf(plan: ImportPlan): FastSplit {
    return new FastSplit(plan.delimiter, []);
  }

  /**
   * The piece's rows, or undefined when papaparse must split it: it has a quote, line ends that are not
   * all `\n` or all `\r\n` (papaparse guesses the line end from the piece; a lone `\r` makes it differ),
   * or starts with a byte-order mark (papaparse drops it).
   */
  split(text: string): string[][] | undefined {
    if (text.indexOf('"') >= 0 || text.charCodeAt(0) === 0xfeff) return undefined;
    const crlf = text.indexOf("\r") >= 0;
    let lines = 0;
    for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) {
      if (crlf && text.charCodeAt(at - 1) !== 13) return undefined;
      lines++;
    }
    if (crlf) {
      let returns = 0;
      for (let at = text.indexOf("\r"); at >= 0; at = text.indexOf("\r", at + 1)) returns++;
      if (returns !== lines) return undefined;
    }
    const rowCount = text.length === 0 ? 0 : lines + 1;
    if (this.jsonStart.length < rowCount) {
      this.jsonStart = new Int32Array(rowCount * 2);
      this.jsonEnd = new Int32Array(rowCount * 2);
      this.jsonCells = new Int32Array(rowCount * 2);
      this.values = new Float64Array(rowCount * 2 * this.stride);
    }
    this.text = text;
    const rows = new Array<string[]>(rowCount);
    let start = 0;
    for (let r = 0; r < rowCount; r++) {
      const newline = text.indexOf("\n", start);
      const next = newline < 0 ? text.length : newline + 1;
      const end = newline < 0 ? text.length : crlf ? newline - 1 : newline;
      rows[r] = this.row(text, start, end, r);
      start = next;
    }
    return rows;
  }

  /** One line's cells; period cells that are plain numbers become PLAIN. */
  private row(text: string, start: number, end: number, r: number): string[] {
    const row: string[] = [];
    const delimiter = this.delimiter;
    const base = r * this.stride;
    // The run of PLAIN period cells from the first period column on (adjacent columns only).
    let extending = this.adjacent;
    let run = 0;
    let jsonStart = -1;
    let jsonEnd = -1;
    let s = start;
    for (let c = 0; ; c++) {
      let e = text.indexOf(delimiter, s);
      if (e < 0 || e > end) e = end;
      if (c < this.stride && this.isPeriod[c] === 1) {
        const v = plainNumber(text, s, e);
        if (v >= 0) {
          row.push(PLAIN);
          this.values[base + c] = v;
          if (extending) {
            if (run === 0) jsonStart = s;
            run++;
            jsonEnd = e;
          }
        } else {
          row.push(s === e ? "" : text.slice(s, e));
          extending = false;
        }
      } else row.push(text.slice(s, e));
      if (e === end) break;
      s = e + 1;
    }
    this.jsonStart[r] = jsonStart;
    this.jsonEnd[r] = jsonEnd;
    this.jsonCells[r] = run;
    return row;
  }
}

/**
 * The value of text[s, e) when it is a plain non-negative decimal in JSON syntax (`0`, `12`, `0.125`;
 * no sign, spaces, exponent or leading zero) of at most 15 digits, else -1. The value is parseNumber's to
 * the bit: the digits as an exact integer divided once by an exact power of ten.
 */
function plainNumber(text: string, s: number, e: number): number {
  if (s === e) return -1;
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let point = -1;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
    } else if (c === 46 && point < 0 && i > s) {
      point = i;
    } else return -1;
  }
  if (point >= 0) {
    fraction = e - point - 1;
    if (fraction === 0) return -1;
  }
  // JSON allows no leading zero before more digits ("007", "01.5").
  if (text.charCodeAt(s) === 48 && (point < 0 ? e - s > 1 : point - s > 1)) return -1;
  if (digits > 15) return -1;
  return fraction === 0 ? mantissa : mantissa / POW10[fraction];
}
