// The types the CSV import domain hands to the pipeline: the plan sniffed from a file's head
// (JSON-serialisable: it travels in the job row and queue messages) and row-level errors.

import type {
  ColumnRole,
  DateOrder,
  IMPORT_FORMATS,
  ImportUnit,
  Layout,
  TIMESTAMP_LABELS,
} from "../../enums";

export type ImportFormat = Layout;

export type SniffOptions = {
  format?: (typeof IMPORT_FORMATS)[number];
  /** Narrow files with one timestamp per reading: does it mark the period's start (default) or end? */
  timestampLabels?: (typeof TIMESTAMP_LABELS)[number];
  /** Explicit columns by role: header names or 1-based numbers, e.g. {"meter":"M1_Code1","date":3}. */
  columns?: Partial<Record<ColumnRole, string | number>>;
  /** The file's unit; unset = from a header ("Consumption (m³)"), else kWh. */
  unit?: ImportUnit;
  /** The order of numeric dates; unset = decided from the dates seen. */
  dateOrder?: DateOrder;
  /** The meter every row belongs to, for files without a meter column. */
  meter?: string;
};

/** A wide period column: its 0-based column index, the nominal period it labels (1-based) and the header. */
export type PeriodColumn = { index: number; period: number; label: string };

export type PlanColumns = {
  meter?: number;
  date?: number;
  time?: number;
  timestamp?: number;
  start?: number;
  end?: number;
  /** A settlement period number column (narrow files with date + period). */
  period?: number;
  value?: number;
  status?: number;
  total?: number;
  unit?: number;
  periods?: PeriodColumn[];
  /** Per-period status columns, e.g. a flag column beside each value; `period` matches a `periods` entry. */
  periodStatus?: PeriodColumn[];
  /** Wide files mapped by number: the column of period 1 (later periods follow it positionally). */
  firstValue?: number;
};

export type ImportPlan = {
  format: ImportFormat;
  delimiter: "," | ";" | "\t";
  /** Values use a decimal comma ("1,5"), as in `;`-separated European exports. */
  decimalComma: boolean;
  /** 1-based line of the header row in the file (BOM, `sep=` and preamble lines counted). */
  headerLine: number;
  /** The header row's cells, as written. */
  headers: string[];
  columns: PlanColumns;
  /** Multiply file values by this to get kWh (Wh 0.001, kWh 1, MWh 1000); a unit column overrides it per row. */
  unitFactor: number;
  /** The file's unit, as given or detected from a header. */
  unit: ImportUnit;
  /** Gas volume files: m³ per file unit (m3 1, ft3 0.0283168, hcf 2.83168); kWh then follow each meter's calorific value. */
  m3PerUnit?: number;
  /** How numeric dates read, and how that was decided ("assumed": no date in the head told, so day-first). */
  dateOrder: DateOrder;
  dateOrderSource: "option" | "file" | "assumed";
  /** Minutes per reading: 1, 5, 10, 15 (summed into half-hours), 30, 60 (split in two, estimated), 1440 (daily). */
  intervalMinutes: number;
  /** Whether timestampLabels came from the option, was detected from the data, or is the default. */
  timestampLabelsSource: "option" | "detected" | "default";
  /** A supplier format with its own grammar rather than a CSV header (Stark DF2: `#O` meter lines). */
  dialect?: "stark-df2";
  /** Gas volume files: the calorific value (MJ/m³) when one applies to the whole file (else each meter's). */
  calorificValue?: number;
  /** The file's text encoding (set by the pipeline, which decodes it). */
  encoding?: "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";
  /** Notes the import reports as warnings of the whole file (no line): what was assumed or converted. */
  notes: { code: string; message: string; lines?: number[] }[];
  /** How wide period columns are labelled; "number" for narrow/daily/register files too. */
  periodLabelling: "start" | "end" | "number";
  timestampLabels: "start" | "end";
  /** The canonical meter id (MPAN core or MPRN) when the file has no meter column. */
  fixedMeter?: string;
};

export type RowErrorCode =
  | "negative_value"
  | "not_a_number"
  | "missing_value"
  | "bad_date"
  | "bad_time"
  | "bad_mpan"
  | "bad_unit"
  | "value_out_of_range"
  | "missing_meter"
  | "misaligned_time"
  | "nonexistent_time"
  | "too_many_periods"
  | "short_row"
  | "register_backwards"
  | "total_mismatch"
  | "repeated_hour_missing"
  | "duplicate_reading"
  | "incomplete_half_hour"
  | "footer_skipped"
  | "unit_slip"
  | "sensor_skipped"
  /** Set by the pipeline, which knows the registered meters. */
  | "unknown_meter";

/** A problem with one row; `line` is the 1-based line in the file. Warnings use the same shape. */
export type RowError = { line: number; code: RowErrorCode; message: string };

export type SniffErrorCode =
  | "unrecognised_headers"
  | "meter_required"
  | "bad_mpan"
  | "no_period_columns"
  | "unknown_column"
  | "empty_file"
  | "ambiguous_value_column"
  | "date_order_conflict";

export type SniffResult =
  { ok: true; plan: ImportPlan } | { ok: false; error: { code: SniffErrorCode; message: string } };

export type ParseResult = {
  /** Non-blank rows seen. */
  rowsProcessed: number;
  /** Rows accepted into the accumulator. */
  rowsValid: number;
  errors: RowError[];
  warnings: RowError[];
  /** The file line of the last accepted row (0 = none): rejected lines after it may be a footer. */
  lastValidLine: number;
  /** Each meter's first file line in the chunk (for warnings about a meter as a whole). */
  meterLines: Map<string, number>;
};

/** Sanity bounds: a value beyond these is a row error, not a reading. */
export const MAX_HALF_HOUR_KWH = 100_000;
export const MAX_DAY_KWH = 2_400_000;
