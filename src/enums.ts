// The fixed sets of values the database, the API and the SPA share, each written once: drizzle's `enum:`
// columns, the zod schemas (and so the OpenAPI document and the SPA's generated types) and the web's
// pickers and badges all read these arrays. Pure: no Worker APIs, so web/ imports it too.

/** Whether a string read from outside (a CSV cell, a stored value) is one of the values. */
export function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** Roles in rising order: each may do everything the roles before it may. */
export const ROLES = ["viewer", "manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` ranks at or above `min` (the order of ROLES is the ranking). */
export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}

/** The lower of two roles: a token acts with at most its creator's current role. */
export function lowerRole(a: Role, b: Role): Role {
  return roleAtLeast(a, b) ? b : a;
}

export const FUELS = ["electricity", "gas"] as const;
export type Fuel = (typeof FUELS)[number];

export const METER_STATUSES = ["active", "inactive"] as const;

export const SITE_TYPES = [
  "office",
  "retail",
  "industrial",
  "warehouse",
  "construction",
  "school",
  "healthcare",
  "residential",
  "other",
] as const;
export type SiteType = (typeof SITE_TYPES)[number];

/** Statuses a job moves on from by itself; the others are terminal (a failed or cancelled job can still be retried). */
const MOVING_JOB_STATUSES = ["queued", "processing"] as const;
const TERMINAL_JOB_STATUSES = ["completed", "completed_with_errors", "failed", "cancelled"] as const;
export const JOB_STATUSES = [...MOVING_JOB_STATUSES, ...TERMINAL_JOB_STATUSES] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const isTerminalJobStatus = (status: JobStatus) =>
  (TERMINAL_JOB_STATUSES as readonly JobStatus[]).includes(status);

/** The layouts of a readings file the import understands (src/imports/domain/index.ts describes each). */
export const LAYOUTS = ["narrow", "wide", "daily", "register"] as const;
export type Layout = (typeof LAYOUTS)[number];

/** What an import may be asked to read a file as: a layout, or "auto" to detect it. */
export const IMPORT_FORMATS = ["auto", ...LAYOUTS] as const;

export const JOB_PRIORITIES = ["high", "normal", "low"] as const;

/** Whether a narrow file's timestamp marks the start or the end of its half-hour. */
export const TIMESTAMP_LABELS = ["start", "end"] as const;

/** Units a readings file may be in: energy (converted to kWh) or gas volume (converted with a calorific value). */
export const IMPORT_UNITS = ["kWh", "Wh", "MWh", "m3", "ft3", "hcf"] as const;
export type ImportUnit = (typeof IMPORT_UNITS)[number];

/** The order of day, month and year in numeric dates: 13/10/2012 (dmy), 10/13/2012 (mdy), 2012/10/13 (ymd). */
export const DATE_ORDERS = ["dmy", "mdy", "ymd"] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

/** What a column of an import file holds (the keys of the `columns` option). */
export const COLUMN_ROLES = [
  "meter",
  "date",
  "time",
  "timestamp",
  "start",
  "end",
  "period",
  "value",
  "firstValue",
  "register",
  "status",
  "total",
  "unit",
] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

/** What an import does with a half-hour that already has a reading. */
export const CONFLICT_POLICIES = ["replace", "keep"] as const;

export const ROW_ISSUE_SEVERITIES = ["error", "warning"] as const;

export const UPLOAD_STATUSES = ["open", "complete", "aborted", "used"] as const;

// Data quality, alarms and scheduled-job telemetry (issue 15).

/** The data-quality rules (src/quality/rules.ts), in the order the page lists them. */
export const QUALITY_TYPES = [
  "missing_periods",
  "missing_days",
  "zero_run",
  "flatline",
  "outlier",
  "stale",
  "estimated",
] as const;
export type QualityType = (typeof QUALITY_TYPES)[number];

export const QUALITY_SEVERITIES = ["info", "warning", "critical"] as const;
export type QualitySeverity = (typeof QUALITY_SEVERITIES)[number];

export const QUALITY_STATUSES = ["open", "acknowledged", "resolved"] as const;
export type QualityStatus = (typeof QUALITY_STATUSES)[number];

export const ALARM_METRICS = ["kwh", "baseloadKw", "peakKw", "costPence"] as const;
export type AlarmMetric = (typeof ALARM_METRICS)[number];
export const ALARM_PERIODS = ["day", "week", "month"] as const;
export type AlarmPeriod = (typeof ALARM_PERIODS)[number];
export const ALARM_OPERATORS = ["gt", "lt"] as const;
export type AlarmOperator = (typeof ALARM_OPERATORS)[number];

/** How a scheduled or on-demand run ended (scheduler_executions.status). */
export const EXECUTION_STATUSES = ["ok", "failed", "skipped"] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const DELIVERY_CHANNELS = ["email", "webhook"] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export const DELIVERY_STATUSES = ["pending", "sent", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** How a tariff prices a half-hour: one rate, time-of-use bands, or a published price per half-hour. */
export const TARIFF_TYPES = ["flat", "tou", "dynamic"] as const;
export type TariffType = (typeof TARIFF_TYPES)[number];

/** The clock a time-of-use tariff's bands are read on: Europe/London, or a meter clock that stays on GMT. */
export const TARIFF_CLOCKS = ["local", "utc"] as const;

/** Days a band applies on, Monday first as the ISO week counts. */
export const DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type DayName = (typeof DAY_NAMES)[number];
