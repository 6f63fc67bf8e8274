// The CSV import domain: pure functions that turn supplier files of meter readings into one record per
// meter per settlement day. No I/O: the pipeline reads bytes, runs papaparse and writes the records.
//
// How a file flows through it
// 1. `detectBinary(bytes)` refuses spreadsheets, zips and other non-text uploads (NUL bytes, or more than
//    10 % control bytes in the first 8 KB).
// 2. `sniff(headText, options)` reads the first ~64 KB and returns a JSON-serialisable `ImportPlan`:
//    - strips a UTF-8 BOM, honours a `sep=,` first line, tries `,` `;` and tab;
//    - finds the header row among the first 30 lines (preamble lines allowed) as the line whose cells match
//      the most role aliases (headers.ts; case, spaces, underscores and bracketed units ignored) and period
//      labels; `options.columns` ({"meter":"M1_Code1","date":"Date"}) names columns explicitly;
//    - picks the layout: `wide` (12+ period columns: 00:00…23:30 start labels, 00:30…24:00 end labels,
//      "00:00-00:30" ranges, 1…50, HH01, P1, kWh_1, Period 1), `register` (format=register, or a header
//      with "register"/"cumulative"), `narrow` (timestamp, date+time, date+period, or start/end columns, or
//      a date column whose cells carry times), otherwise `daily`;
//    - spots decimal commas (`;`/tab files with `1,5` values) and the unit (Wh, kWh, MWh) from a header
//      such as `Consumption (kWh)`; a `Unit` column overrides it per row;
//    - errors: `unrecognised_headers` (lists the headers seen and how to map them), `meter_required`
//      (no meter column and no `options.meter`), `bad_mpan`, `no_period_columns`, `unknown_column`, `empty_file`.
// 3. `parseRows(plan, rows, firstLine, acc)` parses a chunk of data rows (papaparse output, or for plain
//    text `FastSplit`'s, which in wide files reads the period cells' numbers without making strings; header
//    excluded; `firstLine` = the file line of `rows[0]`) into a `DayAccumulator`, returning counts, row
//    errors and warnings, each `{ line, code, message }` with the line counted in the file. Blank rows are
//    skipped. A row with any bad cell is rejected whole (codes: negative_value, not_a_number,
//    missing_value, bad_date, bad_time, bad_mpan, bad_unit, value_out_of_range, missing_meter,
//    misaligned_time, nonexistent_time, too_many_periods, register_backwards). Warnings: total_mismatch
//    (periods vs a Total column, beyond 0.001 kWh), repeated_hour_missing, duplicate_reading.
//
// Time rules (all through src/time/settlement.ts)
// - Narrow: a single timestamp marks the period start unless `timestampLabels` is "end" (or the only
//   time column is an End column). Start and End columns must be 30 minutes apart. `Z` or an offset is
//   absolute; a local time is Europe/London, and the repeated autumn hour is taken in order of
//   appearance per meter: first occurrence BST, second GMT. Local times the spring change skips are row
//   errors (nonexistent_time); instants off the half-hour grid are misaligned_time.
// - Wide: numbered columns are periods by number (values past the day's last period are an error).
//   Time-labelled columns are positional on clock-change days: on a 46-period day the first 46 non-blank
//   cells are periods 1–46; on a 50-period day a header with 50+ period columns is positional, while a
//   48-column header is mapped by clock time (01:00/01:30 → periods 3–4, the BST occurrence; 02:00 onwards
//   → 7–50), leaving periods 5–6 missing with a repeated_hour_missing warning rather than shifting later
//   values an hour early.
// - Daily rows are days; register reads become daily consumption: the rise since the meter's previous
//   read (the first read is a baseline), through a roll-over at the next power of ten above the previous
//   read when a read is lower, spread evenly over the days since the previous read (estimated if > 1 day).
//
// Validation: meter ids of 13 or 21 characters are MPANs (checked with parseMpan, stored by core), 6–10
// digits are MPRNs, anything else is bad_mpan; whether a meter is registered is the pipeline's business.
// Sanity bounds: MAX_HALF_HOUR_KWH (100 000) per half-hour, MAX_DAY_KWH (2 400 000) per day.
//
// Output: `acc.days()` yields `MeterDay { meter, date, kind: "hh"|"daily", periods: Float64Array(50) with
// NaN = missing, estimatedMask (period p estimated ⇔ bit p-1, as 2^(p-1); up to 50 bits, so use arithmetic),
// total }`. `toInsertRows(acc)` gives `{ halfHourly: [meter, date, total, periodCount, estimatedMask,
// periods (one per settlement period of the day, null = missing)][], daily: [meter, date, total,
// estimatedMask][] }` for a json_each bulk insert.

export { DayAccumulator, toInsertRows, isBitSet, BIT } from "./accumulator";
export type { MeterDay, DayKind, RegisterRead, HalfHourlyInsertRow, DailyInsertRow } from "./accumulator";
export { detectBinary } from "./binary";
export { normaliseHeader, periodLabelOf, roleOfHeader, unitFactorInHeader } from "./headers";
export type { Role, PeriodLabel } from "./headers";
export { canonicalMeterId } from "./meter";
export { parseRows, registerWrap, TOTAL_TOLERANCE_KWH } from "./parse";
export { FastSplit } from "./split";
export type { ParseEnv } from "./parse";
export {
  sniff,
  splitLine,
  HEADER_SCAN_LINES,
  dateOrderOfCells,
  DATE_ORDER_ASSUMED,
  starkMeterOf,
} from "./sniff";
export { decodeText, encodingOf, utf16Of, isUtf8, TEXT_ENCODINGS } from "./decode";
export type { TextEncoding } from "./decode";
export {
  DEFAULT_CALORIFIC_VALUE,
  ENERGY_UNIT_KWH,
  VOLUME_UNIT_M3,
  kwhPerCubicMetre,
  unitInHeader,
} from "./headers";
export { MAX_DAY_KWH, MAX_HALF_HOUR_KWH } from "./types";
export type {
  ImportFormat,
  ImportPlan,
  ParseResult,
  PeriodColumn,
  PlanColumns,
  RowError,
  RowErrorCode,
  SniffErrorCode,
  SniffOptions,
  SniffResult,
} from "./types";
export { DateTimeReader, dateOrderEvidence, isEstimatedStatus, parseNumber, unitFactorOf } from "./values";
export type { ParsedDateTime } from "./values";
