// The D1 schema, one place: drizzle-kit generates migrations/ from this file.
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  sqliteView,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import {
  FUELS,
  IMPORT_FORMATS,
  JOB_PRIORITIES,
  JOB_STATUSES,
  METER_STATUSES,
  ROLES,
  ROW_ISSUE_SEVERITIES,
  SITE_TYPES,
  TARIFF_CLOCKS,
  TARIFF_TYPES,
  UPLOAD_STATUSES,
} from "../enums";
import {
  ALARM_METRICS,
  ALARM_OPERATORS,
  ALARM_PERIODS,
  DELIVERY_CHANNELS,
  DELIVERY_STATUSES,
  EXECUTION_STATUSES,
  QUALITY_SEVERITIES,
  QUALITY_STATUSES,
  QUALITY_TYPES,
} from "../enums";

const createdAt = () =>
  text("created_at")
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`);

export const companies = sqliteTable("companies", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  isDefault: integer("is_default", { mode: "boolean" }).notNull().default(false),
  createdAt: createdAt(),
});

export const regions = sqliteTable(
  "regions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("regions_company_name").on(t.companyId, t.name)],
);

export const sites = sqliteTable(
  "sites",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id),
    regionId: integer("region_id").references(() => regions.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    address: text("address"),
    postcode: text("postcode"),
    siteType: text("site_type", { enum: SITE_TYPES }),
    floorAreaM2: real("floor_area_m2"),
    /** JSON {weekday, weekend} opening times for out-of-hours figures; NULL = Monday–Friday 08:00–18:00. */
    workingHours: text("working_hours"),
    /** JSON [{name, value}]: what consumption is divided by besides floor area (beds, pupils…). */
    normalisers: text("normalisers").notNull().default("[]"),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
  },
  (t) => [
    index("sites_company").on(t.companyId),
    index("sites_region").on(t.regionId),
    uniqueIndex("sites_company_name").on(t.companyId, t.name),
  ],
);

export const suppliers = sqliteTable("suppliers", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  contactEmail: text("contact_email"),
  createdAt: createdAt(),
});

export const meters = sqliteTable(
  "meters",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** MPAN core (13 digits) for electricity, MPRN (6–10 digits) for gas. */
    mpan: text("mpan").notNull().unique(),
    fuel: text("fuel", { enum: FUELS }).notNull(),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    supplierId: integer("supplier_id").references(() => suppliers.id, { onDelete: "set null" }),
    serial: text("serial"),
    name: text("name"),
    status: text("status", { enum: METER_STATUSES }).notNull().default("active"),
    /** Gas: calorific value in MJ/m³ for converting imported volumes (NULL = the default 39.5). */
    calorificValue: real("calorific_value"),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
  },
  (t) => [index("meters_site").on(t.siteId)],
);

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name"),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ROLES }).notNull(),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  createdAt: createdAt(),
});

/** What a non-admin user may see: the union of the companies, regions and sites granted. */
export const accessGrants = sqliteTable(
  "access_grants",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    companyId: integer("company_id").references(() => companies.id, { onDelete: "cascade" }),
    regionId: integer("region_id").references(() => regions.id, { onDelete: "cascade" }),
    siteId: integer("site_id").references(() => sites.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [index("access_grants_user").on(t.userId)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the cookie value: a leaked table cannot be replayed. */
    tokenHash: text("token_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
    createdAt: createdAt(),
    ip: text("ip"),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const apiTokens = sqliteTable("api_tokens", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  prefix: text("prefix").notNull(),
  role: text("role", { enum: ROLES }).notNull(),
  /** When set, the token sees only this company's data. */
  companyId: integer("company_id").references(() => companies.id, { onDelete: "cascade" }),
  createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
  lastUsedAt: text("last_used_at"),
  revokedAt: text("revoked_at"),
  createdAt: createdAt(),
});

/** Failed sign-ins per account and per IP, for temporary locks. */
export const loginAttempts = sqliteTable("login_attempts", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStart: integer("window_start").notNull(),
  lockedUntil: integer("locked_until"),
});

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: createdAt(),
    actorUserId: integer("actor_user_id"),
    actorTokenId: integer("actor_token_id"),
    action: text("action").notNull(),
    entity: text("entity"),
    entityId: text("entity_id"),
    detail: text("detail"),
    ip: text("ip"),
  },
  (t) => [index("audit_log_at").on(t.at)],
);

/** Last run of each scheduled job, for /api/health. */
export const cronRuns = sqliteTable("cron_runs", {
  job: text("job").primaryKey(),
  lastStartedAt: text("last_started_at"),
  lastFinishedAt: text("last_finished_at"),
  lastStatus: text("last_status"),
  lastDetail: text("last_detail"),
});

// ---------------------------------------------------------------------------------------------
// Readings and imports

/** One row per meter per settlement day: a day's profile is one row read. */
export const readings = sqliteTable(
  "readings",
  {
    meterId: integer("meter_id")
      .notNull()
      .references(() => meters.id, { onDelete: "cascade" }),
    date: text("date").notNull(),
    totalKwh: real("total_kwh").notNull(),
    /** Present half-hours; NULL for a daily-total import. */
    periodCount: integer("period_count"),
    /** Bit i set = period i+1 is estimated (a daily total uses bit 0). */
    estimatedMask: integer("estimated_mask").notNull().default(0),
    batchId: text("batch_id"),
    /**
     * The day's half-hours as a JSON array, one entry per settlement period (46, 48 or 50 entries;
     * null = missing); NULL for a daily-total import. One value to write and read per day keeps bulk
     * imports cheap: SQLite extracts one array rather than 50 columns.
     */
    periods: text("periods"),
    /** The calorific value (MJ/m³) the day's kWh were converted from a gas volume with; NULL = energy as read. */
    calorificValue: real("calorific_value"),
    /**
     * The day's half-hour figures (src/analytics/figures.ts) as JSON `[baseloadKw, peakKwh, peakAt, oohKwh]`;
     * NULL for a daily total, and for a half-hourly day whose figures are pending (changed_spans). An import
     * writes a complete day's figures in the same row insert as its half-hours; the aggregation the rest.
     * One JSON cell, not four columns: the bulk insert extracts one more value per day rather than four.
     */
    figures: text("figures"),
    /**
     * The aggregation_state.seq current when the row was last written: an aggregation writes figures only
     * where the row is as its snapshot read it (a snapshot takes a new seq, so any later write differs).
     */
    rev: integer("rev").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.meterId, t.date] }),
    // Sums of many meters' days (the meter_days view's kWh and periods) read this index alone rather than
    // each row with its half-hours: 1,000 meters' 30 days 12.4 → 6.7 ms in node:sqlite on bench:aggregate's
    // database, for ~0.15 s more per 365,000 imported days.
    index("readings_day_sums").on(t.meterId, t.date, t.totalKwh, t.periodCount),
  ],
);

export const importJobs = sqliteTable(
  "import_jobs",
  {
    batchId: text("batch_id").primaryKey(),
    status: text("status", { enum: JOB_STATUSES }).notNull(),
    dryRun: integer("dry_run", { mode: "boolean" }).notNull().default(false),
    format: text("format", { enum: IMPORT_FORMATS }).notNull().default("auto"),
    /** The options the job was created with (JSON): meter, columns, onConflict, autoCreateMeters… */
    options: text("options").notNull().default("{}"),
    /** The detected plan (JSON), once the head of the file has been read. */
    plan: text("plan"),
    fileName: text("file_name"),
    r2Key: text("r2_key").notNull(),
    /** The file's bytes within the R2 object: a streamed multipart body is stored whole, envelope and all. */
    fileOffset: integer("file_offset").notNull().default(0),
    fileEnd: integer("file_end").notNull().default(0),
    bytesTotal: integer("bytes_total").notNull().default(0),
    bytesDone: integer("bytes_done").notNull().default(0),
    rowsProcessed: integer("rows_processed").notNull().default(0),
    rowsImported: integer("rows_imported").notNull().default(0),
    rowsFailed: integer("rows_failed").notNull().default(0),
    readingsWritten: integer("readings_written").notNull().default(0),
    rangesTotal: integer("ranges_total").notNull().default(0),
    rangesDone: integer("ranges_done").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    /** Last progress: created, planned, a range counted, or its lost work sent again (the watchdog's clock). */
    progressAt: text("progress_at"),
    /** Times the watchdog has sent a stalled job's uncounted work again (see src/imports/recovery.ts). */
    recoveries: integer("recoveries").notNull().default(0),
    priority: text("priority", { enum: JOB_PRIORITIES }).notNull().default("normal"),
    notes: text("notes"),
    tags: text("tags").notNull().default("[]"),
    error: text("error"),
    sourceId: integer("source_id"),
    createdBy: integer("created_by"),
    /** The company scope the job was created in (a company-scoped token); NULL = unscoped. */
    companyId: integer("company_id"),
    createdAt: createdAt(),
    startedAt: text("started_at"),
    finishedAt: text("finished_at"),
    /** When the quality rules and alarms finished checking the days the job changed (they run after it completes). */
    checkedAt: text("checked_at"),
  },
  (t) => [index("import_jobs_status").on(t.status), index("import_jobs_created").on(t.createdAt)],
);

/**
 * Every rejected row, by byte range and line within it (the file line is the range's first line plus
 * `line` - 1: see importRanges); the first 100 are shown inline, all in errors.csv.
 */
export const importErrors = sqliteTable(
  "import_errors",
  {
    batchId: text("batch_id")
      .notNull()
      .references(() => importJobs.batchId, { onDelete: "cascade" }),
    rangeIndex: integer("range_index").notNull().default(0),
    line: integer("line").notNull(),
    code: text("code").notNull(),
    message: text("message").notNull(),
    severity: text("severity", { enum: ROW_ISSUE_SEVERITIES }).notNull().default("error"),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.rangeIndex, t.line, t.code] })],
);

/**
 * How many lines each processed byte range of a job holds. Ranges are cut at line starts without
 * counting lines first (that would read the whole file once more), so a range's first file line is
 * known once every range before it has reported its count.
 */
export const importRanges = sqliteTable(
  "import_ranges",
  {
    batchId: text("batch_id")
      .notNull()
      .references(() => importJobs.batchId, { onDelete: "cascade" }),
    rangeIndex: integer("range_index").notNull(),
    lines: integer("lines").notNull(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.rangeIndex] })],
);

/**
 * What an import changed, for the aggregation job to pick up: per range, each meter's first and last
 * day written (a few rows per range rather than one per meter-day; re-aggregating a day inside a span
 * that did not change is harmless). A retried range writes the same spans again.
 */
export const changedSpans = sqliteTable(
  "changed_spans",
  {
    batchId: text("batch_id").notNull(),
    meterId: integer("meter_id").notNull(),
    firstDate: text("first_date").notNull(),
    lastDate: text("last_date").notNull(),
    changedAt: text("changed_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.meterId, t.firstDate] })],
);

/** Browser uploads too big for one request go up in parts (R2 multipart). */
export const uploads = sqliteTable("uploads", {
  id: text("id").primaryKey(),
  r2Key: text("r2_key").notNull(),
  r2UploadId: text("r2_upload_id").notNull(),
  fileName: text("file_name").notNull(),
  size: integer("size").notNull(),
  partSize: integer("part_size").notNull(),
  parts: text("parts").notNull().default("[]"),
  status: text("status", { enum: UPLOAD_STATUSES }).notNull().default("open"),
  createdBy: integer("created_by"),
  /** The company scope the upload was begun in; NULL = unscoped. */
  companyId: integer("company_id"),
  createdAt: createdAt(),
});

/** Supplier portals that push files by signed webhook. The signing secret is derived, never stored. */
export const webhookSources = sqliteTable("webhook_sources", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  /** Random salt from which the signing secret is derived with the server key. */
  secretSalt: text("secret_salt").notNull(),
  secretPrefix: text("secret_prefix").notNull(),
  defaultMeter: text("default_meter"),
  options: text("options").notNull().default("{}"),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  createdAt: createdAt(),
});

export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    sourceId: integer("source_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    batchId: text("batch_id").notNull(),
    createdAt: createdAt(),
    /** The delivery's v1: a signature is used once, whatever key comes with it (NULL before 0007). */
    signature: text("signature"),
    /** SHA-256 of the body, so a key sent again with another body is told apart (NULL before 0007). */
    bodySha256: text("body_sha256"),
  },
  (t) => [
    primaryKey({ columns: [t.sourceId, t.idempotencyKey] }),
    uniqueIndex("webhook_deliveries_signature").on(t.sourceId, t.signature),
  ],
);

// ---------------------------------------------------------------------------------------------
// Consumption analytics (src/analytics): figures kept current from changed_spans

/**
 * One meter-day's figures (src/analytics/figures.ts dayFigures): a view over `readings` (migrations/0017),
 * so a day's figures are stored in its own row and an import writes no second row per day. `expected` is
 * settlement.ts's 46/48/50 as SQL (test/analytics/meter-days-view.test.ts holds them equal).
 */
export const meterDays = sqliteView("meter_days", {
  meterId: integer("meter_id").notNull(),
  date: text("date").notNull(),
  kwh: real("kwh").notNull(),
  /** Half-hours present; NULL for a day known only by its daily total. */
  periods: integer("periods"),
  expected: integer("expected").notNull(),
  estimated: integer("estimated", { mode: "boolean" }).notNull(),
  baseloadKw: real("baseload_kw"),
  peakKwh: real("peak_kwh"),
  /** Epoch ms (UTC) at which the peak half-hour starts. */
  peakAt: integer("peak_at"),
  oohKwh: real("ooh_kwh"),
}).existing();

/** Per meter and calendar month, the sums site and portfolio spans read instead of every day. */
export const meterMonths = sqliteTable(
  "meter_months",
  {
    meterId: integer("meter_id")
      .notNull()
      .references(() => meters.id, { onDelete: "cascade" }),
    /** "YYYY-MM". */
    month: text("month").notNull(),
    days: integer("days").notNull(),
    kwh: real("kwh").notNull(),
    /** Half-hours present plus the expected periods of daily-total days (see SpanSums.periods). */
    periods: integer("periods").notNull(),
  },
  (t) => [primaryKey({ columns: [t.meterId, t.month] })],
);

/** One row: the aggregation's snapshot counter and when figures last changed. */
export const aggregationState = sqliteTable("aggregation_state", {
  id: integer("id").primaryKey(),
  seq: integer("seq").notNull().default(0),
  updatedAt: text("updated_at"),
});

// ---------------------------------------------------------------------------------------------
// Grid carbon intensity (src/carbon; migrations/0013). Half-hours keyed by UTC start in epoch ms;
// `demo` rows come from the seed, never count as stored for the backfill and go at the first real poll.

export const carbonNational = sqliteTable("carbon_national", {
  start: integer("start").primaryKey(),
  forecast: real("forecast"),
  actual: real("actual"),
  idx: text("idx"),
  demo: integer("demo", { mode: "boolean" }).notNull().default(false),
  updatedAt: text("updated_at").notNull(),
});

/** Regional figures are forecasts only (the API publishes no regional actuals); with their generation mix. */
export const carbonRegional = sqliteTable(
  "carbon_regional",
  {
    regionId: integer("region_id").notNull(),
    start: integer("start").notNull(),
    forecast: real("forecast").notNull(),
    idx: text("idx"),
    /** JSON [{fuel, perc}]. */
    mix: text("mix"),
    demo: integer("demo", { mode: "boolean" }).notNull().default(false),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionId, t.start] })],
);

export const carbonGeneration = sqliteTable("carbon_generation", {
  start: integer("start").primaryKey(),
  /** JSON [{fuel, perc}]. */
  mix: text("mix").notNull(),
  demo: integer("demo", { mode: "boolean" }).notNull().default(false),
});

/**
 * A site's grid region (1–17): looked up once from its postcode's outward code (`source` "postcode",
 * region NULL when the API knew no region for it) or chosen by hand ("manual").
 */
export const siteGridRegions = sqliteTable("site_grid_regions", {
  siteId: integer("site_id")
    .primaryKey()
    .references(() => sites.id, { onDelete: "cascade" }),
  regionId: integer("region_id"),
  source: text("source", { enum: ["postcode", "manual"] }).notNull(),
  outward: text("outward"),
  updatedAt: text("updated_at").notNull(),
});

/** One row: the feed's state (staleness for /api/health, failures in a row for the alert, refresh limit). */
export const carbonFeed = sqliteTable("carbon_feed", {
  id: integer("id").primaryKey(),
  /** Staleness counts from here until the first new data arrives. */
  firstAttemptAt: text("first_attempt_at"),
  lastAttemptAt: text("last_attempt_at"),
  lastSuccessAt: text("last_success_at"),
  lastNewDataAt: text("last_new_data_at"),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  lastError: text("last_error"),
  /** Epoch ms of the last on-demand refresh (at most one a minute per deployment). */
  lastRefreshAt: integer("last_refresh_at"),
});

/** UK government conversion factors (kgCO2e per kWh) by year and fuel, for fixed-factor emissions. */
export const emissionFactors = sqliteTable(
  "emission_factors",
  {
    year: integer("year").notNull(),
    fuel: text("fuel", { enum: FUELS }).notNull(),
    kgPerKwh: real("kg_per_kwh").notNull(),
    source: text("source").notNull(),
  },
  (t) => [primaryKey({ columns: [t.year, t.fuel] })],
);

/**
 * Per site, fuel and settlement day, the sums of its meters' meter_days (kWh, and periods as
 * SpanSums.periods counts them): site and portfolio spans read these instead of every meter's days.
 * Derived: recomputed for each (site, month) in siteMonthsStale (src/analytics/rollups.ts).
 */
export const siteDays = sqliteTable(
  "site_days",
  {
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    fuel: text("fuel", { enum: FUELS }).notNull(),
    date: text("date").notNull(),
    kwh: real("kwh").notNull(),
    periods: integer("periods").notNull(),
    /** The site's meters' daily baseloads (kW) summed; NULL when none of them has one that day. */
    baseloadKw: real("baseload_kw"),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.date, t.fuel] })],
);

/** Per site, fuel and calendar month, the sums of site_days. */
export const siteMonths = sqliteTable(
  "site_months",
  {
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    fuel: text("fuel", { enum: FUELS }).notNull(),
    /** "YYYY-MM". */
    month: text("month").notNull(),
    kwh: real("kwh").notNull(),
    periods: integer("periods").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.month, t.fuel] })],
);

/** Site-months whose roll-ups must be recomputed before they are read (their meters' days changed). */
export const siteMonthsStale = sqliteTable(
  "site_months_stale",
  {
    siteId: integer("site_id").notNull(),
    month: text("month").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.month] })],
);

// Data quality, alarms, notifications and scheduled-job telemetry (migration 0014)

/**
 * One data-quality finding. `key` is the rule's identity of the finding within its meter (the day, or
 * the day and first period of a run, or the first missing day), so a re-run updates the row it found before.
 */
export const qualityIssues = sqliteTable(
  "quality_issues",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    type: text("type", { enum: QUALITY_TYPES }).notNull(),
    meterId: integer("meter_id")
      .notNull()
      .references(() => meters.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    fromDate: text("from_date").notNull(),
    toDate: text("to_date").notNull(),
    /** JSON array of settlement periods (see src/quality/rules.ts), or NULL. */
    periods: text("periods"),
    severity: text("severity", { enum: QUALITY_SEVERITIES }).notNull(),
    detail: text("detail").notNull(),
    status: text("status", { enum: QUALITY_STATUSES }).notNull().default("open"),
    note: text("note"),
    changedBy: integer("changed_by").references(() => users.id, { onDelete: "set null" }),
    changedAt: text("changed_at"),
    firstSeen: text("first_seen").notNull(),
    lastSeen: text("last_seen").notNull(),
  },
  (t) => [
    uniqueIndex("quality_issues_identity").on(t.meterId, t.type, t.key),
    index("quality_issues_status").on(t.status, t.type),
  ],
);

/** Per-meter rule switches: zero_run off for export or seasonal meters. */
export const meterQualitySettings = sqliteTable("meter_quality_settings", {
  meterId: integer("meter_id")
    .primaryKey()
    .references(() => meters.id, { onDelete: "cascade" }),
  zeroRun: integer("zero_run", { mode: "boolean" }).notNull().default(true),
});

/**
 * Days imports changed, waiting for the quality checks and alarms: a trigger on changed_spans copies each
 * span here (the aggregation deletes its own copy), and a check run deletes the rows it read.
 */
export const checksPending = sqliteTable(
  "checks_pending",
  {
    batchId: text("batch_id").notNull(),
    meterId: integer("meter_id").notNull(),
    firstDate: text("first_date").notNull(),
    lastDate: text("last_date").notNull(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.meterId, t.firstDate] })],
);

export const alarms = sqliteTable(
  "alarms",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    meterId: integer("meter_id").references(() => meters.id, { onDelete: "cascade" }),
    siteId: integer("site_id").references(() => sites.id, { onDelete: "cascade" }),
    metric: text("metric", { enum: ALARM_METRICS }).notNull(),
    period: text("period", { enum: ALARM_PERIODS }).notNull(),
    operator: text("operator", { enum: ALARM_OPERATORS }).notNull(),
    threshold: real("threshold"),
    pctAbovePrevious: real("pct_above_previous"),
    /** JSON array of email addresses. */
    recipients: text("recipients").notNull().default("[]"),
    webhook: integer("webhook", { mode: "boolean" }).notNull().default(false),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
  },
  (t) => [index("alarms_meter").on(t.meterId), index("alarms_site").on(t.siteId)],
);

/** A span an alarm triggered on: once per alarm and span. */
export const alarmTriggers = sqliteTable(
  "alarm_triggers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    alarmId: integer("alarm_id")
      .notNull()
      .references(() => alarms.id, { onDelete: "cascade" }),
    spanFrom: text("span_from").notNull(),
    spanTo: text("span_to").notNull(),
    value: real("value").notNull(),
    threshold: real("threshold").notNull(),
    triggeredAt: text("triggered_at").notNull(),
    /** JSON array of the channels it went out on: "email", "webhook", "app". */
    notified: text("notified").notNull().default("[]"),
  },
  (t) => [uniqueIndex("alarm_triggers_span").on(t.alarmId, t.spanFrom)],
);

/** The in-app bell: one row per user and event. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["alarm", "quality", "scheduler"] }).notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    link: text("link").notNull(),
    createdAt: createdAt(),
    readAt: text("read_at"),
  },
  (t) => [index("notifications_user").on(t.userId, t.readAt)],
);

/** Each email or webhook delivery and its outcome; failed ones are retried from the queue. */
export const deliveries = sqliteTable("deliveries", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  channel: text("channel", { enum: DELIVERY_CHANNELS }).notNull(),
  target: text("target").notNull(),
  subject: text("subject").notNull(),
  /** JSON: the email's parts or the webhook's body, so a retry sends exactly the same. */
  payload: text("payload").notNull(),
  source: text("source").notNull(),
  status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
  attempts: integer("attempts").notNull().default(0),
  lastError: text("last_error"),
  createdAt: createdAt(),
  updatedAt: text("updated_at"),
});

/** One row per scheduled or on-demand run of a job (src/scheduler/executions.ts). */
export const schedulerExecutions = sqliteTable(
  "scheduler_executions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    job: text("job").notNull(),
    /** "cron", or who asked ("user:1", "import:<batch>"). */
    trigger: text("trigger").notNull(),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at"),
    durationMs: integer("duration_ms"),
    items: integer("items").notNull().default(0),
    rowsWritten: integer("rows_written").notNull().default(0),
    status: text("status", { enum: EXECUTION_STATUSES }),
    error: text("error"),
    detail: text("detail"),
  },
  (t) => [index("scheduler_executions_job").on(t.job, t.startedAt)],
);

// ---------------------------------------------------------------------------------------------
// Tariffs, price series, meter assignments and switching analyses (src/tariffs)

/** Global configuration: a supply contract's rates. Rates exclude VAT; `bands` is JSON (time-of-use). */
export const tariffs = sqliteTable("tariffs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  supplierId: integer("supplier_id").references(() => suppliers.id, { onDelete: "set null" }),
  fuel: text("fuel", { enum: FUELS }).notNull(),
  type: text("type", { enum: TARIFF_TYPES }).notNull(),
  validFrom: text("valid_from").notNull(),
  validTo: text("valid_to"),
  standingChargePence: real("standing_charge_pence").notNull(),
  vatRate: real("vat_rate").notNull(),
  ccl: integer("ccl", { mode: "boolean" }).notNull(),
  unitRatePence: real("unit_rate_pence"),
  bands: text("bands"),
  clock: text("clock", { enum: TARIFF_CLOCKS }).notNull().default("local"),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  /** Bumped by every price upload, so a parsed price series kept in memory knows when it is stale. */
  pricesVersion: integer("prices_version").notNull().default(0),
  createdAt: createdAt(),
  updatedAt: text("updated_at"),
});

/** A dynamic tariff's prices, one row per settlement day: a JSON array with one price per period (null = none). */
export const tariffPrices = sqliteTable(
  "tariff_prices",
  {
    tariffId: integer("tariff_id")
      .notNull()
      .references(() => tariffs.id, { onDelete: "cascade" }),
    date: text("date").notNull(),
    prices: text("prices").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tariffId, t.date] })],
);

/** A meter's tariff from a settlement date (inclusive) to another (inclusive; NULL = open). They never overlap. */
export const meterTariffs = sqliteTable(
  "meter_tariffs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    meterId: integer("meter_id")
      .notNull()
      .references(() => meters.id, { onDelete: "cascade" }),
    tariffId: integer("tariff_id")
      .notNull()
      .references(() => tariffs.id),
    fromDate: text("from_date").notNull(),
    toDate: text("to_date"),
    createdAt: createdAt(),
  },
  (t) => [index("meter_tariffs_meter").on(t.meterId, t.fromDate)],
);

/** A stored switching analysis: what was asked, what it found, who ran it. `siteId` scopes it. */
export const switchingAnalyses = sqliteTable(
  "switching_analyses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    meterId: integer("meter_id").references(() => meters.id, { onDelete: "cascade" }),
    fromDate: text("from_date").notNull(),
    toDate: text("to_date").notNull(),
    inputs: text("inputs").notNull(),
    results: text("results").notNull(),
    createdBy: integer("created_by"),
    createdAt: createdAt(),
  },
  (t) => [index("switching_analyses_site").on(t.siteId, t.createdAt)],
);
