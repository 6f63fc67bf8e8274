// Writing and reading meter-day rows in D1. Writes go in bulk as one JSON parameter per statement
// (D1 allows 100 bound parameters), and partial days merge period by period, so a day split across
// ranges or files never loses a half-hour. A day's half-hours are one JSON array (`periods`).
import { sql, type SQL as SqlCondition } from "drizzle-orm";
import type { Db } from "../db/client";
import type { DailyInsertRow, HalfHourlyInsertRow } from "../imports/domain/accumulator";

export type OnConflict = "replace" | "keep";

/** The rows as written, keyed by the meters table's id (the import's compact day rows, imports/domain). */
export type HalfHourlyRow = HalfHourlyInsertRow<number>;
export type DailyRow = DailyInsertRow<number>;

/** JSON text per statement: D1 takes up to 2 MB per string; stay well below. */
export const MAX_JSON_BYTES = 1_500_000;
/** Statements per batch(): each batch is one transaction with a 30 s budget. */
const STATEMENTS_PER_BATCH = 4;

/**
 * The upsert of half-hourly days. A new day is one row insert (SQLite extracts seven values per day: the
 * last is the day's figures when the import computed them, else null). On a conflict the stored and the
 * new arrays merge period by period, new over old for `replace` and old over new for `keep`, with total,
 * count and estimated mask recomputed and the figures left pending (NULL: the aggregation computes the
 * merged day's); the merge is skipped when one side wins outright: a complete new day under `replace`, a
 * complete stored day under `keep` (the stored row is kept), and a stored daily total (no periods), which
 * half-hourly data supersedes. Every write stamps `rev` with the aggregation's current seq (REV).
 */
function halfHourlySql(onConflict: OnConflict, volume: boolean): string {
  const complete = (t: string) => `${t}.period_count = json_array_length(${t}.periods)`;
  // `whole`: one side wins outright (`pick` says which); otherwise `first` over `second`, period by period.
  const [whole, first, second] =
    onConflict === "replace"
      ? [`readings.periods IS NULL OR ${complete("excluded")}`, "n", "o"]
      : [`readings.periods IS NULL OR ${complete("readings")}`, "o", "n"];
  const pick = (column: string) =>
    onConflict === "replace"
      ? `excluded.${column}`
      : `CASE WHEN readings.periods IS NULL THEN excluded.${column} ELSE readings.${column} END`;
  // The estimated bit of a merged period comes from the side whose value it takes.
  const mask =
    onConflict === "replace"
      ? "(readings.estimated_mask & ~sum((n IS NOT NULL) << k)) | excluded.estimated_mask"
      : "readings.estimated_mask | (excluded.estimated_mask & ~sum((o IS NOT NULL) << k))";
  // keep: a complete stored day is left as it was, batch and calorific value included.
  const kept = (column: string) =>
    onConflict === "replace"
      ? `excluded.${column}`
      : `CASE WHEN ${complete("readings")} THEN readings.${column} ELSE excluded.${column} END`;
  // Energy rows carry no calorific value: they leave the column NULL (and clear it on a day they replace)
  // rather than pulling a seventh value out of every row.
  const cv = volume
    ? kept("calorific_value")
    : onConflict === "replace"
      ? "NULL"
      : `CASE WHEN ${complete("readings")} THEN readings.calorific_value END`;
  return `INSERT INTO readings (meter_id, date, total_kwh, period_count, estimated_mask, batch_id, periods, figures, rev${volume ? ", calorific_value" : ""})
SELECT value->>0, value->>1, value->>2, value->>3, value->>4, ?2, value->>5, value->>${FIGURES_AT}, ${REV}${volume ? ", value->>7" : ""}
FROM jsonb_each(?1) WHERE 1
ON CONFLICT (meter_id, date) DO UPDATE SET (periods, total_kwh, period_count, estimated_mask, figures) = (
  SELECT
    CASE WHEN ${whole} THEN ${pick("periods")} ELSE json_group_array(COALESCE(${first}, ${second}) ORDER BY k) END,
    CASE WHEN ${whole} THEN ${pick("total_kwh")} ELSE total(COALESCE(${first}, ${second})) END,
    CASE WHEN ${whole} THEN ${pick("period_count")} ELSE count(COALESCE(${first}, ${second})) END,
    CASE WHEN ${whole} THEN ${pick("estimated_mask")} ELSE ${mask} END,
    CASE WHEN ${whole} THEN ${pick("figures")} END
  FROM (SELECT e.key AS k, e.value AS n, readings.periods->>e.key AS o
        FROM json_each(excluded.periods) e WHERE NOT (${whole}))
), batch_id = ${kept("batch_id")}, calorific_value = ${cv}, rev = excluded.rev`;
}

/**
 * A row's `rev`: the aggregation's seq when it was written. An aggregation snapshot takes a new seq in the
 * transaction that reads its rows, so every row it read holds a smaller rev and every row written after it
 * at least that seq: "rev as read" is a sufficient check that a row has not changed since (aggregate.ts).
 * An uncorrelated subquery, evaluated once per statement; 0 before the first snapshot made the state row.
 */
const REV = "coalesce((SELECT seq FROM aggregation_state WHERE id = 1), 0)";
/** Where a half-hourly row's figures sit in its JSON (halfHourlyJson): after the periods. */
const FIGURES_AT = 6;

const SQL = {
  replace: halfHourlySql("replace", false),
  keep: halfHourlySql("keep", false),
  replaceVolume: halfHourlySql("replace", true),
  keepVolume: halfHourlySql("keep", true),
  // A daily total has no half-hour figures: `figures` stays NULL.
  dailyReplace: `INSERT INTO readings (meter_id, date, total_kwh, period_count, estimated_mask, batch_id, calorific_value, rev)
SELECT value->>0, value->>1, value->>2, NULL, value->>3, ?2, value->>4, ${REV} FROM json_each(?1) WHERE 1
ON CONFLICT (meter_id, date) DO UPDATE SET total_kwh = excluded.total_kwh,
  estimated_mask = excluded.estimated_mask, batch_id = excluded.batch_id, calorific_value = excluded.calorific_value,
  rev = excluded.rev
WHERE readings.period_count IS NULL`,
  dailyKeep: `INSERT INTO readings (meter_id, date, total_kwh, period_count, estimated_mask, batch_id, calorific_value, rev)
SELECT value->>0, value->>1, value->>2, NULL, value->>3, ?2, value->>4, ${REV} FROM json_each(?1) WHERE 1
ON CONFLICT (meter_id, date) DO NOTHING`,
  changed: `INSERT INTO changed_spans (batch_id, meter_id, first_date, last_date)
SELECT ?2, value->>0, value->>1, value->>2 FROM json_each(?1) WHERE 1
ON CONFLICT (batch_id, meter_id, first_date) DO UPDATE SET last_date = max(last_date, excluded.last_date),
  changed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  // The data-quality checks' own queue (src/quality): a trigger copies every changed_spans row into it, so
  // only the days whose figures the range wrote itself (absent from changed_spans) are added here.
  checks: `INSERT INTO checks_pending (batch_id, meter_id, first_date, last_date)
SELECT ?2, value->>0, value->>1, value->>2 FROM json_each(?1) WHERE 1
ON CONFLICT (batch_id, meter_id, first_date) DO UPDATE SET last_date = max(last_date, excluded.last_date)`,
};

/**
 * A half-hourly row as JSON, with its figures (FIGURES_AT; null = pending) and then any calorific value.
 * Periods given as JSON text (plain numbers, so nothing to escape) go in as a JSON string: SQLite's `->>`
 * then copies the text into the row, where a nested array would have every number parsed into JSONB and
 * written out again (the readings insert measured 15–20 % faster so). Figures are plain-number JSON text
 * too. An array of periods stays nested; `->>` gives its JSON text too. The date is the accumulator's own
 * `YYYY-MM-DD`, so it is quoted without escaping as well.
 */
function halfHourlyJson(r: HalfHourlyRow, figures: string | null): string {
  const periods = r[5];
  const f = figures === null ? "null" : `"${figures}"`;
  const cv = r[6] === undefined ? "" : `,${r[6]}`;
  if (typeof periods !== "string") return `${JSON.stringify(r.slice(0, 6)).slice(0, -1)},${f}${cv}]`;
  return `[${r[0]},"${r[1]}",${r[2]},${r[3]},${r[4]},"${periods}",${f}${cv}]`;
}

/** Splits rows into JSON arrays of at most `maxBytes` each. */
export function jsonChunks<Row>(
  rows: Row[],
  maxBytes = MAX_JSON_BYTES,
  toJson: (row: Row, index: number) => string = (row) => JSON.stringify(row),
): string[] {
  // Appending to one string (a rope V8 flattens once) measured a third faster than joining an array of
  // the rows' texts: this runs over every row an import writes.
  const chunks: string[] = [];
  let chunk = "";
  for (let i = 0; i < rows.length; i++) {
    const text = toJson(rows[i], i);
    if (chunk.length > 0 && chunk.length + text.length + 2 > maxBytes) {
      chunks.push(`${chunk}]`);
      chunk = "";
    }
    chunk += chunk.length === 0 ? `[${text}` : `,${text}`;
  }
  if (chunk.length > 0) chunks.push(`${chunk}]`);
  return chunks;
}

/**
 * Each meter's first and last date among the rows, as `[meterId, firstDate, lastDate]`: one pass, in any
 * order. A span may hold days the rows do not (a meter's days 1–3 and 9 give 1–9); the callers only
 * recompute or mark over spans, which is harmless over days that did not change.
 */
export function spansOf(
  rows: readonly (readonly [number, string, ...unknown[]])[],
): [number, string, string][] {
  const spans = new Map<number, [number, string, string]>();
  for (const [meter, date] of rows) {
    const span = spans.get(meter);
    if (span === undefined) spans.set(meter, [meter, date, date]);
    else if (date < span[1]) span[1] = date;
    else if (date > span[2]) span[2] = date;
  }
  return [...spans.values()];
}

/**
 * The statements that write the rows, then record each meter's span of days for aggregation. Building
 * them is synchronous, so a caller can let go of the rows before it awaits the writes. A failure between
 * statements is mended by the range's retry, which rewrites everything (the writes are idempotent).
 */
function statementsFor<Row extends HalfHourlyRow | DailyRow>(
  db: D1Database,
  sql: string,
  rows: Row[],
  batchId: string,
  toJson: (row: Row, index: number) => string = (row) => JSON.stringify(row),
  pending: Row[] = rows,
): D1PreparedStatement[] {
  if (rows.length === 0) return [];
  return [
    ...jsonChunks(rows, MAX_JSON_BYTES, toJson).map((json) => db.prepare(sql).bind(json, batchId)),
    ...jsonChunks(spansOf(pending)).map((json) => db.prepare(SQL.changed).bind(json, batchId)),
    ...(pending === rows
      ? []
      : jsonChunks(spansOf(rows)).map((json) => db.prepare(SQL.checks).bind(json, batchId))),
  ];
}

/**
 * `figures`: each row's figures as JSON text (figuresJson), by index, or null where the aggregation is to
 * compute them (none given: all of them). The rows without figures are the days it still has to bring in.
 */
export const halfHourlyStatements = (
  db: D1Database,
  rows: HalfHourlyRow[],
  batchId: string,
  onConflict: OnConflict,
  figures: readonly (string | null)[] = [],
) =>
  statementsFor(
    db,
    SQL[rows[0]?.[6] === undefined ? onConflict : (`${onConflict}Volume` as const)],
    rows,
    batchId,
    (row, i) => halfHourlyJson(row, figures[i] ?? null),
    figures.length === 0 ? rows : rows.filter((_, i) => figures[i] === null),
  );

export const dailyStatements = (db: D1Database, rows: DailyRow[], batchId: string, onConflict: OnConflict) =>
  statementsFor(db, onConflict === "replace" ? SQL.dailyReplace : SQL.dailyKeep, rows, batchId);

/** Runs statements a few per batch(): each batch is one transaction. */
export async function runStatements(db: D1Database, statements: D1PreparedStatement[]): Promise<void> {
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
    await db.batch(statements.slice(i, i + STATEMENTS_PER_BATCH));
  }
}

export type StoredDay = {
  date: string;
  total_kwh: number;
  period_count: number | null;
  estimated_mask: number;
  /** One entry per settlement period (null = missing); empty for a daily total or without periods. */
  periods: (number | null)[];
  /** The calorific value its kWh were converted from a gas volume with; null = energy as read. */
  calorific_value: number | null;
};

/** m³ of gas a converted kWh figure came from: kWh × 3.6 ÷ (1.02264 × CV), to 6 decimal places. */
export function cubicMetresOf(kwh: number, calorificValue: number): number {
  return Math.round(((kwh * 3.6) / (1.02264 * calorificValue)) * 1e6) / 1e6;
}

/** A gas meter's days in [from, to] that were imported from a volume: date → [kWh, calorific value]. */
export async function volumeDays(db: Db, meterId: number, from: string, to: string) {
  const rows = await db.values<[string, number, number]>(sql`
    SELECT date, total_kwh, calorific_value FROM readings
    WHERE meter_id = ${meterId} AND date BETWEEN ${from} AND ${to} AND calorific_value IS NOT NULL`);
  return new Map(rows.map(([date, kwh, cv]) => [date, cubicMetresOf(kwh, cv)]));
}

/**
 * Per gas meter that `meters` (a condition on `meters`) picks, over [from, to]: the m³ of its days imported
 * from a volume (each day's kWh converted back with the calorific value it was converted with, unrounded)
 * and the kWh those days hold. Meters with no such day are absent. CROSS JOIN keeps SQLite starting from
 * the (few) gas meters and seeking their days by key: left to choose, it scanned every reading (0.5 s a
 * portfolio year in bench:aggregate).
 */
export async function gasVolumesByMeter(db: Db, meters: SqlCondition, from: string, to: string) {
  const rows = await db.values<[number, number, number]>(sql`
    SELECT r.meter_id, total(r.total_kwh * 3.6 / (1.02264 * r.calorific_value)), total(r.total_kwh)
    FROM meters CROSS JOIN readings r ON r.meter_id = meters.id
    WHERE meters.fuel = 'gas' AND ${meters} AND r.date BETWEEN ${from} AND ${to} AND r.calorific_value IS NOT NULL
    GROUP BY r.meter_id`);
  return new Map(rows.map(([id, m3, kwh]) => [id, { m3, kwh }]));
}

/**
 * The meter with MPAN `mpanKey`, if `visible` (a condition on `meters`) lets the caller see it, and its
 * days in [from, to], with each day's periods when asked for. One query that answers one row, the days
 * as one JSON array: a D1 round trip, and each cell D1 hands over, cost more than SQLite's JSON.
 */
export async function readMeterDays(
  db: Db,
  mpanKey: string,
  visible: SqlCondition,
  from: string,
  to: string,
  withPeriods: boolean,
): Promise<{ mpan: string; days: StoredDay[] } | null> {
  const row = await db.values<[string, string]>(sql`
    SELECT meters.mpan, (
      SELECT json_group_array(json_array(date, total_kwh, period_count, estimated_mask, calorific_value${
        withPeriods ? sql`, json(periods)` : sql``
      }) ORDER BY date)
      FROM readings WHERE meter_id = meters.id AND date BETWEEN ${from} AND ${to})
    FROM meters WHERE meters.mpan = ${mpanKey} AND ${visible}`);
  if (row.length === 0) return null;
  const days = JSON.parse(row[0][1]) as [
    string,
    number,
    number | null,
    number,
    number | null,
    (number | null)[] | null,
  ][];
  return {
    mpan: row[0][0],
    days: days.map(([date, total_kwh, period_count, estimated_mask, calorific_value, periods]) => ({
      date,
      total_kwh,
      period_count,
      estimated_mask,
      periods: periods ?? [],
      calorific_value,
    })),
  };
}
